/**
 * Placeholder replacement with the semantics of Flyway's PlaceholderReplacingReader: `${name}` is
 * replaced on the raw text (comments and strings included), names are case-insensitive, values are not
 * rescanned, and only a freshly read character can start a prefix (`$${x}` stays as it is).
 */

export interface PlaceholderSyntax {
  prefix: string;
  suffix: string;
  separator: string;
}

export const DEFAULT_SYNTAX: PlaceholderSyntax = { prefix: '${', suffix: '}', separator: ':' };

export class PlaceholderError extends Error {}

/** Lower-cases the keys, as Flyway does, so lookups are case-insensitive. */
export function placeholderMap(entries: Iterable<[string, string]>): Map<string, string> {
  const map = new Map<string, string>();
  for (const [key, value] of entries) map.set(key.toLowerCase(), value);
  return map;
}

/** Replaces every placeholder in `text`; throws PlaceholderError naming an undefined one. */
export function replacePlaceholders(
  text: string,
  values: Map<string, string>,
  syntax: PlaceholderSyntax = DEFAULT_SYNTAX
): string {
  const { prefix, suffix } = syntax;
  const builtinPrefix = `flyway${syntax.separator}`;
  const lookup = (name: string): string => {
    const value = values.get(name.toLowerCase());
    if (value !== undefined) return value;
    if (name.startsWith(builtinPrefix)) {
      throw new PlaceholderError(
        `Failed to populate value for default placeholder: ${prefix}${name}${suffix}`
      );
    }
    throw new PlaceholderError(
      `No value provided for placeholder: ${prefix}${name}${suffix}.  Check your configuration!`
    );
  };
  let out = '';
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i] as string;
    if (c !== prefix[0]) {
      out += c;
      i++;
      continue;
    }
    // Try to match the rest of the prefix; on a mismatch emit what was consumed, without rescanning.
    let j = 1;
    while (j < prefix.length && i + j < n && text[i + j] === prefix[j]) j++;
    if (j < prefix.length) {
      const consumed = Math.min(i + j + 1, n);
      out += text.slice(i, consumed);
      i = consumed;
      continue;
    }
    const nameStart = i + prefix.length;
    const end = text.indexOf(suffix, nameStart);
    if (end < 0) {
      // Flyway's reader drops the last character of an unterminated name at end of input.
      const name = text.slice(nameStart, n - 1);
      if (text.length - nameStart <= 0) {
        throw new PlaceholderError(`Incomplete placeholder at end of script: ${prefix}`);
      }
      out += lookup(name);
      break;
    }
    out += lookup(text.slice(nameStart, end));
    i = end + suffix.length;
  }
  return out;
}
