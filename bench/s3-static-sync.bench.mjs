#!/usr/bin/env node
// s3-static-sync benchmark: our action side by side with `aws s3 sync` (AWS CLI v2) and `rclone sync`
// (with and without --checksum), each against its own fresh bucket on one local s3rver started here.
//
// Site: 2,000 generated files (mostly 1-50 KB, 30 of 1 MB, 4 of 17 MB).
//   (a) first upload
//   (b) a fresh rebuild: every file rewritten (new mtimes), 20 files' contents changed
//   (c) no change at all
// Per tool and scenario: wall time, files and bytes uploaded, requests by method (the server's log).
// Also: local hashing of the site on one thread vs worker threads.
// `--big` (or BENCH_BIG=1) adds peak memory (max RSS) of our action while syncing a 1 GiB file (slow: ~1 min).
//
// BENCH_TOOLS=deploy,--checksum runs only the tools whose names contain one of those words;
// BENCH_ROUNDS=N repeats the whole comparison N times (default 3) and reports medians.
// Usage: npm run bench -- s3-static-sync, or BENCH_BIG=1 npm run bench -- s3-static-sync (needs `npm run build` first)
// Writes bench/results/s3-static-sync.json and .md.
import { median, requirePrerequisites, startS3Server } from './lib/common.mjs';
import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bundle = path.join(root, 'dist', 's3-static-sync', 'index.js');
const results = path.join(root, 'bench', 'results');
const big = process.argv.includes('--big') || process.env.BENCH_BIG === '1';
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const AWS = '/usr/bin/aws'; // Debian's v2; an older v1 may come first on PATH
const CREDS = {
  AWS_ACCESS_KEY_ID: 'S3RVER',
  AWS_SECRET_ACCESS_KEY: 'S3RVER',
  AWS_REGION: 'us-east-1',
  AWS_DEFAULT_REGION: 'us-east-1'
};

requirePrerequisites(
  bundle,
  [
    [AWS, ['--version']],
    ['rclone', ['version']]
  ],
  'awscli rclone'
);

const work = mkdtempSync(path.join(tmpdir(), 's3-static-sync-bench-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));

// ---------------------------------------------------------------- the server
async function startServer() {
  const server = await startS3Server(path.join(work, 's3rver'));
  const { endpoint } = server;
  return {
    ...server,
    createBucket: async (name) => {
      const run = spawnSync(AWS, ['s3api', 'create-bucket', '--bucket', name, '--endpoint-url', endpoint], {
        env: { ...process.env, ...CREDS }
      });
      if (run.status !== 0) throw new Error(`create-bucket ${name}: ${run.stderr}`);
    }
  };
}

// ---------------------------------------------------------------- the site
const KB = 1024;
const MB = 1024 * 1024;
function siteSpec() {
  const files = [];
  // Every folder holds files directly: s3rver's delimiter listing misses folders that only contain
  // folders (static/media), so rclone, which lists folder by folder, re-uploaded them on every run, which
  // would not happen on S3. Names stay ASCII for the same reason; the integration tests cover non-ASCII.
  const dirs = ['assets', 'assets/chunks', 'media', 'docs', 'docs/guide', 'blog', 'img', 'ko'];
  let seed = 1;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  for (let i = 0; i < 1966; i++) {
    const dir = dirs[i % dirs.length];
    const ext = ['js', 'css', 'html', 'svg', 'json', 'png', 'woff2'][i % 7];
    files.push({
      rel: `${dir}/file-${i}-${((i * 2654435761) >>> 0).toString(16).padStart(8, '0')}.${ext}`,
      size: Math.round(KB + rand() * 49 * KB)
    });
  }
  for (let i = 0; i < 30; i++) files.push({ rel: `img/photo-${i}.jpg`, size: MB });
  for (let i = 0; i < 4; i++) files.push({ rel: `video/clip-${i}.mp4`, size: 17 * MB });
  return files;
}

function writeSite(dir, spec, changed = new Set()) {
  for (const { rel, size } of spec) {
    const file = path.join(dir, rel);
    mkdirSync(path.dirname(file), { recursive: true });
    // Deterministic content per path (so a rebuild writes identical bytes), different for changed files.
    const seed = createHash('sha256')
      .update(rel + (changed.has(rel) ? ':v2' : ''))
      .digest();
    const block = Buffer.alloc(64 * KB);
    for (let i = 0; i < block.length; i += seed.length) seed.copy(block, i);
    const body = Buffer.alloc(size);
    for (let i = 0; i < size; i += block.length) block.copy(body, i, 0, Math.min(block.length, size - i));
    // Vary every block a little so the content is not one repeated 64 KB.
    for (let i = 0; i < size; i += 4096) body[i] = (i / 4096) & 0xff;
    writeFileSync(file, body);
  }
}

// ---------------------------------------------------------------- the tools
const TIME = '/usr/bin/time'; // GNU time: CPU seconds and peak memory of each tool's process
let runNo = 0;
function run(command, args, env) {
  const timing = existsSync(TIME) ? path.join(work, `time-${++runNo}`) : undefined;
  const [cmd, argv] = timing ? [TIME, ['-f', '%U %S %M', '-o', timing, command, ...args]] : [command, args];
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(cmd, argv, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => {
      const ms = performance.now() - started;
      let usage = {};
      if (timing && existsSync(timing)) {
        const [user, sys, maxKb] = readFileSync(timing, 'utf8')
          .trim()
          .split('\n')
          .at(-1)
          .split(' ')
          .map(Number);
        usage = { cpuSeconds: Number((user + sys).toFixed(2)), peakRssMiB: Math.round(maxKb / 1024) };
      }
      resolve({ code, ms, stdout, stderr, ...usage });
    });
  });
}

