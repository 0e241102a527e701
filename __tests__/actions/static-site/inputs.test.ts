import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { getInputs } from '../../../src/actions/static-site/inputs.js';
import { deploySummary } from '../../../src/actions/static-site/summary.js';
import type { InvalidationResult } from '../../../src/actions/cloudfront-invalidate/invalidate.js';
import { planInvalidation } from '../../../src/actions/cloudfront-invalidate/plan.js';
import type { SyncResult } from '../../../src/actions/s3-static-sync/sync.js';
import { withInputs } from '../../helpers/inputs.js';

let source: string;
let restore: (() => void) | undefined;
beforeAll(() => {
  source = mkdtempSync(path.join(tmpdir(), 'static-site-inputs-'));
});
afterAll(() => rmSync(source, { recursive: true, force: true }));
afterEach(() => restore?.());
const read = (values: Record<string, string>) => {
  restore = withInputs({ source, bucket: 'my-site', ...values });
  return getInputs();
};

describe('getInputs', () => {
  it('reads the sync half as s3-static-sync does and the CloudFront half with its defaults', () => {
    const inputs = read({ 'distribution-id': 'E2EXAMPLE12345', prefix: '/app/' });
    expect(inputs).toMatchObject({ source, bucket: 'my-site', prefix: 'app/', dryRun: false });
    expect(inputs.cloudfront).toEqual({
      distributionId: 'E2EXAMPLE12345',
      distributionAlias: undefined,
      paths: [],
      originPath: '',
      maxPaths: 15,
      wait: true,
      timeoutMs: 20 * 60_000,
      failOnTimeout: false,
      callerReference: undefined,
      endpointUrl: undefined
    });
  });

  it('without a distribution there is no CloudFront half', () => {
    expect(read({}).cloudfront).toBeUndefined();
  });

  it('keeps the S3 and CloudFront endpoints apart', () => {
    const inputs = read({
      'distribution-alias': 'www.example.com',
      'endpoint-url': 'http://127.0.0.1:9000',
      'cloudfront-endpoint-url': 'http://127.0.0.1:9001'
    });
    expect([inputs.endpoint, inputs.cloudfront?.endpointUrl]).toEqual([
      'http://127.0.0.1:9000',
      'http://127.0.0.1:9001'
    ]);
  });

  it.each([
    ['', 'site', ''],
    ['/site', 'site', '/site'],
    ['site/', 'site/app', '/site'],
    ['/', 'anything', '']
  ])('origin-path %j with prefix %j is %j', (origin, prefix, expected) => {
    const inputs = read({ 'distribution-id': 'E2EXAMPLE12345', 'origin-path': origin, prefix });
    expect(inputs.cloudfront?.originPath).toBe(expected);
  });

  it.each([
    [
      { 'distribution-id': 'E2EXAMPLE12345', 'origin-path': '/site' },
      /^Input 'origin-path': '\/site' does not contain the prefix '\(bucket root\)'/
    ],
    [
      { 'distribution-id': 'E2EXAMPLE12345', 'origin-path': '/site', prefix: 'sites' },
      /^Input 'origin-path': .*'sites\/'/
    ],
    [
      { 'distribution-id': 'E2EXAMPLE12345', paths: 'index.html' },
      /^Input 'paths': 'index.html' does not start with '\/'/
    ],
    [{ 'distribution-id': 'E2EXAMPLE12345', wait: 'yes please' }, /^Input 'wait'/],
    [{ 'distribution-id': 'E2EXAMPLE12345', 'max-paths': '0' }, /^Input 'max-paths'/],
    [{ paths: '/x' }, /^Input 'paths': needs a distribution/],
    // The sync half is validated first, with its own messages.
    [{ 'distribution-id': 'bad', bucket: 's3://my-site' }, /^Input 'bucket'/]
  ])('rejects %j', (values, message) => {
    expect(() => read(values)).toThrow(message);
  });
});

describe('deploySummary', () => {
  const sync: SyncResult = {
    bucket: 'my-site',
    prefix: '',
    dryRun: false,
    uploaded: 1,
    deleted: 0,
    unchanged: 2,
    bytesUploaded: 11,
    changedPaths: ['/index.html'],
    sitePaths: ['/index.html', '/a.js', '/b.js'],
    addedPaths: [],
    changes: [{ key: 'index.html', path: '/index.html', change: 'content', size: 11 }],
    skippedHidden: [],
    durationMs: 40,
    hashMs: 1
  };
  const invalidation = (status: InvalidationResult['status']): InvalidationResult => ({
    distributionId: 'E2EXAMPLE12345',
    plan: planInvalidation({ changed: status === 'Skipped' ? [] : ['/index.html'], maxPaths: 15 }),
    invalidations: [],
    status,
    submitMs: 0,
    waitMs: 0,
    timedOut: false
  });

  it.each([
    [undefined, '✅', 'no CloudFront distribution given, nothing invalidated'],
    [invalidation('Skipped'), '✅', 'nothing to invalidate'],
    [invalidation('Completed'), '✅', '2 path(s) invalidated on E2EXAMPLE12345'],
    [invalidation('InProgress'), '⏳', '2 path(s) still invalidating on E2EXAMPLE12345']
  ])('titles the whole deploy (%#)', (result, icon, edge) => {
    expect(deploySummary(sync, result, 15, 1500).title).toBe(
      `${icon} static-site deploy: 1 files uploaded, 0 deleted, 2 unchanged; ${edge}`
    );
  });

  it('merges both halves: facts, the changed files and the plan', () => {
    const data = deploySummary(sync, invalidation('Completed'), 15, 1500);
    const facts = Object.fromEntries(data.facts ?? []);
    expect(facts).toMatchObject({
      Target: 's3://my-site/',
      'Sync duration': '40ms',
      'Invalidation status': 'Completed',
      Distribution: 'E2EXAMPLE12345',
      'Total duration': '1.5s'
    });
    expect(data.tables?.map((t) => t.heading)).toEqual(['Changed files', 'Invalidation plan']);
    expect(data.tables?.[1]?.rows.map((r) => r[0])).toEqual(['/', '/index.html']);
  });

  it('a dry run says so', () => {
    const data = deploySummary({ ...sync, dryRun: true }, invalidation('Planned'), 15, 10);
    expect(data.title).toBe(
      '🧪 static-site deploy (dry run): 1 files would be uploaded, 0 deleted, 2 unchanged; 2 invalidation path(s) planned'
    );
  });
});
