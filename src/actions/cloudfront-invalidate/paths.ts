/**
 * Invalidation paths as CloudFront wants them (pure): percent-encoding, validation of user-given paths,
 * keys relative to the distribution's origin path, and CloudFront's per-request limits.
 */

/** CloudFront's limits for one CreateInvalidation request (and for what may be in progress at once). */
export const MAX_FILE_PATHS_PER_REQUEST = 3000;
export const MAX_WILDCARDS_PER_REQUEST = 15;

/**
 * Characters CloudFront wants percent-encoded besides non-ASCII and control characters: the RFC 1738
 * "unsafe" set (as the CreateInvalidation reference says), plus `?` (a key containing it is requested as
 * `%3F`, a bare one would start a query string) and `*` (CloudFront reads it as a wildcard).
 */
const UNSAFE = new Set([
  ' ',
  '"',
  '#',
  '%',
  '<',
  '>',
  '\\',
  '^',
  '`',
  '{',
  '|',
  '}',
  '~',
  '[',
  ']',
  '?',
  '*'
]);

function encodeChar(char: string): string {
  return [...Buffer.from(char, 'utf8')]
    .map((byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`)
    .join('');
}

function needsEncoding(char: string): boolean {
  const code = char.codePointAt(0) as number;
  return code <= 0x20 || code >= 0x7f || UNSAFE.has(char);
}

/** Percent-encodes a raw, decoded object path (`/docs/한 글.html` → `/docs/%ED%95%9C%20%EA%B8%80.html`). */
export function encodePath(raw: string): string {
  let out = '';
  for (const char of raw) out += needsEncoding(char) ? encodeChar(char) : char;
  return out;
}

/** A user-given path: `/`-rooted, `*` only as the last character; already-encoded `%XX` is kept. */
export function normalizeUserPath(text: string): { path: string } | { error: string } {
  const value = text.trim();
  if (!value.startsWith('/')) return { error: `'${value}' does not start with '/'` };
  const wildcard = value.endsWith('*');
  const body = wildcard ? value.slice(0, -1) : value;
  if (body.includes('*')) return { error: `'${value}' has a '*' that is not the last character` };
  let out = '';
  const chars = [...body];
  for (let i = 0; i < chars.length; i++) {
    const char = chars[i] as string;
    const escaped = char === '%' && /^[0-9A-Fa-f]{2}$/.test(`${chars[i + 1] ?? ''}${chars[i + 2] ?? ''}`);
    out += escaped || !needsEncoding(char) ? char : encodeChar(char);
  }
  return { path: wildcard ? `${out}*` : out };
}

export function isWildcard(path: string): boolean {
  return path.endsWith('*');
}

/** Whether an (encoded) invalidation path covers an (encoded) URL path. */
export function covers(path: string, url: string): boolean {
  return isWildcard(path) ? url.startsWith(path.slice(0, -1)) : url === path;
}

/** `site/`, `/site`, `/site/` → `/site`; empty or `/` → ``. */
export function normalizeOriginPath(text: string | undefined): string {
  const trimmed = (text ?? '').trim().replace(/^\/+|\/+$/g, '');
  return trimmed === '' ? '' : `/${trimmed}`;
}

/**
 * An S3 key or `/`-rooted path as the distribution serves it: with a leading `/` and without the
 * origin path. Returns undefined when the key is outside the origin path.
 */
export function servedPath(key: string, originPath: string): string | undefined {
  const rooted = key.startsWith('/') ? key : `/${key}`;
  if (originPath === '') return rooted;
  if (rooted.startsWith(`${originPath}/`)) return rooted.slice(originPath.length);
  return undefined;
}

/**
 * Splits paths into requests of at most 3,000 paths and 15 wildcards each, wildcards spread first so
 * the number of requests is the least possible.
 */
export function batchPaths(
  paths: readonly string[],
  limits = { paths: MAX_FILE_PATHS_PER_REQUEST, wildcards: MAX_WILDCARDS_PER_REQUEST }
): string[][] {
  const wildcards = paths.filter(isWildcard);
  const files = paths.filter((p) => !isWildcard(p));
  const count = Math.max(
    Math.ceil(wildcards.length / limits.wildcards),
    Math.ceil(paths.length / limits.paths),
    paths.length ? 1 : 0
  );
  const batches: string[][] = Array.from({ length: count }, () => []);
  wildcards.forEach((path, i) => batches[Math.floor(i / limits.wildcards)]?.push(path));
  let b = 0;
  for (const file of files) {
    while ((batches[b] as string[]).length >= limits.paths) b++;
    (batches[b] as string[]).push(file);
  }
  return batches.map((batch) => batch.sort());
}
