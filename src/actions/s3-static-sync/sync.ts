/**
 * syncSite(): the whole sync as a function of its inputs and clients, so the root static-site action can
 * run it and hand the change list to the CloudFront invalidation in the same process.
 *
 * Order: scan and validate → hash, list and read the manifest (no writes yet) → plan and check
 * max-delete → upload every non-HTML asset → upload HTML → write the manifest → delete. Each phase
 * starts only after the previous one succeeded, so a failure before the HTML phase leaves the old
 * site fully working, and a re-run converges.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { ConfigError, UserError, errorMessage } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { formatBytes, stopwatch } from '../../core/time.js';
import { MANIFEST_NAME } from './constants.js';
import { hashFiles } from './hash.js';
import type { Inputs } from './inputs.js';
import { toKey, toUrlPath } from './keys.js';
import {
  emptyManifest,
  metadataDigest,
  parseManifest,
  serializeManifest,
  type Manifest,
  type ObjectMetadata
} from './manifest.js';
import {
  checkMaxDelete,
  planSync,
  type LocalFile,
  type SyncPlan,
  type Upload,
  type UploadReason
} from './plan.js';
import { Progress } from './progress.js';
import { listRanges, sortKeys } from './ranges.js';
import { cacheControlFor, compileSelection, contentTypeFor } from './rules.js';
import { scanSource, type ScanResult } from './scan.js';
import {
  deleteBatch,
  deleteBatches,
  errorCode,
  LIST_PARALLEL,
  listObjects,
  MULTIPART_AT_ONCE,
  readObjectText,
  Semaphore,
  runBounded,
  uploadFile,
  writeManifestObject,
  type Target
} from './transfer.js';

export interface SyncDeps {
  s3: S3Client;
  logger: Logger;
  /** Clock for progress lines and durations (tests). */
  now?: () => number;
  /** Hashing threads; default by site size and cores (0: this thread). */
  hashWorkers?: number;
  /** How often progress lines are printed (ms). */
  progressIntervalMs?: number;
}

export interface ChangedFile {
  key: string;
  /** `/`-rooted path, as CloudFront takes it. */
  path: string;
  change: UploadReason | 'deleted';
  size: number;
}

export interface SyncResult {
  bucket: string;
  prefix: string;
  dryRun: boolean;
  uploaded: number;
  deleted: number;
  unchanged: number;
  bytesUploaded: number;
  /** `/`-rooted paths whose content or metadata changed, or that were deleted (what a CDN may have cached). */
  changedPaths: string[];
  /** `/`-rooted paths of new keys (nothing was cached under them). */
  addedPaths: string[];
  /**
   * `/`-rooted paths of every key under the prefix before or after the sync (the manifest aside): what a
   * CDN in front of the bucket may hold, so an invalidation planner can count what a wildcard evicts.
   */
  sitePaths: string[];
  /** Every upload and deletion, in the order they were done. */
  changes: ChangedFile[];
  /** Hidden files and folders skipped. */
  skippedHidden: string[];
  durationMs: number;
  hashMs: number;
}

/** S3 errors that are the user's setup, not a bug: answered with a ConfigError and a hint. */
function explain(error: unknown, inputs: Inputs, doing: string): Error {
  if (error instanceof UserError) return error;
  const code = errorCode(error);
  const where = `s3://${inputs.bucket}/${inputs.prefix}`;
  if (code === 'NoSuchBucket') {
    return new ConfigError(
      `The bucket '${inputs.bucket}' does not exist${inputs.endpoint ? ` at ${inputs.endpoint}` : ''}; check the bucket input and aws-region. Nothing was changed.`
    );
  }
  if (code === 'AccessDenied' || code === 'Forbidden' || code === 'AllAccessDisabled') {
    return new ConfigError(
      `Access denied while ${doing} ${where}; the credentials need s3:ListBucket, s3:GetObject, s3:PutObject (and s3:DeleteObject with delete: true) on it; see the README's IAM policy.`
    );
  }
  if (
    code === 'InvalidAccessKeyId' ||
    code === 'SignatureDoesNotMatch' ||
    code === 'CredentialsProviderError'
  ) {
    return new ConfigError(
      `The AWS credentials were refused while ${doing} ${where} (${code}); check the credentials step.`
    );
  }
  const wrapped = new Error(
    `Failed while ${doing} ${where}: ${code ? `${code}: ` : ''}${errorMessage(error)}`
  );
  if (error instanceof Error) wrapped.stack = `${wrapped.message}\n${error.stack ?? ''}`;
  return wrapped;
}

