import { describe, expect, it } from '@jest/globals';
import {
  compareKeys,
  listRanges,
  placeKey,
  sortKeys,
  type ListRange
} from '../../../src/actions/s3-static-sync/ranges.js';

const keys = (n: number) => Array.from({ length: n }, (_, i) => `k${String(i).padStart(4, '0')}`);

/** Which range a key falls in, asserting it falls in exactly one. */
function owner(ranges: ListRange[], key: string): number {
  const inside = ranges.flatMap((range, i) => (placeKey(range, key) === 'inside' ? [i] : []));
  expect(inside).toHaveLength(1);
  return inside[0] as number;
}

describe('compareKeys and sortKeys: S3 listing order (UTF-8 bytes)', () => {
  it('orders characters above U+FFFF after U+E000-U+FFFF, unlike a JavaScript string sort', () => {
    const emoji = 'a😀'; // U+1F600: UTF-16 surrogates D83D DE00, UTF-8 F0 9F 98 80
    const privateUse = 'a\uE000'; // UTF-8 EE 80 80
    expect([emoji, privateUse].sort()).toEqual([emoji, privateUse]);
    expect(sortKeys([emoji, privateUse])).toEqual([privateUse, emoji]);
    expect(compareKeys(privateUse, emoji)).toBeLessThan(0);
  });

  it('sorts ASCII, Korean and folder separators byte-wise', () => {
    expect(sortKeys(['한글/b', 'a/b', 'a-b', 'a/a', 'B', '한'])).toEqual([
      'B',
      'a-b',
      'a/a',
      'a/b',
      '한',
      '한글/b'
    ]);
    expect(compareKeys('x', 'x')).toBe(0);
  });
});

describe('listRanges', () => {
  it.each([0, 1, 989, 990])('lists %d local keys in one plain range', (n) => {
    expect(listRanges(keys(n))).toEqual([{}]);
  });

  it('cuts every 990 keys, starting each range after the key before it', () => {
    const local = keys(2000);
    expect(listRanges(local)).toEqual([
      { until: 'k0990' },
      { startAfter: 'k0989', from: 'k0990', until: 'k1980' },
      { startAfter: 'k1979', from: 'k1980' }
    ]);
  });

  it('grows the ranges instead of making more than the maximum', () => {
    const ranges = listRanges(keys(5000), 10, 7);
    expect(ranges).toHaveLength(7);
    expect(ranges[1]).toEqual({ startAfter: 'k0714', from: 'k0715', until: 'k1430' });
  });

  it('puts every possible key, local or not, in exactly one range', () => {
    const local = keys(50);
    const ranges = listRanges(local, 7);
    expect(ranges).toHaveLength(8);
    const probes = [...local, '', 'a', 'k0006~', 'k0007', 'k0006', 'k0013z', 'k0049', 'k9', 'z', '한'];
    const owners = probes.map((key) => owner(ranges, key));
    expect(owners.slice(0, 50)).toEqual(local.map((_, i) => Math.floor(i / 7)));
    // Between two local keys: the range of the smaller; before all: the first; after all: the last.
    expect(owners.slice(50)).toEqual([0, 0, 0, 1, 0, 1, 7, 7, 7, 7]);
  });
});

describe('placeKey', () => {
  it('keeps [from, until) and says where a key outside lies', () => {
    const range: ListRange = { startAfter: 'b', from: 'c', until: 'f' };
    expect(['b', 'c', 'e~', 'f', 'g'].map((key) => placeKey(range, key))).toEqual([
      'before',
      'inside',
      'inside',
      'after',
      'after'
    ]);
    expect(placeKey({}, 'anything')).toBe('inside');
  });
});
