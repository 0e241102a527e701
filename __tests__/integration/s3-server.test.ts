import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { S3TestServer } from '../helpers/s3-server.js';

let server: S3TestServer;
beforeAll(async () => {
  server = await S3TestServer.start();
  await server.createBucket('harness');
});
afterAll(async () => server.stop());

describe('the S3-compatible test server', () => {
  it('stores objects byte for byte, logs requests and injects failures', async () => {
    const client = server.client();
    await server.reset();
    await client.send(
      new PutObjectCommand({
        Bucket: 'harness',
        Key: '한글/파일.txt',
        Body: 'hello',
        ContentType: 'text/plain'
      })
    );
    const got = await client.send(new GetObjectCommand({ Bucket: 'harness', Key: '한글/파일.txt' }));
    expect(await got.Body?.transformToString()).toBe('hello');
    const log = await server.requests();
    expect(log.map((r) => [r.method, r.key])).toEqual([
      ['PUT', '한글/파일.txt'],
      ['GET', '한글/파일.txt']
    ]);

    await server.fail({ method: 'PUT', path: 'broken', status: 503, code: 'SlowDown', times: 10 });
    const noRetry = server.client();
    noRetry.config.maxAttempts = async () => 1;
    await expect(
      noRetry.send(new PutObjectCommand({ Bucket: 'harness', Key: 'broken.txt', Body: 'x' }))
    ).rejects.toThrow();
    const listed = await client.send(new ListObjectsV2Command({ Bucket: 'harness' }));
    expect(listed.Contents?.map((o) => o.Key)).toEqual(['한글/파일.txt']);
    client.destroy();
    noRetry.destroy();
  });

  it('lists past 1,000 keys', async () => {
    const client = server.client();
    await Promise.all(
      Array.from({ length: 1005 }, (_, i) =>
        client.send(
          new PutObjectCommand({ Bucket: 'harness', Key: `many/${String(i).padStart(4, '0')}`, Body: 'x' })
        )
      )
    );
    let count = 0;
    let token: string | undefined;
    do {
      const page = await client.send(
        new ListObjectsV2Command({ Bucket: 'harness', Prefix: 'many/', ContinuationToken: token })
      );
      count += page.KeyCount ?? 0;
      token = page.NextContinuationToken;
    } while (token);
    expect(count).toBe(1005);
    client.destroy();
  });
});