function list(items: readonly string[], max = 20): string {
  const head = items.slice(0, max).join(', ');
  return items.length > max ? `${head} … and ${items.length - max} more` : head;
}

function checkScan(scan: ScanResult, inputs: Inputs, logger: Logger): void {
  if (scan.outside.length > 0) {
    throw new ConfigError(
      `Refusing to publish symlinks that point outside source (${inputs.source}): ${list(scan.outside)}. Copy the files into source, or exclude the links.`
    );
  }
  if (scan.unreadable.length > 0) {
    throw new ConfigError(
      `Cannot read these entries in source: ${list(scan.unreadable)}. Nothing was uploaded.`
    );
  }
  if (scan.hidden.length > 0) {
    logger.warning(
      `Skipped ${scan.hidden.length} hidden ${scan.hidden.length === 1 ? 'entry' : 'entries'} (set include-hidden: true to publish them): ${list(scan.hidden, 50)}`
    );
  }
  if (scan.files.length === 0) {
    throw new ConfigError(
      `source (${inputs.source}) has no files to publish${scan.excluded || scan.hidden.length ? ` after the include/exclude and hidden-file rules (${scan.excluded} excluded, ${scan.hidden.length} hidden)` : ''}; refusing to sync an empty site, which would upload nothing and could delete everything. Nothing was changed.`
    );
  }
}

function readFailure(error: unknown, files: ReadonlyArray<{ absPath: string; relPath: string }>): Error {
  const e = error as NodeJS.ErrnoException;
  const file = files.find((f) => f.absPath === e.path)?.relPath ?? e.path ?? 'a file';
  const why =
    e.code === 'EACCES' || e.code === 'EPERM' ? 'permission denied' : (e.code ?? errorMessage(error));
  return new ConfigError(`Cannot read '${file}' in source (${why}). Nothing was uploaded.`);
}

