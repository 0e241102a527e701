/**
 * The temporary registry-config directory: the only place credentials are written. It starts as a copy of
 * the user's Docker config (so earlier logins, buildx builders and CLI plugins keep working) without a
 * credential store (so `docker login` writes here, not to a keychain), and is removed at the end of main and,
 * in case main was killed, by the post step.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';

/** What the copied Docker config keeps: everything but the credential store and helpers for `registries`. */
export function sanitizeDockerConfig(
  config: Record<string, unknown>,
  registries: readonly string[]
): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...config };
  delete copy.credsStore;
  const helpers = copy.credHelpers as Record<string, string> | undefined;
  if (helpers && typeof helpers === 'object') {
    const kept = Object.fromEntries(Object.entries(helpers).filter(([host]) => !registries.includes(host)));
    if (Object.keys(kept).length) copy.credHelpers = kept;
    else delete copy.credHelpers;
  }
  return copy;
}

export interface ConfigDirOptions {
  /** The registries this run logs in to (their credential helpers are dropped). */
  registries: readonly string[];
  env?: NodeJS.ProcessEnv;
}

/** Creates the directory (mode 0700) and returns its path. */
export function createConfigDir(options: ConfigDirOptions): string {
  const env = options.env ?? process.env;
  const base = env.RUNNER_TEMP && existsSync(env.RUNNER_TEMP) ? env.RUNNER_TEMP : tmpdir();
  const dir = mkdtempSync(path.join(base, 'build-and-push-image-'));
  const original = env.DOCKER_CONFIG || path.join(homedir(), '.docker');
  let config: Record<string, unknown> = {};
  const configFile = path.join(original, 'config.json');
  if (existsSync(configFile)) {
    try {
      config = JSON.parse(readFileSync(configFile, 'utf8')) as Record<string, unknown>;
    } catch {
      config = {};
    }
  }
  writeFileSync(
    path.join(dir, 'config.json'),
    JSON.stringify(sanitizeDockerConfig(config, options.registries), null, 2),
    {
      mode: 0o600
    }
  );
  // buildx keeps its builders (setup-buildx-action's) and the CLI its plugins under the config directory.
  for (const sub of ['buildx', 'cli-plugins', 'contexts']) {
    const from = path.join(original, sub);
    if (existsSync(from)) symlinkSync(from, path.join(dir, sub));
  }
  // buildah: start from the user's auth file, if any, so earlier `buildah login`s still apply.
  const authFrom = env.REGISTRY_AUTH_FILE;
  const authFile = path.join(dir, 'auth.json');
  if (authFrom && existsSync(authFrom)) cpSync(authFrom, authFile);
  else writeFileSync(authFile, '{"auths":{}}\n', { mode: 0o600 });
  return dir;
}

/** Removes the directory; safe to call twice. */
export function removeConfigDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
