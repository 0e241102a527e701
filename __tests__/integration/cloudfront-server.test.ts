/**
 * The CloudFront stand-in itself: the shapes and rules the real SDK sees, and its standalone script mode
 * (the demo and benchmarks start it outside Jest).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import {
  CloudFrontClient,
  CreateInvalidationCommand,
  GetInvalidationCommand,
  ListInvalidationsCommand
} from '@aws-sdk/client-cloudfront';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { ROOT } from '../helpers/paths.js';
import { startCloudFrontServer, type CloudFrontFake } from '../fakes/cloudfront-server.mjs';

const DIST = 'E2EXAMPLE12345';
let cf: CloudFrontFake;
let client: CloudFrontClient;

const create = (reference: string, paths: string[]) =>
  client.send(
    new CreateInvalidationCommand({
      DistributionId: DIST,
      InvalidationBatch: { CallerReference: reference, Paths: { Quantity: paths.length, Items: paths } }
    })
  );

beforeAll(async () => {
  cf = await startCloudFrontServer({ distributions: [{ id: DIST }] });
  client = new CloudFrontClient({
    endpoint: cf.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' },
    maxAttempts: 1
  });
});
afterAll(async () => {
  client.destroy();
  await cf.close();
});
beforeEach(() => {
  cf.reset();
});

describe('CloudFront stand-in', () => {
  it('creates with 201 and a Location header, then completes after the scripted polls', async () => {
    const created = await create('ref-1', ['/index.html']);
    expect(created.$metadata.httpStatusCode).toBe(201);
    expect(created.Location).toBe(
      `https://127.0.0.1:${cf.port}/2020-05-31/distribution/${DIST}/invalidation/${created.Invalidation?.Id}`
    );
    expect(created.Invalidation).toMatchObject({
      Id: expect.stringMatching(/^I[A-Z0-9]{13}$/),
      Status: 'InProgress',
      CreateTime: expect.any(Date),
      InvalidationBatch: { CallerReference: 'ref-1', Paths: { Quantity: 1, Items: ['/index.html'] } }
    });
    const get = () =>
      client.send(new GetInvalidationCommand({ DistributionId: DIST, Id: created.Invalidation?.Id }));
    expect((await get()).Invalidation?.Status).toBe('InProgress');
    expect((await get()).Invalidation?.Status).toBe('Completed');
  });

  it('is idempotent on CallerReference, and refuses it for another batch', async () => {
    const first = await create('ref-2', ['/a', '/b']);
    const again = await create('ref-2', ['/a', '/b']);
    expect(again.Invalidation?.Id).toBe(first.Invalidation?.Id);
    await expect(create('ref-2', ['/a'])).rejects.toMatchObject({
      name: 'InvalidationBatchAlreadyExists',
      $metadata: { httpStatusCode: 409 }
    });
    expect(cf.invalidations()).toHaveLength(1);
  });

  it('enforces the in-progress quotas: 3,000 files and 15 wildcards', async () => {
    await create(
      'files',
      Array.from({ length: 2999 }, (_, i) => `/f${i}`)
    );
    await create('one-more-file', ['/x']);
    await expect(create('too-many-files', ['/y'])).rejects.toMatchObject({
      name: 'TooManyInvalidationsInProgress'
    });
    await create(
      'wild',
      Array.from({ length: 15 }, (_, i) => `/w${i}/*`)
    );
    await expect(create('too-many-wildcards', ['/z/*'])).rejects.toMatchObject({
      name: 'TooManyInvalidationsInProgress'
    });
    cf.complete();
    await create('room-again', ['/y', '/z/*']);
  });

  it('rejects more than 3,000 paths in one request, bad paths and unknown distributions', async () => {
    await expect(
      create(
        'big',
        Array.from({ length: 3001 }, (_, i) => `/f${i}`)
      )
    ).rejects.toMatchObject({
      name: 'BatchTooLarge',
      $metadata: { httpStatusCode: 413 }
    });
    for (const bad of ['no-slash', '/a*/b', '/raw space', '/한'])
      await expect(create(`bad-${bad}`, [bad])).rejects.toMatchObject({ name: 'InvalidArgument' });
    await expect(
      client.send(new GetInvalidationCommand({ DistributionId: 'ENOPE000000000', Id: 'I1' }))
    ).rejects.toMatchObject({
      name: 'NoSuchDistribution',
      message: 'The specified distribution does not exist.'
    });
    await expect(
      client.send(new GetInvalidationCommand({ DistributionId: DIST, Id: 'INOPE' }))
    ).rejects.toMatchObject({
      name: 'NoSuchInvalidation'
    });
  });

  it('pages ListInvalidations newest first', async () => {
    for (let i = 0; i < 3; i++) await create(`page-${i}`, [`/p${i}`]);
    const first = await client.send(new ListInvalidationsCommand({ DistributionId: DIST, MaxItems: 2 }));
    expect(first.InvalidationList).toMatchObject({ IsTruncated: true, Quantity: 2, MaxItems: 2 });
    const second = await client.send(
      new ListInvalidationsCommand({
        DistributionId: DIST,
        MaxItems: 2,
        Marker: first.InvalidationList?.NextMarker
      })
    );
    expect(second.InvalidationList).toMatchObject({ IsTruncated: false, Quantity: 1 });
    const ids = [...(first.InvalidationList?.Items ?? []), ...(second.InvalidationList?.Items ?? [])].map(
      (i) => i.Id
    );
    expect(ids).toEqual(cf.invalidations().map((i) => i.id));
  });

  it('throttles bursts with 400 Throttling', async () => {
    cf.configure({ throttle: { requests: 1, windowMs: 60_000 } });
    await create('t1', ['/a']);
    await expect(create('t2', ['/b'])).rejects.toMatchObject({
      name: 'Throttling',
      $metadata: { httpStatusCode: 400 }
    });
    expect(cf.requests().map((r) => r.error ?? r.status)).toEqual([201, 'Throttling']);
  });

  it('runs as a script with control endpoints', async () => {
    const child = spawn(
      process.execPath,
      [path.join(ROOT, '__tests__', 'fakes', 'cloudfront-server.mjs'), '0'],
      {
        stdio: ['ignore', 'pipe', 'inherit']
      }
    );
    try {
      const line = await new Promise<string>((resolve) =>
        createInterface({ input: child.stdout }).once('line', resolve)
      );
      const { endpoint } = JSON.parse(line) as { endpoint: string };
      await fetch(`${endpoint}/__control/configure`, {
        method: 'POST',
        body: JSON.stringify({ completeAfterPolls: 0 })
      });
      const standalone = new CloudFrontClient({
        endpoint,
        region: 'us-east-1',
        credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' }
      });
      const created = await standalone.send(
        new CreateInvalidationCommand({
          DistributionId: 'E2EXAMPLE12345',
          InvalidationBatch: { CallerReference: 'script', Paths: { Quantity: 1, Items: ['/*'] } }
        })
      );
      standalone.destroy();
      expect(created.Invalidation?.Status).toBe('Completed');
      const log = (await (await fetch(`${endpoint}/__control/requests`)).json()) as Array<{
        operation: string;
      }>;
      expect(log.map((r) => r.operation)).toEqual(['CreateInvalidation']);
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
  });
});