export async function syncSite(inputs: Inputs, deps: SyncDeps): Promise<SyncResult> {
  const { s3, logger } = deps;
  const now = deps.now ?? Date.now;
  const started = now();
  const manifestKey = inputs.prefix + MANIFEST_NAME;
  const selection = compileSelection(inputs.include, inputs.exclude, inputs.includeHidden);
  const target: Target = {
    bucket: inputs.bucket,
    acl: inputs.acl,
    storageClass: inputs.storageClass,
    serverSideEncryption: inputs.serverSideEncryption,
    kmsKeyId: inputs.kmsKeyId,
    multipartThreshold: inputs.multipartThreshold,
    multipartSlots: new Semaphore(MULTIPART_AT_ONCE)
  };

  // 1. What is to be published: nothing outside source, nothing hidden unless asked, every file readable.
  const scan = scanSource(inputs.source, selection);
  checkScan(scan, inputs, logger);
  const keyed = scan.files.map((file) => {
    let key: string;
    try {
      key = toKey(inputs.prefix, file.relPath);
    } catch (error) {
      throw new ConfigError(`Cannot publish '${file.relPath}': ${errorMessage(error)}.`);
    }
    return { ...file, key };
  });
  const seen = new Map<string, string>();
  for (const file of keyed) {
    if (file.key === manifestKey)
      throw new ConfigError(`'${file.relPath}' would overwrite this action's manifest; exclude it.`);
    const other = seen.get(file.key);
    if (other) {
      throw new ConfigError(
        `'${other}' and '${file.relPath}' map to the same key '${file.key}' (Unicode normalisation); rename one.`
      );
    }
    seen.set(file.key, file.relPath);
  }

  // 2. The listing (in parallel ranges cut at the local keys) and the manifest, read while the files are
  //    hashed; still no writes.
  const listTimer = stopwatch();
  const listing = listObjects(
    s3,
    inputs.bucket,
    inputs.prefix,
    listRanges(sortKeys(keyed.map((file) => file.key))),
    // A store someone throttled with a low concurrency gets no more listing requests at once either.
    { parallel: Math.min(LIST_PARALLEL, inputs.concurrency) }
  ).then(
    ({ objects, requests }) => {
      logger.info(
        `Listed ${objects.size} objects under s3://${inputs.bucket}/${inputs.prefix} in ${Math.round(listTimer())}ms (${requests} ${requests === 1 ? 'request' : 'requests'})`
      );
      return objects;
    },
    (error: unknown) => Promise.reject(explain(error, inputs, 'listing'))
  );
  const manifestText = readObjectText(s3, inputs.bucket, manifestKey).catch((error: unknown) =>
    Promise.reject(explain(error, inputs, 'reading the manifest of'))
  );
  // A hashing failure is thrown first; the reads must not then become unhandled rejections.
  listing.catch(() => undefined);
  manifestText.catch(() => undefined);

  // 3. Local hashes.
  const hashTimer = stopwatch();
  const hashing = hashFiles(keyed, { workers: deps.hashWorkers }).then(
    (hashes) => ({ hashes, ms: hashTimer() }),
    (error: unknown) => Promise.reject(readFailure(error, keyed))
  );
  const [hashed, remote, storedManifest] = await Promise.all([hashing, listing, manifestText]);
  let manifest: Manifest = emptyManifest();
  if (storedManifest !== undefined && remote.has(manifestKey)) {
    const parsed = parseManifest(storedManifest);
    if (parsed.problem)
      logger.warning(
        `Ignoring the manifest at ${manifestKey}: ${parsed.problem}. Every file is uploaded once.`
      );
    manifest = parsed.manifest;
  }

  const local: LocalFile[] = keyed.map((file, i) => {
    const hash = hashed.hashes[i] as { sha256: string; size: number };
    const metadata: ObjectMetadata = {
      contentType: contentTypeFor(inputs.contentType, file.relPath),
      cacheControl: cacheControlFor(inputs.cacheControl, file.relPath),
      acl: inputs.acl,
      storageClass: inputs.storageClass,
      serverSideEncryption: inputs.serverSideEncryption,
      kmsKeyId: inputs.kmsKeyId
    };
    return { ...file, ...metadata, size: hash.size, sha256: hash.sha256, meta: metadataDigest(metadata) };
  });

  // 4. The plan, and the max-delete check before anything is written.
  const plan = planSync(local, remote, manifest, {
    prefix: inputs.prefix,
    delete: inputs.delete,
    selection,
    manifestKey
  });
  const problem = checkMaxDelete(plan, inputs.maxDelete, inputs.maxDeleteText);
  if (problem) throw new ConfigError(`The sync ${problem}`);
  logPlan(plan, local.length, hashed.ms, logger);

  const result: SyncResult = {
    bucket: inputs.bucket,
    prefix: inputs.prefix,
    dryRun: inputs.dryRun,
    uploaded: 0,
    deleted: 0,
    unchanged: plan.unchanged.length,
    bytesUploaded: 0,
    changedPaths: [],
    addedPaths: [],
    sitePaths: sitePaths(remote.keys(), local, manifestKey),
    changes: [],
    skippedHidden: scan.hidden,
    durationMs: 0,
    hashMs: hashed.ms
  };
  const record = (change: ChangedFile) => {
    result.changes.push(change);
    (change.change === 'new' ? result.addedPaths : result.changedPaths).push(change.path);
  };

  if (inputs.dryRun) {
    for (const upload of [...plan.assets, ...plan.html]) {
      logger.info(
        `(dry run) would upload ${upload.file.key} (${upload.reason}, ${formatBytes(upload.file.size)})`
      );
      record({
        key: upload.file.key,
        path: toUrlPath(upload.file.key),
        change: upload.reason,
        size: upload.file.size
      });
      result.uploaded++;
      result.bytesUploaded += upload.file.size;
    }
    for (const key of plan.deletes) {
      logger.info(`(dry run) would delete ${key}`);
      record({ key, path: toUrlPath(key), change: 'deleted', size: remote.get(key)?.size ?? 0 });
      result.deleted++;
    }
    result.durationMs = now() - started;
    return result;
  }

  // 5. Uploads: assets, then HTML. The manifest is saved even when a phase fails, so a re-run only
  //    sends what did not make it.
  const next: Manifest = { ...manifest, files: { ...manifest.files } };
  const uploadPhase = async (label: string, uploads: Upload[]) => {
    if (uploads.length === 0) return;
    const bytes = uploads.reduce((sum, u) => sum + u.file.size, 0);
    await logger.group(`${label}: ${uploads.length} files, ${formatBytes(bytes)}`, async () => {
      const progress = new Progress(
        label,
        uploads.length,
        bytes,
        (line) => logger.info(line),
        now,
        deps.progressIntervalMs
      );
      await runBounded(uploads, inputs.concurrency, async ({ file, reason }) => {
        let etag: string | null;
        try {
          etag = await uploadFile(s3, target, file, (n) => progress.addBytes(n));
        } catch (error) {
          throw explain(error, inputs, `uploading ${file.key} to`);
        }
        next.files[file.relPath] = { sha256: file.sha256, size: file.size, etag, meta: file.meta };
        record({ key: file.key, path: toUrlPath(file.key), change: reason, size: file.size });
        result.uploaded++;
        result.bytesUploaded += file.size;
        progress.fileDone();
      });
      progress.finish();
    });
  };
  try {
    await uploadPhase('Uploading assets', plan.assets);
  } catch (error) {
    await saveManifest(s3, target, manifestKey, next, manifest, logger);
    throw new AbortedSync(
      `${errorMessage(error)} No HTML was published, so the site still serves the previous version; re-run to finish (only what did not make it is sent).`,
      error
    );
  }
  try {
    await uploadPhase('Uploading HTML', plan.html);
  } catch (error) {
    await saveManifest(s3, target, manifestKey, next, manifest, logger);
    throw new AbortedSync(
      `${errorMessage(error)} Every asset is in place; some HTML pages may still be the previous version. Re-run to finish.`,
      error
    );
  }

  // 6. The manifest describes exactly the published files; then what is no longer published goes.
  const published: Manifest = { ...next, files: {} };
  for (const file of local) {
    const entry = next.files[file.relPath];
    if (entry) published.files[file.relPath] = entry;
  }
  await saveManifest(s3, target, manifestKey, published, manifest, logger, true);

  if (plan.deletes.length > 0) {
    await logger.group(`Deleting ${plan.deletes.length} objects no longer in source`, async () => {
      for (const batch of deleteBatches(plan.deletes)) {
        try {
          await deleteBatch(s3, inputs.bucket, batch);
        } catch (error) {
          throw new AbortedSync(
            `${errorMessage(explain(error, inputs, 'deleting from'))} The new site is fully published; re-run to finish removing old files.`,
            error
          );
        }
        for (const key of batch)
          record({ key, path: toUrlPath(key), change: 'deleted', size: remote.get(key)?.size ?? 0 });
        result.deleted += batch.length;
        logger.info(`Deleted ${result.deleted}/${plan.deletes.length}`);
      }
    });
  }
  result.durationMs = now() - started;
  return result;
}

