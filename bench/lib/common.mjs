// Shared by the benchmarks: prerequisite checks and the S3-compatible server they measure against.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The middle value (the upper one of the two middles for an even count). */
export function median(values) {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
}

/** Exits with a clear message when the bundle or one of the comparison tools is missing. */
export function requirePrerequisites(bundle, tools, debianPackages) {
  if (!existsSync(bundle)) {
    console.error(`${path.relative(root, bundle)} is missing: run \`npm run build\` first.`);
    process.exit(1);
  }
  for (const [tool, args] of tools) {
    if (spawnSync(tool, args).status !== 0) {
      console.error(`${tool} is not installed (Debian: apt-get install ${debianPackages}).`);
      process.exit(1);
    }
  }
}

/** Starts `__tests__/fakes/s3-server.mjs` (s3rver with a request log) storing under `directory`. */
export async function startS3Server(directory) {
  const child = spawn(
    process.execPath,
    ['--openssl-legacy-provider', path.join(root, '__tests__', 'fakes', 's3-server.mjs'), directory, '0'],
    { stdio: ['ignore', 'pipe', 'inherit'] }
  );
  const port = await new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`s3rver exited with ${code}`)));
    createInterface({ input: child.stdout }).once('line', (line) => resolve(JSON.parse(line).port));
  });
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    child,
    reset: () => fetch(`${endpoint}/__control/reset`, { method: 'POST' }),
    requests: async () => (await fetch(`${endpoint}/__control/requests`)).json()
  };
}
