import { describe, expect, it } from '@jest/globals';
import { renderSummary } from '../../../src/core/summary.js';
import type { InvalidationResult } from '../../../src/actions/cloudfront-invalidate/invalidate.js';
import { planInvalidation } from '../../../src/actions/cloudfront-invalidate/plan.js';
import { callerReferenceFor } from '../../../src/actions/cloudfront-invalidate/reference.js';
import { summaryOf } from '../../../src/actions/cloudfront-invalidate/report.js';

describe('callerReferenceFor', () => {
  const env = { GITHUB_REPOSITORY: 'acme/site', GITHUB_RUN_ID: '7', GITHUB_RUN_ATTEMPT: '2' };
  const ref = (batch: string[], index = 0, e: NodeJS.ProcessEnv = env, now = 5) =>
    callerReferenceFor(batch, index, { env: e, now });

  it('is the same for the same run, attempt and path set, in any order', () => {
    expect(ref(['/a', '/b'])).toBe(ref(['/b', '/a']));
    expect(ref(['/a'])).toMatch(/^deploy-actions-7-2-[0-9a-f]{24}$/);
  });
  it.each([
    ['another path set', ref(['/a', '/c'])],
    ['another attempt', ref(['/a', '/b'], 0, { ...env, GITHUB_RUN_ATTEMPT: '3' })],
    ['another run', ref(['/a', '/b'], 0, { ...env, GITHUB_RUN_ID: '8' })],
    ['another repository', ref(['/a', '/b'], 0, { ...env, GITHUB_REPOSITORY: 'acme/other' })]
  ])('differs for %s', (_name, other) => expect(other).not.toBe(ref(['/a', '/b'])));
  it('outside GitHub Actions includes the start time', () => {
    expect(ref(['/a'], 0, {}, 123)).toMatch(/^deploy-actions-local-123-[0-9a-f]{24}$/);
    expect(ref(['/a'], 0, {}, 123)).not.toBe(ref(['/a'], 0, {}, 124));
  });
  it('uses a given reference as is, suffixed for later batches', () => {
    const given = (index: number) =>
      callerReferenceFor(['/a'], index, { explicit: 'release-1', env, now: 0 });
    expect([given(0), given(1), given(2)]).toEqual(['release-1', 'release-1-2', 'release-1-3']);
  });
});

describe('summaryOf', () => {
  const plan = planInvalidation({
    changed: ['/index.html', ...Array.from({ length: 120 }, (_, i) => `/a/${i}|x.js`)],
    maxPaths: 200,
    siteKeys: ['/index.html', ...Array.from({ length: 120 }, (_, i) => `/a/${i}|x.js`), '/a/old.js']
  });
  const result: InvalidationResult = {
    distributionId: 'E2EXAMPLE12345',
    plan,
    invalidations: [{ id: 'IABC', status: 'Completed', paths: [], callerReference: 'r', reused: true }],
    status: 'Completed',
    submitMs: 1200,
    waitMs: 65_000,
    timedOut: false
  };

  it('shows the facts, the plan table (first 100 rows) and a console link', () => {
    const markdown = renderSummary(summaryOf(result, 200));
    expect(markdown).toContain('### ✅ cloudfront-invalidate: 122 path(s) invalidated on E2EXAMPLE12345');
    expect(markdown).toContain('| **Invalidation** | IABC (reused): Completed |');
    expect(markdown).toContain('| **Unchanged objects evicted** | 0 |');
    expect(markdown).toContain('| **Waited** | 1m 05s |');
    expect(markdown).toContain('| /a/0%7Cx.js | 1 | 0 | changed |');
    expect(markdown).toContain('… and 22 more paths');
    expect(markdown).toContain(
      '(https://us-east-1.console.aws.amazon.com/cloudfront/v4/home#/distributions/E2EXAMPLE12345/invalidations/details/IABC)'
    );
  });

  it.each([
    [{ status: 'Skipped' as const, invalidations: [] }, 'ℹ️ cloudfront-invalidate: nothing to invalidate'],
    [
      { status: 'Planned' as const, invalidations: [] },
      '📝 cloudfront-invalidate: 122 path(s) planned (dry run)'
    ],
    [
      { status: 'InProgress' as const, timedOut: true },
      '⏳ cloudfront-invalidate: 122 path(s) still invalidating on E2EXAMPLE12345'
    ]
  ])('titles %j', (change, title) => {
    expect(summaryOf({ ...result, ...change }, 200).title).toBe(title);
  });
});
