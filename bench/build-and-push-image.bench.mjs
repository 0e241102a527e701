#!/usr/bin/env node
// build-and-push-image vs the buildah commands a user would otherwise script (login, bud, push × tags), side by
// side in one run against one real registry (Debian docker-registry on 127.0.0.1). Each round starts from an
// empty buildah storage, as a fresh CI runner would, and the two contenders alternate so drift hits both.
// Writes bench/results/build-and-push-image.{json,md}. Needs dist/ built (`node scripts/build.mjs build-and-push-image`).
import { median } from './lib/common.mjs';
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { RegistryServer } from '../__tests__/helpers/registry.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const USER = 'bench';
const PASSWORD = 'bench-password';
const TAGS = ['main', 'sha-0123456', 'latest'];

const work = mkdtempSync(path.join(tmpdir(), 'bench-bapi-'));
const registry = await RegistryServer.start(USER, PASSWORD);

function context() {
  const dir = path.join(work, 'context');
  mkdirSync(path.join(dir, 'app'), { recursive: true });
  // 200 files, 8 MiB in total: a small service's build output.
  for (let i = 0; i < 200; i++) writeFileSync(path.join(dir, 'app', `f${i}.bin`), randomBytes(40 * 1024));
  writeFileSync(path.join(dir, 'Dockerfile'), 'FROM scratch\nCOPY app /app\nLABEL com.example.bench=1\n');
  return dir;
}
const ctx = context();

function storage(name) {
  const root = path.join(work, 'storage', name);
  mkdirSync(root, { recursive: true });
  const conf = path.join(root, 'storage.conf');
  writeFileSync(conf, `[storage]\ndriver = "vfs"\ngraphroot = "${root}/graph"\nrunroot = "${root}/run"\n`);
  return { CONTAINERS_STORAGE_CONF: conf, root };
}

async function timed(fn) {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

/**
 * Runs a command to completion without blocking the event loop: the registry is our child and its log
 * pipe must keep draining (spawnSync would stall it mid-push).
 */
function run(command, args, { env, input }) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.stdin.end(input ?? '');
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`${path.basename(command)} ${args[0]} failed (${code}): ${stderr}`))
    );
  });
}

async function buildahByHand(round) {
  const { root, ...env } = storage(`cli-${round}`);
  const full = { ...process.env, ...env };
  const auth = path.join(root, 'auth.json');
  const image = `${registry.host}/bench/cli`;
  const buildah = (args, input) => run('buildah', args, { env: full, input });
  const ms = await timed(async () => {
    await buildah(
      ['login', '--authfile', auth, '--tls-verify=false', '-u', USER, '--password-stdin', registry.host],
      PASSWORD
    );
    await buildah([
      '--storage-driver',
      'vfs',
      'bud',
      '--isolation',
      'chroot',
      ...TAGS.flatMap((t) => ['-t', `${image}:${t}`]),
      ctx
    ]);
    for (const tag of TAGS)
      await buildah([
        '--storage-driver',
        'vfs',
        'push',
        '--authfile',
        auth,
        '--tls-verify=false',
        '--digestfile',
        path.join(root, 'digest'),
        `${image}:${tag}`
      ]);
  });
  rmSync(root, { recursive: true, force: true });
  return ms;
}

async function action(round) {
  const { root, ...env } = storage(`action-${round}`);
  const files = Object.fromEntries(
    ['GITHUB_OUTPUT', 'GITHUB_STATE', 'GITHUB_STEP_SUMMARY'].map((name) => {
      const file = path.join(root, name);
      writeFileSync(file, '');
      return [name, file];
    })
  );
  const inputs = {
    INPUT_IMAGE: `${registry.host}/bench/action`,
    INPUT_CONTEXT: ctx,
    INPUT_BUILDER: 'buildah',
    'INPUT_REGISTRY-USERNAME': USER,
    'INPUT_REGISTRY-PASSWORD': PASSWORD,
    'INPUT_SOURCE-DATE-EPOCH': 'now',
    'INPUT_BUILDAH-STORAGE-DRIVER': 'vfs',
    'INPUT_BUILDAH-ISOLATION': 'chroot',
    'INPUT_TLS-VERIFY': 'auto',
    INPUT_CACHE: 'none',
    INPUT_PROVENANCE: 'auto'
  };
  const full = {
    ...process.env,
    ...env,
    ...files,
    ...inputs,
    GITHUB_EVENT_NAME: 'push',
    GITHUB_REF: 'refs/heads/main',
    GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
    RUNNER_TEMP: root
  };
  const ms = await timed(async () => {
    for (const step of ['index.js', 'post.js'])
      await run(process.execPath, [path.join(ROOT, 'dist', 'build-and-push-image', step)], { env: full });
  });
  rmSync(root, { recursive: true, force: true });
  return ms;
}

const results = { cli: [], action: [] };
try {
  await buildahByHand('warmup');
  await action('warmup');
  for (let round = 0; round < ROUNDS; round++) {
    results.cli.push(await buildahByHand(round));
    results.action.push(await action(round));
  }
} finally {
  await registry.stop();
  rmSync(work, { recursive: true, force: true });
}

const ratio = median(results.action) / median(results.cli);
const buildahVersion = execFileSync('buildah', ['--version'], { encoding: 'utf8' }).trim();
const summary = {
  benchmark: 'build-and-push-image',
  scenario: `FROM scratch + COPY of 200 files (8 MiB), 3 tags, fresh vfs storage per round, ${ROUNDS} rounds`,
  baseline: 'buildah login + bud + push ×3 by hand',
  tool: buildahVersion,
  rounds: ROUNDS,
  ratio: Number(ratio.toFixed(2)),
  medianMs: { action: Math.round(median(results.action)), cli: Math.round(median(results.cli)) }
};
mkdirSync(path.join(ROOT, 'bench', 'results'), { recursive: true });
writeFileSync(
  path.join(ROOT, 'bench', 'results', 'build-and-push-image.json'),
  `${JSON.stringify(summary, null, 2)}\n`
);
const md = [
  '# build-and-push-image benchmark',
  '',
  `${summary.scenario}; ${buildahVersion}.`,
  '',
  '| Contender | Time relative to buildah by hand |',
  '| --- | --- |',
  '| buildah login + bud + push ×3 (by hand) | 1.00 |',
  `| build-and-push-image (builder: buildah, main + post) | ${summary.ratio.toFixed(2)} |`,
  '',
  'The action does the same buildah work plus Node start-up (main and post), tag/label computation, the',
  'temporary config directory, reading the image size and writing the summary.',
  ''
].join('\n');
writeFileSync(path.join(ROOT, 'bench', 'results', 'build-and-push-image.md'), md);
console.log(md);
