/**
 * The runner as a library for plain Node scripts (the demo), bundled to dist/cli/lib.js:
 * the same code the CLI and the integration tests use, so there is one runner to keep faithful.
 */
export { evaluateDefault, parseCommandFile, runBundledAction } from './runner.js';
export type { RunOptions, RunResult, StepResult } from './runner.js';
export { inputEnvName, loadManifest } from './manifest.js';
