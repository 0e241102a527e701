/**
 * s3-static-sync end to end: the bundled action (dist/s3-static-sync/index.js) run as GitHub runs it,
 * against a real S3-compatible server (s3rver) whose request log shows what the action sent.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client
} from '@aws-sdk/client-s3';
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runBundledAction, type RunResult } from '../../src/cli/runner.js';
import { actionYml } from '../helpers/paths.js';
import { S3TestServer, S3_TEST_ENV, type S3Request } from '../helpers/s3-server.js';

const MANIFEST = '.s3-static-sync/manifest.json';
let server: S3TestServer;
let s3: S3Client;
let work: string;
let bucketCount = 0;

beforeAll(async () => {
  server = await S3TestServer.start();
  s3 = server.client();
  work = mkdtempSync(path.join(tmpdir(), 's3-static-sync-it-'));
});
afterAll(async () => {
  s3.destroy();
  await server.stop();
  rmSync(work, { recursive: true, force: true });
});

type Files = Record<string, string | Buffer>;

/** A fresh folder with these files (every call a new folder, as a fresh CI build is). */
function site(files: Files): string {
  const dir = mkdtempSync(path.join(work, 'site-'));
  for (const [rel, content] of Object.entries(files)) {
    const file = path.join(dir, rel);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
  return dir;
}

async function newBucket(): Promise<string> {
  const name = `site-${++bucketCount}`;
  await server.createBucket(name);
  return name;
}

async function sync(source: string, bucket: string, inputs: Record<string, string> = {}): Promise<RunResult> {
  await server.reset();
  return runBundledAction({
    actionYml: actionYml('s3-static-sync'),
    inputs: { source, bucket, 'endpoint-url': server.endpoint, 'force-path-style': 'true', ...inputs },
    env: { ...S3_TEST_ENV, RUNNER_TEMP: work }
  });
}

async function bucketContents(bucket: string): Promise<Record<string, string>> {
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
  const result: Record<string, string> = {};
  for (const item of listed.Contents ?? []) {
    if (!item.Key || item.Key.endsWith(MANIFEST)) continue;
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: item.Key }));
    result[item.Key] = (await object.Body?.transformToString()) ?? '';
  }
  return result;
}

const writes = (log: S3Request[]) => log.filter((r) => r.method !== 'GET' && r.method !== 'HEAD');
const puts = (log: S3Request[]) =>
  log.filter((r) => r.method === 'PUT' && !r.query.includes('partNumber')).map((r) => r.key);
const json = (text: string | undefined) => JSON.parse(text ?? 'null') as unknown;

function expectSuccess(run: RunResult): void {
  if (run.exitCode !== 0) throw new Error(`exit ${run.exitCode}\n${run.stdout}\n${run.stderr}`);
}

/** A small site like a Vite build, with `n` extra hashed assets. */
function viteSite(n: number, overrides: Files = {}): Files {
  const files: Files = {
    'index.html': '<!doctype html><script src="/assets/index-D8qZ2xYv.js"></script>',
    'about/index.html': '<h1>About</h1>',
    'assets/index-D8qZ2xYv.js': 'console.log("app")',
    'assets/index-Bq3kLm9z.css': 'body{margin:0}',
    'favicon.ico': Buffer.from([0, 0, 1, 0]),
    'robots.txt': 'User-agent: *',
    '.env': 'API_KEY=do-not-publish',
    '.DS_Store': 'junk'
  };
  for (let i = 0; i < n; i++) files[`assets/chunk-${i}-a1b2c3d4.js`] = `export const x${i} = ${i};`;
  return { ...files, ...overrides };
}

