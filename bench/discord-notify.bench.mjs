#!/usr/bin/env node
// discord-notify against what a user would otherwise run: curl posting the webhook JSON, plain or with
// --retry (and --retry-all-errors). Side by side in one run, against the Discord stand-in, in four
// conditions: clean, one 429 per notification (said the way Discord says it: retry_after 0.3 s in the
// body, Retry-After: 1, X-RateLimit-Reset-After: 0.3), one 502 per notification, and one connection
// cut after Discord took the message. For each: notifications delivered, lost and duplicated, and the
// median time per notification. Needs dist/ built (npm run build) and curl on PATH. (curl writes the
// response to a file, not /dev/null: curl cannot retry into an output it cannot truncate.)
import { median } from './lib/common.mjs';
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { startDiscordServer } from '../__tests__/fakes/discord-server.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bundle = path.join(root, 'dist', 'discord-notify', 'index.js');
const N = Number(process.env.BENCH_N ?? 5);
const work = mkdtempSync(path.join(tmpdir(), 'discord-bench-'));
const fake = await startDiscordServer();
const run = promisify(execFile);

const payload = JSON.stringify({
  embeds: [
    {
      title: '✅ Succeeded — api to production',
      color: 0x1f883d,
      fields: [{ name: 'Commit', value: 'abc1234 배포 🚀' }]
    }
  ],
  allowed_mentions: { parse: [] }
});
writeFileSync(path.join(work, 'payload.json'), payload);
const curlUrl = `${fake.apiBase}/webhooks/${fake.webhook.id}/${fake.webhook.token}?wait=true`;
const curl = (extra) => () =>
  run('curl', [
    '-sS',
    '-o',
    path.join(work, 'curl-response.json'),
    '-X',
    'POST',
    '-H',
    'content-type: application/json',
    '--data-binary',
    `@${path.join(work, 'payload.json')}`,
    ...extra,
    curlUrl
  ]).catch(() => undefined);

function action() {
  return new Promise((resolve) => {
    const output = path.join(work, 'output');
    writeFileSync(output, '');
    const env = {
      ...process.env,
      'INPUT_WEBHOOK-URL': fake.webhookUrl,
      INPUT_STATUS: 'success',
      INPUT_TITLE: 'api to production',
      'INPUT_FAIL-ON-ERROR': 'false',
      'INPUT_MAX-ATTEMPTS': '5',
      'INPUT_MAX-RETRY-WAIT': '60s',
      DEPLOY_ACTIONS_DISCORD_API_BASE: fake.apiBase,
      GITHUB_OUTPUT: output,
      GITHUB_REPOSITORY: 'acme/api',
      GITHUB_SHA: 'abc1234567890abcdef1234567890abcdef12345',
      GITHUB_REF: 'refs/heads/main',
      GITHUB_EVENT_NAME: 'push',
      GITHUB_ACTOR: 'octocat',
      GITHUB_WORKFLOW: 'Deploy',
      GITHUB_RUN_ID: '1',
      GITHUB_RUN_NUMBER: '1'
    };
    const child = spawn(process.execPath, [bundle], { env, stdio: 'ignore' });
    child.on('close', resolve);
  });
}

const tools = {
  curl: curl([]),
  'curl --retry 5': curl(['--retry', '5']),
  'curl --retry 5 --retry-all-errors': curl(['--retry', '5', '--retry-all-errors']),
  'discord-notify': action
};
const conditions = {
  clean: () => undefined,
  'one 429': () => fake.fail({ status: 429, retryAfter: 0.3, retryAfterIn: 'all' }),
  'one 502': () => fake.fail({ status: 502 }),
  'connection cut after Discord took it': () => fake.fail({ drop: 'after' })
};

const results = [];
for (const [condition, inject] of Object.entries(conditions)) {
  for (const [tool, send] of Object.entries(tools)) {
    const times = [];
    const tally = { delivered: 0, lost: 0, duplicated: 0 };
    for (let i = 0; i < N; i++) {
      fake.reset();
      inject();
      const started = performance.now();
      await send();
      times.push(performance.now() - started);
      const count = fake.messages().length;
      if (count === 0) tally.lost++;
      else tally.delivered++;
      if (count > 1) tally.duplicated++;
    }
    results.push({ condition, tool, n: N, ...tally, medianMs: Math.round(median(times)) });
    console.log(
      `${condition.padEnd(38)} ${tool.padEnd(36)} delivered ${tally.delivered}/${N} lost ${tally.lost} duplicated ${tally.duplicated} median ${Math.round(median(times))} ms`
    );
  }
}
await fake.close();
rmSync(work, { recursive: true, force: true });

const ratio = (condition) => {
  const ours = results.find((r) => r.condition === condition && r.tool === 'discord-notify');
  const theirs = results.find((r) => r.condition === condition && r.tool === 'curl --retry 5');
  return (ours.medianMs / theirs.medianMs).toFixed(2);
};
const md = [
  '# discord-notify vs curl',
  '',
  `${N} notifications per cell, against the Discord stand-in on 127.0.0.1. "Time" is the median per`,
  'notification, as a ratio to `curl --retry 5` in the same condition (absolute times depend on the machine).',
  '',
  '| Condition | Tool | Delivered | Lost | Duplicated | Time vs `curl --retry 5` |',
  '| --- | --- | --- | --- | --- | --- |',
  ...results.map((r) => {
    const base = results.find((x) => x.condition === r.condition && x.tool === 'curl --retry 5');
    return `| ${r.condition} | ${r.tool} | ${r.delivered}/${r.n} | ${r.lost} | ${r.duplicated} | ${(r.medianMs / base.medianMs).toFixed(2)}× |`;
  }),
  '',
  `discord-notify / curl --retry 5, median time: clean ${ratio('clean')}×, one 429 ${ratio('one 429')}×, one 502 ${ratio('one 502')}×.`,
  '',
  'Reading it: on a clean request curl is faster (discord-notify starts Node and builds the embed).',
  'Plain curl loses the message on a 429 or a 502. `curl --retry` waits the whole-second Retry-After',
  "where discord-notify waits Discord's fractional retry_after. After a connection cut once Discord took",
  'the message, `--retry-all-errors` posts it again (a duplicate); discord-notify does not repeat a POST',
  'that may have arrived, and says so in a warning.',
  ''
].join('\n');
writeFileSync(
  path.join(root, 'bench', 'results', 'discord-notify.json'),
  `${JSON.stringify({ n: N, results }, null, 2)}\n`
);
writeFileSync(path.join(root, 'bench', 'results', 'discord-notify.md'), md);
console.log(`\n${md}`);
