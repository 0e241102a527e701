/** The S3 client this action (and the root static-site action) uses: keep-alive, bounded sockets. */
import { S3Client } from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import http from 'node:http';
import https from 'node:https';
import { createClient } from '../../core/aws.js';
import type { Inputs } from './inputs.js';

export type ClientInputs = Pick<
  Inputs,
  'region' | 'endpoint' | 'forcePathStyle' | 'checksums' | 'concurrency'
>;

export function createS3Client(inputs: ClientInputs, action = 's3-static-sync'): S3Client {
  // Room for every file in flight plus lib-storage's parallel parts of a large one.
  const agent = { keepAlive: true, maxSockets: inputs.concurrency + 4 };
  const checksum = inputs.checksums === 'when-required' ? 'WHEN_REQUIRED' : 'WHEN_SUPPORTED';
  return createClient(
    S3Client,
    'S3',
    { action, region: inputs.region, endpoint: inputs.endpoint },
    {
      forcePathStyle: inputs.forcePathStyle || undefined,
      requestChecksumCalculation: checksum,
      responseChecksumValidation: checksum,
      requestHandler: new NodeHttpHandler({
        httpAgent: new http.Agent(agent),
        httpsAgent: new https.Agent(agent),
        connectionTimeout: 10_000,
        requestTimeout: 120_000
      })
    },
    // S3-compatible stores mostly ignore the region, but SigV4 needs one.
    inputs.endpoint ? 'us-east-1' : undefined
  );
}
