/**
 * Pure planning of a parallel bucket listing. ListObjectsV2 pages are 1,000 keys and each page needs the
 * previous one's continuation token, so a 20,000-object site is 20 round trips in a row. The local keys
 * say roughly where the remote ones are: the key space is cut at every `perRange`-th local key and each
 * range is listed on its own, starting after the local key just before it, all at once.
 *
 * Correct whatever the bucket holds: range i keeps the keys in [from, until) and keeps paging until it sees
 * a key at or past `until` (or the listing ends), so a remote key that is not local lands in exactly one
 * range. Ranges are a little narrower than a page so that, when the bucket matches the site, the page
 * also shows the next range's first key and no second request is needed to learn the range is done.
 */

/** S3 lists keys in UTF-8 byte order; JavaScript compares UTF-16 code units, which differs above U+FFFF. */
export function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** Sorts keys in S3's listing order (each key encoded once, not once per comparison). */
export function sortKeys(keys: Iterable<string>): string[] {
  return [...keys]
    .map((key) => ({ key, bytes: Buffer.from(key, 'utf8') }))
    .sort((a, b) => Buffer.compare(a.bytes, b.bytes))
    .map(({ key }) => key);
}

export interface ListRange {
  /** ListObjectsV2 StartAfter of the first request (absent: from the start of the prefix). */
  startAfter?: string;
  /** Keep keys at or after this one (absent: every key). */
  from?: string;
  /** Stop at the first key at or after this one (absent: list to the end). */
  until?: string;
}

/** Local keys per range: a page (1,000) minus room for a few keys that are only in the bucket. */
export const KEYS_PER_RANGE = 990;
/** Beyond this many ranges, ranges grow instead (each then takes more than one page). */
export const MAX_RANGES = 100;

/**
 * The ranges to list, from the local keys in S3 order (see sortKeys). Fewer than `perRange` keys: one
 * range, the plain listing.
 */
export function listRanges(
  sortedKeys: readonly string[],
  perRange = KEYS_PER_RANGE,
  maxRanges = MAX_RANGES
): ListRange[] {
  const width = Math.max(perRange, Math.ceil(sortedKeys.length / maxRanges), 1);
  const ranges: ListRange[] = [];
  for (let start = 0; start === 0 || start < sortedKeys.length; start += width) {
    const range: ListRange = {};
    if (start > 0) {
      range.startAfter = sortedKeys[start - 1];
      range.from = sortedKeys[start];
    }
    if (start + width < sortedKeys.length) range.until = sortedKeys[start + width];
    ranges.push(range);
  }
  return ranges;
}

/** Where a listed key falls relative to its range. */
export function placeKey(range: ListRange, key: string): 'before' | 'inside' | 'after' {
  if (range.from !== undefined && compareKeys(key, range.from) < 0) return 'before';
  if (range.until !== undefined && compareKeys(key, range.until) >= 0) return 'after';
  return 'inside';
}
