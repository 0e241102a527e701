/**
 * Database URLs in the forms Flyway and Spring users have: `jdbc:mysql://host:3306/db`,
 * `jdbc:mariadb://…`, `jdbc:postgresql://host/db?currentSchema=app`, and the plain `mysql://` /
 * `postgres://` / `postgresql://` forms with optional `user:password@`.
 */

export type DatabaseKind = 'mysql' | 'postgresql';

export interface DatabaseUrl {
  kind: DatabaseKind;
  /** `mariadb` when the URL said so; only informational. */
  flavour: 'mysql' | 'mariadb' | 'postgresql';
  host: string;
  port: number;
  /** The database (MySQL: also the default schema) or undefined when the URL names none. */
  database?: string;
  user?: string;
  password?: string;
  /** Query parameters other than user and password. */
  params: Record<string, string>;
  /** The URL without a password, safe to print. */
  display: string;
}

/** Parses a URL; returns an error message (never containing the password) when it is not one. */
export function parseDatabaseUrl(raw: string): DatabaseUrl | string {
  const text = raw.trim();
  const match = /^(?:jdbc:)?(mysql|mariadb|postgresql|postgres):\/\/(.*)$/i.exec(text);
  if (!match) {
    return 'is not a database URL; expected jdbc:mysql://host:3306/db, jdbc:mariadb://…, jdbc:postgresql://host:5432/db, mysql://… or postgres://…';
  }
  const scheme = (match[1] as string).toLowerCase();
  const flavour = scheme === 'mariadb' ? 'mariadb' : scheme === 'mysql' ? 'mysql' : 'postgresql';
  const kind: DatabaseKind = flavour === 'postgresql' ? 'postgresql' : 'mysql';
  let parsed: URL;
  try {
    parsed = new URL(`db://${match[2] as string}`);
  } catch {
    return 'is not a valid URL (check the host, port and any special characters in the password, which must be percent-encoded).';
  }
  if (parsed.hostname === '') return 'names no host; expected something like jdbc:mysql://host:3306/db.';
  const defaultPort = kind === 'mysql' ? 3306 : 5432;
  const port = parsed.port === '' ? defaultPort : Number(parsed.port);
  const params: Record<string, string> = {};
  let user = parsed.username ? decodeURIComponent(parsed.username) : undefined;
  let password = parsed.password ? decodeURIComponent(parsed.password) : undefined;
  for (const [key, value] of parsed.searchParams) {
    if (key === 'user') user = value;
    else if (key === 'password') password = value;
    else params[key] = value;
  }
  const path = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  const database = path === '' ? undefined : path;
  const query = Object.keys(params).length ? `?${new URLSearchParams(params).toString()}` : '';
  const display = `${kind === 'mysql' ? `jdbc:${flavour}` : 'jdbc:postgresql'}://${parsed.host}/${database ?? ''}${query}`;
  const hostname = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  return { kind, flavour, host: hostname, port, database, user, password, params, display };
}

/** Every spelling of the password that could show up in a log line, for masking. */
export function passwordSpellings(raw: string): string[] {
  const spellings = new Set<string>();
  const userinfo = /^(?:jdbc:)?[a-z]+:\/\/([^@/?#]*)@/i.exec(raw.trim());
  if (userinfo) {
    const colon = (userinfo[1] as string).indexOf(':');
    if (colon >= 0) spellings.add((userinfo[1] as string).slice(colon + 1));
  }
  const query = /[?&]password=([^&#]*)/i.exec(raw);
  if (query) spellings.add(query[1] as string);
  for (const s of [...spellings]) {
    try {
      spellings.add(decodeURIComponent(s));
    } catch {
      // keep the raw spelling only
    }
  }
  return [...spellings].filter((s) => s !== '');
}
