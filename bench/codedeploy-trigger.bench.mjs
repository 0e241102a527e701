#!/usr/bin/env node
// codedeploy-trigger benchmark: shipping a revision with our action (`wait: false`, so only the part a
// user would otherwise script) side by side with what workflows do by hand:
//   zip -qr bundle.zip . && aws s3 cp bundle.zip s3://bucket/<sha>.zip && aws deploy create-deployment …
// against one local s3rver and the CodeDeploy stand-in, both started here.
//
// Bundle: examples/codedeploy plus a 40 MiB fat jar (incompressible) and 400 small config/static files.
//   (a) first deploy of a commit
//   (b) a re-run of the same commit from a fresh checkout (same content, new mtimes)
// Per tool and scenario: wall time, bytes PUT to S3 (the server's log), whether the archive's SHA-256
// stayed the same across the two checkouts (reproducible revision).
//
// Usage: npm run bench -- codedeploy-trigger (needs `npm run build` first; uses /usr/bin/aws and zip).
// Writes bench/results/codedeploy-trigger.json and .md.
import { median, requirePrerequisites, startS3Server } from './lib/common.mjs';
import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { startCodeDeployServer } from '../__tests__/fakes/codedeploy-server.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bundle = path.join(root, 'dist', 'codedeploy-trigger', 'index.js');
const results = path.join(root, 'bench', 'results');
const AWS = '/usr/bin/aws'; // Debian's v2; an older v1 may come first on PATH
const CREDS = {
  AWS_ACCESS_KEY_ID: 'S3RVER',
  AWS_SECRET_ACCESS_KEY: 'S3RVER',
  AWS_REGION: 'us-east-1',
  AWS_DEFAULT_REGION: 'us-east-1'
};
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

requirePrerequisites(
  bundle,
  [
    [AWS, ['--version']],
    ['zip', ['-v']]
  ],
  'awscli zip'
);

const work = mkdtempSync(path.join(tmpdir(), 'codedeploy-trigger-bench-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));

function startS3() {
  return startS3Server(path.join(work, 's3rver'));
}

/** A checkout of the same commit: identical content, this checkout's own mtimes. */
function checkout(dir, seedFiles, mtime) {
  cpSync(path.join(root, 'examples', 'codedeploy'), dir, { recursive: true });
  writeFileSync(
    path.join(dir, 'image.env'),
    `IMAGE_REF=123456789012.dkr.ecr.us-east-1.amazonaws.com/api@sha256:${'ab'.repeat(32)}\n`
  );
  for (const [rel, body] of seedFiles) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), body);
  }
  const touch = (p) => utimesSync(p, mtime, mtime);
  const walk = (d) => {
    for (const entry of spawnSync('find', [d, '-mindepth', '1'], { encoding: 'utf8' })
      .stdout.split('\n')
      .filter(Boolean))
      touch(entry);
  };
  walk(dir);
}

function appFiles() {
  const files = [['app/api.jar', randomBytes(40 * 1024 * 1024)]];
  for (let i = 0; i < 400; i++)
    files.push([`app/static/file-${i}.json`, JSON.stringify({ i, text: 'x'.repeat(2000 + i) })]);
  return files;
}

function run(command, args, options = {}) {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, ms: performance.now() - started, stdout, stderr }));
  });
}

function baseEnv() {
  const env = {};
  for (const [k, v] of Object.entries(process.env))
    if (!k.startsWith('INPUT_') && !k.startsWith('GITHUB_')) env[k] = v;
  return env;
}

const tools = {
  'deploy-actions codedeploy-trigger': async (dir, s3, cd) => {
    const out = path.join(work, 'output');
    writeFileSync(out, '');
    const result = await run(process.execPath, [bundle], {
      env: {
        ...baseEnv(),
        ...CREDS,
        GITHUB_OUTPUT: out,
        AWS_ENDPOINT_URL_S3: s3.endpoint,
        INPUT_APPLICATION: 'web-app',
        'INPUT_DEPLOYMENT-GROUP': 'production',
        INPUT_BUNDLE: dir,
        'INPUT_S3-BUCKET': 'bench-ours',
        'INPUT_S3-PREFIX': 'codedeploy/',
        'INPUT_ENDPOINT-URL': cd.endpoint,
        INPUT_WAIT: 'false',
        INPUT_TIMEOUT: '30m',
        'INPUT_ON-ACTIVE-DEPLOYMENT': 'wait',
        'INPUT_AUTO-ROLLBACK': 'group-default',
        'INPUT_FILE-EXISTS-BEHAVIOR': 'DISALLOW'
      }
    });
    const sha = /bundle-sha256<<(\S+)\n([0-9a-f]{64})/.exec(readFileSync(out, 'utf8'))?.[2];
    return { ...result, sha };
  },
  'zip -r + aws s3 cp + aws deploy create-deployment': async (dir, s3, cd) => {
    const zipFile = path.join(work, 'bundle.zip');
    rmSync(zipFile, { force: true });
    const env = { ...baseEnv(), ...CREDS };
    const started = performance.now();
    const zip = await run('zip', ['-qr', zipFile, '.'], { cwd: dir, env });
    const sha = createHash('sha256').update(readFileSync(zipFile)).digest('hex');
    const key = `codedeploy/web-app/${sha}.zip`;
    const cp = await run(
      AWS,
      ['s3', 'cp', zipFile, `s3://bench-cli/${key}`, '--endpoint-url', s3.endpoint, '--only-show-errors'],
      { env }
    );
    const create = await run(
      AWS,
      [
        'deploy',
        'create-deployment',
        '--endpoint-url',
        cd.endpoint,
        '--application-name',
        'web-app',
        '--deployment-group-name',
        'production',
        '--s3-location',
        `bucket=bench-cli,key=${key},bundleType=zip`
      ],
      { env }
    );
    const failed = [zip, cp, create].find((r) => r.code !== 0);
    return {
      code: failed ? failed.code : 0,
      ms: performance.now() - started,
      stdout: '',
      stderr: failed?.stderr ?? '',
      sha
    };
  }
};

