/** Pure revision helpers: S3 URIs, keys, descriptions (cut at 512), console links, rollback modes. */
import { describe, expect, it } from '@jest/globals';
import {
  autoRollbackConfiguration,
  bareETag,
  bundleKey,
  bundleTypeOf,
  consoleUrl,
  defaultDescription,
  normalizePrefix,
  parseS3Uri,
  truncate
} from '../../../src/actions/codedeploy-trigger/revision.js';
import type { AutoRollbackMode } from '../../../src/actions/codedeploy-trigger/constants.js';

describe('parseS3Uri', () => {
  it.each([
    ['s3://bucket/app.zip', { bucket: 'bucket', key: 'app.zip', bundleType: 'zip' }],
    ['s3://my.bucket-1/a/b/c.TAR', { bucket: 'my.bucket-1', key: 'a/b/c.TAR', bundleType: 'tar' }],
    ['s3://bkt/r.tgz', { bucket: 'bkt', key: 'r.tgz', bundleType: 'tgz' }],
    ['s3://bkt/r.tar.gz', { bucket: 'bkt', key: 'r.tar.gz', bundleType: 'tgz' }],
    ['s3://bkt/한글/배포.zip', { bucket: 'bkt', key: '한글/배포.zip', bundleType: 'zip' }]
  ])('%s', (uri, expected) => {
    expect(parseS3Uri(uri)).toEqual(expected);
  });

  it.each([
    ['https://bkt.s3.amazonaws.com/a.zip', 'is not an S3 URI'],
    ['s3://bkt/', 'is not an S3 URI'],
    ['s3://bkt', 'is not an S3 URI'],
    ['s3://Bucket/a.zip', 'is not a valid S3 bucket name'],
    ['s3://ab/a.zip', 'is not a valid S3 bucket name'],
    ['s3://a..b/a.zip', 'is not a valid S3 bucket name'],
    ['s3://bkt/a.jar', 'does not end in .zip, .tar or .tgz'],
    ['', 'is not an S3 URI']
  ])('rejects %s', (uri, message) => {
    expect(parseS3Uri(uri)).toContain(message);
  });
});

describe('keys and prefixes', () => {
  it.each([
    ['', ''],
    ['/', ''],
    ['deploy', 'deploy/'],
    ['/deploy//', 'deploy/'],
    ['a/b/', 'a/b/']
  ])('normalizePrefix(%j) = %j', (input, expected) => {
    expect(normalizePrefix(input)).toBe(expected);
  });

  it('names the bundle by its hash under the application', () => {
    expect(bundleKey('codedeploy/', 'web-app', 'ab'.repeat(32))).toBe(
      `codedeploy/web-app/${'ab'.repeat(32)}.zip`
    );
    expect(bundleKey('', 'my app/ü', 'f0')).toBe('my_app__/f0.zip');
  });

  it('knows bundle types and strips ETag quotes', () => {
    expect(bundleTypeOf('x.ZIP')).toBe('zip');
    expect(bundleTypeOf('x.gz')).toBeUndefined();
    expect(bareETag('"abc-2"')).toBe('abc-2');
    expect(bareETag(undefined)).toBeUndefined();
    expect(bareETag('""')).toBeUndefined();
  });
});

describe('descriptions', () => {
  it.each([
    ['', 512, ''],
    ['a'.repeat(512), 512, 'a'.repeat(512)],
    ['a'.repeat(513), 512, `${'a'.repeat(511)}…`],
    ['한'.repeat(600), 512, `${'한'.repeat(511)}…`],
    [`${'a'.repeat(510)}😀😀`, 512, `${'a'.repeat(510)}…`],
    [`${'a'.repeat(509)}😀😀`, 512, `${'a'.repeat(509)}😀…`]
  ])(
    'truncate, case %#, stays within the limit without splitting a surrogate pair',
    (text, max, expected) => {
      const result = truncate(text, max);
      expect(result.length).toBeLessThanOrEqual(max);
      expect(result).toBe(expected);
      expect(/[\uD800-\uDBFF]$/.test(result.replace(/…$/, ''))).toBe(false);
    }
  );

  it('describes the commit, its ref, run, actor and subject', () => {
    expect(
      defaultDescription({
        repository: 'acme/api',
        sha: 'abc1234def',
        ref: 'refs/heads/main',
        runNumber: '42',
        actor: 'alice',
        message: 'Fix login\r\n\r\nbody'
      })
    ).toBe('acme/api@abc1234 (main, run 42 by alice): Fix login');
    expect(defaultDescription({ sha: 'abc1234def', ref: 'refs/tags/v1.2.0' })).toBe('abc1234 (v1.2.0)');
    expect(defaultDescription({})).toBe('Deployed by deploy-actions/codedeploy-trigger');
    expect(defaultDescription({ repository: 'a/b', message: 'x'.repeat(1000) })).toHaveLength(512);
  });
});

describe('console links and rollback modes', () => {
  it('links the deployment in its region', () => {
    expect(consoleUrl('ap-northeast-2', 'd-ABCDEFGH1')).toBe(
      'https://ap-northeast-2.console.aws.amazon.com/codesuite/codedeploy/deployments/d-ABCDEFGH1?region=ap-northeast-2'
    );
  });

  it.each<[AutoRollbackMode, unknown]>([
    ['group-default', undefined],
    ['on-failure', { enabled: true, events: ['DEPLOYMENT_FAILURE'] }],
    ['on-failure-and-stop', { enabled: true, events: ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_REQUEST'] }],
    ['off', { enabled: false }]
  ])('%s', (mode, expected) => {
    expect(autoRollbackConfiguration(mode)).toEqual(expected);
  });
});
