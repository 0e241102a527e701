/** Uploading the bundle to the real S3-compatible server: once, multipart when large, pinned by ETag. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ensureUploaded, headObject, PART_SIZE } from '../../src/actions/codedeploy-trigger/upload.js';
import { S3TestServer } from '../helpers/s3-server.js';

let s3: S3TestServer;
let work: string;
beforeAll(async () => {
  s3 = await S3TestServer.start();
  await s3.createBucket('artifacts');
  work = mkdtempSync(path.join(tmpdir(), 'codedeploy-upload-'));
});
afterAll(async () => {
  await s3.stop();
  rmSync(work, { recursive: true, force: true });
});
beforeEach(() => s3.reset());

describe('ensureUploaded', () => {
  it('uploads a small bundle in one PUT, then finds it instead of uploading again', async () => {
    const file = path.join(work, 'small.zip');
    writeFileSync(file, randomBytes(1000));
    const client = s3.client();
    const first = await ensureUploaded(client, file, 'artifacts', 'a/small.zip', 'aa11');
    expect(first).toMatchObject({ uploaded: true, sha256: 'aa11' });
    expect(first.eTag).toMatch(/^[0-9a-f]{32}$/);
    const second = await ensureUploaded(client, file, 'artifacts', 'a/small.zip', 'aa11');
    expect(second).toEqual({ uploaded: false, eTag: first.eTag, sha256: 'aa11', version: undefined });
    expect((await s3.requests()).map((r) => r.method)).toEqual(['HEAD', 'PUT', 'HEAD']);
    expect((await headObject(client, 'artifacts', 'a/small.zip'))?.sha256).toBe('aa11');
    client.destroy();
  });

  it('uploads a large bundle in parts and pins the multipart ETag', async () => {
    const file = path.join(work, 'large.zip');
    writeFileSync(file, randomBytes(PART_SIZE + 1024));
    const client = s3.client();
    const result = await ensureUploaded(client, file, 'artifacts', 'a/large.zip', 'bb22');
    expect(result.uploaded).toBe(true);
    // s3rver's multipart ETag has no "-2" suffix, unlike S3's; what matters is that we pin the stored one.
    expect(result.eTag).toBe((await headObject(client, 'artifacts', 'a/large.zip'))?.eTag);
    client.destroy();
    const log = await s3.requests();
    expect(log.filter((r) => r.method === 'PUT' && /partNumber=/.test(r.query))).toHaveLength(2);
    expect(log.filter((r) => r.method === 'POST')).toHaveLength(2); // initiate + complete
    expect(log.filter((r) => r.method === 'PUT' && !/partNumber=/.test(r.query))).toEqual([]);
  });

  it('explains a refused upload and a missing bucket, and treats a refused HEAD as not there', async () => {
    const file = path.join(work, 'x.zip');
    writeFileSync(file, 'x');
    const client = s3.client();
    client.config.maxAttempts = async () => 1;
    // A 403 on HEAD may only mean "no s3:ListBucket": the upload is tried, and its own 403 is explained.
    await s3.fail({ method: 'HEAD', path: 'denied', status: 403, code: 'AccessDenied' });
    await s3.fail({ method: 'PUT', path: 'denied', status: 403, code: 'AccessDenied' });
    await expect(ensureUploaded(client, file, 'artifacts', 'denied.zip', 'cc')).rejects.toThrow(
      'S3 refused uploading to s3://artifacts/denied.zip (403). The role needs s3:GetObject and s3:PutObject on that prefix.'
    );
    await s3.fail({ method: 'HEAD', path: 'unlisted', status: 403, code: 'AccessDenied' });
    expect((await ensureUploaded(client, file, 'artifacts', 'unlisted.zip', 'cc')).uploaded).toBe(true);
    await s3.fail({ method: 'HEAD', path: 'given', status: 403, code: 'AccessDenied' });
    await expect(headObject(client, 'artifacts', 'given.zip')).rejects.toThrow(
      'S3 refused reading s3://artifacts/given.zip (403)'
    );
    await expect(ensureUploaded(client, file, 'no-such-bucket', 'x.zip', 'cc')).rejects.toThrow(
      /does not exist|refused/
    );
    client.destroy();
  });
});
