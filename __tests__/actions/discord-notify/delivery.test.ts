/**
 * Delivery against the Discord stand-in over real HTTP, with an injected sleep that records the waits
 * instead of waiting; plus table tests of the pure parts (Retry-After, error bodies, retry decisions).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import {
  deliver,
  DeliveryError,
  describeResponse,
  DiscordApiError,
  NetworkError,
  networkError,
  retryAfterMs,
  retryDecision,
  type DeliveryOptions
} from '../../../src/actions/discord-notify/delivery.js';
import { endpoint, type Webhook } from '../../../src/actions/discord-notify/webhook.js';
import { MemoryLogger } from '../../../src/core/logger.js';
import { startDiscordServer, type DiscordServer } from '../../fakes/discord-server.mjs';

describe('retryAfterMs', () => {
  it.each<[string, unknown, Record<string, string>, number | undefined]>([
    ['retry_after in the body, fractional seconds', { retry_after: 1.337 }, {}, 1337],
    [
      'the body wins over the headers',
      { retry_after: 0.5 },
      { 'retry-after': '9', 'x-ratelimit-reset-after': '9' },
      500
    ],
    ['X-RateLimit-Reset-After', {}, { 'x-ratelimit-reset-after': '2.25' }, 2250],
    ['Retry-After seconds', undefined, { 'retry-after': '3' }, 3000],
    ['Retry-After as an HTTP date', 'html', { 'retry-after': 'Wed, 01 May 2024 12:00:05 GMT' }, 5000],
    ['zero', { retry_after: 0 }, {}, 0],
    ['nothing usable', { retry_after: 'soon' }, { 'retry-after': 'later' }, undefined],
    ['negative is ignored', { retry_after: -1 }, {}, undefined]
  ])('%s', (_name, body, headers, expected) => {
    expect(retryAfterMs(body, new Headers(headers), Date.parse('2024-05-01T12:00:00Z'))).toBe(expected);
  });
});

describe('describeResponse reports Discord’s JSON error body', () => {
  it.each<[string, number, unknown, string]>([
    [
      'a v10 form error',
      400,
      {
        code: 50035,
        message: 'Invalid Form Body',
        errors: {
          embeds: {
            '0': {
              title: {
                _errors: [{ code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 256 or fewer in length.' }]
              }
            }
          }
        }
      },
      'Discord answered 400 (50035 Invalid Form Body; embeds.0.title: Must be 256 or fewer in length.)'
    ],
    ['the old shape {"embeds": ["0"]}', 400, { embeds: ['0'] }, 'Discord answered 400 (embeds: 0)'],
    [
      'an unknown webhook',
      404,
      { message: 'Unknown Webhook', code: 10015 },
      'Discord answered 404 (10015 Unknown Webhook)'
    ],
    [
      'an HTML error page',
      502,
      '<html>\n<body>Bad   Gateway</body></html>',
      'Discord answered 502 (<html> <body>Bad Gateway</body></html>)'
    ],
    ['no body', 500, undefined, 'Discord answered 500']
  ])('%s', (_name, status, body, expected) => {
    expect(describeResponse(status, body)).toBe(expected);
  });
});

describe('retryDecision: what may be repeated without a second message', () => {
  const api = (status: number, after?: number) => new DiscordApiError(status, {}, after);
  it.each<[string, 'POST' | 'PATCH', unknown, unknown]>([
    ['429 with a wait, POST', 'POST', api(429, 1500), { afterMs: 1500 }],
    ['429 without a wait', 'PATCH', api(429), true],
    ['500', 'POST', api(500), true],
    ['503', 'PATCH', api(503), true],
    ['400 never', 'POST', api(400), false],
    ['401 never', 'PATCH', api(401), false],
    ['404 never', 'POST', api(404), false],
    ['connection refused, POST (never sent)', 'POST', new NetworkError('x', false), true],
    ['connection reset, POST (maybe sent)', 'POST', new NetworkError('x', true), false],
    ['connection reset, PATCH (an edit repeats safely)', 'PATCH', new NetworkError('x', true), true],
    ['a bug', 'POST', new TypeError('boom'), false]
  ])('%s', (_name, method, error, expected) => {
    expect(retryDecision(method, error)).toEqual(expected);
  });

  const fetchFailed = (cause: object) => Object.assign(new TypeError('fetch failed'), { cause });
  it.each<[string, boolean, unknown]>([
    [
      'ECONNREFUSED',
      false,
      fetchFailed(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))
    ],
    ['ENOTFOUND', false, fetchFailed(Object.assign(new Error('getaddrinfo'), { code: 'ENOTFOUND' }))],
    [
      'UND_ERR_CONNECT_TIMEOUT',
      false,
      fetchFailed({ code: 'UND_ERR_CONNECT_TIMEOUT', message: 'Connect Timeout' })
    ],
    ['ECONNRESET', true, fetchFailed({ code: 'ECONNRESET', message: 'read ECONNRESET' })],
    [
      'UND_ERR_SOCKET (other side closed)',
      true,
      fetchFailed({ code: 'UND_ERR_SOCKET', message: 'other side closed' })
    ],
    [
      'a timeout after sending',
      true,
      new DOMException('The operation was aborted due to timeout', 'TimeoutError')
    ]
  ])('networkError: %s → may have been sent: %s', (_name, sent, error) => {
    expect(networkError(error).sent).toBe(sent);
  });
});

describe('deliver against the Discord stand-in', () => {
  let fake: DiscordServer;
  let webhook: Webhook;
  let waits: number[];
  let options: DeliveryOptions;
  const post = () => endpoint(fake.apiBase, webhook, {});
  const body = { embeds: [{ title: 'Deployed', description: '한국어 🚀' }] };

  beforeAll(async () => {
    fake = await startDiscordServer();
    webhook = { ...fake.webhook, host: 'discord.com' };
  });
  afterAll(async () => fake.close());
  beforeEach(() => {
    fake.reset();
    waits = [];
    options = {
      attempts: 5,
      maxTotalDelayMs: 60_000,
      baseDelayMs: 1000,
      random: () => 1,
      sleep: async (ms) => {
        waits.push(ms);
      },
      logger: new MemoryLogger()
    };
  });

  it('posts with ?wait=true and returns the message Discord stored', async () => {
    const result = await deliver(post(), body, options);
    expect(result.attempts).toBe(1);
    expect(fake.messages().map((m) => m.id)).toEqual([result.message?.id]);
    expect(fake.messages()[0]?.embeds).toEqual(body.embeds);
    expect(fake.requests().map((r) => [r.method, r.query, r.status])).toEqual([['POST', 'wait=true', 200]]);
  });

  it.each<[string, 'body' | 'reset-after' | 'retry-after' | 'all', number, number]>([
    ['retry_after in the body', 'body', 0.25, 250],
    ['X-RateLimit-Reset-After', 'reset-after', 1.5, 1500],
    ['Retry-After', 'retry-after', 2, 2000],
    ['all three, as Discord sends them (body wins over the whole-second header)', 'all', 0.3, 300]
  ])('waits out 429s (%s) exactly as asked, then posts once', async (_name, retryAfterIn, retryAfter, ms) => {
    fake.fail({ status: 429, retryAfter, retryAfterIn, times: 3 });
    const result = await deliver(post(), body, options);
    expect(waits).toEqual([ms, ms, ms]);
    expect(result.attempts).toBe(4);
    expect(fake.messages()).toHaveLength(1);
    expect(fake.requests().map((r) => r.status)).toEqual([429, 429, 429, 200]);
  });

  it('backs off on 5xx (growing, capped) and posts once', async () => {
    fake.fail({ status: 502, times: 2 });
    fake.fail({ status: 503, times: 1 });
    options.maxDelayMs = 3000;
    const result = await deliver(post(), body, options);
    expect(waits).toEqual([1000, 2000, 3000]);
    expect(result.attempts).toBe(4);
    expect(fake.messages()).toHaveLength(1);
  });

  it('mixes 429s and 5xx and still posts exactly once', async () => {
    fake.fail({ status: 429, retryAfter: 0.1 });
    fake.fail({ status: 500 });
    fake.fail({ status: 429, retryAfter: 0.1, retryAfterIn: 'reset-after' });
    await deliver(post(), body, options);
    expect(fake.requests().map((r) => r.status)).toEqual([429, 500, 429, 200]);
    expect(fake.messages()).toHaveLength(1);
  });

  it('gives up after max attempts with the last error', async () => {
    fake.fail({ status: 500, times: 10 });
    const error = await deliver(post(), body, options).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeliveryError);
    expect((error as DeliveryError).message).toMatch(
      /^Posting the Discord message failed after 5 attempts: Discord answered 500/
    );
    expect(fake.requests()).toHaveLength(5);
    expect(fake.messages()).toHaveLength(0);
  });

  it('gives up at once when a 429 asks for more than the wait budget', async () => {
    fake.fail({ status: 429, retryAfter: 120 });
    const error = (await deliver(post(), body, options).catch((e: unknown) => e)) as DeliveryError;
    expect(error.message).toMatch(/retry after 120s.*longer than max-retry-wait allows/);
    expect(waits).toEqual([]);
    expect(fake.requests()).toHaveLength(1);
  });

  it('never retries a 400, and reports Discord’s error body', async () => {
    const tooLong = { embeds: [{ title: 'x'.repeat(257) }] };
    const error = (await deliver(post(), tooLong, options).catch((e: unknown) => e)) as DeliveryError;
    expect(error.message).toBe(
      'Posting the Discord message failed after 1 attempt: Discord answered 400 (50035 Invalid Form Body; embeds.0.title: Must be 256 or fewer in length.) — the message was refused as invalid.'
    );
    expect(fake.requests()).toHaveLength(1);
  });

  it('never retries a wrong token, and says what to do', async () => {
    const wrong = endpoint(fake.apiBase, { ...webhook, token: 'x'.repeat(68) }, {});
    const error = (await deliver(wrong, body, options).catch((e: unknown) => e)) as DeliveryError;
    expect(error.message).toMatch(
      /401 \(50027 Invalid Webhook Token\) — the token part of webhook-url is wrong/
    );
    expect(fake.requests()).toHaveLength(1);
  });

  it('does not repeat a POST whose connection broke after Discord took it: one message, and it says so', async () => {
    fake.fail({ drop: 'after' });
    const error = (await deliver(post(), body, options).catch((e: unknown) => e)) as DeliveryError;
    expect(error.message).toMatch(/may have reached Discord, so it was not repeated/);
    expect(fake.requests()).toHaveLength(1);
    expect(fake.messages()).toHaveLength(1);
  });

  it('repeats an edit whose connection broke: still one message, edited', async () => {
    const { message } = await deliver(post(), body, options);
    fake.fail({ method: 'PATCH', drop: 'after' });
    fake.fail({ method: 'PATCH', status: 429, retryAfter: 0.3 });
    const edited = { content: '', embeds: [{ title: 'Done' }] };
    const result = await deliver(
      endpoint(fake.apiBase, webhook, { messageId: message?.id }),
      edited,
      options
    );
    expect(result.message?.id).toBe(message?.id);
    expect(fake.requests().map((r) => [r.method, r.status])).toEqual([
      ['POST', 200],
      ['PATCH', -1],
      ['PATCH', 429],
      ['PATCH', 200]
    ]);
    expect(fake.messages().map((m) => [m.id, m.embeds[0]?.title])).toEqual([[message?.id, 'Done']]);
  });

  it('repeats a POST that never left (connection refused) and posts once', async () => {
    let calls = 0;
    options.fetch = async (url, init) => {
      calls++;
      if (calls === 1) {
        throw Object.assign(new TypeError('fetch failed'), {
          cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' })
        });
      }
      return fetch(url, init);
    };
    const result = await deliver(post(), body, options);
    expect(result.attempts).toBe(2);
    expect(fake.messages()).toHaveLength(1);
  });

  it('repeats a POST to a port nobody listens on (refused: never sent) until the attempts run out', async () => {
    const closed = await startDiscordServer();
    const base = closed.apiBase;
    await closed.close();
    const error = (await deliver(endpoint(base, webhook, {}), body, options).catch(
      (e: unknown) => e
    )) as DeliveryError;
    expect(error.message).toMatch(/failed after 5 attempts: network error ECONNREFUSED/);
    expect(error.message).not.toMatch(/may have reached/);
    expect(waits).toHaveLength(4);
  });

  it('reports that thread-name needs a forum channel, without retrying', async () => {
    const error = (await deliver(post(), { ...body, thread_name: 'Release' }, options).catch(
      (e: unknown) => e
    )) as DeliveryError;
    expect(error.message).toMatch(
      /400 \(220003 Webhooks can only create threads in forum channels\) — thread-name only works/
    );
    expect(fake.requests()).toHaveLength(1);
  });

  it('edits in a thread with thread_id, and cannot find the message without it', async () => {
    const thread = fake.createThread();
    const { message } = await deliver(endpoint(fake.apiBase, webhook, { threadId: thread }), body, options);
    expect(message?.channel_id).toBe(thread);
    const edited = { content: '', embeds: [{ title: 'Done' }] };
    const missing = (await deliver(
      endpoint(fake.apiBase, webhook, { messageId: message?.id }),
      edited,
      options
    ).catch((e: unknown) => e)) as DeliveryError;
    expect(missing.message).toMatch(/10008 Unknown Message.*pass thread-id too/);
    await deliver(
      endpoint(fake.apiBase, webhook, { messageId: message?.id, threadId: thread }),
      edited,
      options
    );
    expect(fake.requests().at(-1)?.query).toBe(`thread_id=${thread}`);
    expect(fake.messages()[0]?.embeds[0]?.title).toBe('Done');
  });
});
