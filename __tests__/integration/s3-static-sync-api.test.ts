/**
 * syncSite() called in-process, as the root static-site action will call it before invalidating
 * CloudFront: the SyncResult it returns, its log lines (progress, hidden-file warning) and that it
 * writes nothing to the runner, against the real S3-compatible server.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createS3Client } from '../../src/actions/s3-static-sync/client.js';
import { getInputs } from '../../src/actions/s3-static-sync/inputs.js';
import { summaryOf } from '../../src/actions/s3-static-sync/main.js';
import { syncSite } from '../../src/actions/s3-static-sync/sync.js';
import { MemoryLogger } from '../../src/core/logger.js';
import { renderSummary } from '../../src/core/summary.js';
import { withInputs } from '../helpers/inputs.js';
import { S3TestServer, S3_TEST_ENV } from '../helpers/s3-server.js';

let server: S3TestServer;
let work: string;
const saved = { ...process.env };

beforeAll(async () => {
  server = await S3TestServer.start();
  await server.createBucket('api');
  work = mkdtempSync(path.join(tmpdir(), 's3-static-sync-api-'));
  Object.assign(process.env, S3_TEST_ENV);
});
afterAll(async () => {
  process.env = saved;
  await server.stop();
  rmSync(work, { recursive: true, force: true });
});

function write(dir: string, files: Record<string, string>): void {
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), content);
  }
}

async function run(source: string, extra: Record<string, string> = {}, clock?: () => number) {
  const restore = withInputs({
    source,
    bucket: 'api',
    prefix: 'www',
    'endpoint-url': server.endpoint,
    'force-path-style': 'true',
    delete: 'true',
    'max-delete': '100%',
    concurrency: '2',
    ...extra
  });
  try {
    const inputs = getInputs();
    const s3 = createS3Client(inputs);
    const logger = new MemoryLogger();
    try {
      const result = await syncSite(inputs, { s3, logger, now: clock, progressIntervalMs: 1000 });
      return { result, logger };
    } finally {
      s3.destroy();
    }
  } finally {
    restore();
  }
}

describe('syncSite', () => {
  it('returns counts and change lists, and logs progress by the injected clock', async () => {
    const source = path.join(work, 'v1');
    const files: Record<string, string> = { 'index.html': 'v1', '.env': 'x', '한글.txt': '가' };
    for (let i = 0; i < 6; i++) files[`a/${i}.js`] = `v1 ${i}`;
    write(source, files);
    let t = 0;
    const first = await run(source, {}, () => (t += 400));
    expect(first.result).toMatchObject({
      bucket: 'api',
      prefix: 'www/',
      dryRun: false,
      uploaded: 8,
      deleted: 0,
      unchanged: 0,
      changedPaths: [],
      skippedHidden: ['.env']
    });
    expect(first.result.sitePaths.sort()).toEqual(first.result.addedPaths.sort());
    expect(first.result.addedPaths.sort()).toEqual(
      ['/www/index.html', '/www/한글.txt', ...Array.from({ length: 6 }, (_, i) => `/www/a/${i}.js`)].sort()
    );
    expect(first.result.changes.at(-1)).toEqual({
      key: 'www/index.html',
      path: '/www/index.html',
      change: 'new',
      size: 2
    });
    const progress = first.logger.messages('info').filter((m) => m.startsWith('Uploading assets:'));
    expect(progress.length).toBeGreaterThanOrEqual(2);
    expect(progress.at(-1)).toMatch(/^Uploading assets: 7\/7 files, \d+ B of \d+ B \(.+\/s, .+\)$/);
    expect(first.logger.messages('warning')).toEqual([
      'Skipped 1 hidden entry (set include-hidden: true to publish them): .env'
    ]);
    expect(first.logger.messages('group')).toEqual([
      'Uploading assets: 7 files, 27 B',
      'Uploading HTML: 1 files, 2 B'
    ]);

    const source2 = path.join(work, 'v2');
    write(source2, { 'index.html': 'v2', '한글.txt': '가', 'a/0.js': 'v1 0', 'a/new.js': 'n' });
    const second = await run(source2);
    expect(second.result).toMatchObject({ uploaded: 2, deleted: 5, unchanged: 2 });
    expect(second.result.changedPaths).toEqual([
      '/www/index.html',
      '/www/a/1.js',
      '/www/a/2.js',
      '/www/a/3.js',
      '/www/a/4.js',
      '/www/a/5.js'
    ]);
    expect(second.result.addedPaths).toEqual(['/www/a/new.js']);
    // What a CDN may hold: every key before or after, the deleted and the added ones too, not the manifest.
    expect(second.result.sitePaths.sort()).toEqual(
      [
        '/www/index.html',
        '/www/한글.txt',
        '/www/a/new.js',
        ...Array.from({ length: 6 }, (_, i) => `/www/a/${i}.js`)
      ].sort()
    );

    const markdown = renderSummary(summaryOf(second.result));
    expect(markdown).toContain('### ✅ s3-static-sync: 2 files uploaded, 5 deleted, 2 unchanged');
    expect(markdown).toContain('| /www/a/5.js | deleted |');
    expect(markdown).toContain('| **Target** | s3://api/www/ |');
  });

  it('lists the first 100 changes in the summary, then a count', () => {
    const changes = Array.from({ length: 101 }, (_, i) => ({
      key: `k${i}`,
      path: `/k${i}`,
      change: 'content' as const,
      size: 1
    }));
    const summary = summaryOf({
      bucket: 'b',
      prefix: '',
      dryRun: false,
      uploaded: 101,
      deleted: 0,
      unchanged: 0,
      bytesUploaded: 101,
      changedPaths: changes.map((c) => c.path),
      addedPaths: [],
      sitePaths: changes.map((c) => c.path),
      changes,
      skippedHidden: [],
      durationMs: 1000,
      hashMs: 1
    });
    expect(summary.tables?.[0]?.rows).toHaveLength(100);
    expect(summary.tables?.[0]?.note).toBe('… and 1 more (see the changed-paths-file output).');
    expect(summary.facts).toContainEqual(['Rate', '101 B/s']);
  });
});
