/** The PostgreSQL dialect on one pg client. */
import type { Client } from 'pg';
import { BaseDialect, postgresLockKey, type Dialect, type LockOptions } from './dialect.js';

export class PostgresDialect extends BaseDialect implements Dialect {
  readonly kind = 'postgresql' as const;
  readonly supportsDdlTransactions = true;

  constructor(
    private readonly client: Client,
    readonly serverMajor: number
  ) {
    super();
  }

  quote(identifier: string): string {
    return `"${identifier.replace(/"/g, '""')}"`;
  }

  async query<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
    let i = 0;
    const text = params.length ? sql.replace(/\?/g, () => `$${++i}`) : sql;
    const result = await this.client.query(text, params);
    return result.rows as T[];
  }

  async execute(sql: string): Promise<void> {
    await this.client.query(sql);
  }

  async currentSchema(): Promise<string | undefined> {
    const [row] = await this.query<{ s: string | null }>('SELECT current_schema() AS s');
    return row?.s ?? undefined;
  }

  async currentDatabase(): Promise<string | undefined> {
    const [row] = await this.query<{ d: string }>('SELECT current_database() AS d');
    return row?.d;
  }

  async currentUser(): Promise<string> {
    const [row] = await this.query<{ u: string }>('SELECT current_user AS u');
    return row?.u ?? '';
  }

  async schemaExists(schema: string): Promise<boolean> {
    return (await this.query('SELECT 1 FROM pg_namespace WHERE nspname = ?', [schema])).length > 0;
  }

  async schemaIsEmpty(schema: string): Promise<boolean> {
    const [row] = await this.query<{ empty: boolean }>(
      `SELECT NOT EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                           WHERE n.nspname = ? AND c.relkind IN ('r','v','m','S','f','p'))
          AND NOT EXISTS (SELECT 1 FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = ?)
          AND NOT EXISTS (SELECT 1 FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
                           WHERE n.nspname = ? AND t.typtype IN ('e','d','r','m')) AS empty`,
      [schema, schema, schema]
    );
    return row?.empty !== false;
  }

  async tableExists(schema: string, table: string): Promise<boolean> {
    const rows = await this.query(
      `SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = ? AND c.relname = ? AND c.relkind IN ('r','p')`,
      [schema, table]
    );
    return rows.length > 0;
  }

  historyTableDdl(schema: string, table: string): string[] {
    const t = this.tableName(schema, table);
    return [
      `CREATE TABLE ${t} (\n` +
        '    "installed_rank" INT NOT NULL,\n' +
        '    "version" VARCHAR(50),\n' +
        '    "description" VARCHAR(200) NOT NULL,\n' +
        '    "type" VARCHAR(20) NOT NULL,\n' +
        '    "script" VARCHAR(1000) NOT NULL,\n' +
        '    "checksum" INTEGER,\n' +
        '    "installed_by" VARCHAR(100) NOT NULL,\n' +
        '    "installed_on" TIMESTAMP NOT NULL DEFAULT now(),\n' +
        '    "execution_time" INTEGER NOT NULL,\n' +
        '    "success" BOOLEAN NOT NULL\n' +
        ')',
      `ALTER TABLE ${t} ADD CONSTRAINT ${this.quote(`${table}_pk`)} PRIMARY KEY ("installed_rank")`,
      `CREATE INDEX ${this.quote(`${table}_s_idx`)} ON ${t} ("success")`
    ];
  }

  async useSchema(schema: string): Promise<void> {
    await this.query("SELECT set_config('search_path', ?, false)", [this.quote(schema)]);
  }

  /**
   * The session-level advisory lock (Flyway's `postgresql.transactional.lock=false` form) on Flyway's
   * key: it excludes a real Flyway holding the transactional form of the same key, and leaves no
   * transaction open, so CREATE INDEX CONCURRENTLY works.
   */
  async lock(schema: string, table: string, options: LockOptions): Promise<() => Promise<void>> {
    const key = postgresLockKey(this.tableName(schema, table));
    for (let attempt = 1; ; attempt++) {
      const [row] = await this.query<{ l: boolean }>('SELECT pg_try_advisory_lock(?::bigint) AS l', [key]);
      if (row?.l === true) break;
      if (attempt > options.retryCount) {
        throw new Error(
          `Number of retries exceeded while attempting to acquire PostgreSQL advisory lock. Configure the number of retries with the 'lockRetryCount' configuration option: https://documentation.red-gate.com/flyway/flyway-cli-and-api/configuration/parameters/flyway/lock-retry-count`
        );
      }
      options.onWait?.(attempt);
      await options.sleep(1000);
    }
    return async () => {
      await this.query('SELECT pg_advisory_unlock(?::bigint)', [key]);
    };
  }

  async cleanSchema(schema: string, drop: boolean): Promise<void> {
    if (drop) {
      await this.execute(`DROP SCHEMA ${this.quote(schema)} CASCADE`);
      return;
    }
    const [row] = await this.query<{ owner: string }>(
      'SELECT pg_get_userbyid(nspowner) AS owner FROM pg_namespace WHERE nspname = ?',
      [schema]
    );
    await this.execute(`DROP SCHEMA ${this.quote(schema)} CASCADE`);
    await this.execute(
      `CREATE SCHEMA ${this.quote(schema)} AUTHORIZATION ${this.quote(row?.owner ?? 'postgres')}`
    );
  }

  async begin(): Promise<void> {
    await this.execute('BEGIN');
  }
  async close(): Promise<void> {
    await this.client.end().catch(() => undefined);
  }
}