function sitePaths(remote: Iterable<string>, local: readonly LocalFile[], manifestKey: string): string[] {
  const keys = new Set<string>(remote);
  for (const file of local) keys.add(file.key);
  keys.delete(manifestKey);
  return [...keys].map(toUrlPath);
}

/** A sync stopped part-way; the message says what state the site is in. */
export class AbortedSync extends UserError {
  constructor(
    message: string,
    readonly cause: unknown
  ) {
    super(message);
  }
}

async function saveManifest(
  s3: S3Client,
  target: Target,
  key: string,
  manifest: Manifest,
  previous: Manifest,
  logger: Logger,
  required = false
): Promise<void> {
  const text = serializeManifest(manifest);
  if (text === serializeManifest(previous)) return;
  try {
    await writeManifestObject(s3, target, key, text);
  } catch (error) {
    // Without it the next run re-uploads the files it cannot vouch for: slower, never wrong.
    if (required)
      logger.warning(
        `Could not save the manifest ${key} (${errorMessage(error)}); the next run re-uploads every file once.`
      );
    else logger.debug(`could not save the partial manifest: ${errorMessage(error)}`);
  }
}

function logPlan(plan: SyncPlan, files: number, hashMs: number, logger: Logger): void {
  const uploads = plan.assets.length + plan.html.length;
  const bytes = [...plan.assets, ...plan.html].reduce((sum, u) => sum + u.file.size, 0);
  logger.info(
    `${files} files in source (hashed in ${Math.round(hashMs)}ms): ${uploads} to upload (${plan.assets.length} assets, ${plan.html.length} HTML, ${formatBytes(bytes)}), ${plan.unchanged.length} unchanged, ${plan.deletes.length} to delete.`
  );
}
