/**
 * The temporary registry-config directory: the only place credentials are written. It starts as a copy of
 * the user's Docker config (so earlier logins, buildx builders and CLI plugins keep working) without a
 * credential store (so `docker login` writes here, not to a keychain), and is removed at the end of main and,
 * in case main was killed, by the post step.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
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

function readJson(file: string): Record<string, unknown> | undefined {
  try {
    return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Where buildah looks for logins, first match wins. */
function containersAuthFiles(env: NodeJS.ProcessEnv): string[] {
  const files: string[] = [];
  if (env.REGISTRY_AUTH_FILE) files.push(env.REGISTRY_AUTH_FILE);
  if (env.XDG_RUNTIME_DIR) files.push(path.join(env.XDG_RUNTIME_DIR, 'containers', 'auth.json'));
  files.push(path.join(env.XDG_CONFIG_HOME || path.join(homedir(), '.config'), 'containers', 'auth.json'));
  return files;
}

/** Creates the directory (mode 0700) and returns its path. */
export function createConfigDir(options: ConfigDirOptions): string {
  const env = options.env ?? process.env;
  const base = env.RUNNER_TEMP && existsSync(env.RUNNER_TEMP) ? env.RUNNER_TEMP : tmpdir();
  const dir = mkdtempSync(path.join(base, 'build-and-push-image-'));
  const original = env.DOCKER_CONFIG || path.join(homedir(), '.docker');
  const config = readJson(path.join(original, 'config.json')) ?? {};
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
  // buildah: start from the logins buildah itself would have used (containers-auth.json(5): the auth file,
  // then Docker's config), since --authfile replaces that lookup.
  const auths: Record<string, unknown> = { ...(config.auths as Record<string, unknown> | undefined) };
  for (const file of containersAuthFiles(env)) {
    const found = readJson(file)?.auths;
    if (found && typeof found === 'object') {
      Object.assign(auths, found);
      break;
    }
  }
  writeFileSync(path.join(dir, 'auth.json'), `${JSON.stringify({ auths }, null, 2)}\n`, { mode: 0o600 });
  return dir;
}

/** Removes the directory; safe to call twice. */
export function removeConfigDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
