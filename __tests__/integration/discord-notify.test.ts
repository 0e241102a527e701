/**
 * The bundled action (dist/discord-notify/index.js), run as GitHub runs it, against the Discord
 * stand-in. DEPLOY_ACTIONS_DISCORD_API_BASE points the requests at the stand-in (the webhook-url input
 * is still a real https://discord.com URL, validated, and its id and token are what the stand-in
 * checks); DEPLOY_ACTIONS_DISCORD_SLEEP_SCALE=0 makes every wait between attempts instant while the
 * logs still state the real waits.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runBundledAction, type RunResult } from '../../src/cli/runner.js';
import { startDiscordServer, type DiscordServer, type FakeMessage } from '../fakes/discord-server.mjs';
import { actionYml } from '../helpers/paths.js';

const SHA = 'c0ffee1234567890abcdef1234567890abcdef12';
const ROLE = '223456789012345678';
const USER = '323456789012345678';

let fake: DiscordServer;
let forum: DiscordServer;
let work: string;

beforeAll(async () => {
  fake = await startDiscordServer();
  forum = await startDiscordServer({ forum: true });
  work = mkdtempSync(path.join(tmpdir(), 'discord-notify-'));
  writeFileSync(
    path.join(work, 'push.json'),
    JSON.stringify({ head_commit: { message: '결제 API 배포 🚀 (#42)\n\nDetails that stay out.' } })
  );
});
afterAll(async () => {
  await fake.close();
  await forum.close();
  rmSync(work, { recursive: true, force: true });
});
beforeEach(() => {
  fake.reset();
  forum.reset();
});

/** The environment of a push to main in acme/api, pointed at a stand-in. */
function env(server: DiscordServer, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    DEPLOY_ACTIONS_DISCORD_API_BASE: server.apiBase,
    DEPLOY_ACTIONS_DISCORD_SLEEP_SCALE: '0',
    GITHUB_REPOSITORY: 'acme/api',
    GITHUB_SHA: SHA,
    GITHUB_REF: 'refs/heads/main',
    GITHUB_EVENT_NAME: 'push',
    GITHUB_EVENT_PATH: path.join(work, 'push.json'),
    GITHUB_ACTOR: 'octocat',
    GITHUB_WORKFLOW: 'Deploy',
    GITHUB_JOB: 'deploy',
    GITHUB_RUN_ID: '4242',
    GITHUB_RUN_NUMBER: '17',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_SERVER_URL: 'https://github.com',
    ...extra
  };
}

function run(
  inputs: Record<string, string | undefined>,
  server: DiscordServer = fake,
  extra: NodeJS.ProcessEnv = {}
): Promise<RunResult> {
  return runBundledAction({
    actionYml: actionYml('discord-notify'),
    inputs: { 'webhook-url': server.webhookUrl, ...inputs },
    env: env(server, extra),
    runPost: false
  });
}

/** Everything the run printed, minus the ::add-mask:: commands (the runner consumes those). */
const printed = (r: RunResult) =>
  `${r.stdout}\n${r.stderr}`
    .split('\n')
    .filter((line) => !line.startsWith('::add-mask::'))
    .join('\n');

const titles = (messages: FakeMessage[]) => messages.map((m) => m.embeds[0]?.title);

