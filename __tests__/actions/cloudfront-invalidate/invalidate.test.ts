/**
 * The engine against the CloudFront stand-in through the real @aws-sdk/client-cloudfront. Sleep and clock
 * are injected: waits cost no time, and completions are driven by poll counts or by the test itself.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { CloudFrontClient, CreateInvalidationCommand } from '@aws-sdk/client-cloudfront';
import { ConfigError, InputError } from '../../../src/core/errors.js';
import { MemoryLogger } from '../../../src/core/logger.js';
import {
  invalidate,
  type InvalidateDeps,
  type InvalidateOptions
} from '../../../src/actions/cloudfront-invalidate/invalidate.js';
import { startCloudFrontServer, type CloudFrontFake } from '../../fakes/cloudfront-server.mjs';

const DIST = 'E2EXAMPLE12345';
let cf: CloudFrontFake;
let client: CloudFrontClient;
let logger: MemoryLogger;

/** A clock that only moves when the code under test sleeps. */
function fakeTime(onSleep?: (ms: number, count: number) => void) {
  let t = 1_000_000;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => t,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      t += ms;
      onSleep?.(ms, sleeps.length);
    }
  };
}

function deps(time = fakeTime()): InvalidateDeps {
  return { cloudfront: client, logger, sleep: time.sleep, now: time.now, random: () => 0.5 };
}

const base: InvalidateOptions = {
  distributionId: DIST,
  changedPaths: ['/index.html', '/assets/app.js'],
  maxPaths: 15,
  wait: true,
  timeoutMs: 20 * 60_000,
  env: { GITHUB_REPOSITORY: 'acme/site', GITHUB_RUN_ID: '42', GITHUB_RUN_ATTEMPT: '1' }
};

const operations = () => cf.requests().map((r) => (r.error ? `${r.operation}:${r.error}` : r.operation));

beforeAll(async () => {
  const distributions = [
    ...Array.from({ length: 130 }, (_, i) => ({
      id: `EFILLER${String(i).padStart(7, '0')}`,
      aliases: [`s${i}.example.org`]
    })),
    { id: DIST, aliases: ['www.example.com', 'example.com'] },
    { id: 'EWILDCARD00001', aliases: ['*.preview.example.com'] }
  ];
  cf = await startCloudFrontServer({ distributions });
  client = new CloudFrontClient({
    endpoint: cf.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' },
    maxAttempts: 5
  });
});
afterAll(async () => {
  client.destroy();
  await cf.close();
});
beforeEach(() => {
  cf.reset();
  logger = new MemoryLogger();
});

