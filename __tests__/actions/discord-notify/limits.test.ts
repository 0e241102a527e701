import { describe, expect, it } from '@jest/globals';
import {
  embedLength,
  fitMessage,
  LIMITS,
  messageLength,
  type Embed,
  type WebhookMessage
} from '../../../src/actions/discord-notify/limits.js';
import { codePointLength, ELLIPSIS } from '../../../src/actions/discord-notify/text.js';
import { validateMessage } from '../../fakes/discord-server.mjs';

const a = (n: number) => 'a'.repeat(n);
const ko = (n: number) => '배'.repeat(n);
const emoji = (n: number) => '😀'.repeat(n);
const fields = (n: number, value = 'v') =>
  Array.from({ length: n }, (_, i) => ({ name: `f${i + 1}`, value }));
const one = (embed: Embed, rest: WebhookMessage = {}): WebhookMessage => ({ ...rest, embeds: [embed] });

describe('fitMessage: each limit at the limit and one over', () => {
  it.each<[string, WebhookMessage, (m: WebhookMessage) => unknown, unknown]>([
    ['title 256 stays', one({ title: a(256) }), (m) => m.embeds?.[0]?.title, a(256)],
    ['title 257 is cut', one({ title: a(257) }), (m) => m.embeds?.[0]?.title, a(255) + ELLIPSIS],
    [
      'Korean title 257 is cut by code points',
      one({ title: ko(257) }),
      (m) => m.embeds?.[0]?.title,
      ko(255) + ELLIPSIS
    ],
    [
      'emoji title 257 is cut by code points',
      one({ title: emoji(257) }),
      (m) => m.embeds?.[0]?.title,
      emoji(255) + ELLIPSIS
    ],
    [
      'description 4096 stays',
      one({ description: a(4096) }),
      (m) => codePointLength(m.embeds?.[0]?.description ?? ''),
      4096
    ],
    [
      'description 4097 is cut',
      one({ description: a(4097) }),
      (m) => m.embeds?.[0]?.description,
      a(4095) + ELLIPSIS
    ],
    [
      'field name 256 stays',
      one({ fields: [{ name: a(256), value: 'v' }] }),
      (m) => m.embeds?.[0]?.fields?.[0]?.name,
      a(256)
    ],
    [
      'field name 257 is cut',
      one({ fields: [{ name: a(257), value: 'v' }] }),
      (m) => m.embeds?.[0]?.fields?.[0]?.name,
      a(255) + ELLIPSIS
    ],
    [
      'field value 1024 stays',
      one({ fields: [{ name: 'n', value: ko(1024) }] }),
      (m) => m.embeds?.[0]?.fields?.[0]?.value,
      ko(1024)
    ],
    [
      'field value 1025 is cut',
      one({ fields: [{ name: 'n', value: ko(1025) }] }),
      (m) => m.embeds?.[0]?.fields?.[0]?.value,
      ko(1023) + ELLIPSIS
    ],
    [
      'an empty field value is shown as a dash',
      one({ fields: [{ name: 'n', value: '  ' }] }),
      (m) => m.embeds?.[0]?.fields?.[0]?.value,
      '—'
    ],
    ['footer 2048 stays', one({ footer: { text: a(2048) } }), (m) => m.embeds?.[0]?.footer?.text, a(2048)],
    [
      'footer 2049 is cut',
      one({ footer: { text: a(2049) } }),
      (m) => m.embeds?.[0]?.footer?.text,
      a(2047) + ELLIPSIS
    ],
    ['author name 256 stays', one({ author: { name: a(256) } }), (m) => m.embeds?.[0]?.author?.name, a(256)],
    [
      'author name 257 is cut',
      one({ author: { name: a(257) } }),
      (m) => m.embeds?.[0]?.author?.name,
      a(255) + ELLIPSIS
    ],
    ['content 2000 stays', { content: a(2000) }, (m) => m.content, a(2000)],
    ['content 2001 is cut', { content: a(2001) }, (m) => m.content, a(1999) + ELLIPSIS],
    ['25 fields stay', one({ fields: fields(25) }), (m) => m.embeds?.[0]?.fields?.length, 25],
    ['26 fields become 25', one({ fields: fields(26) }), (m) => m.embeds?.[0]?.fields?.length, 25],
    [
      '26 fields: the 25th says 2 more are not shown',
      one({ fields: fields(26) }),
      (m) => m.embeds?.[0]?.fields?.[24],
      { name: ELLIPSIS, value: '2 more fields not shown', inline: false }
    ],
    [
      '40 fields: the 24th is still a real field',
      one({ fields: fields(40) }),
      (m) => m.embeds?.[0]?.fields?.[23]?.name,
      'f24'
    ],
    ['0 fields stay 0', one({ fields: [] }), (m) => m.embeds?.[0]?.fields, []]
  ])('%s', (_name, message, pick, expected) => {
    const { message: fitted } = fitMessage(message);
    expect(pick(fitted)).toEqual(expected);
    expect(validateMessage(fitted)).toBeUndefined();
  });

  it('reports nothing when nothing is cut, and each cut when something is', () => {
    expect(fitMessage(one({ title: 't', description: 'd', fields: fields(3) })).cuts).toEqual([]);
    expect(fitMessage(one({ title: a(300) })).cuts).toEqual(['title: 300 → 256 characters']);
  });
});

