/**
 * The sync manifest: what this action last wrote under the prefix, so the no-change path needs no request
 * per object. One JSON object under `<prefix>.s3-static-sync/manifest.json` maps each relative path to
 * the SHA-256 of the bytes uploaded, their size, a digest of the metadata sent with them, and the ETag S3
 * answered. A file is unchanged only when all four still agree with the local file and with the bucket
 * listing (ETag and size), so an object replaced behind our back is detected and re-uploaded whatever its
 * encryption or multipart layout: the ETag is compared with the one S3 gave us, never with a local MD5.
 */
import { createHash } from 'node:crypto';
import { MANIFEST_VERSION } from './constants.js';

export interface ManifestEntry {
  sha256: string;
  size: number;
  /** The ETag S3 answered to our PUT, quotes included, or null when the store did not send one. */
  etag: string | null;
  /** metadataDigest() of what was sent with the object. */
  meta: string;
}

export interface Manifest {
  version: typeof MANIFEST_VERSION;
  generator: string;
  files: Record<string, ManifestEntry>;
}

export function emptyManifest(): Manifest {
  return { version: MANIFEST_VERSION, generator: 'deploy-actions/s3-static-sync', files: {} };
}

function isEntry(value: unknown): value is ManifestEntry {
  if (typeof value !== 'object' || value === null) return false;
  const e = value as Record<string, unknown>;
  return (
    typeof e.sha256 === 'string' &&
    typeof e.size === 'number' &&
    (typeof e.etag === 'string' || e.etag === null) &&
    typeof e.meta === 'string'
  );
}

/**
 * Parses a stored manifest. Anything unreadable (another version, hand-edited, truncated) yields an
 * empty manifest and a reason: every file is then uploaded once, which is safe.
 */
export function parseManifest(text: string): { manifest: Manifest; problem?: string } {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return { manifest: emptyManifest(), problem: 'it is not valid JSON' };
  }
  const d = data as Partial<Manifest> | null;
  if (!d || d.version !== MANIFEST_VERSION || typeof d.files !== 'object' || d.files === null) {
    return { manifest: emptyManifest(), problem: `it is not a version ${MANIFEST_VERSION} manifest` };
  }
  const manifest = emptyManifest();
  for (const [path, entry] of Object.entries(d.files)) if (isEntry(entry)) manifest.files[path] = entry;
  return { manifest };
}

/** Serialises with sorted paths, so the same site always gives the same bytes. */
export function serializeManifest(manifest: Manifest): string {
  const files: Record<string, ManifestEntry> = {};
  for (const path of Object.keys(manifest.files).sort()) files[path] = manifest.files[path] as ManifestEntry;
  return `${JSON.stringify({ ...manifest, files })}\n`;
}

/** The object metadata that, when changed, makes a file "changed" although its bytes are not. */
export interface ObjectMetadata {
  contentType: string;
  cacheControl?: string;
  acl?: string;
  storageClass?: string;
  serverSideEncryption?: string;
  kmsKeyId?: string;
}

/** A short, stable digest of the metadata sent with an object. */
export function metadataDigest(meta: ObjectMetadata): string {
  const fields = [
    meta.contentType,
    meta.cacheControl ?? '',
    meta.acl ?? '',
    meta.storageClass ?? '',
    meta.serverSideEncryption ?? '',
    meta.kmsKeyId ?? ''
  ];
  return createHash('sha256').update(JSON.stringify(fields)).digest('hex').slice(0, 16);
}