describe('invalidate', () => {
  it('looks at in-progress invalidations, submits once, then polls until Completed', async () => {
    const result = await invalidate(base, deps());
    expect(result.status).toBe('Completed');
    expect(result.timedOut).toBe(false);
    expect(result.invalidations).toHaveLength(1);
    expect(result.invalidations[0]?.paths).toEqual(['/', '/assets/app.js', '/index.html']);
    expect(operations()).toEqual([
      'ListInvalidations',
      'CreateInvalidation',
      'GetInvalidation',
      'GetInvalidation'
    ]);
    expect(cf.invalidations()).toEqual([
      expect.objectContaining({
        id: result.invalidations[0]?.id,
        status: 'Completed',
        paths: ['/', '/assets/app.js', '/index.html']
      })
    ]);
    expect(logger.text()).toMatch(/Invalidation I\w+ completed after \d/);
  });

  it('does not wait when wait is false', async () => {
    const result = await invalidate({ ...base, wait: false }, deps());
    expect(result.status).toBe('InProgress');
    expect(operations()).toEqual(['ListInvalidations', 'CreateInvalidation']);
  });

  it('finds the distribution by alias across pages of ListDistributions', async () => {
    const result = await invalidate(
      { ...base, distributionId: undefined, distributionAlias: 'Example.com' },
      deps()
    );
    expect(result.distributionId).toBe(DIST);
    expect(operations().filter((o) => o === 'ListDistributions')).toHaveLength(2);
    expect(cf.invalidations()[0]?.distributionId).toBe(DIST);
  });

  it('matches a wildcard alias when no exact one exists', async () => {
    const result = await invalidate(
      { ...base, distributionId: undefined, distributionAlias: 'pr-7.preview.example.com' },
      deps()
    );
    expect(result.distributionId).toBe('EWILDCARD00001');
  });

  it('fails clearly for an unknown alias and creates nothing', async () => {
    await expect(
      invalidate({ ...base, distributionId: undefined, distributionAlias: 'nope.example.net' }, deps())
    ).rejects.toThrow(
      new ConfigError(
        "No CloudFront distribution has the alias 'nope.example.net' (searched 132); check distribution-alias, or give distribution-id."
      )
    );
    expect(operations().every((o) => o === 'ListDistributions')).toBe(true);
  });

  it('rejects keys outside origin-path before any request', async () => {
    await expect(
      invalidate({ ...base, originPath: '/site', changedPaths: ['/site/a.js', '/other/b.js'] }, deps())
    ).rejects.toThrow(InputError);
    expect(cf.requests()).toEqual([]);
  });

  it('strips origin-path from the keys', async () => {
    const result = await invalidate(
      { ...base, originPath: 'site/', changedPaths: ['/site/docs/index.html'] },
      deps()
    );
    expect(result.invalidations[0]?.paths).toEqual(['/docs', '/docs/', '/docs/index.html']);
  });

  it('makes no request for a dry run or when nothing changed', async () => {
    expect((await invalidate({ ...base, dryRun: true }, deps())).status).toBe('Planned');
    expect((await invalidate({ ...base, changedPaths: [] }, deps())).status).toBe('Skipped');
    expect(cf.requests()).toEqual([]);
  });

  it('backs off with jitter on TooManyInvalidationsInProgress, then submits', async () => {
    cf.configure({ rejectCreates: 2 });
    const time = fakeTime();
    const result = await invalidate({ ...base, wait: false }, deps(time));
    expect(result.invalidations).toHaveLength(1);
    expect(operations()).toEqual([
      'ListInvalidations',
      'CreateInvalidation:TooManyInvalidationsInProgress',
      'CreateInvalidation:TooManyInvalidationsInProgress',
      'CreateInvalidation'
    ]);
    // Full jitter (random 0.5) of an exponential backoff from 5 s.
    expect(time.sleeps).toEqual([2500, 5000]);
    expect(logger.text()).toMatch(/CreateInvalidation: attempt 1\/30 failed .*retrying in 2\.5s/);
  });

  it('gives up at the timeout when CloudFront keeps refusing, with a clear error', async () => {
    cf.configure({ rejectCreates: 1000 });
    await expect(invalidate({ ...base, timeoutMs: 60_000 }, deps())).rejects.toThrow(
      /kept answering TooManyInvalidationsInProgress for [^;]+; nothing was submitted/
    );
  });

  it('survives throttling bursts (the SDK retries)', async () => {
    cf.configure({ throttle: { requests: 1, windowMs: 100 } });
    const result = await invalidate(base, deps());
    expect(result.status).toBe('Completed');
    expect(operations()).toContain('CreateInvalidation:Throttling');
  });

  it('waits for room when the wildcard quota is full, and submits once there is', async () => {
    cf.configure({ neverComplete: true });
    // Another deployment holds all 15 wildcards; the test completes it during the engine's 2nd sleep.
    const busy = await client.send(
      new CreateInvalidationCommand({
        DistributionId: DIST,
        InvalidationBatch: {
          CallerReference: 'other-deploy',
          Paths: { Quantity: 15, Items: Array.from({ length: 15 }, (_, i) => `/w${i}/*`) }
        }
      })
    );
    const time = fakeTime((_ms, count) => {
      if (count === 2) cf.complete(busy.Invalidation?.Id);
    });
    const result = await invalidate(
      { ...base, wait: false, paths: ['/assets/*'], changedPaths: [] },
      deps(time)
    );
    expect(result.invalidations).toHaveLength(1);
    expect(logger.text()).toMatch(
      /1 invalidation\(s\) in progress .*\(0 files, 15 wildcards\): no room yet for 0 files and 1 wildcards, waiting/
    );
    expect(operations().filter((o) => o.startsWith('CreateInvalidation'))).toEqual([
      'CreateInvalidation',
      'CreateInvalidation'
    ]);
  });

  it('submits more than 15 wildcards in sequential requests, each after the previous left room', async () => {
    cf.configure({ completeAfterPolls: 1 });
    const paths = Array.from({ length: 20 }, (_, i) => `/d${String(i).padStart(2, '0')}/*`);
    const result = await invalidate({ ...base, paths, changedPaths: [], maxPaths: 20 }, deps());
    expect(result.invalidations.map((i) => i.paths.length)).toEqual([15, 5]);
    expect(result.status).toBe('Completed');
    const creates = operations().filter((o) => o.startsWith('CreateInvalidation'));
    expect(creates).toEqual(['CreateInvalidation', 'CreateInvalidation']);
    expect(new Set(result.invalidations.map((i) => i.callerReference)).size).toBe(2);
  });

  it('a retried step reuses its invalidation (same caller reference), in progress or not', async () => {
    const first = await invalidate({ ...base, wait: false }, deps());
    logger = new MemoryLogger();
    const second = await invalidate({ ...base, wait: false }, deps());
    expect(second.invalidations[0]?.id).toBe(first.invalidations[0]?.id);
    expect(second.invalidations[0]?.reused).toBe(true);
    expect(logger.text()).toMatch(/already has caller reference deploy-actions-42-1-\w+: reusing it/);
    cf.complete();
    const third = await invalidate({ ...base, wait: false }, deps());
    expect(third.invalidations[0]?.id).toBe(first.invalidations[0]?.id);
    expect(cf.invalidations()).toHaveLength(1);
    expect(cf.invalidations()[0]?.replays).toBe(2);
    // A new run attempt is a new deployment: a new invalidation.
    await invalidate({ ...base, wait: false, env: { ...base.env, GITHUB_RUN_ATTEMPT: '2' } }, deps());
    expect(cf.invalidations()).toHaveLength(2);
  });

  it('explains a caller-reference reused for other paths', async () => {
    await invalidate({ ...base, wait: false, callerReference: 'fixed' }, deps());
    await expect(
      invalidate({ ...base, wait: false, callerReference: 'fixed', changedPaths: ['/other.html'] }, deps())
    ).rejects.toThrow("Caller reference 'fixed' was already used on E2EXAMPLE12345 for other paths");
  });

  it('keeps waiting through a failed status check', async () => {
    const once = new CloudFrontClient({
      endpoint: cf.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' },
      maxAttempts: 1
    });
    try {
      cf.configure({ failGets: 1 });
      const result = await invalidate(base, { ...deps(), cloudfront: once });
      expect(result.status).toBe('Completed');
      expect(operations()).toContain('GetInvalidation:ServiceUnavailable');
      expect(logger.text()).toMatch(/Could not check I\w+ \(ServiceUnavailable\); checking again/);
    } finally {
      once.destroy();
    }
  });

  it('stops waiting at the timeout and says so, leaving the invalidation running', async () => {
    cf.configure({ neverComplete: true });
    const result = await invalidate({ ...base, timeoutMs: 60_000 }, deps());
    expect(result).toMatchObject({ status: 'InProgress', timedOut: true });
    expect(result.waitMs).toBeGreaterThanOrEqual(60_000 - 1);
    expect(logger.text()).toMatch(
      /Waiting for invalidation I\w+: still waiting after \d+\.\ds \(InProgress\)/
    );
    expect(cf.invalidations()[0]?.status).toBe('InProgress');
  });

  it('reports an unknown distribution id clearly', async () => {
    await expect(invalidate({ ...base, distributionId: 'EDOESNOTEXIST1' }, deps())).rejects.toThrow(
      /NoSuchDistribution|does not exist/
    );
  });
});
