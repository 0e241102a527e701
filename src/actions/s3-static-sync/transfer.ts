/**
 * The S3 side: the listing (parallel ranges), the manifest object, uploads (one PUT from memory for small
 * files, multipart through reused part buffers above the threshold) and batched deletes. Retries are the
 * SDK's own (every body it sends is a Buffer, so each request can be retried as a whole).
 */
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3ServiceException,
  UploadPartCommand,
  type CompleteMultipartUploadCommandInput,
  type PutObjectCommandInput,
  type S3Client
} from '@aws-sdk/client-s3';
import { readFileSync } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { knownPayloadSha256 } from './client.js';
import { DELETE_BATCH, MAX_PARTS, MIN_PART_SIZE } from './constants.js';
import type { LocalFile, RemoteObject } from './plan.js';
import { placeKey, type ListRange } from './ranges.js';

export interface Target {
  bucket: string;
  acl?: string;
  storageClass?: string;
  serverSideEncryption?: string;
  kmsKeyId?: string;
  /** Files of this size or more go multipart, in parts of this size (grown when needed to stay under 10,000 parts). */
  multipartThreshold: number;
  /** Bounds how many multipart uploads (each holding PARTS_IN_FLIGHT parts in memory) run at once. */
  multipartSlots: Semaphore;
}

/** At most `size` callers inside run() at once; the rest wait in arrival order. */
export class Semaphore {
  private readonly waiting: Array<() => void> = [];
  constructor(private free: number) {}

  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.free > 0) this.free--;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await fn();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.free++;
    }
  }
}

/** Files up to this size are read with one blocking call (well under a millisecond from the page cache). */
const SYNC_READ_MAX = 1024 * 1024;

/**
 * Parts of one file uploaded at once, each in a buffer of its own allocated once per file: syncing a
 * 1 GiB file peaks at about 97 MiB RSS (see the bench), and the local server is the bottleneck anyway.
 */
export const PARTS_IN_FLIGHT = 2;

/** Multipart uploads at once: 2 files × 2 parts × 8 MiB bounds memory whatever the site. */
export const MULTIPART_AT_ONCE = 2;

/** Listing requests in flight at once (rclone's default number of checkers). */
export const LIST_PARALLEL = 8;

export interface Listing {
  objects: Map<string, RemoteObject>;
  /** ListObjectsV2 requests made. */
  requests: number;
}

/**
 * Every object under the prefix: key → ETag and size. Flat listings (no delimiter), one per range of
 * ranges.ts, up to LIST_PARALLEL at once; each range pages on until it has seen its whole range. Not
 * folder by folder with a delimiter: s3rver, for one, leaves out of a delimited listing every folder
 * that holds only folders, and a missed folder would be re-uploaded on every run and never cleaned up.
 */
