#!/usr/bin/env node
// cloudfront-invalidate, side by side with what users do today, against the CloudFront stand-in:
//   aws-cli '/*'      `aws cloudfront create-invalidation --paths '/*'` + `wait invalidation-completed`
//   aws-cli listed    the same with every changed key listed by hand (as a script would after a sync)
//   action            our bundled action fed the changed keys (no site listing), max-paths 15 and 100
//   action+listing    the same with site-paths (every key the site serves)
// on a generated site of 2,000 objects after a deploy that changed 20 files and deleted 30 old chunks.
// What matters is what the edge loses and what stays stale: unchanged objects evicted, changed URLs left
// stale (an index.html's directory URLs included), paths billed, requests and wall time.
// Writes bench/results/cloudfront-invalidate.{json,md}.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { startCloudFrontServer } from '../__tests__/fakes/cloudfront-server.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bundle = path.join(root, 'dist', 'cloudfront-invalidate', 'index.js');
const DIST = 'E2EXAMPLE12345';
const AWS = existsSync('/usr/bin/aws') ? '/usr/bin/aws' : 'aws';

// The site: hashed assets, images, docs pages with index.html at several levels.
const site = ['/index.html', '/favicon.ico', '/manifest.json'];
for (let i = 0; i < 1396; i++) site.push(`/assets/chunk-${i.toString(36)}.${(i * 7919).toString(16)}.js`);
for (let i = 0; i < 400; i++) site.push(`/img/photo-${i}.webp`);
for (let s = 0; s < 20; s++) {
  site.push(`/docs/s${s}/index.html`);
  for (let p = 0; p < 9; p++) site.push(`/docs/s${s}/p${p}.html`);
}
site.push(`/docs/index.html`);
while (site.length < 2000) site.push(`/static/file-${site.length}.txt`);
// The deploy: index pages and a few assets changed in place, 30 old chunks deleted.
const changed = [
  '/index.html',
  '/manifest.json',
  '/docs/index.html',
  ...Array.from({ length: 10 }, (_, i) => `/docs/s${i}/index.html`),
  ...Array.from({ length: 7 }, (_, i) => `/img/photo-${i * 50}.webp`)
];
const deleted = Array.from({ length: 30 }, (_, i) => `/assets/old-${i}.js`);
const keys = [...changed, ...deleted];

/** Every URL that must stop being served stale: each key, and an index.html's directory URLs. */
const mustCover = keys.flatMap((key) => {
  if (!key.endsWith('/index.html')) return [key];
  const dir = key.slice(0, -'index.html'.length);
  return dir === '/' ? [key, '/'] : [key, dir, dir.slice(0, -1)];
});
const covers = (p, url) => (p.endsWith('*') ? url.startsWith(p.slice(0, -1)) : p === url);
const unchanged = site.filter((k) => !changed.includes(k));

function measure(name, paths, requests, ms) {
  return {
    tool: name,
    paths: paths.length,
    evicted: unchanged.filter((k) => paths.some((p) => covers(p, k))).length,
    stale: mustCover.filter((u) => !paths.some((p) => covers(p, u))).length,
    requests,
    ms: Math.round(ms)
  };
}

const cf = await startCloudFrontServer({ distributions: [{ id: DIST }], config: { completeAfterPolls: 1 } });
const env = {
  ...process.env,
  AWS_ACCESS_KEY_ID: 'AKIDBENCH',
  AWS_SECRET_ACCESS_KEY: 'bench',
  AWS_REGION: 'us-east-1',
  GITHUB_REPOSITORY: 'bench/site',
  GITHUB_RUN_ID: String(Date.now()),
  GITHUB_RUN_ATTEMPT: '1'
};
delete env.AWS_CA_BUNDLE;

