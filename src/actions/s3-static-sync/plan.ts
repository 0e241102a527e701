/**
 * Pure sync planning: from the local files (hashed), the bucket listing and the manifest, decide what to
 * upload (assets first, then HTML), what is unchanged and what to delete, and check max-delete. No I/O.
 */
import type { Manifest } from './manifest.js';
import { isHtml, skipReason, type Selection } from './rules.js';
import type { ObjectMetadata } from './manifest.js';

export interface LocalFile extends ObjectMetadata {
  /** `/`-separated path relative to the source (and to the prefix). */
  relPath: string;
  key: string;
  absPath: string;
  size: number;
  sha256: string;
  /** metadataDigest() of the metadata this file is sent with. */
  meta: string;
}

export interface RemoteObject {
  etag: string | null;
  size: number;
}

/** Why a file is uploaded. */
export type UploadReason =
  | 'new'
  | 'content'
  | 'metadata'
  /** The object exists but the manifest has no record of it (first sync, or another tool wrote it). */
  | 'unrecorded'
  /** The bucket's ETag or size differs from what we recorded: someone changed the object behind our back. */
  | 'changed-remotely';

export interface Upload {
  file: LocalFile;
  reason: UploadReason;
}

export interface SyncPlan {
  /** Every upload that is not an HTML entry point, largest first (the long poles start early). */
  assets: Upload[];
  /** HTML entry points, uploaded only after every asset succeeded. */
  html: Upload[];
  unchanged: LocalFile[];
  /** Keys to delete, sorted. */
  deletes: string[];
  /** Remote site objects under the prefix (the base for a max-delete share). */
  remoteCount: number;
}

export interface PlanOptions {
  prefix: string;
  delete: boolean;
  /** Remote keys outside what the action publishes (excluded, hidden, .git) are never deleted. */
  selection: Selection;
  /** The manifest's own key, never part of the site. */
  manifestKey: string;
}

export function uploadReason(
  file: LocalFile,
  remote: RemoteObject | undefined,
  manifest: Manifest
): UploadReason | undefined {
  if (!remote) return 'new';
  const recorded = manifest.files[file.relPath];
  if (!recorded) return 'unrecorded';
  if (recorded.etag === null || recorded.etag !== remote.etag || recorded.size !== remote.size) {
    return 'changed-remotely';
  }
  if (recorded.sha256 !== file.sha256 || recorded.size !== file.size) return 'content';
  if (recorded.meta !== file.meta) return 'metadata';
  return undefined;
}

export function planSync(
  local: readonly LocalFile[],
  remote: ReadonlyMap<string, RemoteObject>,
  manifest: Manifest,
  options: PlanOptions
): SyncPlan {
  const plan: SyncPlan = { assets: [], html: [], unchanged: [], deletes: [], remoteCount: 0 };
  const localKeys = new Set<string>();
  for (const file of local) {
    localKeys.add(file.key);
    const reason = uploadReason(file, remote.get(file.key), manifest);
    if (!reason) plan.unchanged.push(file);
    else (isHtml(file.relPath) ? plan.html : plan.assets).push({ file, reason });
  }
  plan.assets.sort((a, b) => b.file.size - a.file.size || compare(a.file.key, b.file.key));
  plan.html.sort((a, b) => compare(a.file.key, b.file.key));
  for (const key of remote.keys()) {
    if (key === options.manifestKey || !key.startsWith(options.prefix)) continue;
    plan.remoteCount++;
    if (!options.delete || localKeys.has(key)) continue;
    const rel = key.slice(options.prefix.length);
    if (rel === '' || key.endsWith('/')) continue; // folder placeholders made by consoles
    if (skipReason(rel, options.selection)) continue;
    plan.deletes.push(key);
  }
  plan.deletes.sort(compare);
  return plan;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `max-delete`: a count (`100`) or a share of the remote objects (`25%`). */
export type MaxDelete = { count: number } | { share: number };

export function parseMaxDelete(text: string): MaxDelete | undefined {
  const value = text.trim();
  const percent = /^(\d+(?:\.\d+)?)\s*%$/.exec(value);
  if (percent) {
    const share = Number(percent[1]) / 100;
    return share <= 1 ? { share } : undefined;
  }
  if (/^\d+$/.test(value)) return { count: Number(value) };
  return undefined;
}

/** The most deletions allowed for a site of `remoteCount` objects. */
export function deleteLimit(max: MaxDelete, remoteCount: number): number {
  return 'count' in max ? max.count : Math.floor(max.share * remoteCount);
}

/** A message when the plan deletes more than allowed, else undefined. */
export function checkMaxDelete(plan: SyncPlan, max: MaxDelete, maxText: string): string | undefined {
  const limit = deleteLimit(max, plan.remoteCount);
  if (plan.deletes.length <= limit) return undefined;
  const share = plan.remoteCount ? ` (${Math.round((plan.deletes.length / plan.remoteCount) * 100)}%)` : '';
  return (
    `would delete ${plan.deletes.length} of ${plan.remoteCount} objects${share}, more than max-delete ` +
    `'${maxText}' allows (${limit}). Nothing was changed. If this is intended, raise max-delete ` +
    `(e.g. '${plan.deletes.length}' or '100%'); otherwise check source and prefix.`
  );
}
