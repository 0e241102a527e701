#!/usr/bin/env node
// `npm run bench [-- name …]`: runs every bench/*.bench.mjs (or the named ones) one after another, so
// they never compete for the two cores. Each benchmark compares our action with the tool a user would
// otherwise use, side by side in one run, and writes its results to bench/results/.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = path.dirname(fileURLToPath(import.meta.url));
mkdirSync(path.join(dir, 'results'), { recursive: true });
const wanted = process.argv.slice(2);
const all = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.mjs'))
  .sort();
const chosen = wanted.length ? all.filter((f) => wanted.some((w) => f.startsWith(w))) : all;
if (chosen.length === 0) {
  console.error(
    `no benchmark matches ${wanted.join(', ') || '(any)'}; available: ${all.join(', ') || 'none'}`
  );
  process.exit(1);
}
let failed = 0;
for (const file of chosen) {
  console.log(`\n=== ${file}`);
  const run = spawnSync(process.execPath, [path.join(dir, file)], { stdio: 'inherit' });
  if (run.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
