/**
 * Splits a migration script into statements the way Flyway's parsers do, per dialect:
 * `;` at parenthesis and block depth 0, `--` and nested `/* *\/` comments, quoted strings, and
 * - MySQL/MariaDB: `DELIMITER`, `#` comments, `/*!NNNNN … *\/` kept as SQL, backslash escapes,
 *   `BEGIN … END` blocks in routines, triggers and events, MariaDB `BEGIN NOT ATOMIC`;
 * - PostgreSQL: dollar quoting, `E'…'` escapes, `BEGIN ATOMIC … END`, `COPY … FROM STDIN` data, and
 *   detection of statements that cannot run inside a transaction.
 */

export type Dialect = 'mysql' | 'postgresql';

export interface SqlStatement {
  /** The statement text as sent to the server: leading comments kept, delimiter dropped, trimmed. */
  sql: string;
  /** 1-based line and column of the statement's first token. */
  line: number;
  column: number;
  /** False for statements PostgreSQL refuses inside a transaction (CREATE INDEX CONCURRENTLY, …). */
  transactional: boolean;
  /** The first ≤10 keywords at parenthesis depth 0, upper-case, space-separated. */
  keywords: string;
  /** Inline data of `COPY … FROM STDIN` (PostgreSQL), without the terminating `\.` line. */
  copyData?: string;
}

export class SqlParseError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number
  ) {
    super(message);
  }
}

export interface SplitOptions {
  /** PostgreSQL major version (ALTER TYPE … ADD VALUE is non-transactional before 12). */
  postgresMajor?: number;
}

const PG_NON_TRANSACTIONAL = [
  /^(CREATE|DROP) (DATABASE|TABLESPACE|SUBSCRIPTION)/,
  /^ALTER SYSTEM/,
  /^(CREATE|DROP)( UNIQUE)? INDEX CONCURRENTLY/,
  /^REINDEX( VERBOSE)? (SCHEMA|DATABASE|SYSTEM)/,
  /^VACUUM/,
  /^DISCARD ALL/
];
const PG_OLD_NON_TRANSACTIONAL = /^ALTER TYPE( .*)? ADD VALUE/;
const MYSQL_ROUTINE = new Set(['PROCEDURE', 'FUNCTION', 'EVENT', 'TRIGGER']);
const WORD_START = /[A-Za-z_\u0080-\uffff]/;
const WORD_CHAR = /[A-Za-z0-9_$\u0080-\uffff]/;