export async function listObjects(
  s3: S3Client,
  bucket: string,
  prefix: string,
  ranges: readonly ListRange[] = [{}],
  options: {
    /** Requests in flight at once (default LIST_PARALLEL). */
    parallel?: number;
    /** MaxKeys per request; S3's default and maximum is 1,000 (tests page sooner). */
    pageSize?: number;
  } = {}
): Promise<Listing> {
  const { parallel = LIST_PARALLEL, pageSize } = options;
  const objects = new Map<string, RemoteObject>();
  let requests = 0;
  await runBounded(ranges, parallel, async (range) => {
    let token: string | undefined;
    let done = false;
    do {
      requests++;
      const page = await s3.send(
        new ListObjectsV2Command({
          Bucket: bucket,
          Prefix: prefix || undefined,
          StartAfter: token ? undefined : range.startAfter,
          ContinuationToken: token,
          MaxKeys: pageSize
        })
      );
      for (const item of page.Contents ?? []) {
        if (item.Key === undefined) continue;
        const place = placeKey(range, item.Key);
        if (place === 'after') {
          done = true;
          break;
        }
        if (place === 'inside') objects.set(item.Key, { etag: item.ETag ?? null, size: item.Size ?? 0 });
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token && !done);
  });
  return { objects, requests };
}

export function errorCode(error: unknown): string | undefined {
  if (error instanceof S3ServiceException) return error.name;
  return (error as { name?: string; Code?: string } | undefined)?.Code ?? (error as Error | undefined)?.name;
}

/** The manifest's text, or undefined when there is none. */
export async function readObjectText(s3: S3Client, bucket: string, key: string): Promise<string | undefined> {
  try {
    const response = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return await response.Body?.transformToString('utf8');
  } catch (error) {
    if (
      errorCode(error) === 'NoSuchKey' ||
      (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404
    ) {
      return undefined;
    }
    throw error;
  }
}

export async function writeManifestObject(
  s3: S3Client,
  target: Target,
  key: string,
  body: string
): Promise<void> {
  await s3.send(
    new PutObjectCommand({
      Bucket: target.bucket,
      Key: key,
      Body: Buffer.from(body, 'utf8'),
      ContentType: 'application/json; charset=utf-8',
      CacheControl: 'no-store',
      ServerSideEncryption: target.serverSideEncryption as PutObjectCommandInput['ServerSideEncryption'],
      SSEKMSKeyId: target.kmsKeyId
    })
  );
}

/** The part size for a file: the threshold, grown so the file fits in S3's 10,000 parts. */
export function partSizeFor(size: number, threshold: number): number {
  const base = Math.max(threshold, MIN_PART_SIZE);
  return Math.max(base, Math.ceil(size / MAX_PARTS));
}

function objectParams(target: Target, file: LocalFile): PutObjectCommandInput {
  return {
    Bucket: target.bucket,
    Key: file.key,
    ContentType: file.contentType,
    CacheControl: file.cacheControl,
    ACL: target.acl as PutObjectCommandInput['ACL'],
    StorageClass: target.storageClass as PutObjectCommandInput['StorageClass'],
    ServerSideEncryption: target.serverSideEncryption as PutObjectCommandInput['ServerSideEncryption'],
    SSEKMSKeyId: target.kmsKeyId
  };
}

/**
 * Uploads one file and returns the ETag S3 answered. Small files are read into memory (at most
 * concurrency × threshold bytes at once) so the SDK can retry them; large ones go in parts, holding at
 * most PARTS_IN_FLIGHT part buffers per file in memory.
 */
export async function uploadFile(
  s3: S3Client,
  target: Target,
  file: LocalFile,
  onBytes: (bytes: number) => void
): Promise<string | null> {
  if (file.size < target.multipartThreshold) {
    // Small files are read synchronously: one call instead of four thread-pool round trips
    // (open, stat, read, close), which for thousands of small files is most of the client's CPU.
    const body = file.size <= SYNC_READ_MAX ? readFileSync(file.absPath) : await readFile(file.absPath);
    if (body.length !== file.size)
      throw new Error(`${file.relPath} changed while the sync ran; re-run the sync.`);
    const input: PutObjectCommandInput = {
      ...objectParams(target, file),
      Body: body,
      ContentLength: body.length
    };
    // SigV4 signs the payload's SHA-256, which we already have: passing it saves hashing every byte
    // twice, and S3 rejects the PUT if the file changed since it was hashed, so the manifest never
    // records a hash the bucket does not hold.
    knownPayloadSha256.set(input, file.sha256);
    const command = new PutObjectCommand(input);
    const response = await s3.send(command);
    onBytes(body.length);
    return response.ETag ?? null;
  }
  return target.multipartSlots.run(() => uploadParts(s3, target, file, onBytes));
}

/** The part list CompleteMultipartUpload takes: ETag and whichever checksum S3 answered for each part. */
type CompletedPart = NonNullable<
  NonNullable<CompleteMultipartUploadCommandInput['MultipartUpload']>['Parts']
>[number];

/**
 * A multipart upload with flat memory: PARTS_IN_FLIGHT buffers of one part each are allocated once and
 * every part is read straight into a free one (lib-storage's stream path concatenates 64 KiB chunks into
 * a new buffer per part, which on a 1 GiB file kept ~60 MiB more resident). Each part is a Buffer, so the
 * SDK can retry it and sign or checksum it as usual. Like lib-storage: CRC32 part checksums when the
 * client computes checksums, and the upload is aborted when anything fails, so no parts are left billed.
 */
async function uploadParts(
  s3: S3Client,
  target: Target,
  file: LocalFile,
  onBytes: (bytes: number) => void
): Promise<string | null> {
  const partSize = partSizeFor(file.size, target.multipartThreshold);
  const count = Math.max(1, Math.ceil(file.size / partSize));
  const checksums = (await s3.config.requestChecksumCalculation()) === 'WHEN_SUPPORTED';
  const changed = () => new Error(`${file.relPath} changed while the sync ran; re-run the sync.`);
  // Opened first, so a file that cannot be read leaves no multipart upload behind.
  const handle = await open(file.absPath, 'r');
  try {
    const created = await s3.send(
      new CreateMultipartUploadCommand({
        ...objectParams(target, file),
        ...(checksums ? { ChecksumAlgorithm: 'CRC32' } : {})
      })
    );
    const where = { Bucket: target.bucket, Key: file.key, UploadId: created.UploadId };
    try {
      const free: Buffer[] = Array.from({ length: Math.min(PARTS_IN_FLIGHT, count) }, () =>
        Buffer.allocUnsafe(partSize)
      );
      const parts: CompletedPart[] = new Array(count);
      const numbers = Array.from({ length: count }, (_, i) => i + 1);
      await runBounded(numbers, PARTS_IN_FLIGHT, async (PartNumber) => {
        const buffer = free.pop() as Buffer;
        try {
          const offset = (PartNumber - 1) * partSize;
          const length = Math.min(partSize, file.size - offset);
          const { bytesRead } = await handle.read(buffer, 0, length, offset);
          if (bytesRead !== length) throw changed();
          const answer = await s3.send(
            new UploadPartCommand({
              ...where,
              PartNumber,
              Body: buffer.subarray(0, length),
              ContentLength: length
            })
          );
          if (!answer.ETag) throw new Error(`S3 answered part ${PartNumber} of ${file.key} without an ETag.`);
          parts[PartNumber - 1] = {
            PartNumber,
            ETag: answer.ETag,
            ChecksumCRC32: answer.ChecksumCRC32,
            ChecksumCRC32C: answer.ChecksumCRC32C,
            ChecksumSHA1: answer.ChecksumSHA1,
            ChecksumSHA256: answer.ChecksumSHA256
          };
          onBytes(length);
        } finally {
          free.push(buffer);
        }
      });
      // A file that grew since it was hashed would otherwise be published cut at its old size.
      if ((await handle.stat()).size !== file.size) throw changed();
      const done = await s3.send(
        new CompleteMultipartUploadCommand({ ...where, MultipartUpload: { Parts: parts } })
      );
      return done.ETag ?? null;
    } catch (error) {
      await s3.send(new AbortMultipartUploadCommand(where)).catch(() => undefined);
      throw error;
    }
  } finally {
    await handle.close();
  }
}

/** Splits keys into DeleteObjects batches of at most 1,000. */
export function deleteBatches(keys: readonly string[], size = DELETE_BATCH): string[][] {
  const batches: string[][] = [];
  for (let i = 0; i < keys.length; i += size) batches.push(keys.slice(i, i + size));
  return batches;
}

/** Deletes one batch; throws naming the keys S3 refused. */
export async function deleteBatch(s3: S3Client, bucket: string, keys: readonly string[]): Promise<void> {
  const response = await s3.send(
    new DeleteObjectsCommand({
      Bucket: bucket,
      Delete: { Objects: keys.map((Key) => ({ Key })), Quiet: true }
    })
  );
  const errors = response.Errors ?? [];
  if (errors.length > 0) {
    const sample = errors
      .slice(0, 5)
      .map((e) => `${e.Key ?? '?'} (${e.Code ?? 'error'}: ${e.Message ?? ''})`)
      .join(', ');
    throw new Error(`S3 refused to delete ${errors.length} of ${keys.length} objects: ${sample}`);
  }
}

/**
 * Runs `task` over items with at most `limit` at once. After the first failure no new task starts;
 * the ones in flight finish, then the first error is thrown. Returns how many succeeded.
 */
export async function runBounded<T>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<void>
): Promise<number> {
  let next = 0;
  let done = 0;
  let failure: { error: unknown } | undefined;
  const lane = async () => {
    while (!failure && next < items.length) {
      const item = items[next++] as T;
      try {
        await task(item);
        done++;
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, lane));
  if (failure) throw failure.error;
  return done;
}
