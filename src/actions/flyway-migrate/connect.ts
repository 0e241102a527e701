/**
 * Opens the database connection, retrying network failures with Flyway's backoff (1 s, doubling, capped
 * by connectRetriesInterval) up to connectRetries times, and turning the driver's error into a message
 * that says what usually causes it. The password never appears in a message.
 */
import mysql from 'mysql2/promise';
import pg from 'pg';
import { ConfigError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { retry, realSleep, type Sleep } from '../../core/retry.js';
import type { Dialect } from './dialect.js';
import { MysqlDialect } from './mysql.js';
import { PostgresDialect } from './postgres.js';
import type { DatabaseUrl } from './url.js';

export interface ConnectOptions {
  url: DatabaseUrl;
  user?: string;
  password?: string;
  /** Extra attempts after the first. */
  retries: number;
  retryIntervalCapSec: number;
  timeoutMs: number;
  logger: Logger;
  sleep?: Sleep;
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNRESET',
  'EPIPE',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  '57P03' // PostgreSQL: the database system is starting up
]);

function codeOf(error: unknown): string {
  const e = error as { code?: unknown; errors?: unknown[] };
  if (typeof e?.code === 'string') return e.code;
  if (Array.isArray(e?.errors) && e.errors.length) return codeOf(e.errors[0]);
  const message = error instanceof Error ? error.message : String(error);
  if (/timeout|timed out/i.test(message)) return 'ETIMEDOUT';
  if (/Connection terminated unexpectedly/i.test(message)) return 'ECONNRESET';
  return '';
}

/** True for failures worth retrying: the network or a server still starting. */
export function isNetworkError(error: unknown): boolean {
  return NETWORK_CODES.has(codeOf(error));
}

function scrub(text: string, password: string | undefined): string {
  return password ? text.split(password).join('***') : text;
}

/** The message a user sees for a connection that could not be made. */
export function explainConnectError(
  error: unknown,
  url: DatabaseUrl,
  attempts: number,
  password?: string
): string {
  const code = codeOf(error);
  const reason = scrub(error instanceof Error && error.message ? error.message : String(error), password);
  const where = `${url.host}:${url.port}`;
  if (isNetworkError(error)) {
    const what =
      code === 'ENOTFOUND' || code === 'EAI_AGAIN'
        ? `the host name ${url.host} does not resolve from this runner`
        : code === 'ECONNREFUSED'
          ? `nothing accepted the connection on ${where}`
          : `${where} did not answer`;
    return [
      `Could not connect to the ${url.kind === 'mysql' ? 'MySQL/MariaDB' : 'PostgreSQL'} database at ${where} after ${attempts} attempt${attempts === 1 ? '' : 's'}: ${what} (${code || reason}).`,
      'The usual cause is that the database is not reachable from this runner: a private RDS instance (no public access, or a security group that only admits the VPC) cannot be reached from GitHub-hosted runners.',
      'Run this job on a self-hosted runner inside the VPC, or use an endpoint that is publicly accessible and whose security group admits the runner. Also check the host, the port and that the database is running.',
      `Driver message: ${reason}`
    ].join('\n');
  }
  if (
    /28P01|28000|ER_ACCESS_DENIED|ER_DBACCESS_DENIED/.test(code) ||
    /password authentication failed|Access denied/i.test(reason)
  ) {
    return `The database at ${where} refused the login: ${reason}\nCheck the user and password (the password input, flyway.password or FLYWAY_PASSWORD).`;
  }
  if (/3D000|ER_BAD_DB_ERROR/.test(code)) {
    return `The database named in the URL does not exist on ${where}: ${reason}`;
  }
  return `Could not connect to the database at ${where}: ${reason}`;
}

async function open(options: ConnectOptions): Promise<Dialect> {
  const { url, user, password, timeoutMs } = options;
  if (url.kind === 'mysql') {
    const ssl = /^(true|required|verify_ca|verify_identity)$/i.test(
      url.params.useSSL ?? url.params.sslMode ?? url.params.sslmode ?? ''
    );
    const connection = await mysql.createConnection({
      host: url.host,
      port: url.port,
      user,
      password,
      database: url.database,
      connectTimeout: timeoutMs,
      charset: 'utf8mb4',
      multipleStatements: false,
      supportBigNumbers: true,
      dateStrings: false,
      ssl: ssl ? { rejectUnauthorized: /verify/i.test(url.params.sslMode ?? '') } : undefined
    });
    try {
      const [rows] = await connection.query('SELECT VERSION() AS v');
      const version = String((rows as Array<{ v: string }>)[0]?.v ?? '');
      return new MysqlDialect(connection, Number.parseInt(version, 10) || 0, /mariadb/i.test(version));
    } catch (error) {
      connection.destroy();
      throw error;
    }
  }
  const sslmode = url.params.sslmode ?? (url.params.ssl === 'true' ? 'require' : undefined);
  const client = new pg.Client({
    host: url.host,
    port: url.port,
    user,
    password,
    database: url.database,
    connectionTimeoutMillis: timeoutMs,
    ssl:
      sslmode && /^(require|verify-ca|verify-full)$/.test(sslmode)
        ? { rejectUnauthorized: sslmode !== 'require' }
        : undefined
  });
  client.on('error', () => undefined); // a dropped connection surfaces on the next query
  try {
    await client.connect();
    const { rows } = await client.query<{ v: string }>("SELECT current_setting('server_version_num') AS v");
    const num = Number(rows[0]?.v ?? 0);
    return new PostgresDialect(client, Math.floor(num / 10000));
  } catch (error) {
    await client.end().catch(() => undefined);
    throw error;
  }
}

function scrubbingLogger(logger: Logger, password: string | undefined): Logger {
  return {
    info: (m) => logger.info(scrub(m, password)),
    debug: (m) => logger.debug(scrub(m, password)),
    warning: (m, p) => logger.warning(scrub(m, password), p),
    error: (m, p) => logger.error(scrub(m, password), p),
    notice: (m, p) => logger.notice(scrub(m, password), p),
    group: (name, fn) => logger.group(name, fn)
  };
}

/** Connects with retries; throws a ConfigError with an explanation when it cannot. */
export async function connect(options: ConnectOptions): Promise<Dialect> {
  const attempts = options.retries + 1;
  let made = 0;
  try {
    return await retry(
      async (attempt) => {
        made = attempt;
        return open(options);
      },
      {
        label: `Connecting to ${options.url.host}:${options.url.port}`,
        attempts,
        retryable: (error, attempt) =>
          isNetworkError(error)
            ? { afterMs: Math.min(1000 * 2 ** (attempt - 1), options.retryIntervalCapSec * 1000) }
            : false,
        sleep: options.sleep ?? realSleep,
        logger: scrubbingLogger(options.logger, options.password)
      }
    );
  } catch (error) {
    throw new ConfigError(explainConnectError(error, options.url, made, options.password));
  }
}