/** Splits `text` into statements; throws SqlParseError on an incomplete statement. */
export function splitStatements(text: string, dialect: Dialect, options: SplitOptions = {}): SqlStatement[] {
  const mysql = dialect === 'mysql';
  const statements: SqlStatement[] = [];
  const n = text.length;
  let pos = 0;
  let line = 1;
  let lineStart = 0;
  let delimiter = ';';

  // State of the statement being read.
  let start = 0;
  let first: { line: number; column: number } | undefined;
  let parens = 0;
  let blocks = 0;
  let keywords: string[] = [];
  let prevWord = '';
  let routine = false;
  let atomicBlock = false;

  const reset = (at: number): void => {
    start = at;
    first = undefined;
    parens = 0;
    blocks = 0;
    keywords = [];
    prevWord = '';
    routine = false;
    atomicBlock = false;
  };
  const advance = (to: number): void => {
    for (let i = pos; i < to && i < n; i++) {
      if (text[i] === '\n' || (text[i] === '\r' && text[i + 1] !== '\n')) {
        line++;
        lineStart = i + 1;
      }
    }
    pos = to;
  };
  const markToken = (): void => {
    if (!first) first = { line, column: pos - lineStart + 1 };
  };
  const incomplete = (): never => {
    const at = first ?? { line, column: pos - lineStart + 1 };
    throw new SqlParseError(`Incomplete statement at line ${at.line} col ${at.column}`, at.line, at.column);
  };
  const emit = (end: number): void => {
    const sql = text.slice(start, end).trim();
    if (first && sql !== '') {
      const simplified = keywords.join(' ');
      let transactional = true;
      if (!mysql) {
        transactional =
          !PG_NON_TRANSACTIONAL.some((re) => re.test(simplified)) &&
          !((options.postgresMajor ?? 99) < 12 && PG_OLD_NON_TRANSACTIONAL.test(simplified));
      }
      statements.push({ sql, line: first.line, column: first.column, transactional, keywords: simplified });
    }
  };
  const skipQuoted = (quote: string, backslash: boolean, from: number): number => {
    let i = from;
    while (i < n) {
      const c = text[i];
      if (backslash && c === '\\') {
        i += 2;
        continue;
      }
      if (c === quote) {
        if (text[i + 1] === quote) {
          i += 2;
          continue;
        }
        return i + 1;
      }
      i++;
    }
    return -1;
  };
  const restOfLine = (from: number): number => {
    let i = from;
    while (i < n && text[i] !== '\n' && text[i] !== '\r') i++;
    return i;
  };

  while (pos < n) {
    const c = text[pos] as string;
    // Delimiter at depth 0.
    if (parens === 0 && blocks === 0 && text.startsWith(delimiter, pos)) {
      if (first) {
        const end = pos;
        advance(pos + delimiter.length);
        const before = statements.length;
        emit(end);
        // PostgreSQL COPY … FROM STDIN: the data follows on the next lines, up to a line `\.`.
        if (!mysql && /^COPY( .*)? FROM STDIN/.test(keywords.join(' ')) && statements.length > before) {
          advance(restOfLine(pos));
          if (text[pos] === '\r') advance(pos + 1);
          if (text[pos] === '\n') advance(pos + 1);
          const dataStart = pos;
          let cursor = pos;
          let dataEnd = -1;
          while (cursor < n) {
            const eol = restOfLine(cursor);
            if (text.slice(cursor, eol).trimEnd() === '\\.') {
              dataEnd = cursor;
              break;
            }
            cursor = eol + (text[eol] === '\r' && text[eol + 1] === '\n' ? 2 : 1);
          }
          if (dataEnd < 0) incomplete();
          (statements[statements.length - 1] as SqlStatement).copyData = text.slice(dataStart, dataEnd);
          advance(restOfLine(dataEnd));
        }
      } else {
        advance(pos + delimiter.length); // a stray delimiter before any token is discarded
      }
      reset(pos);
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f') {
      advance(pos + 1);
      continue;
    }
    // Comments.
    if (c === '-' && text[pos + 1] === '-') {
      advance(restOfLine(pos));
      continue;
    }
    if (mysql && c === '#' && !delimiter.startsWith('#')) {
      advance(restOfLine(pos));
      continue;
    }
    if (c === '/' && text[pos + 1] === '*') {
      const versioned = mysql && text[pos + 2] === '!';
      if (versioned) markToken();
      let depth = 0;
      let i = pos;
      while (i < n) {
        if (text[i] === '/' && text[i + 1] === '*') {
          depth += mysql ? (depth === 0 ? 1 : 0) : 1;
          i += 2;
        } else if (text[i] === '*' && text[i + 1] === '/') {
          depth--;
          i += 2;
          if (depth === 0) break;
        } else i++;
      }
      if (depth !== 0) incomplete();
      advance(i);
      continue;
    }
    // MySQL DELIMITER command, only at the start of a statement.
    if (mysql && !first && /^delimiter[ \t]/i.test(text.slice(pos, pos + 10))) {
      const end = restOfLine(pos);
      const next = text.slice(pos + 10, end).trim();
      if (next === '') throw new SqlParseError('DELIMITER needs a value', line, pos - lineStart + 1);
      delimiter = next;
      advance(end);
      reset(pos);
      continue;
    }
    // Strings and quoted identifiers.
    if (c === "'" || c === '"' || (mysql && c === '`')) {
      markToken();
      const backslash = mysql && c !== '`';
      const end = skipQuoted(c, backslash, pos + 1);
      if (end < 0) incomplete();
      advance(end);
      continue;
    }
    // PostgreSQL dollar quoting ($$ … $$, $tag$ … $tag$); `$1` is a parameter.
    if (!mysql && c === '$') {
      const tag = /^\$([A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/.exec(text.slice(pos, pos + 200));
      if (tag) {
        markToken();
        const close = text.indexOf(tag[0], pos + tag[0].length);
        if (close < 0) incomplete();
        advance(close + tag[0].length);
        continue;
      }
      markToken();
      advance(pos + 1);
      continue;
    }
    if (WORD_START.test(c)) {
      markToken();
      let end = pos + 1;
      while (end < n && WORD_CHAR.test(text[end] as string)) end++;
      const word = text.slice(pos, end);
      const upper = word.toUpperCase();
      // PostgreSQL string prefixes: E'…', B'…', X'…' (backslash escapes), U&'…'.
      if (!mysql && text[end] === "'" && (word === 'E' || word === 'B' || word === 'X')) {
        const close = skipQuoted("'", true, end + 1);
        if (close < 0) incomplete();
        advance(close);
        continue;
      }
      if (!mysql && word === 'U' && text[end] === '&' && text[end + 1] === "'") {
        const close = skipQuoted("'", false, end + 2);
        if (close < 0) incomplete();
        advance(close);
        continue;
      }
      if (parens === 0 && keywords.length < 10) keywords.push(upper);
      if (mysql) {
        if (keywords[0] === 'CREATE' && MYSQL_ROUTINE.has(upper) && keywords.length <= 6) routine = true;
        if (upper === 'BEGIN') {
          const notAtomic = /^\s+NOT\s+ATOMIC\b/i.test(text.slice(end, end + 40));
          if (routine || notAtomic || blocks > 0) blocks++;
        } else if (upper === 'CASE' && blocks > 0 && prevWord !== 'END') {
          blocks++;
        } else if (upper === 'END' && blocks > 0) {
          if (!/^\s+(IF|LOOP|REPEAT|WHILE)\b/i.test(text.slice(end, end + 20))) blocks--;
        }
      } else {
        if (upper === 'BEGIN' && /^\s+ATOMIC\b/i.test(text.slice(end, end + 20))) {
          blocks++;
          atomicBlock = true;
        } else if (atomicBlock && upper === 'CASE' && blocks > 0) {
          blocks++;
        } else if (atomicBlock && upper === 'END' && blocks > 0) {
          blocks--;
        }
      }
      prevWord = upper;
      advance(end);
      continue;
    }
    markToken();
    if (c === '(') parens++;
    else if (c === ')') parens = Math.max(0, parens - 1);
    advance(pos + 1);
  }
  if (parens > 0 || blocks > 0) incomplete();
  emit(n);
  return statements;
}
