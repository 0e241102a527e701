/**
 * The small interface the engine needs from a database, implemented for MySQL/MariaDB (mysql.ts) and
 * PostgreSQL (postgres.ts) over one real connection each. Everything Flyway-specific that differs by
 * database lives behind it: quoting, the history table DDL, the lock, schema inspection.
 */
import type { AppliedMigration } from './info.js';
import type { DatabaseKind } from './url.js';

/** A row to insert: every column but `installed_on`, which the database fills in. */
export type NewHistoryRow = Omit<AppliedMigration, 'installedOn'>;

export interface Dialect {
  readonly kind: DatabaseKind;
  /** Can DDL be rolled back? (PostgreSQL yes, MySQL no.) */
  readonly supportsDdlTransactions: boolean;
  /** Server major version. */
  readonly serverMajor: number;
  quote(identifier: string): string;
  /** Flyway's `table.toString()`: `` `db`.`t` `` or `"s"."t"`, the input of its lock key. */
  tableName(schema: string, table: string): string;
  /** Runs SQL with parameters (`?` placeholders; the PostgreSQL dialect rewrites them). */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Runs one migration statement as text. */
  execute(sql: string): Promise<void>;
  /** Runs `COPY … FROM STDIN` with inline data (PostgreSQL). */
  copyFrom?(sql: string, data: string): Promise<void>;
  currentSchema(): Promise<string | undefined>;
  currentUser(): Promise<string>;
  currentDatabase(): Promise<string | undefined>;
  schemaExists(schema: string): Promise<boolean>;
  schemaIsEmpty(schema: string): Promise<boolean>;
  tableExists(schema: string, table: string): Promise<boolean>;
  createSchema(schema: string): Promise<void>;
  /** The history table DDL, statement by statement, exactly as Flyway creates it. */
  historyTableDdl(schema: string, table: string): string[];
  /** Makes `schema` the default for unqualified names (MySQL `USE`, PostgreSQL search_path). */
  useSchema(schema: string): Promise<void>;
  /** Takes Flyway's lock for this history table; resolves to the release function. */
  lock(schema: string, table: string, options: LockOptions): Promise<() => Promise<void>>;
  /** Drops every object in the schema (or the schema itself when `drop`). */
  cleanSchema(schema: string, drop: boolean): Promise<void>;
  begin(): Promise<void>;
  commit(): Promise<void>;
  rollback(): Promise<void>;
  close(): Promise<void>;
}

export interface LockOptions {
  retryCount: number;
  sleep: (ms: number) => Promise<void>;
  onWait?: (attempt: number) => void;
}

/** Java's String.hashCode, which Flyway uses in its lock keys. */
export function javaHashCode(text: string): number {
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (Math.imul(31, h) + text.charCodeAt(i)) | 0;
  return h;
}

/** MySQL: `GET_LOCK` name. */
export function mysqlLockName(tableName: string): string {
  return `Flyway-${javaHashCode(tableName)}`;
}

/** PostgreSQL: advisory lock key, `0x466C79776179` ("Flyway") + hashCode, as a bigint string. */
export function postgresLockKey(tableName: string): string {
  return (0x466c79776179n + BigInt(javaHashCode(tableName))).toString();
}

/** Converts a history row from the driver's types. */
export function toApplied(row: Record<string, unknown>): AppliedMigration {
  const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
  return {
    installedRank: Number(row.installed_rank),
    version: row.version === null || row.version === undefined ? null : String(row.version),
    description: String(row.description ?? ''),
    type: String(row.type),
    script: String(row.script ?? ''),
    checksum: num(row.checksum),
    installedBy: String(row.installed_by ?? ''),
    installedOn: (row.installed_on as Date | string | null) ?? null,
    executionTime: Number(row.execution_time ?? 0),
    success: row.success === true || Number(row.success) === 1
  };
}

/** What both dialects do the same way, given their quoting. */
export abstract class BaseDialect {
  abstract quote(identifier: string): string;
  abstract execute(sql: string): Promise<void>;

  tableName(schema: string, table: string): string {
    return `${this.quote(schema)}.${this.quote(table)}`;
  }

  async createSchema(schema: string): Promise<void> {
    await this.execute(`CREATE SCHEMA ${this.quote(schema)}`);
  }

  async commit(): Promise<void> {
    await this.execute('COMMIT');
  }

  async rollback(): Promise<void> {
    await this.execute('ROLLBACK');
  }
}
