import { describe, expect, it } from '@jest/globals';
import {
  Semaphore,
  deleteBatches,
  partSizeFor,
  runBounded
} from '../../../src/actions/s3-static-sync/transfer.js';
import { Progress } from '../../../src/actions/s3-static-sync/progress.js';
import { parseSize } from '../../../src/actions/s3-static-sync/inputs.js';

const MiB = 1024 * 1024;

describe('deleteBatches', () => {
  it.each([
    [0, []],
    [1, [1]],
    [1000, [1000]],
    [1001, [1000, 1]],
    [2500, [1000, 1000, 500]]
  ])('%d keys → batches of %j', (n, sizes) => {
    const keys = Array.from({ length: n }, (_, i) => `k${i}`);
    const batches = deleteBatches(keys);
    expect(batches.map((b) => b.length)).toEqual(sizes);
    expect(batches.flat()).toEqual(keys);
  });
});

describe('partSizeFor', () => {
  it.each([
    [10 * MiB, 8 * MiB, 8 * MiB],
    [10 * MiB, 1 * MiB, 5 * MiB],
    [100_000 * MiB, 8 * MiB, 10 * MiB],
    [80_000 * MiB, 8 * MiB, 8 * MiB],
    [80_000 * MiB + 1, 8 * MiB, 8 * MiB + 1]
  ])('a %d-byte file with threshold %d uses %d-byte parts', (size, threshold, expected) => {
    expect(partSizeFor(size, threshold)).toBe(expected);
  });
});

describe('parseSize', () => {
  it.each([
    ['5242880', 5 * MiB],
    ['8MiB', 8 * MiB],
    ['8mib', 8 * MiB],
    ['8M', 8 * MiB],
    ['8MB', 8_000_000],
    ['1.5GiB', 1.5 * 1024 * MiB],
    ['5 MiB', 5 * MiB],
    ['8 parsecs', undefined],
    ['', undefined],
    ['-1', undefined]
  ])('%j → %j', (text, expected) => {
    expect(parseSize(text)).toBe(expected);
  });
});

describe('runBounded', () => {
  it('never runs more than the limit at once and runs everything', async () => {
    let running = 0;
    let peak = 0;
    const seen: number[] = [];
    const done = await runBounded([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setImmediate(resolve));
      seen.push(n);
      running--;
    });
    expect([done, peak, seen.sort()]).toEqual([7, 3, [1, 2, 3, 4, 5, 6, 7]]);
  });

  it('starts nothing after the first failure, lets in-flight work finish, then throws it', async () => {
    const started: number[] = [];
    const finished: number[] = [];
    const run = runBounded([1, 2, 3, 4, 5, 6], 2, async (n) => {
      started.push(n);
      await new Promise((resolve) => setImmediate(resolve));
      if (n === 2) throw new Error('boom 2');
      await new Promise((resolve) => setImmediate(resolve));
      finished.push(n);
    });
    await expect(run).rejects.toThrow('boom 2');
    expect(started).toEqual([1, 2]);
    expect(finished).toEqual([1]);
  });

  it('handles no items', async () => {
    await expect(runBounded([], 4, async () => undefined)).resolves.toBe(0);
  });
});

describe('Progress', () => {
  it('prints at most once per interval, with files, bytes and rate', () => {
    let clock = 0;
    const lines: string[] = [];
    const progress = new Progress(
      'Uploading assets',
      4,
      4 * MiB,
      (l) => lines.push(l),
      () => clock,
      5000
    );
    progress.addBytes(MiB);
    progress.fileDone();
    clock = 5000;
    progress.addBytes(MiB);
    progress.fileDone();
    clock = 6000;
    progress.addBytes(2 * MiB);
    progress.fileDone();
    progress.fileDone();
    progress.finish();
    expect(lines).toEqual([
      'Uploading assets: 1/4 files, 2.00 MiB of 4.00 MiB (409.6 KiB/s, 5.0s)',
      'Uploading assets: 4/4 files, 4.00 MiB of 4.00 MiB (682.7 KiB/s, 6.0s)'
    ]);
  });
});

describe('Semaphore', () => {
  it('lets at most n in at once, the rest in arrival order, and frees slots on failure', async () => {
    const slots = new Semaphore(2);
    let inside = 0;
    let peak = 0;
    const order: number[] = [];
    const task = (n: number, fail = false) =>
      slots.run(async () => {
        inside++;
        peak = Math.max(peak, inside);
        order.push(n);
        await new Promise((resolve) => setImmediate(resolve));
        inside--;
        if (fail) throw new Error(`task ${n}`);
        return n;
      });
    const results = await Promise.allSettled([task(1), task(2, true), task(3), task(4), task(5)]);
    expect(results.map((r) => r.status)).toEqual([
      'fulfilled',
      'rejected',
      'fulfilled',
      'fulfilled',
      'fulfilled'
    ]);
    expect([peak, order]).toEqual([2, [1, 2, 3, 4, 5]]);
  });
});
