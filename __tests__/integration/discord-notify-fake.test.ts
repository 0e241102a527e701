/**
 * The Discord stand-in itself: what it refuses must be what Discord refuses, or the other tests prove
 * nothing. Also checks that it runs as a plain-Node script with HTTP control routes, as the demo uses it.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { startDiscordServer, type DiscordServer } from '../fakes/discord-server.mjs';
import { ROOT } from '../helpers/paths.js';

let fake: DiscordServer;
beforeAll(async () => {
  fake = await startDiscordServer();
});
afterAll(async () => fake.close());

const post = (body: unknown, query = '?wait=true', token = fake.webhook.token) =>
  fetch(`${fake.apiBase}/webhooks/${fake.webhook.id}/${token}${query}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body)
  });

const fields = (n: number, value: string) => Array.from({ length: n }, (_, i) => ({ name: `f${i}`, value }));

describe('the stand-in enforces Discord’s limits with Discord’s 400 body', () => {
  it.each([
    [
      'title 257',
      { embeds: [{ title: 'a'.repeat(257) }] },
      {
        embeds: {
          '0': {
            title: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 256 or fewer in length.' }] }
          }
        }
      }
    ],
    [
      '26 fields',
      { embeds: [{ fields: fields(26, 'v') }] },
      {
        embeds: {
          '0': {
            fields: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 25 or fewer in length.' }] }
          }
        }
      }
    ],
    [
      'a field value of 1025',
      { embeds: [{ fields: [{ name: 'n', value: '배'.repeat(1025) }] }] },
      {
        embeds: {
          '0': {
            fields: {
              '0': {
                value: {
                  _errors: [{ code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 1024 or fewer in length.' }]
                }
              }
            }
          }
        }
      }
    ],
    [
      '6001 across the embed',
      {
        embeds: [
          {
            description: 'a'.repeat(4096),
            fields: [...fields(1, 'b'.repeat(951)), { name: 'f1', value: 'b'.repeat(950) }]
          }
        ]
      },
      {
        embeds: {
          _errors: [{ code: 'MAX_EMBED_SIZE_EXCEEDED', message: 'Embed size exceeds maximum size of 6000' }]
        }
      }
    ],
    [
      'content 2001',
      { content: 'a'.repeat(2001) },
      {
        content: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 2000 or fewer in length.' }] }
      }
    ]
  ])('%s', async (_name, body, errors) => {
    const response = await post(body);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ code: 50035, message: 'Invalid Form Body', errors });
  });

  it('accepts exactly 6000, counting code points (emoji count once)', async () => {
    const response = await post({
      embeds: [{ description: '😀'.repeat(4096), fields: fields(2, 'b'.repeat(950)) }]
    });
    expect(response.status).toBe(200);
  });

  it('answers 204 without ?wait=true, 401 for a wrong token, 404 for a missing message', async () => {
    expect((await post({ content: 'x' }, '')).status).toBe(204);
    const wrong = await post({ content: 'x' }, '', 'x'.repeat(68));
    expect([wrong.status, await wrong.json()]).toEqual([
      401,
      { message: 'Invalid Webhook Token', code: 50027 }
    ]);
    const missing = await fetch(
      `${fake.apiBase}/webhooks/${fake.webhook.id}/${fake.webhook.token}/messages/1`,
      {
        method: 'PATCH',
        headers: { 'content-type': 'application/json' },
        body: '{}'
      }
    );
    expect([missing.status, await missing.json()]).toEqual([
      404,
      { message: 'Unknown Message', code: 10008 }
    ]);
  });
});

it('runs as a plain Node script, prints its address and serves the control routes', async () => {
  const child = spawn(process.execPath, [path.join(ROOT, '__tests__', 'fakes', 'discord-server.mjs'), '0'], {
    stdio: ['ignore', 'pipe', 'inherit']
  });
  try {
    const line = await new Promise<string>((resolve) =>
      createInterface({ input: child.stdout }).once('line', resolve)
    );
    const info = JSON.parse(line) as { url: string; apiBase: string; webhookUrl: string };
    expect(info.webhookUrl).toMatch(/^https:\/\/discord\.com\/api\/webhooks\/\d+\/[\w-]{68}$/);
    const [, id, token] = /webhooks\/(\d+)\/(.+)$/.exec(info.webhookUrl) ?? [];
    await fetch(`${info.url}/__control/fail`, {
      method: 'POST',
      body: JSON.stringify({ status: 429, retryAfter: 0.5 })
    });
    const url = `${info.apiBase}/webhooks/${id}/${token}?wait=true`;
    const init = {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"content":"hi"}'
    };
    const limited = await fetch(url, init);
    expect([limited.status, await limited.json()]).toEqual([
      429,
      { message: 'You are being rate limited.', retry_after: 0.5, global: false }
    ]);
    expect((await fetch(url, init)).status).toBe(200);
    const messages = (await (await fetch(`${info.url}/__control/messages`)).json()) as Array<{
      content: string;
    }>;
    expect(messages.map((m) => m.content)).toEqual(['hi']);
    const requests = (await (await fetch(`${info.url}/__control/requests`)).json()) as Array<{
      status: number;
    }>;
    expect(requests.map((r) => r.status)).toEqual([429, 200]);
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
});