/** CPU seconds the server process has used so far (Linux /proc), to show what each tool costs it. */
function serverCpu(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

function baseEnv() {
  const env = {};
  for (const [k, v] of Object.entries(process.env))
    if (!k.startsWith('INPUT_') && !k.startsWith('GITHUB_')) env[k] = v;
  return env;
}

const tools = {
  'deploy-actions s3-static-sync': (source, bucket, server) => {
    const out = path.join(work, `out-${bucket}`);
    writeFileSync(out, '');
    return run(process.execPath, [bundle], {
      ...baseEnv(),
      ...CREDS,
      RUNNER_TEMP: work,
      GITHUB_OUTPUT: out,
      INPUT_SOURCE: source,
      INPUT_BUCKET: bucket,
      'INPUT_ENDPOINT-URL': server.endpoint,
      'INPUT_FORCE-PATH-STYLE': 'true',
      INPUT_DELETE: 'true',
      'INPUT_MAX-DELETE': '50%',
      INPUT_CONCURRENCY: process.env.BENCH_CONCURRENCY ?? '16',
      'INPUT_MULTIPART-THRESHOLD': '8MiB'
    });
  },
  'aws s3 sync': (source, bucket, server) =>
    run(
      AWS,
      [
        's3',
        'sync',
        source,
        `s3://${bucket}`,
        '--delete',
        '--no-progress',
        '--endpoint-url',
        server.endpoint
      ],
      {
        ...baseEnv(),
        ...CREDS
      }
    ),
  ...Object.fromEntries(
    [
      ['rclone sync', []],
      ['rclone sync --checksum', ['--checksum']]
    ].map(([name, flags]) => [
      name,
      (source, bucket, server) => {
        const env = { ...baseEnv(), ...CREDS };
        delete env.AWS_CA_BUNDLE; // rclone fails on this machine's bundle
        Object.assign(env, {
          RCLONE_CONFIG_BENCH_TYPE: 's3',
          RCLONE_CONFIG_BENCH_PROVIDER: 'Other',
          RCLONE_CONFIG_BENCH_ACCESS_KEY_ID: 'S3RVER',
          RCLONE_CONFIG_BENCH_SECRET_ACCESS_KEY: 'S3RVER',
          RCLONE_CONFIG_BENCH_ENDPOINT: server.endpoint,
          RCLONE_CONFIG_BENCH_REGION: 'us-east-1',
          RCLONE_CONFIG_BENCH_FORCE_PATH_STYLE: 'true',
          RCLONE_CONFIG: path.join(work, 'rclone.conf')
        });
        return run('rclone', ['sync', source, `bench:${bucket}`, ...flags], env);
      }
    ])
  )
};

// ---------------------------------------------------------------- measuring
function tally(log, sizes) {
  const byMethod = {};
  for (const r of log) byMethod[r.method] = (byMethod[r.method] ?? 0) + 1;
  // An upload is a single PUT (not a part, not a copy) or a completed multipart upload.
  const uploaded = new Set();
  for (const r of log) {
    if (r.status >= 300) continue;
    if (r.method === 'PUT' && !r.query.includes('partNumber') && !r.key.startsWith('.s3-static-sync/'))
      uploaded.add(r.key);
    if (r.method === 'POST' && /(^|&)uploadId=/.test(r.query)) uploaded.add(r.key);
  }
  const bytes = [...uploaded].reduce((sum, key) => sum + (sizes.get(key) ?? 0), 0);
  return { requests: log.length, byMethod, filesUploaded: uploaded.size, bytesUploaded: bytes };
}

/** Hashes the site with the same worker code on `workers` threads (1 = one core). */
async function hashAll(spec, dir, workers) {
  const started = performance.now();
  const source = `const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const { readFileSync } = require('node:fs');
parentPort.on('message', (files) => {
  for (const f of files) createHash('sha256').update(readFileSync(f)).digest('hex');
  parentPort.postMessage('done');
});`;
  const lanes = Array.from({ length: workers }, () => []);
  const sorted = [...spec].sort((a, b) => b.size - a.size);
  const load = new Array(workers).fill(0);
  for (const f of sorted) {
    const i = load.indexOf(Math.min(...load));
    lanes[i].push(path.join(dir, f.rel));
    load[i] += f.size;
  }
  await Promise.all(
    lanes.map(
      (files) =>
        new Promise((resolve) => {
          const w = new Worker(source, { eval: true });
          w.once('message', () => w.terminate().then(resolve));
          w.postMessage(files);
        })
    )
  );
  return performance.now() - started;
}

// ---------------------------------------------------------------- the run
const loadAtStart = loadavg().map((l) => Number(l.toFixed(2)));
const server = await startServer();
try {
  const spec = siteSpec();
  const totalBytes = spec.reduce((s, f) => s + f.size, 0);
  const sizes = new Map(spec.map((f) => [f.rel, f.size]));
  const changed = new Set(spec.filter((_, i) => i % 100 === 7).map((f) => f.rel));
  if (changed.size !== 20) throw new Error(`expected 20 changed files, got ${changed.size}`);
  const v1 = path.join(work, 'site-v1');
  writeSite(v1, spec);
  console.log(
    `site: ${spec.length} files, ${(totalBytes / MB).toFixed(1)} MiB; ${changed.size} change in (b)`
  );

  const hashing = {
    oneThreadMs: Math.round(await hashAll(spec, v1, 1)),
    workers: Math.min(availableParallelism(), 4),
    workerThreadsMs: Math.round(await hashAll(spec, v1, Math.min(availableParallelism(), 4)))
  };
  console.log(
    `hashing ${(totalBytes / MB).toFixed(0)} MiB (SHA-256): one thread ${hashing.oneThreadMs} ms, ${hashing.workers} worker threads ${hashing.workerThreadsMs} ms`
  );

  // Every round syncs (a), (b), (c) with each tool into a fresh bucket; tools take turns going first.
  // The table reports the median round of each tool and scenario, and the spread of its wall times.
  const samples = new Map();
  let bucketNo = 0;
  const only = process.env.BENCH_TOOLS?.split(',');
  const chosen = Object.entries(tools).filter(([t]) => !only || only.some((o) => t.includes(o)));
  for (let round = 0; round < rounds; round++) {
    const order = chosen.map((_, i) => chosen[(i + round) % chosen.length]);
    for (const [tool, sync] of order) {
      const bucket = `bench-${++bucketNo}`;
      await server.createBucket(bucket);
      for (const scenario of ['a', 'b', 'c']) {
        // (b) and (c) sync a fresh rebuild: every file written again (new mtimes), 20 with new contents.
        const source = scenario === 'a' ? v1 : path.join(work, `site-v2-${bucket}`);
        if (scenario === 'b') writeSite(source, spec, changed);
        await server.reset();
        const cpuBefore = serverCpu(server.child.pid);
        const result = await sync(source, bucket, server);
        const cpuAfter = serverCpu(server.child.pid);
        if (result.code !== 0)
          throw new Error(`${tool} (${scenario}) failed:\n${result.stdout}\n${result.stderr}`);
        const counts = tally(await server.requests(), sizes);
        const hashMs = /hashed in (\d+)ms/.exec(result.stdout)?.[1];
        const row = {
          tool,
          scenario,
          ms: Math.round(result.ms),
          cpuSeconds: result.cpuSeconds,
          peakRssMiB: result.peakRssMiB,
          serverCpuSeconds: cpuBefore === undefined ? undefined : Number((cpuAfter - cpuBefore).toFixed(2)),
          ...counts,
          ...(hashMs ? { hashMs: Number(hashMs) } : {})
        };
        const key = `${tool}|${scenario}`;
        samples.set(key, [...(samples.get(key) ?? []), row]);
        if (process.env.BENCH_VERBOSE) console.log(result.stdout);
        console.log(
          `round ${round + 1} ${tool.padEnd(30)} (${scenario}) ${String(row.ms).padStart(6)} ms  uploaded ${String(row.filesUploaded).padStart(4)} files ${(row.bytesUploaded / MB).toFixed(1).padStart(6)} MiB  requests ${JSON.stringify(row.byMethod)} cpu ${row.cpuSeconds}s server ${row.serverCpuSeconds}s rss ${row.peakRssMiB} MiB`
        );
      }
    }
  }
  const rows = [];
  for (const [tool] of chosen) {
    for (const scenario of ['a', 'b', 'c']) {
      const runs = samples.get(`${tool}|${scenario}`);
      const mid = runs.find((r) => r.ms === median(runs.map((x) => x.ms)));
      rows.push({
        ...mid,
        msRuns: runs.map((r) => r.ms),
        cpuSeconds: median(runs.map((r) => r.cpuSeconds ?? 0)),
        serverCpuSeconds: median(runs.map((r) => r.serverCpuSeconds ?? 0)),
        peakRssMiB: Math.max(...runs.map((r) => r.peakRssMiB ?? 0))
      });
    }
  }

  let memory;
  if (big) {
    const dir = path.join(work, 'big');
    mkdirSync(dir);
    const chunk = randomBytes(8 * MB);
    const file = path.join(dir, 'disk.img');
    for (let i = 0; i < 128; i++) writeFileSync(file, chunk, { flag: i ? 'a' : 'w' });
    const bucket = 'bench-big';
    await server.createBucket(bucket);
    const result = await tools['deploy-actions s3-static-sync'](dir, bucket, server);
    if (result.code !== 0) throw new Error(`1 GiB sync failed:\n${result.stdout}\n${result.stderr}`);
    memory = {
      fileBytes: 1024 * MB,
      peakRssMiB: result.peakRssMiB ?? 'not measured (no /usr/bin/time)',
      ms: Math.round(result.ms)
    };
    console.log(`1 GiB file: peak RSS ${memory.peakRssMiB} MiB, ${memory.ms} ms`);
  }

  // ---------------------------------------------------------------- report
  const get = (tool, scenario) => rows.find((r) => r.tool === tool && r.scenario === scenario);
  const ours = 'deploy-actions s3-static-sync';
  const ratios = {};
  for (const scenario of ['a', 'b', 'c']) {
    for (const other of Object.keys(tools).filter((t) => t !== ours)) {
      if (!get(other, scenario) || !get(ours, scenario)) continue; // left out by BENCH_TOOLS
      ratios[`${scenario}: ${other} / ours`] = Number(
        (get(other, scenario).ms / get(ours, scenario).ms).toFixed(2)
      );
    }
  }
  // The targets, checked on the medians.
  const ms = (tool, scenario) => get(tool, scenario)?.ms;
  const others = (scenario) => rows.filter((r) => r.scenario === scenario && r.tool !== ours);
  const targets = [];
  if (get(ours, 'a') && others('a').length) {
    const fastest = others('a').reduce((x, y) => (x.ms <= y.ms ? x : y));
    targets.push([
      '(a) at least as fast as the fastest other tool',
      `${fastest.tool} takes ${(fastest.ms / ms(ours, 'a')).toFixed(2)}× our time`,
      fastest.ms >= ms(ours, 'a')
    ]);
  }
  if (get(ours, 'b')) {
    targets.push([
      '(b) uploads exactly the 20 changed files',
      `${get(ours, 'b').filesUploaded} files`,
      get(ours, 'b').filesUploaded === changed.size
    ]);
    if (ms('aws s3 sync', 'b')) {
      const r = ms('aws s3 sync', 'b') / ms(ours, 'b');
      targets.push(['(b) at least 5× faster than aws s3 sync', `${r.toFixed(2)}×`, r >= 5]);
    }
    if (ms('rclone sync --checksum', 'b')) {
      const r = ms(ours, 'b') / ms('rclone sync --checksum', 'b');
      targets.push([
        '(b) within 1.5× of rclone sync --checksum',
        `ours takes ${r.toFixed(2)}× its time`,
        r <= 1.5
      ]);
    }
  }
  if (get(ours, 'c')) {
    const { PUT = 0, HEAD = 0 } = get(ours, 'c').byMethod;
    targets.push(['(c) no PUT or HEAD', `PUT ${PUT}, HEAD ${HEAD}`, PUT + HEAD === 0]);
  }
  if (memory && typeof memory.peakRssMiB === 'number') {
    const mb = (memory.peakRssMiB * MB) / 1e6;
    targets.push([
      'peak memory under 150 MB syncing a 1 GiB file',
      `${memory.peakRssMiB} MiB (${mb.toFixed(0)} MB)`,
      mb < 150
    ]);
  }
  const data = {
    date: new Date().toISOString(),
    rounds,
    node: process.version,
    cores: availableParallelism(),
    // Other work on the machine skews wall times; the load average says how busy it was.
    loadAverage: { start: loadAtStart, end: loadavg().map((l) => Number(l.toFixed(2))) },
    site: { files: spec.length, bytes: totalBytes, changedInB: changed.size },
    hashing,
    rows,
    ratios,
    targets: targets.map(([target, measured, met]) => ({ target, measured, met })),
    memory: memory ?? 'not measured (run with --big)'
  };
  mkdirSync(results, { recursive: true });
  writeFileSync(path.join(results, 's3-static-sync.json'), `${JSON.stringify(data, null, 2)}\n`);
  const names = { a: '(a) first upload', b: '(b) rebuild, 20 changed', c: '(c) no change' };
  const md = [
    '# s3-static-sync benchmark',
    '',
    `${spec.length} files, ${(totalBytes / MB).toFixed(1)} MiB, local s3rver, ${availableParallelism()} cores, Node ${process.version}. ` +
      `Each tool syncs into its own fresh bucket, ${rounds} rounds, tools taking turns to go first; each row is the tool’s median round (CPU and server CPU medians, peak RSS the highest), with every round’s wall time in brackets. ` +
      'Time ratios are the other tool’s median wall time over ours (higher is better for us). ' +
      `Load average (1 min) ${data.loadAverage.start[0]} at the start, ${data.loadAverage.end[0]} at the end: other work on the machine makes single runs noisy.`,
    '',
    '| Target | Measured | Met |',
    '| --- | --- | --- |',
    ...targets.map(([target, measured, met]) => `| ${target} | ${measured} | ${met ? 'yes' : '**no**'} |`),
    '',
    '| Scenario | Tool | Time vs ours | Wall ms (rounds) | Files uploaded | MiB uploaded | Requests | By method | Tool CPU s | Server CPU s | Peak RSS MiB |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows.map((r) => {
      const base = get(ours, r.scenario)?.ms ?? r.ms;
      const ratio = r.tool === ours ? '1.00×' : `${(r.ms / base).toFixed(2)}×`;
      const methods = Object.entries(r.byMethod)
        .map(([m, n]) => `${m} ${n}`)
        .join(', ');
      return `| ${names[r.scenario]} | ${r.tool} | ${ratio} | ${r.ms} (${r.msRuns.join(', ')}) | ${r.filesUploaded} | ${(r.bytesUploaded / MB).toFixed(1)} | ${r.requests} | ${methods} | ${r.cpuSeconds ?? '–'} | ${r.serverCpuSeconds ?? '–'} | ${r.peakRssMiB ?? '–'} |`;
    }),
    '',
    `Local hashing of the whole site (${(totalBytes / MB).toFixed(0)} MiB): one thread ${hashing.oneThreadMs} ms, ${hashing.workers} worker threads ${hashing.workerThreadsMs} ms ` +
      `(${(hashing.oneThreadMs / hashing.workerThreadsMs).toFixed(2)}× faster); the action uses worker threads above 256 MiB.`,
    '',
    memory
      ? `Peak memory (max RSS) of the action syncing one 1 GiB file: ${memory.peakRssMiB} MiB.`
      : 'Peak memory for a 1 GiB file: not measured in this run (`BENCH_BIG=1 npm run bench -- s3-static-sync`).',
    ''
  ].join('\n');
  writeFileSync(path.join(results, 's3-static-sync.md'), md);
  console.log(`\nwrote bench/results/s3-static-sync.{json,md}`);
} finally {
  server.child.kill('SIGTERM');
}