/** Runs a command without blocking the event loop (the stand-in answers from this process). */
function exec(command, args, extraEnv = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: { ...env, ...extraEnv } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

async function runTool(name, command, args, extraEnv = {}) {
  cf.reset();
  const started = performance.now();
  const run = await exec(command, args, extraEnv);
  const ms = performance.now() - started;
  if (run.status !== 0) throw new Error(`${name} failed (${run.status}): ${run.stderr}${run.stdout}`);
  const invs = cf.invalidations();
  return measure(
    name,
    invs.flatMap((i) => i.paths),
    cf.requests().length,
    ms
  );
}

async function awsCli(name, paths) {
  cf.reset();
  const started = performance.now();
  const create = await exec(AWS, [
    'cloudfront',
    'create-invalidation',
    '--endpoint-url',
    cf.endpoint,
    '--distribution-id',
    DIST,
    '--paths',
    ...paths,
    '--output',
    'json'
  ]);
  if (create.status !== 0) throw new Error(`${name}: ${create.stderr}`);
  const id = JSON.parse(create.stdout).Invalidation.Id;
  const wait = await exec(AWS, [
    'cloudfront',
    'wait',
    'invalidation-completed',
    '--endpoint-url',
    cf.endpoint,
    '--distribution-id',
    DIST,
    '--id',
    id
  ]);
  if (wait.status !== 0) throw new Error(`${name} wait: ${wait.stderr}`);
  const ms = performance.now() - started;
  return measure(
    name,
    cf.invalidations().flatMap((i) => i.paths),
    cf.requests().length,
    ms
  );
}

function action(extra) {
  return [
    bundle,
    {
      'INPUT_DISTRIBUTION-ID': DIST,
      'INPUT_ENDPOINT-URL': cf.endpoint,
      'INPUT_CHANGED-PATHS': JSON.stringify(keys),
      'INPUT_MAX-PATHS': '15',
      INPUT_WAIT: 'true',
      INPUT_TIMEOUT: '1m',
      ...extra
    }
  ];
}

const results = [];
try {
  if (!existsSync(bundle))
    throw new Error(`build first: node scripts/build.mjs cloudfront-invalidate (${bundle} missing)`);
  results.push(await awsCli("aws-cli '/*'", ['/*']));
  results.push(await awsCli('aws-cli listed keys', keys));
  const [script, plain] = action({});
  results.push(await runTool('action, max-paths 15', process.execPath, [script], plain));
  const [, listed] = action({ 'INPUT_SITE-PATHS': JSON.stringify(site) });
  results.push(await runTool('action + site-paths, max-paths 15', process.execPath, [script], listed));
  const [, roomy] = action({ 'INPUT_MAX-PATHS': '100' });
  results.push(await runTool('action, max-paths 100', process.execPath, [script], roomy));
} finally {
  await cf.close();
}

const star = results[0];
const lines = [
  `# cloudfront-invalidate benchmark`,
  '',
  `Site of ${site.length} objects; deploy changed ${changed.length} files (${changed.filter((k) => k.endsWith('index.html')).length} index.html) and deleted ${deleted.length}; ${mustCover.length} URLs must be invalidated. CloudFront stand-in completing on the first poll.`,
  '',
  '| Tool | Paths | Unchanged objects evicted | Evicted vs `/*` | Stale URLs left | Requests | Wall time vs `/*` |',
  '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...results.map(
    (r) =>
      `| ${r.tool} | ${r.paths} | ${r.evicted} | ${star.evicted ? (r.evicted / star.evicted).toFixed(3) : '-'} | ${r.stale} | ${r.requests} | ${(r.ms / star.ms).toFixed(2)}× |`
  ),
  ''
];
mkdirSync(path.join(root, 'bench', 'results'), { recursive: true });
writeFileSync(
  path.join(root, 'bench', 'results', 'cloudfront-invalidate.json'),
  `${JSON.stringify({ site: site.length, changed: changed.length, deleted: deleted.length, results }, null, 2)}\n`
);
writeFileSync(path.join(root, 'bench', 'results', 'cloudfront-invalidate.md'), lines.join('\n'));
console.log(lines.join('\n'));
