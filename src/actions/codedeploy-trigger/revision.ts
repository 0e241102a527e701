/** Pure helpers for the revision: S3 locations, content-hash keys, descriptions, console links. */
import { DESCRIPTION_MAX, type AutoRollbackMode } from './constants.js';

export type BundleType = 'zip' | 'tar' | 'tgz';

export interface S3Location {
  bucket: string;
  key: string;
  bundleType: BundleType;
}

/** The CodeDeploy bundle type an object key implies, or undefined when it implies none. */
export function bundleTypeOf(key: string): BundleType | undefined {
  const lower = key.toLowerCase();
  if (lower.endsWith('.zip')) return 'zip';
  if (lower.endsWith('.tar')) return 'tar';
  if (lower.endsWith('.tgz') || lower.endsWith('.tar.gz')) return 'tgz';
  return undefined;
}

/** Parses `s3://bucket/key.zip|.tar|.tgz`; returns an explanation string when it is not one. */
export function parseS3Uri(uri: string): S3Location | string {
  const match = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri);
  if (!match) return `'${uri}' is not an S3 URI; expected s3://bucket/path/revision.zip.`;
  const [, bucket, key] = match as unknown as [string, string, string];
  const badBucket = bucketProblem(bucket);
  if (badBucket) return badBucket;
  const bundleType = bundleTypeOf(key);
  if (!bundleType)
    return `'${uri}' does not end in .zip, .tar or .tgz; CodeDeploy needs one of those bundle types.`;
  return { bucket, key, bundleType };
}

/** Validates a bucket name as S3 does (the common rules); returns an explanation when invalid. */
export function bucketProblem(bucket: string): string | undefined {
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket) || bucket.includes('..'))
    return `'${bucket}' is not a valid S3 bucket name; expected 3-63 lowercase letters, digits, dots and hyphens.`;
  return undefined;
}

/** Normalises an S3 prefix: no leading slash, exactly one trailing slash (or empty). */
export function normalizePrefix(prefix: string): string {
  const trimmed = prefix.replace(/^\/+/, '').replace(/\/+$/, '');
  return trimmed === '' ? '' : `${trimmed}/`;
}

/**
 * The object key of a bundle, named by its content: the same tree always lands on the same key, so a
 * re-run of the same commit finds the object already there and skips the upload.
 */
export function bundleKey(prefix: string, application: string, sha256: string): string {
  const safeApp = application.replace(/[^A-Za-z0-9._-]/g, '_');
  return `${normalizePrefix(prefix)}${safeApp}/${sha256}.zip`;
}

export function s3Uri(location: { bucket: string; key: string }): string {
  return `s3://${location.bucket}/${location.key}`;
}

/** Strips the quotes S3 puts around an ETag. */
export function bareETag(etag: string | undefined): string | undefined {
  return etag?.replace(/^"|"$/g, '') || undefined;
}

/**
 * Cuts text to at most `max` characters (UTF-16 code units, as CodeDeploy counts them) without splitting
 * a surrogate pair, ending with `…` when it had to cut.
 */
export function truncate(text: string, max = DESCRIPTION_MAX): string {
  if (text.length <= max) return text;
  let end = max - 1;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--;
  return `${text.slice(0, end)}…`;
}

export interface CommitContext {
  repository?: string;
  sha?: string;
  ref?: string;
  runNumber?: string;
  actor?: string;
  /** The head commit's message, from the push event payload when there is one. */
  message?: string;
}

/** The default description: `owner/repo@abc1234 (main, run 42 by alice): first line of the commit message`. */
export function defaultDescription(context: CommitContext): string {
  const where = [context.repository, context.sha ? context.sha.slice(0, 7) : undefined]
    .filter(Boolean)
    .join('@');
  const ref = context.ref?.replace(/^refs\/(heads|tags)\//, '');
  const meta = [ref, context.runNumber ? `run ${context.runNumber}` : undefined].filter(Boolean).join(', ');
  const by = context.actor ? ` by ${context.actor}` : '';
  const subject = context.message?.split(/\r?\n/)[0]?.trim();
  let text = where || 'Deployed by deploy-actions/codedeploy-trigger';
  if (meta || by) text += ` (${meta}${by})`;
  if (subject) text += `: ${subject}`;
  return truncate(text);
}

/** The AWS console page of a deployment. */
export function consoleUrl(region: string, deploymentId: string): string {
  return `https://${region}.console.aws.amazon.com/codesuite/codedeploy/deployments/${encodeURIComponent(deploymentId)}?region=${encodeURIComponent(region)}`;
}

export interface AutoRollbackConfiguration {
  enabled: boolean;
  events?: Array<'DEPLOYMENT_FAILURE' | 'DEPLOYMENT_STOP_ON_REQUEST' | 'DEPLOYMENT_STOP_ON_ALARM'>;
}

/** The CreateDeployment override for an `auto-rollback` mode; undefined keeps the group's own setting. */
export function autoRollbackConfiguration(mode: AutoRollbackMode): AutoRollbackConfiguration | undefined {
  switch (mode) {
    case 'group-default':
      return undefined;
    case 'on-failure':
      return { enabled: true, events: ['DEPLOYMENT_FAILURE'] };
    case 'on-failure-and-stop':
      return { enabled: true, events: ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_REQUEST'] };
    case 'off':
      return { enabled: false };
  }
}