describe('posting', () => {
  it('posts one message with the GitHub facts and outputs its id, the payload and a summary', async () => {
    const r = await run({ status: 'started', title: 'api to production', fields: 'Environment=production' });
    expect(r.exitCode).toBe(0);
    const [message] = fake.messages();
    expect(fake.messages()).toHaveLength(1);
    expect(r.outputs['message-id']).toBe(message?.id);
    expect(fake.requests().map((q) => [q.method, q.path, q.query])).toEqual([
      ['POST', `/api/v10/webhooks/${fake.webhook.id}/${fake.webhook.token}`, 'wait=true']
    ]);
    const embed = message?.embeds[0];
    expect(embed?.title).toBe('🚀 Deploying… — api to production');
    expect(embed?.color).toBe(0x0969da);
    expect(embed?.url).toBe('https://github.com/acme/api/actions/runs/4242');
    expect(embed?.author?.name).toBe('octocat');
    expect(embed?.fields?.map((f) => [f.name, f.value])).toEqual([
      ['Repository', '[acme/api](https://github.com/acme/api)'],
      ['Branch', '[main](https://github.com/acme/api/tree/main)'],
      ['Event', 'push'],
      ['Commit', `[\`c0ffee1\`](https://github.com/acme/api/commit/${SHA}) 결제 API 배포 🚀 \\(#42\\)`],
      ['Run', '[#17](https://github.com/acme/api/actions/runs/4242)'],
      ['Environment', 'production']
    ]);
    expect(JSON.parse(r.outputs.payload ?? '')).toEqual({
      embeds: message?.embeds,
      allowed_mentions: { parse: [] }
    });
    expect(r.outputs.payload).not.toContain(fake.webhook.token);
    expect(r.summary).toContain('### 🚀 discord-notify: message posted');
    expect(r.summary).toContain(`| **Message id** | ${message?.id} |`);
    expect(r.summary).toContain('| Field | Value |');
    expect(r.summary).toContain('| Title | 🚀 Deploying… — api to production |');
    expect(r.summary).toContain('| Environment | production |');
  });

  it('skips with a notice and no request when webhook-url is empty (a fork)', async () => {
    const r = await run({ 'webhook-url': '' });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^::notice::.*no webhook-url/m);
    expect(r.outputs).toEqual({});
    expect(fake.requests()).toEqual([]);
  });

  it('fits an oversized message (Korean, emoji, 30 fields) into what Discord accepts', async () => {
    const fields = Object.fromEntries(
      Array.from({ length: 30 }, (_, i) => [`항목 ${i + 1}`, '값👍🏽'.repeat(5)])
    );
    const r = await run({
      status: 'success',
      title: '배포'.repeat(200),
      description: '한국어 설명 👨‍👩‍👧‍👦 '.repeat(700),
      fields: JSON.stringify(fields)
    });
    expect(r.exitCode).toBe(0);
    expect(fake.requests().map((q) => q.status)).toEqual([200]);
    const embed = fake.messages()[0]?.embeds[0];
    expect(embed?.fields).toHaveLength(25);
    expect(embed?.fields?.at(-1)?.value).toBe('11 more fields not shown');
    expect(embed?.description?.endsWith('…')).toBe(true);
    const counted = [embed?.title, embed?.description, embed?.footer?.text, embed?.author?.name]
      .concat(embed?.fields?.flatMap((f) => [f.name, f.value]))
      .reduce((n, text) => n + [...(text ?? '')].length, 0);
    expect(counted).toBeLessThanOrEqual(6000);
    expect(r.summary).toContain("Cut to fit Discord's limits");
    expect(JSON.stringify(embed)).not.toMatch(
      /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/
    );
  });
});

describe('exactly one message, whatever Discord answers first', () => {
  it.each([
    ['429s with retry_after in the body', [{ status: 429, retryAfter: 0.75, times: 2 }]],
    [
      '429 with X-RateLimit-Reset-After',
      [{ status: 429, retryAfter: 1.5, retryAfterIn: 'reset-after' as const }]
    ],
    ['429 with Retry-After', [{ status: 429, retryAfter: 2, retryAfterIn: 'retry-after' as const }]],
    ['502 then 503', [{ status: 502 }, { status: 503 }]],
    ['429, 500, 429', [{ status: 429, retryAfter: 0.1 }, { status: 500 }, { status: 429, retryAfter: 0.1 }]]
  ])('%s', async (_name, rules) => {
    for (const rule of rules) fake.fail(rule);
    const r = await run({ status: 'success' });
    expect(r.exitCode).toBe(0);
    const failures = rules.reduce((n, rule) => n + ('times' in rule ? rule.times : 1), 0);
    expect(fake.requests().map((q) => q.status)).toHaveLength(failures + 1);
    expect(fake.requests().at(-1)?.status).toBe(200);
    expect(fake.messages()).toHaveLength(1);
    expect(r.outputs['message-id']).toBe(fake.messages()[0]?.id);
  });

  it('does not repeat a POST whose connection was cut (the client cannot tell before from after)', async () => {
    fake.fail({ drop: 'before' });
    const r = await run({ status: 'success' });
    expect(r.exitCode).toBe(0);
    expect(fake.requests()).toHaveLength(1);
    expect(r.stdout).toMatch(/^::warning .*NOT delivered.*may have reached Discord, so it was not repeated/m);
    expect(r.outputs['message-id']).toBeUndefined();
  });

  it('does not repeat a POST that Discord processed before the connection broke', async () => {
    fake.fail({ drop: 'after' });
    const r = await run({ status: 'success' });
    expect(r.exitCode).toBe(0);
    expect(fake.requests()).toHaveLength(1);
    expect(fake.messages()).toHaveLength(1);
    expect(r.stdout).toMatch(/^::warning .*may have reached Discord.*check the channel/m);
  });

  it('logs the real wait of a 429 while waiting none in the test', async () => {
    fake.fail({ status: 429, retryAfter: 30 });
    const started = Date.now();
    const r = await run({ status: 'success' });
    expect(r.stdout).toContain(
      'attempt 1/5 failed (Discord answered 429 (You are being rate limited.; retry after 30s)); retrying in 30.0s'
    );
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(fake.messages()).toHaveLength(1);
  });
});

