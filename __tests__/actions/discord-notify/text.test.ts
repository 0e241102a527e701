import { describe, expect, it } from '@jest/globals';
import {
  codePointLength,
  ELLIPSIS,
  escapeMarkdown,
  firstLine,
  truncate
} from '../../../src/actions/discord-notify/text.js';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const FAMILY = '👨‍👩‍👧‍👦'; // 7 code points joined by ZWJ
const KOREAN_NFD = '한국어'.normalize('NFD'); // 3 + 3 + 2 code points of conjoining jamo

describe('codePointLength', () => {
  it.each([
    ['', 0],
    ['abc', 3],
    ['배포', 2],
    ['😀', 1],
    [FAMILY, 7],
    ['🇰🇷', 2],
    ['a\r\nb', 4]
  ])('%j has %d code points', (text, expected) => {
    expect(codePointLength(text)).toBe(expected);
  });
});

describe('truncate', () => {
  it.each([
    ['empty', '', 10, ''],
    ['shorter than the limit', 'abc', 10, 'abc'],
    ['exactly the limit', 'abcde', 5, 'abcde'],
    ['limit + 1', 'abcdef', 5, 'abcd…'],
    ['limit 1', 'abc', 1, '…'],
    ['limit 0', 'abc', 0, ''],
    ['one character over a limit of 2', 'abc', 2, 'a…'],
    ['Korean syllables by code point', '배포완료했습니다', 5, '배포완료…'],
    ['Korean exactly at the limit', '배포완료', 4, '배포완료'],
    ['decomposed Korean keeps whole syllables', KOREAN_NFD, 5, '한'.normalize('NFD') + ELLIPSIS],
    ['emoji are one code point, two UTF-16 units', '😀😀😀', 2, '😀…'],
    ['a ZWJ family is kept whole or dropped whole', `${FAMILY}abc`, 5, ELLIPSIS],
    ['a ZWJ family that fits stays', `${FAMILY}abc`, 9, `${FAMILY}a…`],
    ['flags are not split into regional letters', '🇰🇷🇯🇵', 3, '🇰🇷…'],
    ['skin tones stay on their emoji', '👍🏽👍🏽', 3, '👍🏽…'],
    ['CRLF is one cluster and is not split', 'ab\r\ncd', 4, 'ab…'],
    ['trailing spaces go before the ellipsis', 'abc   def', 7, 'abc…'],
    ['combining accents stay on their letter', 'e\u0301e\u0301e\u0301', 4, 'e\u0301…']
  ])('%s', (_name, text, limit, expected) => {
    const result = truncate(text, limit);
    expect(result).toBe(expected);
    expect(codePointLength(result)).toBeLessThanOrEqual(Math.max(0, limit));
    expect(result).not.toMatch(LONE_SURROGATE);
  });

  it('never exceeds the limit nor leaves a lone surrogate, whatever the text', () => {
    const alphabet = ['a', ' ', '배', '😀', FAMILY, '🇰🇷', '👍🏽', '\r\n', 'e\u0301', '한'.normalize('NFD')];
    let seed = 42;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 500; i++) {
      const text = Array.from(
        { length: Math.floor(random() * 40) },
        () => alphabet[Math.floor(random() * alphabet.length)]
      ).join('');
      const limit = Math.floor(random() * 30);
      const result = truncate(text, limit);
      expect(codePointLength(result)).toBeLessThanOrEqual(limit);
      expect(result).not.toMatch(LONE_SURROGATE);
      if (codePointLength(text) <= limit) expect(result).toBe(text);
      else if (limit > 0) expect(result.endsWith(ELLIPSIS)).toBe(true);
    }
  });
});

describe('firstLine', () => {
  it.each([
    ['', ''],
    ['one line', 'one line'],
    ['subject\n\nbody', 'subject'],
    ['subject\r\nbody', 'subject'],
    ['subject\rbody', 'subject'],
    ['  padded  \nx', 'padded'],
    ['배포: 한국어 🚀\n본문', '배포: 한국어 🚀']
  ])('%j → %j', (text, expected) => {
    expect(firstLine(text)).toBe(expected);
  });
});

describe('escapeMarkdown', () => {
  it.each([
    ['feat_new_thing', 'feat\\_new\\_thing'],
    ['fix *bold* `code` ~strike~ |spoiler|', 'fix \\*bold\\* \\`code\\` \\~strike\\~ \\|spoiler\\|'],
    ['[link](x) <@&1> #h', '\\[link\\]\\(x\\) \\<@&1\\> #h'],
    ['# heading', '\\# heading'],
    ['- list', '\\- list'],
    ['plain 한국어', 'plain 한국어']
  ])('%j', (text, expected) => {
    expect(escapeMarkdown(text)).toBe(expected);
  });
});