describe('s3-static-sync against a real S3-compatible server', () => {
  it('first sync uploads the site with the right metadata, skips hidden files, and reports it', async () => {
    const bucket = await newBucket();
    const source = site(viteSite(2));
    const run = await sync(source, bucket);
    expectSuccess(run);
    expect(run.outputs).toMatchObject({ uploaded: '8', deleted: '0', unchanged: '0', 'changed-paths': '[]' });
    expect(json(run.outputs['added-paths'])).toEqual(
      expect.arrayContaining(['/index.html', '/about/index.html', '/assets/index-D8qZ2xYv.js', '/robots.txt'])
    );
    expect(JSON.parse(readFileSync(run.outputs['changed-paths-file'] as string, 'utf8'))).toEqual([]);
    expect(run.stdout).toMatch(/::warning::Skipped 2 hidden entries .*: \.DS_Store, \.env/);
    expect(run.stdout).not.toContain('do-not-publish');
    const contents = await bucketContents(bucket);
    expect(Object.keys(contents).sort()).toEqual(
      [
        'about/index.html',
        'assets/chunk-0-a1b2c3d4.js',
        'assets/chunk-1-a1b2c3d4.js',
        'assets/index-Bq3kLm9z.css',
        'assets/index-D8qZ2xYv.js',
        'favicon.ico',
        'index.html',
        'robots.txt'
      ].sort()
    );
    expect(contents['index.html']).toBe(viteSite(0)['index.html']);
    const head = async (Key: string) => {
      const h = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key }));
      return [h.ContentType, h.CacheControl];
    };
    expect(await head('index.html')).toEqual(['text/html; charset=utf-8', 'no-cache']);
    expect(await head('assets/index-D8qZ2xYv.js')).toEqual([
      'text/javascript; charset=utf-8',
      'public, max-age=31536000, immutable'
    ]);
    expect(await head('robots.txt')).toEqual(['text/plain; charset=utf-8', 'no-cache']);
    expect(await head('favicon.ico')).toEqual(['image/vnd.microsoft.icon', 'no-cache']);
    expect(run.summary).toContain('### ✅ s3-static-sync: 8 files uploaded, 0 deleted, 0 unchanged');
    expect(run.summary).toMatch(/\| \*\*Duration\*\* \| \d/);
    expect(run.summary).toContain('| /assets/index-D8qZ2xYv.js | added |');
  });

  it('re-syncing an unchanged site (fresh build, new mtimes) sends one listing and one manifest read', async () => {
    const bucket = await newBucket();
    // Folders that hold only folders (static/media/, x/y/z/) too: some stores leave them out of
    // delimited listings, which must not make them look new.
    const files = viteSite(20, { 'static/media/logo-5d41402a.svg': '<svg/>', 'x/y/z/deep.txt': 'deep' });
    expectSuccess(await sync(site(files), bucket, { delete: 'true' }));
    const run = await sync(site(files), bucket, { delete: 'true' });
    expectSuccess(run);
    expect(run.outputs).toMatchObject({
      uploaded: '0',
      unchanged: '28',
      deleted: '0',
      'bytes-uploaded': '0'
    });
    const log = await server.requests();
    expect(log.map((r) => `${r.method} ${r.key}`).sort()).toEqual(['GET ', `GET ${MANIFEST}`]);
  });

  it('uploads only the one changed file among many, although every mtime changed', async () => {
    const bucket = await newBucket();
    const source = site(viteSite(40));
    expectSuccess(await sync(source, bucket));
    writeFileSync(path.join(source, 'assets/chunk-7-a1b2c3d4.js'), 'export const changed = "yes, longer";');
    const later = new Date(Date.now() + 60_000);
    for (const rel of Object.keys(viteSite(40)).filter((r) => !r.startsWith('.')))
      utimesSync(path.join(source, rel), later, later);
    const run = await sync(source, bucket);
    expectSuccess(run);
    expect(run.outputs).toMatchObject({ uploaded: '1', unchanged: '45' });
    expect(json(run.outputs['changed-paths'])).toEqual(['/assets/chunk-7-a1b2c3d4.js']);
    expect(json(run.outputs['added-paths'])).toEqual([]);
    expect(puts(await server.requests())).toEqual(['assets/chunk-7-a1b2c3d4.js', MANIFEST]);
  });

  it('catches a same-size edit', async () => {
    const bucket = await newBucket();
    expectSuccess(await sync(site(viteSite(0)), bucket));
    const edited = viteSite(0, { 'robots.txt': 'User-agent: #' }); // same length, one byte differs
    expect(Buffer.byteLength(edited['robots.txt'] as string)).toBe(
      Buffer.byteLength(viteSite(0)['robots.txt'] as string)
    );
    const run = await sync(site(edited), bucket);
    expectSuccess(run);
    expect(json(run.outputs['changed-paths'])).toEqual(['/robots.txt']);
    expect((await bucketContents(bucket))['robots.txt']).toBe('User-agent: #');
  });

  it('counts a metadata-rule change as a change', async () => {
    const bucket = await newBucket();
    const files = viteSite(0);
    expectSuccess(await sync(site(files), bucket));
    const run = await sync(site(files), bucket, {
      'cache-control': '*.css: public, max-age=600',
      'content-type': 'robots.txt: text/plain; charset=us-ascii'
    });
    expectSuccess(run);
    expect(json(run.outputs['changed-paths'])).toEqual(
      expect.arrayContaining(['/assets/index-Bq3kLm9z.css', '/robots.txt'])
    );
    expect(run.outputs.uploaded).toBe('2');
    const css = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'assets/index-Bq3kLm9z.css' }));
    const robots = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'robots.txt' }));
    expect([css.CacheControl, robots.ContentType]).toEqual([
      'public, max-age=600',
      'text/plain; charset=us-ascii'
    ]);
  });

  it('re-uploads an object changed behind its back', async () => {
    const bucket = await newBucket();
    const files = viteSite(0);
    expectSuccess(await sync(site(files), bucket));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'robots.txt', Body: 'Disallow: /' }));
    const run = await sync(site(files), bucket);
    expectSuccess(run);
    expect(json(run.outputs['changed-paths'])).toEqual(['/robots.txt']);
    expect((await bucketContents(bucket))['robots.txt']).toBe('User-agent: *');
  });

  it('deletes what left source (within max-delete) and orders assets, then HTML, then deletions', async () => {
    const bucket = await newBucket();
    expectSuccess(await sync(site(viteSite(6)), bucket, { delete: 'true' }));
    const within = { delete: 'true', 'max-delete': '7' };
    const next = viteSite(0, {
      'index.html': '<script src="/assets/index-NEW12345.js"></script>',
      'about/index.html': '<h1>About us</h1>',
      'assets/index-NEW12345.js': 'console.log("v2")',
      'assets/new-a9b8c7d6.css': 'p{}'
    });
    delete next['assets/index-D8qZ2xYv.js'];
    const run = await sync(site(next), bucket, within);
    expectSuccess(run);
    expect(run.outputs).toMatchObject({ uploaded: '4', deleted: '7' });
    expect(json(run.outputs['changed-paths'])).toEqual(
      expect.arrayContaining([
        '/index.html',
        '/about/index.html',
        '/assets/index-D8qZ2xYv.js',
        '/assets/chunk-0-a1b2c3d4.js'
      ])
    );
    expect(json(run.outputs['added-paths'])).toEqual(
      expect.arrayContaining(['/assets/index-NEW12345.js', '/assets/new-a9b8c7d6.css'])
    );
    const log = writes(await server.requests());
    const isHtml = (r: S3Request) => r.key.endsWith('.html');
    const isDelete = (r: S3Request) => r.method === 'DELETE' || r.query.includes('delete');
    const isManifest = (r: S3Request) => r.key.endsWith(MANIFEST);
    const lastAsset = log.findLastIndex((r) => !isHtml(r) && !isDelete(r) && !isManifest(r));
    const firstHtml = log.findIndex(isHtml);
    const lastHtml = log.findLastIndex(isHtml);
    const firstDelete = log.findIndex(isDelete);
    expect(lastAsset).toBeGreaterThanOrEqual(0);
    expect(lastAsset).toBeLessThan(firstHtml);
    expect(lastHtml).toBeLessThan(firstDelete);
    expect(log.slice(firstDelete).every(isDelete)).toBe(true);
    expect(Object.keys(await bucketContents(bucket)).sort()).toEqual(
      Object.keys(next)
        .filter((k) => !k.startsWith('.'))
        .sort()
    );
  });

  it('refuses to delete more than max-delete, before writing anything', async () => {
    const bucket = await newBucket();
    expectSuccess(await sync(site(viteSite(10)), bucket));
    const before = await bucketContents(bucket);
    const run = await sync(site({ 'index.html': '<h1>oops, half a build</h1>', 'new.js': 'x' }), bucket, {
      delete: 'true',
      'max-delete': '5'
    });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toMatch(
      // `%` is written `%25` in workflow commands; GitHub shows it decoded.
      /::error::The sync would delete 15 of 16 objects \(94%25\), more than max-delete '5' allows \(5\)\. Nothing was changed\./
    );
    expect(writes(await server.requests())).toEqual([]);
    expect(await bucketContents(bucket)).toEqual(before);
    // The default (50%) refuses it too; 100% lets it through.
    const byDefault = await sync(site({ 'index.html': 'x' }), bucket, { delete: 'true' });
    expect([byDefault.exitCode, writes(await server.requests())]).toEqual([1, []]);
    const lifted = await sync(site({ 'index.html': 'x' }), bucket, { delete: 'true', 'max-delete': '100%' });
    expectSuccess(lifted);
    expect(Object.keys(await bucketContents(bucket))).toEqual(['index.html']);
  });

  it('never deletes anything for an empty source', async () => {
    const bucket = await newBucket();
    expectSuccess(await sync(site(viteSite(0)), bucket));
    const run = await sync(site({ '.DS_Store': 'x' }), bucket, { delete: 'true', 'max-delete': '100%' });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toMatch(
      /::error::source \(.*\) has no files to publish after .* refusing to sync an empty site/
    );
    expect(writes(await server.requests())).toEqual([]);
    expect(Object.keys(await bucketContents(bucket))).toHaveLength(6);
  });

  it('uploads a large file in parts, streamed, and finds it unchanged next time', async () => {
    const bucket = await newBucket();
    const big = Buffer.alloc(11 * 1024 * 1024 + 3);
    for (let i = 0; i + 4 <= big.length; i += 4096) big.writeUInt32LE(i, i);
    const source = site({ 'index.html': 'x', 'video/intro.mp4': big });
    const run = await sync(source, bucket, { 'multipart-threshold': '5MiB' });
    expectSuccess(run);
    const log = await server.requests();
    expect(log.filter((r) => r.query.includes('partNumber')).map((r) => r.key)).toEqual([
      'video/intro.mp4',
      'video/intro.mp4',
      'video/intro.mp4'
    ]);
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'video/intro.mp4' }));
    expect(Buffer.from(await got.Body!.transformToByteArray()).equals(big)).toBe(true);
    expect(got.ContentType).toBe('video/mp4');
    const again = await sync(source, bucket, { 'multipart-threshold': '5MiB' });
    expect(again.outputs).toMatchObject({ uploaded: '0', unchanged: '2' });
  });

  it('handles Korean and other non-ASCII names end to end, decomposed names included', async () => {
    const bucket = await newBucket();
    const run = await sync(
      site({
        '한글/파일.txt': '안녕하세요',
        'café.html': '<p>café</p>',
        ['résumé'.normalize('NFD') + '.txt']: 'decomposed on disk',
        'space name.js': 'x'
      }),
      bucket
    );
    expectSuccess(run);
    expect(json(run.outputs['added-paths'])).toEqual(
      expect.arrayContaining(['/한글/파일.txt', '/café.html', '/résumé.txt', '/space name.js'])
    );
    const contents = await bucketContents(bucket);
    expect(contents).toEqual({
      '한글/파일.txt': '안녕하세요',
      'café.html': '<p>café</p>',
      'résumé.txt': 'decomposed on disk',
      'space name.js': 'x'
    });
    expect(run.summary).toContain('/한글/파일.txt');
  });

  it('dry run reports the plan and the server sees no write', async () => {
    const bucket = await newBucket();
    expectSuccess(await sync(site(viteSite(3)), bucket));
    const before = await bucketContents(bucket);
    const changed = viteSite(0, { 'index.html': '<h1>v2</h1>', 'new.css': 'a{}' });
    const run = await sync(site(changed), bucket, { 'dry-run': 'true', delete: 'true' });
    expectSuccess(run);
    expect(run.outputs).toMatchObject({ uploaded: '2', deleted: '3' });
    expect(run.stdout).toContain('(dry run) would upload index.html (content');
    expect(run.stdout).toContain('(dry run) would delete assets/chunk-0-a1b2c3d4.js');
    expect(run.summary).toContain('dry run');
    expect((await server.requests()).every((r) => r.method === 'GET')).toBe(true);
    expect(await bucketContents(bucket)).toEqual(before);
  });

  it('a failure mid-sync leaves the old site intact, and a re-run converges', async () => {
    const bucket = await newBucket();
    const v1 = viteSite(10);
    expectSuccess(await sync(site(v1), bucket, { delete: 'true' }));
    const v1Contents = await bucketContents(bucket);
    const v2: Files = { 'index.html': '<h1>v2</h1>', 'about/index.html': '<h1>v2 about</h1>' };
    for (let i = 0; i < 12; i++) v2[`assets/v2-${i}-9f8e7d6c.js`] = `v2 ${i}`;
    const source = site(v2);
    await server.reset();
    await server.fail({ method: 'PUT', path: 'v2-5-', status: 500, code: 'InternalError', times: 100 });
    const failed = await runBundledAction({
      actionYml: actionYml('s3-static-sync'),
      inputs: {
        source,
        bucket,
        'endpoint-url': server.endpoint,
        'force-path-style': 'true',
        delete: 'true',
        'max-delete': '100%',
        concurrency: '2'
      },
      env: { ...S3_TEST_ENV, RUNNER_TEMP: work }
    });
    expect(failed.exitCode).toBe(1);
    expect(failed.stdout).toMatch(
      /::error::.*v2-5-9f8e7d6c\.js.* No HTML was published, so the site still serves the previous version/
    );
    const log = await server.requests();
    expect(log.filter((r) => r.key.endsWith('.html') && r.method !== 'GET')).toEqual([]);
    expect(log.filter((r) => r.method === 'DELETE' || r.query.includes('delete'))).toEqual([]);
    const during = await bucketContents(bucket);
    for (const [key, value] of Object.entries(v1Contents)) expect([key, during[key]]).toEqual([key, value]);

    const rerun = await sync(source, bucket, { delete: 'true', 'max-delete': '100%' });
    expectSuccess(rerun);
    // Only what did not make it is sent again: the failed asset, anything not started, and the HTML.
    expect(Number(rerun.outputs.uploaded)).toBeLessThan(14);
    expect(puts(await server.requests())).toContain('assets/v2-5-9f8e7d6c.js');
    expect(await bucketContents(bucket)).toEqual(v2);
    const settled = await sync(source, bucket, { delete: 'true', 'max-delete': '100%' });
    expect(settled.outputs).toMatchObject({ uploaded: '0', deleted: '0', unchanged: '14' });
  });
});