describe('follow the deployment in one message', () => {
  it('start → message-id → the second run edits the same message to the final status', async () => {
    const start = await run({ status: 'started', title: 'api to production' });
    expect(start.exitCode).toBe(0);
    const id = start.outputs['message-id'];
    expect(id).toMatch(/^\d{17,20}$/);
    fake.fail({ method: 'PATCH', status: 429, retryAfter: 0.2 });
    fake.fail({ method: 'PATCH', status: 502 });
    const finish = await run({
      status: 'auto',
      'job-status': 'success',
      'message-id': id,
      title: 'api to production'
    });
    expect(finish.exitCode).toBe(0);
    expect(finish.outputs['message-id']).toBe(id);
    const messages = fake.messages();
    expect(messages.map((m) => [m.id, m.edits])).toEqual([[id, 1]]);
    expect(titles(messages)).toEqual(['✅ Succeeded — api to production']);
    expect(messages[0]?.embeds[0]?.color).toBe(0x1f883d);
    expect(messages[0]?.embeds[0]?.fields?.find((f) => f.name === 'Duration')?.value).toMatch(
      /^\d+ms$|^\d+\.\ds$/
    );
    expect(fake.requests().map((q) => [q.method, q.status])).toEqual([
      ['POST', 200],
      ['PATCH', 429],
      ['PATCH', 502],
      ['PATCH', 200]
    ]);
    expect(fake.requests().at(-1)?.path).toBe(
      `/api/v10/webhooks/${fake.webhook.id}/${fake.webhook.token}/messages/${id}`
    );
    expect(finish.summary).toContain('discord-notify: message edited');
  });

  it('takes Duration from started-at when given', async () => {
    const start = await run({ status: 'started' });
    const startedAt = new Date(Date.now() - 3 * 60_000 - 5000).toISOString();
    await run({ status: 'failure', 'message-id': start.outputs['message-id'], 'started-at': startedAt });
    expect(fake.messages()[0]?.embeds[0]?.fields?.find((f) => f.name === 'Duration')?.value).toMatch(
      /^3m 0[5-9]s$/
    );
  });

  it('in a forum: thread-name opens a post, its thread-id output lets the next run edit in it', async () => {
    const start = await run({ status: 'started', 'thread-name': 'Release 1.4.0' }, forum);
    expect(start.exitCode).toBe(0);
    const thread = start.outputs['thread-id'];
    expect(thread).toBe(forum.messages()[0]?.channel_id);
    expect(forum.messages()[0]?.thread_name).toBe('Release 1.4.0');
    const finish = await run(
      {
        status: 'success',
        'message-id': start.outputs['message-id'],
        'thread-id': thread,
        'thread-name': 'Release 1.4.0'
      },
      forum
    );
    expect(finish.exitCode).toBe(0);
    expect(forum.requests().at(-1)?.query).toBe(`thread_id=${thread}`);
    expect(titles(forum.messages())).toEqual(['✅ Succeeded — Deploy']);
  });

  it('posts in an existing thread with thread-id', async () => {
    const thread = fake.createThread();
    const r = await run({ status: 'success', 'thread-id': thread });
    expect(r.exitCode).toBe(0);
    expect(fake.messages()[0]?.channel_id).toBe(thread);
    expect(r.outputs['thread-id']).toBe(thread);
  });
});

describe('mentions ping only on failure, and only the given ids', () => {
  const mention = `role:${ROLE} <@${USER}>`;

  it.each(['success', 'started'])('status %s pings nobody', async (status) => {
    await run({ status, 'mention-on-failure': mention, content: 'hello @everyone' });
    const [message] = fake.messages();
    expect(message?.content).toBe('hello @everyone');
    expect(message?.pinged).toEqual({ users: [], roles: [], everyone: false });
  });

  it('failure pings exactly the role and the user, never @everyone', async () => {
    const r = await run({
      status: 'auto',
      'job-status': 'failure',
      'mention-on-failure': mention,
      content: '@everyone @here'
    });
    expect(r.exitCode).toBe(0);
    const [message] = fake.messages();
    expect(message?.pinged).toEqual({ users: [USER], roles: [ROLE], everyone: false });
    expect(message?.allowed_mentions).toEqual({ parse: [], users: [USER], roles: [ROLE] });
  });

  it('an edit to failure (which notifies nobody on Discord) is followed by one ping message', async () => {
    const start = await run({ status: 'started', 'mention-on-failure': mention });
    expect(fake.messages()[0]?.pinged).toEqual({ users: [], roles: [], everyone: false });
    await run({
      status: 'failure',
      'message-id': start.outputs['message-id'],
      'mention-on-failure': mention
    });
    const [edited, ping] = fake.messages();
    expect(edited?.embeds[0]?.title).toBe('❌ Failed — Deploy');
    expect(edited?.content).toBe('');
    expect(ping?.pinged).toEqual({ users: [USER], roles: [ROLE], everyone: false });
    expect(ping?.content).toContain('❌ Failed — Deploy');
    expect(fake.messages()).toHaveLength(2);
  });

  it('refuses @everyone before any request', async () => {
    const r = await run({ status: 'failure', 'mention-on-failure': '@everyone' });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toMatch(/^::error::Input 'mention-on-failure': '@everyone' is not allowed/m);
    expect(fake.requests()).toEqual([]);
  });
});

