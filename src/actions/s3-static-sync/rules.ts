/**
 * Pure rules: glob matching, `glob: value` rule lines, which files are published, and the metadata
 * (Cache-Control, Content-Type) each file gets. No I/O.
 */
import mime from 'mime-types';
import picomatch from 'picomatch';

export type Matcher = (relPath: string) => boolean;

/**
 * Compiles a glob against `/`-separated paths relative to the source. A glob without `/` matches the
 * file name at any depth (`*.map` matches `js/app.js.map`), as `aws s3 sync --exclude` users expect; a
 * leading `/` or `./` anchors at the source root. Dot files match like any other.
 */
export function compileGlob(glob: string): Matcher {
  const anchored = /^\.?\//.test(glob);
  const pattern = glob.replace(/^\.?\/+/, '');
  if (pattern === '') throw new Error('is empty');
  const basename = !anchored && !pattern.includes('/');
  // picomatch never throws on odd patterns; it matches them literally, which is what users mean.
  return picomatch(pattern, { dot: true, basename });
}

export interface Rule {
  glob: string;
  value: string;
  match: Matcher;
  /** 1-based line number in the input, for error messages. */
  line: number;
}

/**
 * Parses rule lines `glob: value` (blank lines and `#` comments ignored; CRLF accepted). Returns the
 * rules or a message naming the first bad line and the expected form.
 */
