// Runs one bundled action as the GitHub runner does. The demo is plain Node, so it uses the runner's
// bundled library form (dist/cli/lib.js, built from src/cli/runner.ts): the same runner as the
// `deploy-actions` CLI and the integration tests.
import { loadManifest, runBundledAction } from '../../dist/cli/lib.js';

export { loadManifest };

/**
 * Runs the action described by `actionYml` with `inputs` (as under `with:`), extra `env`, and the values of
 * the expressions its defaults use. Resolves to { exitCode, stdout, stderr, outputs, summary, state, post }.
 */
export function runAction({ actionYml, inputs = {}, env = {}, expressions = {}, cwd, onLine }) {
  return runBundledAction({ actionYml, inputs, env, expressions, cwd, onLine });
}