describe('s3-static-sync refuses bad input with a clear error and no writes', () => {
  let bucket: string;
  beforeAll(async () => {
    bucket = await newBucket();
  });

  async function refused(
    source: string,
    inputs: Record<string, string>,
    message: RegExp,
    bucketName = bucket
  ) {
    const run = await sync(source, bucketName, inputs);
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toMatch(message);
    expect(writes(await server.requests())).toEqual([]);
    return run;
  }

  it('a missing source', async () => {
    await refused(
      path.join(work, 'no-such-build'),
      {},
      /::error::Input 'source': '.*no-such-build' does not exist/
    );
    expect(await server.requests()).toEqual([]);
  });

  it('an invalid rule line', async () => {
    await refused(
      site({ 'a.html': 'x' }),
      { 'cache-control': '*.html: no-cache\n*.js max-age=60' },
      /::error::Input 'cache-control': line 2 \('\*\.js max-age=60'\) is not a rule; expected 'glob: value'/
    );
    expect(await server.requests()).toEqual([]);
  });

  it('a file that cannot be read', async () => {
    const source = site({ 'index.html': 'x', 'app.js': 'y' });
    symlinkSync(path.join(source, 'gone.js'), path.join(source, 'broken.js'));
    await refused(
      source,
      {},
      /::error::Cannot read these entries in source: broken\.js \(a link to nothing\)/
    );
    if (process.getuid?.() !== 0) {
      // Root reads everything, so this half only runs as a normal user (as on GitHub's runners).
      const locked = site({ 'index.html': 'x', 'secret.js': 'y' });
      chmodSync(path.join(locked, 'secret.js'), 0o000);
      await refused(locked, {}, /::error::Cannot read 'secret\.js' in source \(permission denied\)/);
    }
  });

  it('a symlink that points outside source', async () => {
    const source = site({ 'index.html': 'x' });
    const secret = path.join(work, 'id_rsa');
    writeFileSync(secret, 'PRIVATE KEY');
    symlinkSync(secret, path.join(source, 'key.txt'));
    const run = await refused(
      source,
      {},
      /::error::Refusing to publish symlinks that point outside source .*: key\.txt -> /
    );
    expect(run.stdout).not.toContain('PRIVATE KEY');
  });

  it('a bucket that does not exist', async () => {
    await refused(
      site({ 'index.html': 'x' }),
      {},
      /::error::The bucket 'no-such-bucket' does not exist at http/,
      'no-such-bucket'
    );
  });
});
