/**
 * Puts the bundle in S3 once: a HeadObject on its content-hash key finds a copy from an earlier run (no
 * second upload), otherwise @aws-sdk/lib-storage uploads it (multipart above 8 MiB, parts in parallel).
 * Either way the revision is pinned by the object's ETag (and version id on versioned buckets).
 */
import { HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { createReadStream } from 'node:fs';
import { ConfigError } from '../../core/errors.js';
import { bareETag } from './revision.js';

export const PART_SIZE = 8 * 1024 * 1024;
/** Object metadata that records the bundle's SHA-256, so a given revision-s3-uri can report it too. */
export const SHA256_METADATA = 'bundle-sha256';

export interface StoredObject {
  eTag?: string;
  version?: string;
  sha256?: string;
  /** True when this run uploaded it, false when it was already there. */
  uploaded: boolean;
}

function isNotFound(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e.name === 'NotFound' || e.name === 'NoSuchKey' || e.$metadata?.httpStatusCode === 404;
}

function isForbidden(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e.$metadata?.httpStatusCode === 403 || e.name === 'AccessDenied' || e.name === 'Forbidden';
}

function explainS3(error: unknown, bucket: string, key: string, action: string): unknown {
  const e = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const status = e.$metadata?.httpStatusCode;
  if (e.name === 'NoSuchBucket')
    return new ConfigError(`S3 bucket '${bucket}' does not exist (while ${action} s3://${bucket}/${key}).`);
  if (status === 403 || e.name === 'AccessDenied' || e.name === 'Forbidden')
    return new ConfigError(
      `S3 refused ${action} s3://${bucket}/${key} (403). The role needs s3:GetObject and s3:PutObject on that prefix.`
    );
  return error;
}

/** Looks an object up; undefined when it does not exist. */
export async function headObject(
  s3: S3Client,
  bucket: string,
  key: string,
  { forbiddenIsMissing = false }: { forbiddenIsMissing?: boolean } = {}
): Promise<Omit<StoredObject, 'uploaded'> | undefined> {
  try {
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return { eTag: bareETag(head.ETag), version: head.VersionId, sha256: head.Metadata?.[SHA256_METADATA] };
  } catch (error) {
    if (isNotFound(error)) return undefined;
    // Without s3:ListBucket, S3 answers 403 rather than 404 for a key that does not exist.
    if (forbiddenIsMissing && isForbidden(error)) return undefined;
    throw explainS3(error, bucket, key, 'reading');
  }
}

/** Uploads `file` to `bucket/key` unless an object is already there. */
export async function ensureUploaded(
  s3: S3Client,
  file: string,
  bucket: string,
  key: string,
  sha256: string
): Promise<StoredObject> {
  const existing = await headObject(s3, bucket, key, { forbiddenIsMissing: true });
  if (existing) return { ...existing, sha256: existing.sha256 ?? sha256, uploaded: false };
  try {
    const upload = new Upload({
      client: s3,
      params: {
        Bucket: bucket,
        Key: key,
        Body: createReadStream(file),
        ContentType: 'application/zip',
        Metadata: { [SHA256_METADATA]: sha256 }
      },
      partSize: PART_SIZE,
      queueSize: 4,
      leavePartsOnError: false
    });
    const done = await upload.done();
    const eTag = bareETag(done.ETag);
    // lib-storage reports the ETag of both single and multipart uploads; read it back only if it did not.
    const after = eTag ? undefined : await headObject(s3, bucket, key);
    return { eTag: eTag ?? after?.eTag, version: done.VersionId ?? after?.version, sha256, uploaded: true };
  } catch (error) {
    throw explainS3(error, bucket, key, 'uploading to');
  }
}