describe('fitMessage: the 6000 total across the message', () => {
  const total = (m: WebhookMessage) => messageLength(m);

  it.each<[string, Embed]>([
    [
      'exactly 6000 is left alone',
      {
        title: a(100),
        description: a(3900),
        fields: [{ name: 'n', value: a(999) }],
        footer: { text: a(1000) }
      }
    ],
    [
      '6001 loses one character of the description',
      {
        title: a(100),
        description: a(3901),
        fields: [{ name: 'n', value: a(999) }],
        footer: { text: a(1000) }
      }
    ],
    [
      'every part at its own limit',
      {
        title: a(256),
        description: a(4096),
        author: { name: a(256) },
        footer: { text: a(2048) },
        fields: fields(25, a(1024))
      }
    ],
    [
      'Korean everywhere',
      { title: ko(256), description: ko(4096), footer: { text: ko(2048) }, fields: fields(25, ko(1024)) }
    ],
    ['emoji everywhere', { title: emoji(300), description: emoji(5000), fields: fields(30, emoji(1100)) }],
    ['fields alone over 6000', { title: 't', fields: fields(25, a(1024)) }]
  ])('%s', (_name, embed) => {
    const before = embedLength(embed);
    const { message, cuts } = fitMessage(one(embed));
    expect(total(message)).toBeLessThanOrEqual(LIMITS.total);
    expect(validateMessage(message)).toBeUndefined();
    if (before <= LIMITS.total) expect(message.embeds?.[0]).toEqual(embed);
    else expect(cuts.at(-1)).toMatch(/^whole message: \d+ → \d+ characters/);
  });

  it('gives up the description before any field, and keeps the title', () => {
    const embed: Embed = { title: 'Deployed', description: a(4096), fields: fields(3, a(1000)) };
    const { message } = fitMessage(one(embed));
    const fitted = message.embeds?.[0] as Embed;
    expect(fitted.title).toBe('Deployed');
    expect(fitted.fields).toEqual(embed.fields);
    expect(codePointLength(fitted.description ?? '')).toBe(
      LIMITS.total - embedLength({ ...embed, description: '' })
    );
    expect(total(message)).toBe(LIMITS.total);
  });

  it('then shortens or drops fields from the last one up', () => {
    const { message } = fitMessage(one({ title: 't', fields: fields(25, a(1024)) }));
    const fitted = message.embeds?.[0] as Embed;
    expect(fitted.fields?.[0]?.value).toBe(a(1024));
    expect(fitted.fields?.length).toBeLessThan(25);
    expect(fitted.fields?.every((f) => codePointLength(f.value) >= 20)).toBe(true);
    expect(total(message)).toBeLessThanOrEqual(LIMITS.total);
  });

  it('leaves the content (counted apart, limit 2000) out of the 6000', () => {
    const { message } = fitMessage(one({ description: a(4096), title: a(256) }, { content: a(2000) }));
    expect(message.content).toBe(a(2000));
    expect(total(message)).toBe(4096 + 256);
  });
});