export function parseRules(
  text: string,
  validateValue: (value: string) => string | undefined
): Rule[] | string {
  const rules: Rule[] = [];
  const lines = text.split(/\r\n|\r|\n/);
  for (const [index, raw] of lines.entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const where = `line ${index + 1} ('${line}')`;
    const colon = line.indexOf(':');
    if (colon <= 0) return `${where} is not a rule; expected 'glob: value', e.g. '*.html: no-cache'.`;
    const glob = line
      .slice(0, colon)
      .trim()
      .replace(/^['"]|['"]$/g, '');
    const value = line.slice(colon + 1).trim();
    if (glob === '' || value === '') {
      return `${where} needs both a glob and a value; expected 'glob: value', e.g. '*.html: no-cache'.`;
    }
    const problem = validateValue(value);
    if (problem) return `${where}: ${problem}`;
    let match: Matcher;
    try {
      match = compileGlob(glob);
    } catch (error) {
      return `${where}: the glob ${error instanceof Error ? error.message : String(error)}.`;
    }
    rules.push({ glob, value, match, line: index + 1 });
  }
  return rules;
}

/** The first rule matching the path, or undefined. */
export function firstMatch(rules: readonly Rule[], relPath: string): Rule | undefined {
  return rules.find((rule) => rule.match(relPath));
}

/** Validates a Cache-Control value: visible ASCII directives, or `none` for no header. */
export function checkCacheControl(value: string): string | undefined {
  if (!/^[\x20-\x7e]+$/.test(value)) return `'${value}' is not a Cache-Control value (visible ASCII only).`;
  if (!/^[A-Za-z-]+(=("[^"]*"|[\w-]+))?(\s*,\s*[A-Za-z-]+(=("[^"]*"|[\w-]+))?)*$/.test(value)) {
    return `'${value}' is not a Cache-Control value; expected directives like 'public, max-age=3600' or 'none'.`;
  }
  return undefined;
}

/** Validates a Content-Type value: `type/subtype` with optional parameters. */
export function checkContentType(value: string): string | undefined {
  if (!/^[\w.+-]+\/[\w.+-]+(\s*;\s*[\w.+-]+=("[^"]*"|[\w.+-]+))*$/.test(value)) {
    return `'${value}' is not a content type; expected e.g. 'text/html; charset=utf-8' or 'application/wasm'.`;
  }
  return undefined;
}

export const IMMUTABLE = 'public, max-age=31536000, immutable';
export const NO_CACHE = 'no-cache';

/** Folders whose files are content-hashed by the framework that writes them. */
const IMMUTABLE_DIRS = ['_next/static/', '_app/immutable/', '_astro/'];

/**
 * Whether a file name carries a content hash, as bundlers write them: `main.3f2a1b4c.js` (webpack, CRA),
 * `index-D8qZ2xYv.js` (Vite/Rollup), `app.8f9e2d1c7b6a5f4e3d2c.css`. The hash is 8–64 characters after
 * a `.` or `-` before the extension, and contains a digit or (8 characters, Rollup's base64url) mixed case,
 * so `jquery-validation.js` or `main.bundle.js` are not taken for hashed.
 */
export function isContentHashed(relPath: string): boolean {
  if (IMMUTABLE_DIRS.some((dir) => relPath.startsWith(dir) || relPath.includes(`/${dir}`))) return true;
  const name = relPath.slice(relPath.lastIndexOf('/') + 1);
  const match = /[.-]([A-Za-z0-9_-]{8,64}?)\.[A-Za-z0-9]+(?:\.map)?$/.exec(name);
  if (!match) return false;
  const hash = match[1] as string;
  if (/^[0-9a-f]{8,64}$/.test(hash)) return /\d/.test(hash) && /[a-f]/.test(hash);
  if (hash.length === 8) return /\d/.test(hash) || (/[a-z]/.test(hash) && /[A-Z]/.test(hash));
  return false;
}

/** HTML entry points: published after every other file, so they never point at assets not there yet. */
export function isHtml(relPath: string): boolean {
  return /\.html?$/i.test(relPath);
}

/** The default Cache-Control: hashed assets are immutable; HTML and every other entry point revalidate. */
export function defaultCacheControl(relPath: string): string {
  return !isHtml(relPath) && isContentHashed(relPath) ? IMMUTABLE : NO_CACHE;
}

/** Cache-Control for a file: the first matching rule, else the default; `none` means no header. */
export function cacheControlFor(rules: readonly Rule[], relPath: string): string | undefined {
  const value = firstMatch(rules, relPath)?.value ?? defaultCacheControl(relPath);
  return value.toLowerCase() === 'none' ? undefined : value;
}

/**
 * Content-Type for a file: the first matching override, else `mime-types` by extension with
 * `charset=utf-8` for text types, else `application/octet-stream`.
 */
export function contentTypeFor(rules: readonly Rule[], relPath: string): string {
  const rule = firstMatch(rules, relPath);
  if (rule) return rule.value;
  const name = relPath.slice(relPath.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  if (dot <= 0) return 'application/octet-stream';
  const type = mime.contentType(name.slice(dot));
  return type === false ? 'application/octet-stream' : type;
}

export type Skip = 'git' | 'hidden' | 'excluded' | 'not-included';

export interface Selection {
  include: Matcher[];
  exclude: Matcher[];
  includeHidden: boolean;
}

export function compileSelection(include: string[], exclude: string[], includeHidden: boolean): Selection {
  return { include: include.map(compileGlob), exclude: exclude.map(compileGlob), includeHidden };
}

/**
 * Why a file is not published, or undefined when it is. `.git` is never published; other hidden
 * segments (`.env`, `.DS_Store`, `.cache/…`) only with include-hidden, except `.well-known/` which
 * exists to be public. Then `include` (when given) must match and `exclude` must not.
 */
export function skipReason(relPath: string, selection: Selection): Skip | undefined {
  const segments = relPath.split('/');
  if (segments.includes('.git')) return 'git';
  if (!selection.includeHidden) {
    const hidden = segments.some((s, i) => s.startsWith('.') && !(i === 0 && s === '.well-known'));
    if (hidden) return 'hidden';
  }
  if (selection.include.length > 0 && !selection.include.some((m) => m(relPath))) return 'not-included';
  if (selection.exclude.some((m) => m(relPath))) return 'excluded';
  return undefined;
}
