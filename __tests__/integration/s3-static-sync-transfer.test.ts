/**
 * The transfer layer against the real S3-compatible server, through the action's own client: the
 * parallel range listing, the payload hash every small PUT is signed with, and the flat-memory multipart
 * upload (parts, checksums, abort on failure).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { crc32 } from 'node:zlib';
import path from 'node:path';
import { createS3Client } from '../../src/actions/s3-static-sync/client.js';
import type { LocalFile } from '../../src/actions/s3-static-sync/plan.js';
import { listRanges, sortKeys } from '../../src/actions/s3-static-sync/ranges.js';
import {
  listObjects,
  Semaphore,
  uploadFile,
  type Target
} from '../../src/actions/s3-static-sync/transfer.js';
import { S3TestServer, S3_TEST_ENV, type S3Request } from '../helpers/s3-server.js';

const MiB = 1024 * 1024;
let server: S3TestServer;
let s3: S3Client;
let helper: S3Client;
let work: string;
const saved = { ...process.env };

beforeAll(async () => {
  server = await S3TestServer.start();
  Object.assign(process.env, S3_TEST_ENV);
  s3 = createS3Client({
    region: 'us-east-1',
    endpoint: server.endpoint,
    forcePathStyle: true,
    checksums: 'when-required',
    concurrency: 4
  });
  helper = server.client();
  work = mkdtempSync(path.join(tmpdir(), 's3-static-sync-transfer-'));
});
afterAll(async () => {
  s3.destroy();
  helper.destroy();
  process.env = saved;
  await server.stop();
  rmSync(work, { recursive: true, force: true });
});
beforeEach(() => server.reset());

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

function localFile(relPath: string, content: Buffer, size = content.length): LocalFile {
  const absPath = path.join(work, relPath.replace(/\//g, '_'));
  writeFileSync(absPath, content);
  return {
    relPath,
    key: relPath,
    absPath,
    size,
    sha256: sha256(content),
    meta: 'm',
    contentType: 'application/octet-stream'
  };
}

function target(bucket: string, multipartThreshold = 5 * MiB): Target {
  return { bucket, multipartThreshold, multipartSlots: new Semaphore(2) };
}

const lists = (log: S3Request[]) => log.filter((r) => r.method === 'GET' && r.query.includes('list-type=2'));

describe('listObjects in parallel ranges', () => {
  const local = Array.from({ length: 60 }, (_, i) => `site/p${String(i).padStart(3, '0')}`);
  // Objects only in the bucket: before every local key, just after range boundaries, after all of them.
  const remoteOnly = ['site/a-first', 'site/p006x', 'site/p007~', 'site/p013~', 'site/zzz', 'site/한글'];

  beforeAll(async () => {
    await server.createBucket('ranges');
    for (const key of [...local, ...remoteOnly, 'other/outside-the-prefix'])
      await helper.send(new PutObjectCommand({ Bucket: 'ranges', Key: key, Body: key }));
  });

  it('finds every object under the prefix, local or not, with one request per range', async () => {
    const ranges = listRanges(sortKeys(local), 7);
    expect(ranges).toHaveLength(9);
    const listing = await listObjects(s3, 'ranges', 'site/', ranges);
    expect(sortKeys(listing.objects.keys())).toEqual(sortKeys([...local, ...remoteOnly]));
    expect(listing.objects.get('site/p006x')).toEqual({
      etag: `"${createHash('md5').update('site/p006x').digest('hex')}"`,
      size: 10
    });
    const log = lists(await server.requests());
    expect([listing.requests, log.length]).toEqual([9, 9]);
    // Each range starts after the local key before it: no range re-reads the ones before.
    const startAfter = log.map((r) => new URLSearchParams(r.query).get('start-after')).filter(Boolean);
    expect(startAfter.sort()).toEqual(
      ranges
        .slice(1)
        .map((r) => r.startAfter)
        .sort()
    );
  });

  it('pages on within a range until it has seen the whole range', async () => {
    const ranges = listRanges(sortKeys(local), 20);
    const listing = await listObjects(s3, 'ranges', 'site/', ranges, { pageSize: 4 });
    expect(sortKeys(listing.objects.keys())).toEqual(sortKeys([...local, ...remoteOnly]));
    expect(listing.requests).toBeGreaterThanOrEqual(Math.ceil((local.length + remoteOnly.length) / 4));
    expect(lists(await server.requests())).toHaveLength(listing.requests);
  });

  it('sends one request at a time when asked to (a throttled store)', async () => {
    const ranges = listRanges(sortKeys(local), 7);
    const listing = await listObjects(s3, 'ranges', 'site/', ranges, { parallel: 1 });
    expect(listing.objects.size).toBe(local.length + remoteOnly.length);
    const log = lists(await server.requests());
    expect(log).toHaveLength(9);
    // Each request arrived only after the server had answered the one before.
    for (let i = 1; i < log.length; i++) {
      const before = log[i - 1] as S3Request;
      expect((log[i] as S3Request).at).toBeGreaterThanOrEqual(before.at + before.ms);
    }
  });

  it('lists an empty prefix as empty, one request per range', async () => {
    const listing = await listObjects(s3, 'ranges', 'nothing-here/', listRanges(sortKeys(local), 7));
    expect([listing.objects.size, listing.requests]).toEqual([0, 9]);
  });
});

describe('uploadFile', () => {
  beforeAll(() => server.createBucket('uploads'));

  it('signs each small PUT with the SHA-256 computed while hashing, not a second hash of its own', async () => {
    const files = Array.from({ length: 12 }, (_, i) =>
      localFile(`small/${i}.txt`, Buffer.from(`file ${i} `.repeat(i + 1)))
    );
    await Promise.all(files.map((file) => uploadFile(s3, target('uploads'), file, () => undefined)));
    const puts = (await server.requests()).filter((r) => r.method === 'PUT');
    expect(puts.map((r) => [r.key, r.contentSha256]).sort()).toEqual(
      files.map((f) => [f.key, f.sha256]).sort()
    );
    const got = await helper.send(new GetObjectCommand({ Bucket: 'uploads', Key: 'small/3.txt' }));
    expect(await got.Body!.transformToString()).toBe('file 3 '.repeat(4));
  });

  it('uploads a large file in parts, reporting every byte, and answers the ETag S3 stored', async () => {
    const content = Buffer.alloc(11 * MiB + 3);
    for (let i = 0; i + 4 <= content.length; i += 4096) content.writeUInt32LE(i, i);
    const file = localFile('big/video.mp4', content);
    let reported = 0;
    const etag = await uploadFile(s3, target('uploads'), file, (n) => (reported += n));
    const log = await server.requests();
    expect(log.map((r) => [r.method, r.query.replace(/uploadId=[^&]+/, 'uploadId=…')])).toEqual([
      ['POST', 'uploads='],
      ...[1, 2, 3].map(() => [
        'PUT',
        expect.stringMatching(/^partNumber=\d&uploadId=…|^uploadId=…&partNumber=\d/)
      ]),
      ['POST', 'uploadId=…']
    ]);
    expect(
      log
        .filter((r) => r.method === 'PUT')
        .map((r) => new URLSearchParams(r.query).get('partNumber'))
        .sort()
    ).toEqual(['1', '2', '3']);
    expect(reported).toBe(content.length);
    const got = await helper.send(new GetObjectCommand({ Bucket: 'uploads', Key: 'big/video.mp4' }));
    expect(Buffer.from(await got.Body!.transformToByteArray()).equals(content)).toBe(true);
    expect(got.ETag).toBe(etag);
  });

  it('sends CRC32 part checksums when the client computes checksums (AWS S3 itself)', async () => {
    const supported = createS3Client({
      region: 'us-east-1',
      endpoint: server.endpoint,
      forcePathStyle: true,
      checksums: 'when-supported',
      concurrency: 4
    });
    try {
      const content = Buffer.alloc(7 * MiB, 3);
      const file = localFile('big/checked.bin', content);
      await uploadFile(supported, target('uploads'), file, () => undefined);
      const log = await server.requests();
      expect(log[0]).toMatchObject({ method: 'POST', checksums: { 'x-amz-checksum-algorithm': 'CRC32' } });
      const crc = (part: Buffer) => {
        const out = Buffer.alloc(4);
        out.writeUInt32BE(crc32(part));
        return out.toString('base64');
      };
      const parts = log.filter((r) => r.method === 'PUT');
      expect(
        parts
          .map((r) => [new URLSearchParams(r.query).get('partNumber'), r.checksums?.['x-amz-checksum-crc32']])
          .sort()
      ).toEqual([
        ['1', crc(content.subarray(0, 5 * MiB))],
        ['2', crc(content.subarray(5 * MiB))]
      ]);
      const got = await helper.send(new GetObjectCommand({ Bucket: 'uploads', Key: 'big/checked.bin' }));
      expect(Buffer.from(await got.Body!.transformToByteArray()).equals(content)).toBe(true);
    } finally {
      supported.destroy();
    }
  });

  it('aborts the multipart upload when a part keeps failing, leaving no object', async () => {
    const file = localFile('big/failing.bin', Buffer.alloc(12 * MiB, 7));
    await server.fail({
      method: 'PUT',
      query: 'partNumber=2',
      status: 500,
      code: 'InternalError',
      times: 100
    });
    await expect(uploadFile(s3, target('uploads'), file, () => undefined)).rejects.toMatchObject({
      name: 'InternalError'
    });
    const log = await server.requests();
    expect(log.filter((r) => r.method === 'DELETE' && r.query.includes('uploadId='))).toHaveLength(1);
    await expect(
      helper.send(new HeadObjectCommand({ Bucket: 'uploads', Key: 'big/failing.bin' }))
    ).rejects.toMatchObject({ name: 'NotFound' });
  });

  it.each([
    ['grew', 12 * MiB],
    ['shrank', 6 * MiB]
  ])('refuses a file that %s after it was hashed: aborted, nothing published', async (how, actual) => {
    const file = localFile(`big/${how}.bin`, Buffer.alloc(actual, 2), 11 * MiB);
    await expect(uploadFile(s3, target('uploads'), file, () => undefined)).rejects.toThrow(
      `big/${how}.bin changed while the sync ran; re-run the sync.`
    );
    const log = await server.requests();
    expect(log.filter((r) => r.method === 'DELETE' && r.query.includes('uploadId='))).toHaveLength(1);
    expect(log.filter((r) => r.method === 'POST' && r.query.startsWith('uploadId='))).toEqual([]);
    await expect(
      helper.send(new HeadObjectCommand({ Bucket: 'uploads', Key: `big/${how}.bin` }))
    ).rejects.toMatchObject({ name: 'NotFound' });
  });

  it('starts no multipart upload for a file it cannot open', async () => {
    const file = localFile('big/vanished.bin', Buffer.alloc(6 * MiB, 3));
    rmSync(file.absPath);
    await expect(uploadFile(s3, target('uploads'), file, () => undefined)).rejects.toMatchObject({
      code: 'ENOENT'
    });
    expect(await server.requests()).toEqual([]);
  });
});
