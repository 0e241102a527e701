/**
 * The root action (action.yml → dist/static-site/index.js) end to end, run as GitHub runs it: a real
 * S3-compatible server (s3rver) for the sync and the CloudFront stand-in for the invalidation, both with
 * request logs, so each test asserts what reached each peer.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runBundledAction, type RunResult } from '../../src/cli/runner.js';
import { ROOT } from '../helpers/paths.js';
import { S3TestServer, S3_TEST_ENV } from '../helpers/s3-server.js';
import { writeSite } from '../helpers/site.js';
import { startCloudFrontServer, type CloudFrontFake } from '../fakes/cloudfront-server.mjs';

const DIST = 'E2EXAMPLE12345';
const MANIFEST = '.s3-static-sync/manifest.json';
const WRITES = new Set(['PUT', 'POST', 'DELETE']);

let server: S3TestServer;
let s3: S3Client;
let cf: CloudFrontFake;
let work: string;
let bucketCount = 0;

beforeAll(async () => {
  [server, cf] = await Promise.all([
    S3TestServer.start(),
    startCloudFrontServer({ distributions: [{ id: DIST, aliases: ['www.example.com'] }] })
  ]);
  s3 = server.client();
  work = mkdtempSync(path.join(tmpdir(), 'static-site-it-'));
});
afterAll(async () => {
  s3.destroy();
  await Promise.all([server.stop(), cf.close()]);
  rmSync(work, { recursive: true, force: true });
});
beforeEach(async () => {
  cf.reset();
  // Complete on the first poll: these tests are about what is invalidated, not how long it takes.
  cf.configure({ completeAfterPolls: 0 });
  await server.reset();
});

const site = (files: Record<string, string>): string => writeSite(work, files);

async function newBucket(): Promise<string> {
  const name = `deploy-${++bucketCount}`;
  await server.createBucket(name);
  return name;
}

async function keysOf(bucket: string): Promise<string[]> {
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
  return (listed.Contents ?? []).map((o) => o.Key ?? '').filter((k) => k !== MANIFEST);
}

async function deploy(inputs: Record<string, string>): Promise<RunResult> {
  await server.reset();
  cf.reset();
  cf.configure({ completeAfterPolls: 0 });
  return runBundledAction({
    actionYml: path.join(ROOT, 'action.yml'),
    inputs: {
      'endpoint-url': server.endpoint,
      'force-path-style': 'true',
      'distribution-id': DIST,
      'cloudfront-endpoint-url': cf.endpoint,
      timeout: '10s',
      ...inputs
    },
    env: {
      ...S3_TEST_ENV,
      RUNNER_TEMP: work,
      GITHUB_REPOSITORY: 'acme/site',
      GITHUB_RUN_ID: '2002',
      GITHUB_RUN_ATTEMPT: '1'
    }
  });
}

const creates = () => cf.requests().filter((r) => r.operation === 'CreateInvalidation');
const s3Writes = async () => (await server.requests()).filter((r) => WRITES.has(r.method));

const SITE = {
  'index.html': '<h1>v2</h1>',
  'docs/index.html': '<h1>docs</h1>',
  'assets/app.3f2a.js': 'console.log(2)'
};

describe('static-site (root action, bundled)', () => {
  it('first deploy over a hand-deployed bucket: syncs, invalidates what was replaced, writes both halves', async () => {
    const bucket = await newBucket();
    // What an earlier `aws s3 sync` left: a cached index.html and a stale page.
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'index.html', Body: '<h1>v1</h1>' }));
    const result = await deploy({ source: site(SITE), bucket });

    expect(result.exitCode).toBe(0);
    expect((await keysOf(bucket)).sort()).toEqual(['assets/app.3f2a.js', 'docs/index.html', 'index.html']);
    // Sync outputs.
    expect(result.outputs.uploaded).toBe('3');
    expect(JSON.parse(result.outputs['changed-paths'] ?? '')).toEqual(['/index.html']);
    expect(JSON.parse(result.outputs['added-paths'] ?? '').sort()).toEqual([
      '/assets/app.3f2a.js',
      '/docs/index.html'
    ]);
    // Invalidation outputs: the replaced page and its directory URL, nothing new (nothing was cached).
    const [inv] = cf.invalidations();
    expect(cf.invalidations()).toHaveLength(1);
    expect(inv).toMatchObject({ distributionId: DIST, status: 'Completed', paths: ['/', '/index.html'] });
    expect(JSON.parse(result.outputs.paths ?? '')).toEqual(['/', '/index.html']);
    expect(result.outputs.status).toBe('Completed');
    expect(result.outputs['invalidation-id']).toBe(inv?.id);
    expect(JSON.parse(result.outputs['invalidation-ids'] ?? '')).toEqual([inv?.id]);
    expect(result.outputs['distribution-id']).toBe(DIST);
    // One summary for the whole deploy, with both halves.
    expect(result.summary).toContain(
      `### ✅ static-site deploy: 3 files uploaded, 0 deleted, 0 unchanged; 2 path(s) invalidated on ${DIST}`
    );
    expect(result.summary).toContain('Changed files');
    expect(result.summary).toContain('Invalidation plan');
    expect(result.summary).toMatch(/\*\*Invalidation status\*\* \| Completed/);
    expect(result.summary).toContain(`Invalidation ${inv?.id}`);
    expect(result.stdout).not.toMatch(/^::(error|warning)::/m);
  });

  it('re-run with no change: no PUT, no invalidation, status Skipped', async () => {
    const bucket = await newBucket();
    expect((await deploy({ source: site(SITE), bucket })).exitCode).toBe(0);
    const result = await deploy({ source: site(SITE), bucket });

    expect(result.exitCode).toBe(0);
    expect(result.outputs.unchanged).toBe('3');
    expect((await server.requests()).filter((r) => r.method === 'PUT')).toEqual([]);
    expect(cf.requests()).toEqual([]);
    expect(result.outputs.status).toBe('Skipped');
    expect(result.outputs.paths).toBe('[]');
    expect(result.outputs['invalidation-id']).toBe('');
    expect(result.summary).toContain('nothing to invalidate');
  });

  it('one changed page: invalidates just it and its directory URLs, evicting nothing else', async () => {
    const bucket = await newBucket();
    expect((await deploy({ source: site(SITE), bucket })).exitCode).toBe(0);
    const result = await deploy({
      source: site({ ...SITE, 'docs/index.html': '<h1>docs v2</h1>' }),
      bucket
    });

    expect(result.exitCode).toBe(0);
    const puts = (await server.requests()).filter((r) => r.method === 'PUT').map((r) => r.key);
    expect(puts.sort()).toEqual([MANIFEST, 'docs/index.html']);
    expect(creates()).toHaveLength(1);
    // The sync's listing is the site, so the planner knows docs/ holds nothing else: /docs/* covers
    // /docs/ and /docs/index.html in one path and evicts nothing unchanged.
    expect(cf.invalidations()[0]?.paths).toEqual(['/docs', '/docs/*']);
    expect(JSON.parse(result.outputs.paths ?? '')).toEqual(['/docs', '/docs/*']);
    expect(result.outputs.status).toBe('Completed');
    expect(result.summary).toContain('| **Unchanged objects evicted** | 0 |');
  });

  it('with one path allowed, picks the wildcard that evicts the fewest objects the listing shows', async () => {
    const bucket = await newBucket();
    const files = {
      ...SITE,
      'docs/guide.html': '<p>guide</p>',
      'assets/vendor.9c1d.js': 'vendor 1',
      'assets/img/logo.png': 'png'
    };
    expect((await deploy({ source: site(files), bucket })).exitCode).toBe(0);
    const result = await deploy({
      source: site({ ...files, 'assets/app.3f2a.js': 'app 2', 'assets/vendor.9c1d.js': 'vendor 2' }),
      bucket,
      'max-paths': '1'
    });

    expect(result.exitCode).toBe(0);
    expect(cf.invalidations()[0]?.paths).toEqual(['/assets/*']);
    // /assets/* also clears assets/img/logo.png; /* would have cleared four unchanged objects.
    expect(result.summary).toContain('| **Unchanged objects evicted** | 1 |');
  });

  it('adds the extra paths, under a prefix the origin path strips', async () => {
    const bucket = await newBucket();
    const first = await deploy({ source: site(SITE), bucket, prefix: 'site/app', 'origin-path': '/site' });
    expect(first.exitCode).toBe(0);
    const result = await deploy({
      source: site({ ...SITE, 'assets/app.3f2a.js': 'console.log(3)' }),
      bucket,
      prefix: 'site/app',
      'origin-path': '/site',
      paths: '/sitemap.xml\n/feeds/*'
    });

    expect(result.stdout).not.toMatch(/^::error::/m);
    expect(result.exitCode).toBe(0);
    expect(cf.invalidations()[0]?.paths).toEqual(['/app/assets/app.3f2a.js', '/feeds/*', '/sitemap.xml']);
  });

  it('finds the distribution by its alias', async () => {
    const bucket = await newBucket();
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'index.html', Body: '<h1>v1</h1>' }));
    const result = await deploy({
      source: site(SITE),
      bucket,
      'distribution-id': '',
      'distribution-alias': 'www.example.com'
    });

    expect(result.exitCode).toBe(0);
    expect(cf.requests().some((r) => r.operation === 'ListDistributions')).toBe(true);
    expect(cf.invalidations()[0]).toMatchObject({ distributionId: DIST, paths: ['/', '/index.html'] });
    expect(result.outputs['distribution-id']).toBe(DIST);
  });

  it('without a distribution: syncs only, says so with a notice, talks to no CloudFront', async () => {
    const bucket = await newBucket();
    const result = await deploy({ source: site(SITE), bucket, 'distribution-id': '' });

    expect(result.exitCode).toBe(0);
    expect(await keysOf(bucket)).toHaveLength(3);
    expect(result.stdout).toMatch(/^::notice::No distribution-id or distribution-alias given: synced only/m);
    expect(cf.requests()).toEqual([]);
    expect(result.outputs.uploaded).toBe('3');
    expect(result.outputs.status).toBe('Skipped');
    expect(result.summary).toContain('no CloudFront distribution given');
  });

  it.each([
    [
      'distribution-id',
      { 'distribution-id': 'e2-not-an-id' },
      /'e2-not-an-id' is not a CloudFront distribution id/
    ],
    [
      'distribution-alias',
      { 'distribution-alias': 'www.example.com' },
      /either distribution-id or distribution-alias/
    ],
    ['timeout', { timeout: 'soon' }, /'soon' is not a duration/],
    ['max-paths', { 'max-paths': '3001' }, /3001 is out of range; expected a whole number from 1 to 3000/],
    ['cloudfront-endpoint-url', { 'cloudfront-endpoint-url': 'ftp://cf.local' }, /must use http or https/],
    ['origin-path', { prefix: 'www', 'origin-path': '/site' }, /does not contain the prefix 'www\/'/],
    ['paths', { 'distribution-id': '', paths: '/x' }, /needs a distribution/]
  ])('bad %s: a clear error and not one request to either server', async (input, inputs, message) => {
    const bucket = await newBucket();
    const result = await deploy({ source: site(SITE), bucket, ...inputs });

    expect(result.exitCode).toBe(1);
    const error = result.stdout.split('\n').find((line) => line.startsWith('::error::')) ?? '';
    expect(error).toMatch(new RegExp(`^::error::Input '${input}': `));
    expect(error).toMatch(message);
    expect(await server.requests()).toEqual([]);
    expect(cf.requests()).toEqual([]);
  });

  it('dry run: writes nothing, plans the invalidation, submits none', async () => {
    const bucket = await newBucket();
    expect((await deploy({ source: site(SITE), bucket })).exitCode).toBe(0);
    const before = await keysOf(bucket);
    const result = await deploy({
      source: site({ ...SITE, 'index.html': '<h1>v3</h1>' }),
      bucket,
      'dry-run': 'true'
    });

    expect(result.exitCode).toBe(0);
    expect(await s3Writes()).toEqual([]);
    expect(await keysOf(bucket)).toEqual(before);
    expect(creates()).toEqual([]);
    expect(cf.invalidations()).toEqual([]);
    expect(result.outputs.status).toBe('Planned');
    expect(JSON.parse(result.outputs.paths ?? '')).toEqual(['/', '/index.html']);
    expect(result.summary).toContain('### 🧪 static-site deploy (dry run): 1 files would be uploaded');
    expect(result.summary).toContain('2 invalidation path(s) planned');
  });

  it('fails on timeout with fail-on-timeout, after the site is synced and outputs are written', async () => {
    const bucket = await newBucket();
    expect((await deploy({ source: site(SITE), bucket })).exitCode).toBe(0);
    cf.configure({ neverComplete: true });
    const result = await runBundledAction({
      actionYml: path.join(ROOT, 'action.yml'),
      inputs: {
        source: site({ ...SITE, 'index.html': '<h1>v4</h1>' }),
        bucket,
        'endpoint-url': server.endpoint,
        'force-path-style': 'true',
        'distribution-id': DIST,
        'cloudfront-endpoint-url': cf.endpoint,
        timeout: '1s',
        'fail-on-timeout': 'true'
      },
      env: { ...S3_TEST_ENV, RUNNER_TEMP: work, GITHUB_REPOSITORY: 'acme/site', GITHUB_RUN_ID: '2003' }
    });

    expect(result.exitCode).toBe(1);
    expect(result.stdout).toMatch(
      /^::error::Invalidation I\w+ still InProgress after waiting 1(\.0)?s.*fail-on-timeout: true/m
    );
    expect(result.outputs.status).toBe('InProgress');
    expect(result.outputs.uploaded).toBe('1');
    expect(result.summary).toContain('still invalidating');
  });
});
