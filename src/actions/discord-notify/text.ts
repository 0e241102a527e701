/**
 * Text measured and cut the way Discord counts it: by Unicode code points, never splitting a grapheme
 * cluster, so a Korean syllable, an emoji with its skin tone or a ZWJ family is kept whole or dropped
 * whole, and no lone surrogate is ever produced.
 */

export const ELLIPSIS = '…';

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** The number of Unicode code points (what Discord's limits count), not UTF-16 units. */
export function codePointLength(text: string): number {
  let length = 0;
  for (const _ of text) length++;
  return length;
}

/**
 * `text` if it fits in `limit` code points; otherwise the longest run of whole grapheme clusters that
 * leaves room for a trailing ellipsis, with trailing whitespace dropped before the ellipsis.
 */
export function truncate(text: string, limit: number): string {
  if (limit <= 0) return '';
  if (codePointLength(text) <= limit) return text;
  const budget = limit - codePointLength(ELLIPSIS);
  let kept = '';
  let used = 0;
  for (const { segment } of graphemes.segment(text)) {
    const length = codePointLength(segment);
    if (used + length > budget) break;
    kept += segment;
    used += length;
  }
  return kept.trimEnd() + ELLIPSIS;
}

/** The first line of a (commit) message, trimmed; handles CRLF and CR. */
export function firstLine(text: string): string {
  return (text.split(/\r\n|\r|\n/)[0] ?? '').trim();
}

/**
 * Escapes Discord markdown in text that comes from GitHub (branch names, commit subjects, PR titles);
 * `#`, `>` and `-` only matter at the start of a line (headings, quotes, lists).
 */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\*_~`|[\]()<>]/g, '\\$&').replace(/^([#>-])/, '\\$1');
}
