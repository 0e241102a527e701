/**
 * Starts the real S3-compatible server (s3rver behind a logging, failure-injecting middleware) in a child
 * process, as integration tests and benchmarks need it. No sleeping: start() resolves when the server
 * prints its port.
 */
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { ROOT } from './paths.js';

export interface S3Request {
  method: string;
  /** The decoded path, `/bucket/key`. */
  path: string;
  query: string;
  bucket: string;
  key: string;
  status: number;
  /** When the request arrived (epoch ms) and how long the server took to answer it. */
  at: number;
  ms: number;
  /** The x-amz-content-sha256 header: the payload hash the client signed, or UNSIGNED-PAYLOAD. */
  contentSha256?: string;
  /** Its x-amz-checksum-* and x-amz-sdk-checksum-* headers, lower-cased, when it had any. */
  checksums?: Record<string, string>;
  injected?: boolean;
}

export interface FailureRule {
  method?: string;
  /** A regular expression matched against the decoded path. */
  path?: string;
  query?: string;
  status?: number;
  code?: string;
  times?: number;
  skip?: number;
}

/** Credentials s3rver accepts (it checks the access key id only with signature checks on). */
export const S3_TEST_ENV = {
  AWS_ACCESS_KEY_ID: 'S3RVER',
  AWS_SECRET_ACCESS_KEY: 'S3RVER',
  AWS_REGION: 'us-east-1'
} as const;

export class S3TestServer {
  private constructor(
    private readonly child: ChildProcess,
    readonly endpoint: string,
    readonly directory: string
  ) {}

  static async start(): Promise<S3TestServer> {
    const directory = mkdtempSync(path.join(tmpdir(), 's3rver-'));
    const child = spawn(
      process.execPath,
      ['--openssl-legacy-provider', path.join(ROOT, '__tests__', 'fakes', 's3-server.mjs'), directory, '0'],
      { stdio: ['ignore', 'pipe', 'inherit'] }
    );
    const lines = createInterface({ input: child.stdout! });
    const port = await new Promise<number>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`s3 server exited with ${code} before listening`)));
      lines.once('line', (line) => resolve((JSON.parse(line) as { port: number }).port));
    });
    return new S3TestServer(child, `http://127.0.0.1:${port}`, directory);
  }

  /** An SDK client for test set-up and assertions (path style, checksums only when required). */
  client(): S3Client {
    return new S3Client({
      endpoint: this.endpoint,
      region: S3_TEST_ENV.AWS_REGION,
      forcePathStyle: true,
      credentials: {
        accessKeyId: S3_TEST_ENV.AWS_ACCESS_KEY_ID,
        secretAccessKey: S3_TEST_ENV.AWS_SECRET_ACCESS_KEY
      },
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED'
    });
  }

  async createBucket(name: string): Promise<void> {
    const client = this.client();
    try {
      await client.send(new CreateBucketCommand({ Bucket: name }));
    } finally {
      client.destroy();
    }
  }

  /** Every request the server saw since the last reset, in arrival order. */
  async requests(): Promise<S3Request[]> {
    const response = await fetch(`${this.endpoint}/__control/requests`);
    return (await response.json()) as S3Request[];
  }

  /** Clears the request log and every failure rule. */
  async reset(): Promise<void> {
    await fetch(`${this.endpoint}/__control/reset`, { method: 'POST' });
  }

  /** Makes matching requests fail with an S3 error. */
  async fail(rule: FailureRule): Promise<void> {
    await fetch(`${this.endpoint}/__control/fail`, { method: 'POST', body: JSON.stringify(rule) });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null) {
      const exited = new Promise((resolve) => this.child.once('exit', resolve));
      this.child.kill('SIGTERM');
      await exited;
    }
    rmSync(this.directory, { recursive: true, force: true });
  }
}
