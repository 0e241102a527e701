/**
 * The bundled action (dist/cloudfront-invalidate/index.js) run as GitHub runs it, against the CloudFront
 * stand-in. Completion is driven by poll counts, timeouts are a second or two.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runBundledAction } from '../../src/cli/runner.js';
import { actionYml } from '../helpers/paths.js';
import { startCloudFrontServer, type CloudFrontFake } from '../fakes/cloudfront-server.mjs';

const DIST = 'E2EXAMPLE12345';
const ENV = {
  AWS_ACCESS_KEY_ID: 'AKIDTEST',
  AWS_SECRET_ACCESS_KEY: 'test-secret',
  GITHUB_REPOSITORY: 'acme/site',
  GITHUB_RUN_ID: '1001',
  GITHUB_RUN_ATTEMPT: '1'
};
let cf: CloudFrontFake;
let dir: string;

const changed = JSON.stringify([
  '/site/index.html',
  '/site/docs/index.html',
  '/site/docs/새 문서.html',
  ...Array.from({ length: 30 }, (_, i) => `/site/assets/chunk-${i}.js`)
]);

function run(inputs: Record<string, string>, env: Record<string, string> = {}) {
  return runBundledAction({
    actionYml: actionYml('cloudfront-invalidate'),
    // A short timeout also makes the polls short (pacing scales with it).
    inputs: { 'distribution-id': DIST, 'endpoint-url': cf.endpoint, timeout: '10s', ...inputs },
    env: { ...ENV, ...env }
  });
}

const creates = () => cf.requests().filter((r) => r.operation === 'CreateInvalidation');

beforeAll(async () => {
  cf = await startCloudFrontServer({ distributions: [{ id: DIST, aliases: ['www.example.com'] }] });
  dir = mkdtempSync(path.join(tmpdir(), 'cf-invalidate-'));
});
afterAll(async () => {
  await cf.close();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  cf.reset();
});

describe('cloudfront-invalidate (bundled)', () => {
  it('plans from s3-static-sync changed-paths, waits for Completed, writes outputs and the summary', async () => {
    const result = await run({ 'changed-paths': changed, 'origin-path': '/site', timeout: '30s' });
    expect(result.exitCode).toBe(0);
    expect(result.stderr).not.toMatch(/error/i);
    const expectedPaths = [
      '/',
      '/assets/*',
      '/docs',
      '/docs/',
      '/docs/%EC%83%88%20%EB%AC%B8%EC%84%9C.html',
      '/docs/index.html',
      '/index.html'
    ];
    expect(JSON.parse(result.outputs.paths ?? '')).toEqual(expectedPaths);
    expect(result.outputs.status).toBe('Completed');
    expect(result.outputs['distribution-id']).toBe(DIST);
    const [inv] = cf.invalidations();
    expect(inv).toMatchObject({ status: 'Completed', paths: expectedPaths });
    expect(result.outputs['invalidation-id']).toBe(inv?.id);
    expect(JSON.parse(result.outputs['invalidation-ids'] ?? '')).toEqual([inv?.id]);
    expect(result.stdout).toContain('/assets/* covers 30 changed files');
    expect(result.stdout).toMatch(/Waiting for invalidation I\w+ to complete \(for up to \d+\.\ds\)/);
    expect(result.stdout).toMatch(/Invalidation I\w+ completed after [\d.]+m?s of waiting/);
    expect(result.summary).toContain('### ✅ cloudfront-invalidate: 7 path(s) invalidated on E2EXAMPLE12345');
    expect(result.summary).toContain('| /assets/* | 30 | ? | covers 30 changed files |');
    expect(result.summary).toMatch(/\*\*Waited\*\* \| [\d.]+m?s/);
    expect(result.stdout + result.stderr).not.toContain('test-secret');
  });

  it('reads changed-paths-file and site-paths-file, counting what a wildcard evicts', async () => {
    const changedFile = path.join(dir, 'changed.json');
    const siteFile = path.join(dir, 'site.txt');
    writeFileSync(changedFile, JSON.stringify(['/a/1.js', '/a/2.js', '/a/3.js']));
    writeFileSync(siteFile, ['/a/1.js', '/a/2.js', '/a/3.js', '/a/4.js', '/b.html'].join('\r\n'));
    const result = await run({
      'changed-paths-file': changedFile,
      'site-paths-file': siteFile,
      'max-paths': '1'
    });
    expect(result.exitCode).toBe(0);
    expect(JSON.parse(result.outputs.paths ?? '')).toEqual(['/a/*']);
    expect(result.summary).toContain('| /a/* | 3 | 1 | covers 3 changed files and evicts 1 unchanged |');
  });

  it('times out without failing by default: warns, status InProgress, the invalidation goes on', async () => {
    cf.configure({ neverComplete: true });
    const result = await run({ 'changed-paths': changed, 'origin-path': '/site', timeout: '1500ms' });
    expect(result.exitCode).toBe(0);
    expect(result.outputs.status).toBe('InProgress');
    expect(result.stdout).toMatch(
      /^::warning::Invalidation I\w+ still InProgress after waiting 1\.5s; it goes on on CloudFront\. Not failing the step/m
    );
    expect(cf.invalidations()[0]?.status).toBe('InProgress');
    expect(result.summary).toContain('InProgress (timed out waiting)');
  });

  it('fails on timeout when fail-on-timeout is true, outputs and summary still written', async () => {
    cf.configure({ neverComplete: true });
    const result = await run({
      'changed-paths': changed,
      'origin-path': '/site',
      timeout: '1s',
      'fail-on-timeout': 'true'
    });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toMatch(
      /^::error::Invalidation I\w+ still InProgress after waiting 1\.0s.*\(fail-on-timeout: true\)/m
    );
    expect(result.outputs.status).toBe('InProgress');
    expect(result.outputs['invalidation-id']).toMatch(/^I\w+$/);
    expect(result.summary).toContain('⏳ cloudfront-invalidate');
  });

  it('retries after TooManyInvalidationsInProgress and succeeds', async () => {
    cf.configure({ rejectCreates: 2 });
    const result = await run({ paths: '/*', timeout: '10s' });
    expect(result.exitCode).toBe(0);
    expect(creates().map((r) => r.error ?? 'ok')).toEqual([
      'TooManyInvalidationsInProgress',
      'TooManyInvalidationsInProgress',
      'ok'
    ]);
    expect(result.stdout).toMatch(
      /CreateInvalidation: attempt 1\/30 failed \(Your request contains too many invalidations\.\); retrying in/
    );
    expect(result.outputs.status).toBe('Completed');
  });

  it('a retried step reuses its invalidation: same caller reference, no second invalidation', async () => {
    const first = await run({ 'changed-paths': changed, 'origin-path': '/site', wait: 'false' });
    expect(first.outputs.status).toBe('InProgress');
    const retried = await run({ 'changed-paths': changed, 'origin-path': '/site', wait: 'false' });
    expect(retried.exitCode).toBe(0);
    expect(retried.outputs['invalidation-id']).toBe(first.outputs['invalidation-id']);
    expect(retried.stdout).toMatch(/already has caller reference deploy-actions-1001-1-\w+: reusing it/);
    expect(cf.invalidations()).toHaveLength(1);
    expect(cf.invalidations()[0]?.callerReference).toMatch(/^deploy-actions-1001-1-[0-9a-f]{24}$/);
  });

  it('a retried step whose invalidation already completed reports it reused, not created', async () => {
    const first = await run({ 'changed-paths': changed, 'origin-path': '/site' });
    expect(first.outputs.status).toBe('Completed');
    const retried = await run({ 'changed-paths': changed, 'origin-path': '/site' });
    expect(retried.exitCode).toBe(0);
    const id = first.outputs['invalidation-id'] ?? '';
    expect(retried.outputs['invalidation-id']).toBe(id);
    expect(retried.stdout).toContain(`Reused invalidation ${id} (Completed)`);
    expect(retried.stdout).not.toContain(`Created invalidation`);
    expect(retried.summary).toContain(`${id} (reused): Completed`);
    expect(cf.invalidations()).toHaveLength(1);
  });

  it('finds the distribution by alias', async () => {
    const result = await run({
      'distribution-id': '',
      'distribution-alias': 'www.example.com',
      paths: '/index.html'
    });
    expect(result.exitCode).toBe(0);
    expect(result.outputs['distribution-id']).toBe(DIST);
  });

  it('dry run prints the plan and makes no request', async () => {
    const result = await run({ 'changed-paths': changed, 'origin-path': '/site', 'dry-run': 'true' });
    expect(result.exitCode).toBe(0);
    expect(result.outputs.status).toBe('Planned');
    expect(cf.requests()).toEqual([]);
  });

  it.each([
    [{ 'changed-paths': '["/a"' }, "::error::Input 'changed-paths': is not valid JSON"],
    [{ 'changed-paths': '["/x"]', 'max-paths': '0' }, "::error::Input 'max-paths': 0 is out of range"],
    [
      { 'changed-paths': '["/other/x.js"]', 'origin-path': '/site' },
      "::error::Input 'origin-path': 1 changed key(s) are not under '/site'"
    ],
    [{}, "::error::Input 'changed-paths': nothing to invalidate"]
  ])('bad input %j: a clear error and no request', async (inputs, message) => {
    const result = await run(inputs);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain(message);
    expect(cf.requests()).toEqual([]);
  });
});
