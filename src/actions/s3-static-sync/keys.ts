/**
 * Pure key building: S3 keys come from relative paths only, with `/` separators on every OS, in Unicode
 * NFC (macOS writes Korean and accented names decomposed; browsers request them composed).
 */
import { MAX_KEY_BYTES } from './constants.js';

/**
 * Normalises the `prefix` input: no leading `/`, a trailing `/` when non-empty, no `.`/`..`/empty
 * segments. Returns the prefix or a message saying what is wrong.
 */
export function normalizePrefix(prefix: string): string | { error: string } {
  const trimmed = prefix.trim().replace(/\\/g, '/').replace(/^\/+/, '').replace(/\/+$/, '');
  if (trimmed === '') return '';
  const segments = trimmed.split('/');
  if (segments.some((s) => s === '' || s === '.' || s === '..')) {
    return { error: `'${prefix}' has an empty, '.' or '..' segment; expected e.g. 'site' or 'app/v2'.` };
  }
  return `${trimmed.normalize('NFC')}/`;
}

/** A path relative to the source, `/`-separated and NFC, from the OS path parts the walk produced. */
export function relativeKeyPath(parts: readonly string[]): string {
  return parts.join('/').normalize('NFC');
}

/**
 * The S3 key for a relative path under a normalised prefix. Throws when the path could escape the prefix
 * or break S3's limits; the walk never produces such paths, so this is a last line of defence.
 */
export function toKey(prefix: string, relPath: string): string {
  if (relPath === '' || relPath.startsWith('/')) throw new Error(`'${relPath}' is not a relative path`);
  if (relPath.split('/').some((s) => s === '' || s === '.' || s === '..')) {
    throw new Error(`'${relPath}' has an empty, '.' or '..' segment`);
  }
  const key = prefix + relPath;
  if (Buffer.byteLength(key, 'utf8') > MAX_KEY_BYTES) {
    throw new Error(`the key for '${relPath}' is longer than S3's ${MAX_KEY_BYTES} bytes`);
  }
  return key;
}

/** The `/`-rooted URL path of a key, as CloudFront invalidations take it. */
export function toUrlPath(key: string): string {
  return `/${key}`;
}
