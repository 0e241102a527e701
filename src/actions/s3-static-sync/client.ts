/**
 * The S3 client this action (and the root static-site action) uses: keep-alive, bounded sockets, and
 * the per-request overhead of the SDK cut where a sync of thousands of small files pays for it (each
 * setting below was measured with a CPU profile of the bench's first upload of 2,000 files).
 */
import { S3Client } from '@aws-sdk/client-s3';
import { SignatureV4MultiRegion } from '@aws-sdk/signature-v4-multi-region';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import http from 'node:http';
import https from 'node:https';
import { createClient } from '../../core/aws.js';
import type { Inputs } from './inputs.js';

export type ClientInputs = Pick<
  Inputs,
  'region' | 'endpoint' | 'forcePathStyle' | 'checksums' | 'concurrency'
>;

/**
 * Payload SHA-256s we already know, by command input: sent as x-amz-content-sha256 so the signer does
 * not hash the body again. One client-level middleware reads it, rather than one added per command, so
 * the client can resolve its middleware stack once (cacheMiddleware).
 */
export const knownPayloadSha256 = new WeakMap<object, string>();

type SignerParams = ConstructorParameters<typeof SignatureV4MultiRegion>[0];

/**
 * The SDK constructs a new signer for every request, copying the whole client config and starting with
 * an empty signing-key cache, so every PUT paid four extra HMACs (~6% of the client's CPU). This
 * constructor hands out one signer per region and service instead; the signer reads the credentials
 * through the client's provider on every request, so refreshed credentials are still used.
 */
function reusedSigner(): typeof SignatureV4MultiRegion {
  const signers = new Map<string, SignatureV4MultiRegion>();
  function ReusedSigner(params: SignerParams): SignatureV4MultiRegion {
    const key = `${params.region as string}/${params.service}`;
    let signer = signers.get(key);
    if (!signer) {
      signer = new SignatureV4MultiRegion(params);
      signers.set(key, signer);
    }
    return signer;
  }
  return ReusedSigner as unknown as typeof SignatureV4MultiRegion;
}

/**
 * The SDK's default logger discards everything, but the SDK still builds a redacted copy of every
 * request and response for it (~3% of the client's CPU); it skips that when the logger has no `info`.
 */
const quietLogger = { debug: () => undefined, warn: () => undefined, error: () => undefined };

export function createS3Client(inputs: ClientInputs, action = 's3-static-sync'): S3Client {
  // Room for every file in flight plus the parallel parts of large ones.
  const agent = { keepAlive: true, maxSockets: inputs.concurrency + 4 };
  const checksum = inputs.checksums === 'when-required' ? 'WHEN_REQUIRED' : 'WHEN_SUPPORTED';
  const client = createClient(
    S3Client,
    'S3',
    { action, region: inputs.region, endpoint: inputs.endpoint },
    {
      forcePathStyle: inputs.forcePathStyle || undefined,
      // Resolving the middleware stack for every request was ~10% of the client's CPU.
      cacheMiddleware: true,
      signerConstructor: reusedSigner(),
      logger: quietLogger,
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
  client.middlewareStack.add(
    (next) => async (args) => {
      const sha256 = knownPayloadSha256.get(args.input as object);
      const request = args.request as { headers?: Record<string, string> };
      if (sha256 && request.headers) request.headers['x-amz-content-sha256'] = sha256;
      return next(args);
    },
    { step: 'build', name: 'knownPayloadSha256' }
  );
  return client;
}
