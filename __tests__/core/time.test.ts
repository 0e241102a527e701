import { describe, expect, it } from '@jest/globals';
import { formatBytes, formatDuration } from '../../src/core/time.js';

describe('formatDuration', () => {
  it.each([
    [0, '0ms'],
    [850, '850ms'],
    [1000, '1.0s'],
    [12_340, '12.3s'],
    [60_000, '1m 00s'],
    [184_000, '3m 04s'],
    [3_720_000, '1h 2m']
  ])('%d ms → %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe('formatBytes', () => {
  it.each([
    [0, '0 B'],
    [1023, '1023 B'],
    [1024, '1.00 KiB'],
    [1536, '1.50 KiB'],
    [23 * 1024 * 1024, '23.0 MiB'],
    [1.2 * 1024 ** 3, '1.20 GiB']
  ])('%d → %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });
});
