import { describe, expect, it } from '@jest/globals';
import {
  parseFields,
  parseMentions,
  parseTime,
  snowflakeTime
} from '../../../src/actions/discord-notify/parse.js';

describe('parseFields', () => {
  it.each([
    ['empty', '', []],
    ['one line', 'Env=prod', [{ name: 'Env', value: 'prod' }]],
    [
      'several lines, CRLF, blank lines and comments',
      'Env=prod\r\n\r\n# a comment\r\nVersion = 1.2.3\r\n',
      [
        { name: 'Env', value: 'prod' },
        { name: 'Version', value: '1.2.3' }
      ]
    ],
    ['the first = separates', 'Query=a=b&c=d', [{ name: 'Query', value: 'a=b&c=d' }]],
    ['non-ASCII', '환경=운영 🚀', [{ name: '환경', value: '운영 🚀' }]],
    [
      'a JSON object, numbers and booleans as text',
      '{"Env": "prod", "Replicas": 3, "Canary": false}',
      [
        { name: 'Env', value: 'prod' },
        { name: 'Replicas', value: '3' },
        { name: 'Canary', value: 'false' }
      ]
    ]
  ])('%s', (_name, text, expected) => {
    expect(parseFields(text)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['a line without =', 'Env=prod\nnot a field', /item 2 \('not a field'\) is not Name=Value/],
    ['an empty name', '=value', /is not Name=Value/],
    ['broken JSON', '{"Env": ', /looks like JSON but does not parse/],
    ['a JSON array', '{"a": [1]}', /the value of 'a' is object/],
    ['a JSON null', '{"a": null}', /the value of 'a' is null/]
  ])('refuses %s', (_name, text, reason) => {
    const parsed = parseFields(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toMatch(reason);
  });
});

describe('parseMentions', () => {
  const role = '123456789012345678';
  const user = '876543210987654321';

  it.each([
    ['empty', '', []],
    ['role:id', `role:${role}`, [{ kind: 'role', id: role }]],
    ['user:id', `user:${user}`, [{ kind: 'user', id: user }]],
    [
      '<@&id> and <@id>',
      `<@&${role}> <@${user}>`,
      [
        { kind: 'role', id: role },
        { kind: 'user', id: user }
      ]
    ],
    ['<@!id> is a user', `<@!${user}>`, [{ kind: 'user', id: user }]],
    [
      '&id and @id',
      `&${role}, @${user}`,
      [
        { kind: 'role', id: role },
        { kind: 'user', id: user }
      ]
    ],
    ['multiline, duplicates once', `role:${role}\nROLE:${role}\n<@&${role}>`, [{ kind: 'role', id: role }]]
  ])('%s', (_name, text, expected) => {
    expect(parseMentions(text)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['@everyone', '@everyone', /never pings @everyone or @here/],
    ['@here', '@here', /never pings @everyone or @here/],
    ['everyone', 'everyone', /never pings/],
    ['a bare id', role, /bare id.*role:123456789012345678 or user:123456789012345678/],
    ['a name', '@ops-team', /is not a mention/],
    ['a short id', 'role:123', /is not a Discord id/]
  ])('refuses %s', (_name, text, reason) => {
    const parsed = parseMentions(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toMatch(reason);
  });
});

describe('snowflakeTime', () => {
  it("reads the creation time of Discord's documented example id", () => {
    expect(snowflakeTime('175928847299117063').toISOString()).toBe('2016-04-30T11:18:25.796Z');
  });
});

describe('parseTime', () => {
  it.each([
    ['2024-05-01T12:00:00Z', '2024-05-01T12:00:00.000Z'],
    ['2024-05-01T21:00:00+09:00', '2024-05-01T12:00:00.000Z'],
    ['1714564800', '2024-05-01T12:00:00.000Z'],
    ['1714564800.5', '2024-05-01T12:00:00.500Z'],
    ['1714564800000', '2024-05-01T12:00:00.000Z']
  ])('%s', (text, iso) => {
    const parsed = parseTime(text);
    expect(parsed.ok && parsed.value.toISOString()).toBe(iso);
  });

  it.each(['yesterday', '2024-13-45T99:00:00Z', '12', ''])('refuses %j', (text) => {
    expect(parseTime(text).ok).toBe(false);
  });
});
