import { describe, expect, it } from '@jest/globals';
import { placeholderMap, replacePlaceholders } from '../../../src/actions/flyway-migrate/placeholders.js';

const values = placeholderMap([
  ['owner', 'app_user'],
  ['Empty', ''],
  ['flyway:defaultSchema', 'public'],
  ['nested', '${owner}'],
  ['ab', 'AB']
]);

describe('replacePlaceholders (Flyway §4)', () => {
  it.each([
    ['no placeholders', 'SELECT 1;', 'SELECT 1;'],
    ['one', 'GRANT SELECT ON t TO ${owner};', 'GRANT SELECT ON t TO app_user;'],
    ['case-insensitive name', '${OWNER} ${Owner}', 'app_user app_user'],
    ['empty value emits nothing', 'a${empty}b', 'ab'],
    ['built-in', 'SET search_path = ${flyway:defaultSchema};', 'SET search_path = public;'],
    ['values are not rescanned', '${nested}', '${owner}'],
    ['$${x} is left as is', "SELECT '$${owner}'", "SELECT '$${owner}'"],
    ['inside comments and strings', "-- ${owner}\nSELECT '${owner}';", "-- app_user\nSELECT 'app_user';"],
    ['a lone $', 'SELECT $1, $$body$$', 'SELECT $1, $$body$$'],
    ['unterminated at EOF chops the last char', 'x ${abc', 'x AB'],
    ['Korean around it', '한국어 ${owner} 테이블', '한국어 app_user 테이블'],
    ['CRLF kept', 'a\r\n${owner}\r\n', 'a\r\napp_user\r\n']
  ])('%s', (_name, input, expected) => {
    expect(replacePlaceholders(input, values)).toBe(expected);
  });

  it("fails on an undefined placeholder with Flyway's message", () => {
    expect(() => replacePlaceholders('SELECT ${missing};', values)).toThrow(
      'No value provided for placeholder: ${missing}.  Check your configuration!'
    );
  });

  it("fails on an unknown built-in with Flyway's message", () => {
    expect(() => replacePlaceholders('${flyway:nope}', values)).toThrow(
      'Failed to populate value for default placeholder: ${flyway:nope}'
    );
  });

  it('names may contain spaces and newlines up to the first }', () => {
    expect(() => replacePlaceholders('${a b\nc}', values)).toThrow('${a b\nc}');
  });

  it('honours a custom prefix and suffix', () => {
    expect(
      replacePlaceholders('#[owner] ${owner}', values, { prefix: '#[', suffix: ']', separator: ':' })
    ).toBe('app_user ${owner}');
  });
});
