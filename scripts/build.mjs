#!/usr/bin/env node
// Bundles every action entry with @vercel/ncc. The list of bundles is derived from the action.yml files:
// each `runs.main|pre|post` of the form `…/dist/<entry>/<file>.js` is built from `src/actions/<entry>/<file>.ts`.
// Output is reproducible byte for byte: dist/ is wiped first and nothing time- or path-dependent is written.
import ncc from '@vercel/ncc';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Every action.yml: the root one and one per actions/<name>/. */
export async function actionManifests() {
  const manifests = [];
  if (existsSync(path.join(root, 'action.yml'))) manifests.push(path.join(root, 'action.yml'));
  for (const name of (await readdir(path.join(root, 'actions'))).sort()) {
    const file = path.join(root, 'actions', name, 'action.yml');
    if (existsSync(file)) manifests.push(file);
  }
  return manifests;
}

/** The bundles the manifests point at: { entry, file, source, out }. */
export async function bundles() {
  const found = new Map();
  for (const manifest of await actionManifests()) {
    const runs = parse(await readFile(manifest, 'utf8')).runs ?? {};
    if (runs.using !== 'node24') continue;
    for (const key of ['pre', 'main', 'post']) {
      if (!runs[key]) continue;
      const out = path.resolve(path.dirname(manifest), runs[key]);
      const rel = path.relative(path.join(root, 'dist'), out).split(path.sep);
      if (rel.length !== 2 || !rel[1].endsWith('.js')) {
        throw new Error(`${path.relative(root, manifest)}: runs.${key} must point at dist/<entry>/<file>.js`);
      }
      const [entry, js] = rel;
      const file = js.slice(0, -3);
      const source = path.join(root, 'src', 'actions', entry, `${file}.ts`);
      found.set(out, { entry, file, source, out });
    }
  }
  // The local runner (bin/deploy-actions.js) and its library form (for plain Node scripts such as the demo)
  // are bundled like an action.
  for (const file of ['index', 'lib']) {
    const out = path.join(root, 'dist', 'cli', `${file}.js`);
    found.set(out, { entry: 'cli', file, source: path.join(root, 'src', 'cli', `${file}.ts`), out });
  }
  return [...found.values()].sort((a, b) => a.out.localeCompare(b.out));
}

/** Bundles one entry in this process. */
async function buildOne(bundle) {
  const started = Date.now();
  const { code, map, assets } = await ncc(bundle.source, {
    minify: false,
    sourceMap: true,
    sourceMapRegister: false,
    license: bundle.file === 'index' ? 'licenses.txt' : `${bundle.file}.licenses.txt`,
    quiet: true,
    cache: false
  });
  const dir = path.dirname(bundle.out);
  await mkdir(dir, { recursive: true });
  await writeFile(
    bundle.out,
    code.replace(/\/\/# sourceMappingURL=.*$/m, '').trimEnd() +
      `\n//# sourceMappingURL=${bundle.file}.js.map\n`
  );
  if (map) await writeFile(`${bundle.out}.map`, map);
  for (const [name, asset] of Object.entries(assets).sort(([a], [b]) => a.localeCompare(b))) {
    if (name === 'package.json') continue;
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), asset.source);
  }
  console.log(`built ${path.relative(root, bundle.out)} in ${((Date.now() - started) / 1000).toFixed(1)}s`);
}

/** Runs one bundle in a child process: ncc keeps memory across builds, so one process for all runs out of heap. */
function buildInChild(bundle) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [fileURLToPath(import.meta.url), '--one', JSON.stringify(bundle)], {
      stdio: 'inherit'
    });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`bundling ${path.relative(root, bundle.out)} failed (${code})`))
    );
  });
}

/**
 * Builds every bundle, or with entry names (`node scripts/build.mjs s3-static-sync`) just those, in place.
 * Two at a time (the machines have two cores); the output does not depend on the order.
 */
async function build(only) {
  if (only.length === 0) await rm(path.join(root, 'dist'), { recursive: true, force: true });
  const chosen = (await bundles()).filter((b) => only.length === 0 || only.includes(b.entry));
  if (chosen.length === 0) throw new Error(`no bundle named ${only.join(', ')}`);
  if (only.length) {
    for (const dir of new Set(chosen.map((b) => path.dirname(b.out))))
      await rm(dir, { recursive: true, force: true });
  }
  // Bundles sharing a folder (index + post) run one after the other, so their shared chunks never race.
  const byDir = new Map();
  for (const bundle of chosen)
    byDir.set(path.dirname(bundle.out), [...(byDir.get(path.dirname(bundle.out)) ?? []), bundle]);
  const queue = [...byDir.values()];
  const worker = async () => {
    for (let group = queue.shift(); group; group = queue.shift())
      for (const bundle of group) await buildInChild(bundle);
  };
  await Promise.all([worker(), worker()]);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv[2] === '--one') await buildOne(JSON.parse(process.argv[3]));
  else await build(process.argv.slice(2));
}
