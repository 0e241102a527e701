import { describe, expect, it } from '@jest/globals';
import { apiBase, endpoint, parseWebhookUrl } from '../../../src/actions/discord-notify/webhook.js';

const ID = '1234567890123456789';
const TOKEN = 'AbCdEf_gh-IJKLmnopQRSTuvwxyz0123456789abcdefghijklmnopqrstuvwxYZ01234';

describe('parseWebhookUrl accepts every form Discord hands out', () => {
  it.each([
    [`https://discord.com/api/webhooks/${ID}/${TOKEN}`, 'discord.com'],
    [`https://discordapp.com/api/webhooks/${ID}/${TOKEN}`, 'discordapp.com'],
    [`https://ptb.discord.com/api/webhooks/${ID}/${TOKEN}`, 'ptb.discord.com'],
    [`https://canary.discord.com/api/webhooks/${ID}/${TOKEN}`, 'canary.discord.com'],
    [`https://canary.discordapp.com/api/webhooks/${ID}/${TOKEN}`, 'canary.discordapp.com'],
    [`https://discord.com/api/v10/webhooks/${ID}/${TOKEN}`, 'discord.com'],
    [`https://discord.com/api/v9/webhooks/${ID}/${TOKEN}/`, 'discord.com'],
    [`https://discord.com/api/webhooks/${ID}/${TOKEN}?wait=true`, 'discord.com']
  ])('%s', (url, host) => {
    expect(parseWebhookUrl(url)).toEqual({ webhook: { id: ID, token: TOKEN, host, threadId: undefined } });
  });

  it('takes a thread_id pasted into the URL', () => {
    const parsed = parseWebhookUrl(
      `https://discord.com/api/webhooks/${ID}/${TOKEN}?thread_id=998877665544332211`
    );
    expect(parsed).toEqual({
      webhook: { id: ID, token: TOKEN, host: 'discord.com', threadId: '998877665544332211' }
    });
  });
});

describe('parseWebhookUrl refuses anything else, without printing the token', () => {
  it.each([
    ['not a URL', `discord.com/api/webhooks/${ID}/${TOKEN}`, /is not a URL/],
    ['http', `http://discord.com/api/webhooks/${ID}/${TOKEN}`, /must use https, not http/],
    ['another host', `https://evil.example/api/webhooks/${ID}/${TOKEN}`, /not a Discord host/],
    [
      'a look-alike host',
      `https://discord.com.evil.example/api/webhooks/${ID}/${TOKEN}`,
      /not a Discord host/
    ],
    [
      'a sub-domain that is not ptb or canary',
      `https://cdn.discord.com/api/webhooks/${ID}/${TOKEN}`,
      /not a Discord host/
    ],
    ['a port', `https://discord.com:8443/api/webhooks/${ID}/${TOKEN}`, /credentials or a port/],
    ['credentials', `https://user:pass@discord.com/api/webhooks/${ID}/${TOKEN}`, /credentials or a port/],
    ['no token', `https://discord.com/api/webhooks/${ID}`, /path is not/],
    ['a non-numeric id', `https://discord.com/api/webhooks/abc/${TOKEN}`, /path is not/],
    ['the Slack variant', `https://discord.com/api/webhooks/${ID}/${TOKEN}/slack`, /\/slack or \/github/],
    ['the GitHub variant', `https://discord.com/api/webhooks/${ID}/${TOKEN}/github`, /\/slack or \/github/],
    ['a message path', `https://discord.com/api/webhooks/${ID}/${TOKEN}/messages/1`, /path is not/],
    ['an unknown query', `https://discord.com/api/webhooks/${ID}/${TOKEN}?foo=1`, /query parameters .*foo/],
    ['a bad thread_id', `https://discord.com/api/webhooks/${ID}/${TOKEN}?thread_id=x`, /thread_id/],
    ['a fragment', `https://discord.com/api/webhooks/${ID}/${TOKEN}#x`, /fragment/]
  ])('%s', (_name, url, reason) => {
    const parsed = parseWebhookUrl(url);
    expect('reason' in parsed && parsed.reason).toMatch(reason);
    expect(JSON.stringify(parsed)).not.toContain(TOKEN);
    expect(JSON.stringify(parsed)).not.toContain(TOKEN.slice(0, 12));
  });
});

describe('apiBase', () => {
  const webhook = { id: ID, token: TOKEN, host: 'ptb.discord.com' };

  it('uses API v10 on the host the user gave', () => {
    expect(apiBase(webhook)).toBe('https://ptb.discord.com/api/v10');
  });

  it.each(['http://127.0.0.1:5000/api/v10', 'http://localhost:1/', 'https://proxy.example/discord/api/v10'])(
    'accepts the override %s',
    (override) => {
      expect(apiBase(webhook, override)).toBe(override.replace(/\/+$/, ''));
    }
  );

  it.each(['http://10.0.0.5/api', 'ftp://127.0.0.1/', 'not a url'])('refuses the override %s', (override) => {
    expect(() => apiBase(webhook, override)).toThrow(/override/);
  });
});

describe('endpoint', () => {
  const webhook = { id: ID, token: TOKEN, host: 'discord.com' };
  const base = 'https://discord.com/api/v10';

  it.each([
    [{}, 'POST', `/webhooks/${ID}/***?wait=true`],
    [
      { threadId: '111111111111111111' },
      'POST',
      `/webhooks/${ID}/***?wait=true&thread_id=111111111111111111`
    ],
    [{ messageId: '222222222222222222' }, 'PATCH', `/webhooks/${ID}/***/messages/222222222222222222`],
    [
      { messageId: '222222222222222222', threadId: '111111111111111111' },
      'PATCH',
      `/webhooks/${ID}/***/messages/222222222222222222?thread_id=111111111111111111`
    ]
  ])('%j → %s %s', (target, method, shown) => {
    const e = endpoint(base, webhook, target);
    expect(e.method).toBe(method);
    expect(e.shown).toBe(base + shown);
    expect(e.shown).not.toContain(TOKEN);
    expect(e.url).toBe(base + shown.replace('***', TOKEN));
  });
});
