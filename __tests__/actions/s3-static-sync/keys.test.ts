import { describe, expect, it } from '@jest/globals';
import {
  normalizePrefix,
  relativeKeyPath,
  toKey,
  toUrlPath
} from '../../../src/actions/s3-static-sync/keys.js';

describe('normalizePrefix', () => {
  it.each([
    ['', ''],
    ['/', ''],
    ['site', 'site/'],
    ['/site/', 'site/'],
    ['app/v2', 'app/v2/'],
    ['a\\b', 'a/b/'],
    ['  spaced  ', 'spaced/'],
    ['사이트', '사이트/']
  ])('%j → %j', (input, expected) => {
    expect(normalizePrefix(input)).toBe(expected);
  });

  it.each(['..', 'a/../b', 'a//b', './a'])('rejects %j', (input) => {
    expect(normalizePrefix(input)).toEqual({ error: expect.stringContaining("'.' or '..' segment") });
  });

  it('normalises a decomposed (macOS) prefix to NFC', () => {
    expect(normalizePrefix('한글'.normalize('NFD'))).toBe('한글/');
  });
});

describe('toKey', () => {
  it('joins prefix and relative path with /', () => {
    expect(toKey('', 'index.html')).toBe('index.html');
    expect(toKey('site/', 'a/b c/한글.txt')).toBe('site/a/b c/한글.txt');
  });

  it.each(['', '/etc/passwd', '../x', 'a/../../x', 'a//b', './a'])('refuses %j', (rel) => {
    expect(() => toKey('p/', rel)).toThrow();
  });

  it('enforces S3’s 1,024-byte limit, counting UTF-8 bytes', () => {
    expect(toKey('', 'a'.repeat(1024))).toHaveLength(1024);
    expect(() => toKey('', 'a'.repeat(1025))).toThrow('1024 bytes');
    expect(() => toKey('', '한'.repeat(342))).toThrow('1024 bytes'); // 1,026 bytes in 342 characters
    expect(toKey('', '한'.repeat(341))).toHaveLength(341);
  });

  it('builds NFC relative paths from OS parts', () => {
    expect(relativeKeyPath(['한글'.normalize('NFD'), 'é.txt'.normalize('NFD')])).toBe('한글/é.txt');
    expect(toUrlPath('a/b.html')).toBe('/a/b.html');
  });
});
