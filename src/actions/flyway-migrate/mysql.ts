/** The MySQL/MariaDB dialect on one mysql2 connection. */
import type { Connection } from 'mysql2/promise';
import { BaseDialect, mysqlLockName, type Dialect, type LockOptions } from './dialect.js';

export class MysqlDialect extends BaseDialect implements Dialect {
  readonly kind = 'mysql' as const;
  readonly supportsDdlTransactions = false;

  constructor(
    private readonly connection: Connection,
    readonly serverMajor: number,
    readonly mariadb: boolean
  ) {
    super();
  }

  quote(identifier: string): string {
    return `\`${identifier.replace(/`/g, '``')}\``;
  }

  async query<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
    const [rows] = await this.connection.query(sql, params);
    return (Array.isArray(rows) ? rows : []) as T[];
  }

  async execute(sql: string): Promise<void> {
    await this.connection.query(sql);
  }

  async currentSchema(): Promise<string | undefined> {
    const [row] = await this.query<{ s: string | null }>('SELECT DATABASE() AS s');
    return row?.s ?? undefined;
  }

  async currentDatabase(): Promise<string | undefined> {
    return this.currentSchema();
  }

  async currentUser(): Promise<string> {
    const [row] = await this.query<{ u: string }>("SELECT SUBSTRING_INDEX(USER(),'@',1) AS u");
    return row?.u ?? '';
  }

  async schemaExists(schema: string): Promise<boolean> {
    const rows = await this.query('SELECT 1 FROM information_schema.schemata WHERE schema_name = ?', [
      schema
    ]);
    return rows.length > 0;
  }

  async schemaIsEmpty(schema: string): Promise<boolean> {
    const [row] = await this.query<{ n: number }>(
      `SELECT (SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = ?)
            + (SELECT COUNT(*) FROM information_schema.routines WHERE routine_schema = ?)
            + (SELECT COUNT(*) FROM information_schema.events WHERE event_schema = ?) AS n`,
      [schema, schema, schema]
    );
    return Number(row?.n ?? 0) === 0;
  }

  async tableExists(schema: string, table: string): Promise<boolean> {
    const rows = await this.query(
      'SELECT 1 FROM information_schema.tables WHERE table_schema = ? AND table_name = ?',
      [schema, table]
    );
    return rows.length > 0;
  }

  historyTableDdl(schema: string, table: string): string[] {
    const t = this.tableName(schema, table);
    const q = (s: string) => this.quote(s);
    return [
      `CREATE TABLE ${t} (\n` +
        '    `installed_rank` INT NOT NULL,\n' +
        '    `version` VARCHAR(50),\n' +
        '    `description` VARCHAR(200) NOT NULL,\n' +
        '    `type` VARCHAR(20) NOT NULL,\n' +
        '    `script` VARCHAR(1000) NOT NULL,\n' +
        '    `checksum` INT,\n' +
        '    `installed_by` VARCHAR(100) NOT NULL,\n' +
        '    `installed_on` TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,\n' +
        '    `execution_time` INT NOT NULL,\n' +
        '    `success` BOOL NOT NULL,\n' +
        `    CONSTRAINT ${q(`${table}_pk`)} PRIMARY KEY (\`installed_rank\`)\n` +
        ')',
      `CREATE INDEX ${q(`${table}_s_idx`)} ON ${t} (\`success\`)`
    ];
  }

  async useSchema(schema: string): Promise<void> {
    await this.execute(`USE ${this.quote(schema)}`);
  }

  async lock(schema: string, table: string, options: LockOptions): Promise<() => Promise<void>> {
    const name = mysqlLockName(this.tableName(schema, table));
    for (let attempt = 1; ; attempt++) {
      const [row] = await this.query<{ l: number | null }>('SELECT GET_LOCK(?, 10) AS l', [name]);
      if (Number(row?.l) === 1) break;
      if (attempt > options.retryCount) {
        throw new Error(`Number of retries exceeded while attempting to acquire MySQL named lock ${name}`);
      }
      options.onWait?.(attempt);
      await options.sleep(100);
    }
    return async () => {
      await this.query('SELECT RELEASE_LOCK(?)', [name]);
    };
  }

  async cleanSchema(schema: string, drop: boolean): Promise<void> {
    if (drop) {
      await this.execute(`DROP SCHEMA ${this.quote(schema)}`);
      return;
    }
    await this.execute('SET FOREIGN_KEY_CHECKS = 0');
    try {
      const objects = await this.query<{ n: string; k: string }>(
        `SELECT table_name AS n, IF(table_type = 'VIEW', 'VIEW', 'TABLE') AS k FROM information_schema.tables WHERE table_schema = ?
         UNION ALL SELECT routine_name, routine_type FROM information_schema.routines WHERE routine_schema = ?
         UNION ALL SELECT event_name, 'EVENT' FROM information_schema.events WHERE event_schema = ?`,
        [schema, schema, schema]
      );
      for (const { n, k } of objects) await this.execute(`DROP ${k} IF EXISTS ${this.tableName(schema, n)}`);
    } finally {
      await this.execute('SET FOREIGN_KEY_CHECKS = 1');
    }
  }

  /**
   * Like JDBC's setAutoCommit(false): after a DDL statement's implicit commit a new transaction starts
   * at once, so data changes after the last DDL are still rolled back on failure (as with Flyway).
   */
  async begin(): Promise<void> {
    await this.execute('SET autocommit = 0');
  }
  override async commit(): Promise<void> {
    await this.execute('COMMIT');
    await this.execute('SET autocommit = 1');
  }
  override async rollback(): Promise<void> {
    await this.execute('ROLLBACK');
    await this.execute('SET autocommit = 1');
  }
  async close(): Promise<void> {
    await this.connection.end().catch(() => this.connection.destroy());
  }
}
