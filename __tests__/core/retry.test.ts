import { describe, expect, it } from '@jest/globals';
import { MemoryLogger } from '../../src/core/logger.js';
import { backoffDelay, poll, retry, type PollResult } from '../../src/core/retry.js';

/** A fake clock whose sleep advances time instantly and records every wait. */
function fakeClock() {
  let now = 0;
  const waits: number[] = [];
  return {
    waits,
    now: () => now,
    sleep: async (ms: number) => {
      waits.push(ms);
      now += ms;
    }
  };
}

describe('backoffDelay', () => {
  it.each([
    [1, 500, 20_000, 1, 500],
    [2, 500, 20_000, 1, 1000],
    [3, 500, 20_000, 1, 2000],
    [10, 500, 20_000, 1, 20_000],
    [3, 500, 20_000, 0, 0],
    [3, 500, 20_000, 0.5, 1000]
  ])('attempt %d base %d max %d random %d → %d ms', (attempt, base, max, random, expected) => {
    expect(backoffDelay(attempt, base, max, () => random)).toBe(expected);
  });
});

describe('retry', () => {
  it('returns the first success without waiting', async () => {
    const clock = fakeClock();
    await expect(retry(async () => 'ok', { label: 't', attempts: 3, sleep: clock.sleep })).resolves.toBe(
      'ok'
    );
    expect(clock.waits).toEqual([]);
  });

  it('retries up to the attempt limit, then throws the last error', async () => {
    const clock = fakeClock();
    let calls = 0;
    const run = retry(
      async (attempt) => {
        calls++;
        throw new Error(`fail ${attempt}`);
      },
      { label: 't', attempts: 4, sleep: clock.sleep, random: () => 1, baseDelayMs: 100 }
    );
    await expect(run).rejects.toThrow('fail 4');
    expect(calls).toBe(4);
    expect(clock.waits).toEqual([100, 200, 400]);
  });

  it('stops at once on a non-retryable error', async () => {
    const clock = fakeClock();
    let calls = 0;
    const run = retry(
      async () => {
        calls++;
        throw new Error('400 bad request');
      },
      { label: 't', attempts: 5, sleep: clock.sleep, retryable: () => false }
    );
    await expect(run).rejects.toThrow('400 bad request');
    expect(calls).toBe(1);
  });

  it('waits exactly as long as the error asks', async () => {
    const clock = fakeClock();
    let calls = 0;
    const value = await retry(
      async () => {
        if (++calls < 3) throw new Error('429');
        return calls;
      },
      { label: 't', attempts: 5, sleep: clock.sleep, retryable: () => ({ afterMs: 1250 }) }
    );
    expect(value).toBe(3);
    expect(clock.waits).toEqual([1250, 1250]);
  });

  it('gives up rather than exceed the total wait budget', async () => {
    const clock = fakeClock();
    let calls = 0;
    const run = retry(
      async () => {
        calls++;
        throw new Error('slow down');
      },
      {
        label: 't',
        attempts: 10,
        sleep: clock.sleep,
        retryable: () => ({ afterMs: 4000 }),
        maxTotalDelayMs: 10_000
      }
    );
    await expect(run).rejects.toThrow('slow down');
    expect(clock.waits).toEqual([4000, 4000]);
    expect(calls).toBe(3);
  });

  it('logs each retry with its label', async () => {
    const logger = new MemoryLogger();
    const clock = fakeClock();
    let calls = 0;
    await retry(
      async () => {
        if (++calls < 2) throw new Error('boom');
      },
      { label: 'Posting to Discord', attempts: 2, sleep: clock.sleep, random: () => 0, logger }
    );
    expect(logger.messages('info')).toEqual([
      'Posting to Discord: attempt 1/2 failed (boom); retrying in 0ms'
    ]);
  });

  it('rejects a zero attempt count', async () => {
    await expect(retry(async () => 1, { label: 't', attempts: 0 })).rejects.toThrow('attempts must be ≥ 1');
  });
});

describe('poll', () => {
  it('polls with growing intervals until done', async () => {
    const clock = fakeClock();
    let calls = 0;
    const outcome = await poll<string>(
      async (): Promise<PollResult<string>> =>
        ++calls === 4 ? { done: true, value: 'Completed' } : { done: false },
      {
        label: 'p',
        timeoutMs: 60_000,
        intervalMs: 1000,
        factor: 2,
        maxIntervalMs: 3000,
        sleep: clock.sleep,
        now: clock.now
      }
    );
    expect(outcome).toEqual({ timedOut: false, value: 'Completed', elapsedMs: 6000 });
    expect(clock.waits).toEqual([1000, 2000, 3000]);
  });

  it('times out, never sleeping past the deadline, and reports the last status', async () => {
    const clock = fakeClock();
    const outcome = await poll(async () => ({ done: false, status: 'InProgress' }), {
      label: 'p',
      timeoutMs: 5000,
      intervalMs: 2000,
      factor: 1,
      sleep: clock.sleep,
      now: clock.now
    });
    expect(outcome).toEqual({ timedOut: true, elapsedMs: 5000, status: 'InProgress' });
    expect(clock.waits).toEqual([2000, 2000, 1000]);
  });

  it('says how long it has been waiting', async () => {
    const clock = fakeClock();
    const logger = new MemoryLogger();
    await poll(async () => ({ done: false, status: 'InProgress' }), {
      label: 'Invalidation I1',
      timeoutMs: 130_000,
      intervalMs: 10_000,
      factor: 1,
      sleep: clock.sleep,
      now: clock.now,
      logger,
      reportEveryMs: 60_000
    });
    expect(logger.messages('info')).toEqual([
      'Invalidation I1: still waiting after 1m 00s (InProgress)',
      'Invalidation I1: still waiting after 2m 00s (InProgress)'
    ]);
  });
});