describe('bad webhook-url: rejected before any request, token never printed', () => {
  const token = () => fake.webhook.token;
  it.each([
    ['http', (u: string) => u.replace('https:', 'http:')],
    ['another host', (u: string) => u.replace('discord.com', 'discord.example.com')],
    ['not a URL', (u: string) => u.replace('https://', '')]
  ])('%s', async (_name, mangle) => {
    const r = await run({ 'webhook-url': mangle(fake.webhookUrl), status: 'success' });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toMatch(
      /^::error::Input 'webhook-url': .*expected https:\/\/discord\.com\/api\/webhooks\/<id>\/<token>/m
    );
    expect(printed(r)).not.toContain(token());
    expect(fake.requests()).toEqual([]);
  });
});

describe('the token never appears in the logs, outputs or summary', () => {
  const assertHidden = (r: RunResult, server: DiscordServer = fake) => {
    expect(r.stdout).toContain(`::add-mask::${server.webhookUrl}`);
    expect(r.stdout).toContain(`::add-mask::${server.webhook.token}`);
    for (const text of [printed(r), JSON.stringify(r.outputs), r.summary])
      expect(text).not.toContain(server.webhook.token);
  };

  it('on success, with debug logging on', async () => {
    const r = await run({ status: 'success' }, fake, { RUNNER_DEBUG: '1' });
    expect(r.stdout).toContain(`/webhooks/${fake.webhook.id}/***?wait=true`);
    assertHidden(r);
  });

  it.each([
    [
      'a 400 with Discord’s error body',
      { status: 400, body: { embeds: ['0'] } },
      /Discord answered 400 \(embeds: 0\)/
    ],
    [
      'an unknown webhook',
      { status: 404, body: { message: 'Unknown Webhook', code: 10015 } },
      /10015 Unknown Webhook\) — the webhook was deleted/
    ],
    [
      '5xx until the attempts run out',
      { status: 503, times: 5 },
      /failed after 5 attempts: Discord answered 503/
    ]
  ])('when delivery fails (%s): a loud warning, the step still succeeds', async (_name, rule, reason) => {
    fake.fail(rule);
    const r = await run({ status: 'success' }, fake, { RUNNER_DEBUG: '1' });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(
      /^::warning title=discord-notify%3A notification not delivered::The Discord notification was NOT delivered\./m
    );
    expect(r.stdout).toMatch(reason);
    expect(r.summary).toContain('message NOT delivered');
    assertHidden(r);
    expect(fake.messages()).toEqual([]);
  });

  it('with fail-on-error: the step fails with the reason, still without the token', async () => {
    fake.fail({ status: 401, body: { message: 'Invalid Webhook Token', code: 50027 } });
    const r = await run({ status: 'success', 'fail-on-error': 'true' }, fake, { RUNNER_DEBUG: '1' });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toMatch(
      /^::error::Posting the Discord message failed after 1 attempt: Discord answered 401 \(50027 Invalid Webhook Token\)/m
    );
    expect(fake.requests()).toHaveLength(1);
    expect(r.summary).toContain('message NOT delivered');
    assertHidden(r);
  });

  it('when the edited message is gone', async () => {
    const r = await run({ status: 'success', 'message-id': '1000000000000000000' }, fake, {
      RUNNER_DEBUG: '1'
    });
    expect(r.stdout).toMatch(/10008 Unknown Message\) — that message does not exist/);
    assertHidden(r);
  });
});

describe('other inputs are checked before any request (the full table is in inputs.test.ts)', () => {
  it.each([
    [{ status: 'auto', 'job-status': '' }, /^::error::Input 'job-status': is needed when status is auto/m],
    [
      { status: 'success', username: 'Discord Bot' },
      /^::error::Input 'username': 'Discord Bot' is refused by Discord/m
    ]
  ])('%j', async (inputs, error) => {
    const r = await run(inputs);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toMatch(error);
    expect(fake.requests()).toEqual([]);
  });
});