const s3 = await startS3();
const cd = await startCodeDeployServer();
try {
  for (const bucket of ['bench-ours', 'bench-cli']) {
    const made = spawnSync(
      AWS,
      ['s3api', 'create-bucket', '--bucket', bucket, '--endpoint-url', s3.endpoint],
      { env: { ...process.env, ...CREDS } }
    );
    if (made.status !== 0) throw new Error(`create-bucket ${bucket}: ${made.stderr}`);
  }
  const files = appFiles();
  const rows = [];
  for (let r = 1; r <= RUNS; r++) {
    const a = path.join(work, `checkout-${r}-a`);
    const b = path.join(work, `checkout-${r}-b`);
    checkout(a, files, new Date(Date.UTC(2026, 0, r, 10)));
    checkout(b, files, new Date(Date.UTC(2026, 0, r, 11)));
    for (const [name, tool] of Object.entries(tools)) {
      cd.reset();
      cd.addGroup('web-app', 'production', { instances: [{ id: 'i-1' }] });
      // Each run deploys a new commit: make the first checkout's content unique to this run and tool.
      const stamp = `${r}-${name}`;
      for (const dir of [a, b]) writeFileSync(path.join(dir, 'app', 'build-info.txt'), stamp);
      for (const dir of [a, b])
        utimesSync(
          path.join(dir, 'app', 'build-info.txt'),
          new Date(Date.UTC(2026, 0, r, dir === a ? 10 : 11)),
          new Date(Date.UTC(2026, 0, r, dir === a ? 10 : 11))
        );
      const scenario = {};
      for (const [label, dir] of [
        ['first', a],
        ['rerun', b]
      ]) {
        await s3.reset();
        const result = await tool(dir, s3, cd);
        if (result.code !== 0)
          throw new Error(`${name} ${label}: exit ${result.code}\n${result.stderr}${result.stdout}`);
        cd.tick(1000); // let the deployment finish, so the next one does not wait for a busy group
        const log = await s3.requests();
        scenario[label] = {
          ms: result.ms,
          puts: log.filter((q) => q.method === 'PUT').length,
          sha: result.sha
        };
      }
      rows.push({ run: r, tool: name, ...scenario, reproducible: scenario.first.sha === scenario.rerun.sha });
      console.log(
        `run ${r} ${name}: first ${(scenario.first.ms / 1000).toFixed(2)}s (${scenario.first.puts} PUT), ` +
          `re-run ${(scenario.rerun.ms / 1000).toFixed(2)}s (${scenario.rerun.puts} PUT), same archive: ${scenario.first.sha === scenario.rerun.sha}`
      );
    }
  }

  const summary = {};
  for (const name of Object.keys(tools)) {
    const mine = rows.filter((row) => row.tool === name);
    summary[name] = {
      firstMs: median(mine.map((row) => row.first.ms)),
      rerunMs: median(mine.map((row) => row.rerun.ms)),
      rerunPuts: median(mine.map((row) => row.rerun.puts)),
      reproducible: mine.every((row) => row.reproducible)
    };
  }
  const [ours, cli] = Object.keys(tools).map((name) => summary[name]);
  const ratio = (a, b) => (b / a).toFixed(2);
  const markdown = [
    '# codedeploy-trigger benchmark',
    '',
    `Bundle: examples/codedeploy + a 40 MiB jar + 400 small files. Median of ${RUNS} runs, one machine, local s3rver and CodeDeploy stand-in.`,
    '',
    '| Tool | First deploy | Re-run, same commit | PUTs on re-run | Same archive across checkouts |',
    '| --- | --- | --- | --- | --- |',
    ...Object.entries(summary).map(
      ([name, s]) =>
        `| ${name} | ${(s.firstMs / 1000).toFixed(2)} s | ${(s.rerunMs / 1000).toFixed(2)} s | ${s.rerunPuts} | ${s.reproducible ? 'yes' : 'no'} |`
    ),
    '',
    `Ratios (CLI time ÷ ours): first deploy ${ratio(ours.firstMs, cli.firstMs)}×, re-run ${ratio(ours.rerunMs, cli.rerunMs)}×.`,
    'Ours also validates appspec.yml, checks the deployment group and pins the ETag; the CLI path does none of that.',
    ''
  ].join('\n');
  mkdirSync(results, { recursive: true });
  writeFileSync(
    path.join(results, 'codedeploy-trigger.json'),
    `${JSON.stringify({ runs: RUNS, summary, rows }, null, 2)}\n`
  );
  writeFileSync(path.join(results, 'codedeploy-trigger.md'), markdown);
  console.log(`\n${markdown}`);
} finally {
  await cd.close();
  s3.child.kill('SIGTERM');
}
