/**
 * The engine against real MariaDB and PostgreSQL servers: every scenario Flyway users rely on, on both
 * databases, each in its own freshly created database (MySQL) or schema (PostgreSQL), dropped after.
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { MemoryLogger } from '../../src/core/logger.js';
import { checksumBytes } from '../../src/actions/flyway-migrate/checksum.js';
import type { Layer } from '../../src/actions/flyway-migrate/config.js';
import { connect } from '../../src/actions/flyway-migrate/connect.js';
import { mysqlLockName, postgresLockKey } from '../../src/actions/flyway-migrate/dialect.js';
import {
  Engine,
  MigrationFailedError,
  type Command,
  type EngineResult
} from '../../src/actions/flyway-migrate/engine.js';
import { scanLocations } from '../../src/actions/flyway-migrate/resolver.js';
import { resolveSettings } from '../../src/actions/flyway-migrate/settings.js';
import { parseDatabaseUrl, type DatabaseUrl } from '../../src/actions/flyway-migrate/url.js';

const tag = `${process.pid}_${Date.now().toString(36)}`;

interface Target {
  name: 'mysql' | 'postgresql';
  /** A fresh, empty place for one scenario; returns the settings that point at it. */
  fresh(): Promise<{ url: string; schema: string }>;
  sql<T = Record<string, unknown>>(schema: string, text: string): Promise<T[]>;
  cleanup(): Promise<void>;
}

function mysqlTarget(): Target {
  const created: string[] = [];
  let admin: mysql.Connection | undefined;
  let n = 0;
  return {
    name: 'mysql',
    async fresh() {
      admin ??= await mysql.createConnection({ host: '127.0.0.1', port: 3306, user: 'root' });
      const schema = `fwit_${tag}_${++n}`;
      await admin.query(`CREATE DATABASE \`${schema}\``);
      created.push(schema);
      return { url: `jdbc:mysql://127.0.0.1:3306/${schema}`, schema };
    },
    async sql<T>(schema: string, text: string) {
      admin ??= await mysql.createConnection({ host: '127.0.0.1', port: 3306, user: 'root' });
      await admin.query(`USE \`${schema}\``);
      const [rows] = await admin.query(text);
      return rows as T[];
    },
    async cleanup() {
      if (!admin) return;
      for (const schema of created) await admin.query(`DROP DATABASE IF EXISTS \`${schema}\``);
      await admin.end();
    }
  };
}

function postgresTarget(): Target {
  const database = `fwit_${tag}`;
  let admin: pg.Client | undefined;
  let client: pg.Client | undefined;
  let n = 0;
  const ensure = async (): Promise<pg.Client> => {
    if (!client) {
      admin = new pg.Client({ host: '127.0.0.1', port: 5432, user: 'postgres', database: 'postgres' });
      await admin.connect();
      await admin.query(`CREATE DATABASE "${database}"`);
      client = new pg.Client({ host: '127.0.0.1', port: 5432, user: 'postgres', database });
      await client.connect();
    }
    return client;
  };
  return {
    name: 'postgresql',
    async fresh() {
      await ensure();
      const schema = `s${++n}`;
      return { url: `jdbc:postgresql://127.0.0.1:5432/${database}`, schema };
    },
    async sql<T>(schema: string, text: string) {
      const c = await ensure();
      await c.query(`SET search_path TO "${schema}"`);
      const result = (await c.query(text)) as unknown as pg.QueryResult | pg.QueryResult[];
      const last = Array.isArray(result) ? result[result.length - 1] : result;
      return (last?.rows ?? []) as T[];
    },
    async cleanup() {
      await client?.end();
      if (admin) {
        await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
        await admin.end();
      }
    }
  };
}

class Project {
  readonly dir = mkdtempSync(path.join(tmpdir(), 'fwit-'));
  constructor() {
    mkdirSync(path.join(this.dir, 'db', 'migration'), { recursive: true });
  }
  write(name: string, text: string): this {
    writeFileSync(path.join(this.dir, 'db', 'migration', name), text);
    return this;
  }
  read(name: string): Buffer {
    return readFileSync(path.join(this.dir, 'db', 'migration', name));
  }
  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

async function runEngine(
  project: Project,
  place: { url: string; schema: string },
  command: Command = 'migrate',
  extra: Record<string, string> = {},
  dryRun = false,
  sleep?: (ms: number) => Promise<void>
): Promise<{ result: EngineResult; logger: MemoryLogger }> {
  const layer: Layer = new Map();
  const values: Record<string, string> = { url: place.url, schemas: place.schema, ...extra };
  for (const [key, value] of Object.entries(values))
    layer.set(key, { value, source: { kind: 'input', name: key } });
  const settings = resolveSettings(layer);
  const logger = new MemoryLogger();
  const files = scanLocations(settings.locations, project.dir, settings.naming, logger);
  const url = parseDatabaseUrl(place.url) as DatabaseUrl;
  const db = await connect({
    url,
    user: url.kind === 'mysql' ? 'root' : 'postgres',
    retries: 0,
    retryIntervalCapSec: 1,
    timeoutMs: 5000,
    logger
  });
  try {
    const result = await new Engine({ db, settings, files, logger, cwd: project.dir, dryRun, sleep }).run(
      command
    );
    return { result, logger };
  } finally {
    await db.close();
  }
}

/** The MigrationFailedError a run ends with (fails the test when it does not fail). */
async function failureOf(run: Promise<unknown>): Promise<MigrationFailedError> {
  try {
    await run;
  } catch (error) {
    if (error instanceof MigrationFailedError) return error;
    throw error;
  }
  throw new Error('expected the migration to fail');
}

interface HistoryRow {
  installed_rank: number;
  version: string | null;
  description: string;
  type: string;
  script: string;
  checksum: number | null;
  installed_by: string;
  execution_time: number;
  success: number | boolean;
}

const targets = [mysqlTarget(), postgresTarget()];

afterAll(async () => {
  for (const t of targets) await t.cleanup();
});

describe.each(targets.map((t) => [t.name, t] as const))('%s', (name, target) => {
  const history = (schema: string) =>
    target.sql<HistoryRow>(schema, 'SELECT * FROM flyway_schema_history ORDER BY installed_rank');
  const ok = (row: HistoryRow) => row.success === true || Number(row.success) === 1;
  const projects: Project[] = [];
  const project = () => {
    const p = new Project();
    projects.push(p);
    return p;
  };
  afterAll(() => projects.forEach((p) => p.remove()));
  const user = name === 'mysql' ? 'root' : 'postgres';

  it('migrates a fresh schema, records rows as Flyway does, re-runs as a no-op, then applies a new one alone', async () => {
    const place = await target.fresh();
    const p = project()
      .write('V1__create_users.sql', 'CREATE TABLE users (id INT PRIMARY KEY, name VARCHAR(50));\r\n')
      .write('V1.1__seed.sql', "INSERT INTO users VALUES (1, '한국어');\n")
      .write('R__users_view.sql', 'CREATE OR REPLACE VIEW users_view AS SELECT id FROM users;\n');
    const first = await runEngine(p, place);
    expect(first.result.applied.map((a) => a.version ?? a.description)).toEqual(['1', '1.1', 'users view']);
    const rows = await history(place.schema);
    const migrations = rows.filter((r) => r.type !== 'SCHEMA');
    expect(
      migrations.map((r) => [
        r.installed_rank,
        r.version,
        r.description,
        r.type,
        r.script,
        r.checksum,
        r.installed_by,
        ok(r)
      ])
    ).toEqual([
      [
        1,
        '1',
        'create users',
        'SQL',
        'V1__create_users.sql',
        checksumBytes(p.read('V1__create_users.sql')),
        user,
        true
      ],
      [2, '1.1', 'seed', 'SQL', 'V1.1__seed.sql', checksumBytes(p.read('V1.1__seed.sql')), user, true],
      [
        3,
        null,
        'users view',
        'SQL',
        'R__users_view.sql',
        checksumBytes(p.read('R__users_view.sql')),
        user,
        true
      ]
    ]);
    if (name === 'postgresql') {
      // Flyway created the schema, so it left its marker at rank 0.
      expect(rows[0]).toMatchObject({
        installed_rank: 0,
        version: null,
        description: '<< Flyway Schema Creation >>',
        type: 'SCHEMA',
        script: `"${place.schema}"`
      });
    }
    expect(await target.sql(place.schema, 'SELECT name FROM users')).toEqual([{ name: '한국어' }]);

    const again = await runEngine(p, place);
    expect(again.result.applied).toEqual([]);
    expect(again.logger.text()).toContain('is up to date. No migration necessary.');
    expect(await history(place.schema)).toEqual(rows);

    p.write('V2__add_email.sql', 'ALTER TABLE users ADD COLUMN email VARCHAR(100);');
    const third = await runEngine(p, place);
    expect(third.result.applied.map((a) => a.version)).toEqual(['2']);
    expect(third.result.info.current?.text).toBe('2');
  });

  it("fails validation of an edited migration with Flyway's message; repair realigns it", async () => {
    const place = await target.fresh();
    const p = project().write('V1__t.sql', 'CREATE TABLE t (id INT);');
    await runEngine(p, place);
    const before = checksumBytes(p.read('V1__t.sql'));
    p.write('V1__t.sql', 'CREATE TABLE t (id INT, x INT);');
    const after = checksumBytes(p.read('V1__t.sql'));
    const expected = `Validate failed: Migrations have failed validation\nMigration checksum mismatch for migration version 1\n-> Applied to database : ${before}\n-> Resolved locally    : ${after}\nEither revert the changes to the migration, or run repair to update the schema history.`;
    await expect(runEngine(p, place)).rejects.toThrow(expected);
    await expect(runEngine(p, place, 'validate')).rejects.toThrow(expected);
    const repaired = await runEngine(p, place, 'repair');
    expect(repaired.result.messages).toEqual([`Realigned version 1: checksum ${before} → ${after}.`]);
    expect((await history(place.schema)).find((r) => r.version === '1')?.checksum).toBe(after);
    await expect(runEngine(p, place, 'validate')).resolves.toBeDefined();
  });

  it('re-runs a repeatable migration when it changes, keeping the old row', async () => {
    const place = await target.fresh();
    const p = project()
      .write('V1__t.sql', 'CREATE TABLE t (id INT);')
      .write('R__v.sql', 'CREATE OR REPLACE VIEW v AS SELECT id FROM t;');
    await runEngine(p, place);
    expect((await runEngine(p, place)).result.applied).toEqual([]);
    p.write('R__v.sql', 'CREATE OR REPLACE VIEW v AS SELECT id, id AS id2 FROM t;');
    const rerun = await runEngine(p, place);
    expect(rerun.result.applied.map((a) => a.description)).toEqual(['v']);
    const repeatableRows = (await history(place.schema)).filter((r) => r.description === 'v');
    expect(repeatableRows.map((r) => r.checksum)).toEqual([
      expect.any(Number),
      checksumBytes(p.read('R__v.sql'))
    ]);
    expect(rerun.result.info.rows.filter((r) => r.description === 'v').map((r) => r.state)).toEqual([
      'SUPERSEDED',
      'SUCCESS'
    ]);
  });

  it('refuses a non-empty schema without history, and baselines it on request', async () => {
    const place = await target.fresh();
    if (name === 'postgresql') await target.sql('public', `CREATE SCHEMA ${place.schema}`);
    await target.sql(place.schema, 'CREATE TABLE legacy (id INT)');
    const p = project()
      .write('V1__legacy.sql', 'CREATE TABLE legacy (id INT);')
      .write('V2__next.sql', 'CREATE TABLE next_one (id INT);');
    const q = name === 'mysql' ? '`' : '"';
    await expect(runEngine(p, place)).rejects.toThrow(
      `Found non-empty schema(s) ${q}${place.schema}${q} but no schema history table. Use baseline() or set baselineOnMigrate to true to initialize the schema history table.`
    );
    const { result } = await runEngine(p, place, 'migrate', { baselineOnMigrate: 'true' });
    expect(result.applied.map((a) => a.version)).toEqual(['2']);
    const rows = await history(place.schema);
    expect(rows[0]).toMatchObject({
      installed_rank: 1,
      version: '1',
      description: '<< Flyway Baseline >>',
      type: 'BASELINE',
      script: '<< Flyway Baseline >>',
      checksum: null
    });
    expect(result.info.rows.map((r) => `${r.version}:${r.state}`)).toEqual(['1:BASELINE', '2:SUCCESS']);
    // The baseline command on a baselined table with the same version is a no-op; a different one fails.
    await expect(runEngine(p, place, 'baseline')).resolves.toBeDefined();
    await expect(runEngine(p, place, 'baseline', { baselineVersion: '5' })).rejects.toThrow(
      /as it has already been baselined with \(1,<< Flyway Baseline >>\)/
    );
  });

  it('applies an older migration only with outOfOrder', async () => {
    const place = await target.fresh();
    const p = project()
      .write('V1__a.sql', 'CREATE TABLE a (id INT);')
      .write('V3__c.sql', 'CREATE TABLE c (id INT);');
    await runEngine(p, place);
    p.write('V2__b.sql', 'CREATE TABLE b (id INT);');
    await expect(runEngine(p, place)).rejects.toThrow(
      "Detected resolved migration not applied to database: 2.\nTo ignore this migration, set -ignoreMigrationPatterns='*:ignored'. To allow executing this migration, set -outOfOrder=true."
    );
    const { result } = await runEngine(p, place, 'migrate', { outOfOrder: 'true' });
    expect(result.applied.map((a) => a.version)).toEqual(['2']);
    expect(result.info.rows.filter((r) => r.version).map((r) => `${r.version}:${r.state}`)).toEqual([
      '1:SUCCESS',
      '3:SUCCESS',
      '2:OUT_OF_ORDER'
    ]);
  });

  it("stops at the target; a missing target fails with Flyway's message", async () => {
    const place = await target.fresh();
    const p = project()
      .write('V1__a.sql', 'CREATE TABLE a (id INT);')
      .write('V2__b.sql', 'CREATE TABLE b (id INT);')
      .write('V3__c.sql', 'CREATE TABLE c (id INT);');
    await expect(runEngine(p, place, 'migrate', { target: '7' })).rejects.toThrow(
      'No migration with a target version 7 could be found. Ensure target is specified correctly and the migration exists.'
    );
    const { result } = await runEngine(p, place, 'migrate', { target: '2' });
    expect(result.applied.map((a) => a.version)).toEqual(['1', '2']);
    expect(
      result.info.rows.map((r) => `${r.version}:${r.state}`).filter((s) => s !== 'undefined:SUCCESS')
    ).toEqual(['1:SUCCESS', '2:SUCCESS', '3:ABOVE_TARGET']);
    expect((await runEngine(p, place)).result.applied.map((a) => a.version)).toEqual(['3']);
  });

  it('dry run prints the SQL and changes nothing', async () => {
    const place = await target.fresh();
    const p = project()
      .write('V1__a.sql', '-- make a\nCREATE TABLE a (id INT);\nINSERT INTO a VALUES (${n});')
      .write('R__v.sql', 'CREATE VIEW v AS SELECT 1 AS x;');
    const { result, logger } = await runEngine(p, place, 'migrate', { 'placeholders.n': '42' }, true);
    expect(result.applied).toEqual([]);
    expect(result.plan?.map((x) => x.statements.map((s) => s.sql))).toEqual([
      ['-- make a\nCREATE TABLE a (id INT)', 'INSERT INTO a VALUES (42)'],
      ['CREATE VIEW v AS SELECT 1 AS x']
    ]);
    expect(logger.text()).toContain('INSERT INTO a VALUES (42);');
    const tables =
      name === 'mysql'
        ? await target.sql(
            place.schema,
            `SELECT table_name FROM information_schema.tables WHERE table_schema = '${place.schema}'`
          )
        : await target.sql('public', `SELECT nspname FROM pg_namespace WHERE nspname = '${place.schema}'`);
    expect(tables).toEqual([]);
  });

  it('replaces placeholders, including built-ins, and stores the replaced checksum of repeatables', async () => {
    const place = await target.fresh();
    const p = project()
      .write('V1__t.sql', 'CREATE TABLE t (s VARCHAR(100), f VARCHAR(100), o VARCHAR(100));')
      .write(
        'R__fill.sql',
        "DELETE FROM t; INSERT INTO t VALUES ('${flyway:defaultSchema}', '${flyway:filename}', '${Owner}');"
      );
    await runEngine(p, place, 'migrate', { 'placeholders.owner': 'app' });
    expect(await target.sql(place.schema, 'SELECT s, f, o FROM t')).toEqual([
      { s: place.schema, f: 'R__fill.sql', o: 'app' }
    ]);
    const row = (await history(place.schema)).find((r) => r.script === 'R__fill.sql');
    expect(row?.checksum).not.toBe(checksumBytes(p.read('R__fill.sql')));
    // Same placeholder values → up to date; a different value → re-run.
    expect((await runEngine(p, place, 'migrate', { 'placeholders.owner': 'app' })).result.applied).toEqual(
      []
    );
    expect(
      (await runEngine(p, place, 'migrate', { 'placeholders.owner': 'other' })).result.applied
    ).toHaveLength(1);
  });

  it("creates the history table with Flyway's columns, primary key and index", async () => {
    const place = await target.fresh();
    await runEngine(project().write('V1__a.sql', 'SELECT 1;'), place);
    const columns = await target.sql<Record<string, string>>(
      place.schema,
      `SELECT column_name AS c, ${name === 'mysql' ? 'column_type' : 'data_type'} AS t, is_nullable AS n,
              COALESCE(character_maximum_length, 0) AS l
         FROM information_schema.columns
        WHERE table_schema = '${place.schema}' AND table_name = 'flyway_schema_history' ORDER BY ordinal_position`
    );
    const types =
      name === 'mysql'
        ? [
            'int(11)',
            'varchar(50)',
            'varchar(200)',
            'varchar(20)',
            'varchar(1000)',
            'int(11)',
            'varchar(100)',
            'timestamp',
            'int(11)',
            'tinyint(1)'
          ]
        : [
            'integer',
            'character varying',
            'character varying',
            'character varying',
            'character varying',
            'integer',
            'character varying',
            'timestamp without time zone',
            'integer',
            'boolean'
          ];
    expect(columns.map((c) => [c.c, c.t, c.n, Number(c.l)])).toEqual([
      ['installed_rank', types[0], 'NO', 0],
      ['version', types[1], 'YES', 50],
      ['description', types[2], 'NO', 200],
      ['type', types[3], 'NO', 20],
      ['script', types[4], 'NO', 1000],
      ['checksum', types[5], 'YES', 0],
      ['installed_by', types[6], 'NO', 100],
      ['installed_on', types[7], 'NO', 0],
      ['execution_time', types[8], 'NO', 0],
      ['success', types[9], 'NO', 0]
    ]);
    const indexes =
      name === 'mysql'
        ? (
            await target.sql<Record<string, string>>(place.schema, 'SHOW INDEX FROM flyway_schema_history')
          ).map((i) => `${i.Key_name}(${i.Column_name})`)
        : (
            await target.sql<Record<string, string>>(
              place.schema,
              `SELECT indexname || regexp_replace(indexdef, '^.* USING btree ', '') AS i FROM pg_indexes WHERE schemaname = '${place.schema}' AND tablename = 'flyway_schema_history'`
            )
          ).map((i) => i.i);
    expect(indexes.sort()).toEqual(
      name === 'mysql'
        ? ['PRIMARY(installed_rank)', 'flyway_schema_history_s_idx(success)']
        : ['flyway_schema_history_pk(installed_rank)', 'flyway_schema_history_s_idx(success)']
    );
  });

  if (name === 'mysql') {
    it('MySQL: waits while Flyway holds its GET_LOCK on the same history table', async () => {
      const place = await target.fresh();
      const p = project().write('V1__a.sql', 'CREATE TABLE a (id INT);');
      const holder = await mysql.createConnection({ host: '127.0.0.1', port: 3306, user: 'root' });
      const lockName = mysqlLockName(`\`${place.schema}\`.\`flyway_schema_history\``);
      await holder.query('SELECT GET_LOCK(?, 0)', [lockName]);
      const events: string[] = [];
      const run = runEngine(p, place).then(() => events.push('migrated'));
      // Wait (by polling the server, not the clock) until the action blocks in GET_LOCK on that name.
      for (;;) {
        const [rows] = await holder.query(
          "SELECT COUNT(*) AS n FROM information_schema.processlist WHERE info LIKE 'SELECT GET_LOCK(%' AND id <> CONNECTION_ID()"
        );
        if (Number((rows as Array<{ n: number }>)[0]?.n) > 0) break;
        await new Promise((resolve) => setImmediate(resolve));
      }
      expect(
        await target.sql(
          place.schema,
          "SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_name = 'a' AND table_schema = DATABASE()"
        )
      ).toEqual([{ n: 0 }]);
      events.push('released');
      await holder.query('SELECT RELEASE_LOCK(?)', [lockName]);
      await holder.end();
      await run;
      expect(events).toEqual(['released', 'migrated']);
    });

    it('MySQL: a failing migration leaves a success=0 row, says what was left, blocks until repair', async () => {
      const place = await target.fresh();
      const p = project()
        .write('V1__ok.sql', 'CREATE TABLE a (id INT);')
        .write(
          'V2__bad.sql',
          'CREATE TABLE half (id INT);\nINSERT INTO a VALUES (1);\n\nINSERT INTO missing_table VALUES (1);\n'
        );
      const failure = await failureOf(runEngine(p, place));
      expect(failure).toMatchObject({ file: 'db/migration/V2__bad.sql', line: 4 });
      expect(failure.message).toContain('Migration V2__bad.sql failed');
      expect(failure.message).toContain(
        "Message    : Table '" + place.schema + ".missing_table' doesn't exist"
      );
      expect(failure.message).toContain(
        'Left in the database (committed; DDL commits implicitly):\n  line 1: CREATE TABLE half (id INT)'
      );
      expect(failure.message).toContain(
        'Rolled back (data changes after the last DDL):\n  line 2: INSERT INTO a VALUES (1)'
      );
      expect(failure.message).toContain('command: repair');
      const rows = await history(place.schema);
      expect(rows.map((r) => [r.version, ok(r)])).toEqual([
        ['1', true],
        ['2', false]
      ]);
      expect(await target.sql(place.schema, 'SELECT COUNT(*) AS n FROM a')).toEqual([{ n: 0 }]);
      await expect(runEngine(p, place)).rejects.toThrow(
        'Detected failed migration to version 2 (bad).\nPlease remove any half-completed changes then run repair to fix the schema history.'
      );
      await target.sql(place.schema, 'DROP TABLE half');
      p.write('V2__bad.sql', 'CREATE TABLE half (id INT);\n');
      await runEngine(p, place, 'repair');
      expect((await history(place.schema)).map((r) => r.version)).toEqual(['1']);
      expect((await runEngine(p, place)).result.applied.map((a) => a.version)).toEqual(['2']);
    });

    it('MySQL: runs DELIMITER scripts with procedures and triggers', async () => {
      const place = await target.fresh();
      const p = project().write(
        'V1__proc.sql',
        'CREATE TABLE t (id INT);\nDELIMITER $$\nCREATE PROCEDURE add_one()\nBEGIN\n  INSERT INTO t VALUES (1);\nEND $$\nDELIMITER ;\nCALL add_one();\n'
      );
      await runEngine(p, place);
      expect(await target.sql(place.schema, 'SELECT id FROM t')).toEqual([{ id: 1 }]);
    });
  } else {
    it('PostgreSQL: waits while Flyway holds its transactional advisory lock on the same history table', async () => {
      const place = await target.fresh();
      const p = project().write('V1__a.sql', 'CREATE TABLE a (id INT);');
      const holder = new pg.Client({
        host: '127.0.0.1',
        port: 5432,
        user: 'postgres',
        database: new URL(place.url.replace('jdbc:', '')).pathname.slice(1)
      });
      await holder.connect();
      const key = postgresLockKey(`"${place.schema}"."flyway_schema_history"`);
      // Flyway's default form: pg_advisory_xact_lock inside an open transaction.
      await holder.query('BEGIN');
      await holder.query('SELECT pg_advisory_xact_lock($1::bigint)', [key]);
      const waits: number[] = [];
      const { result } = await runEngine(p, place, 'migrate', {}, false, async (ms) => {
        waits.push(ms);
        await holder.query('COMMIT'); // Flyway finishes: its transaction ends and the lock is released
      });
      await holder.end();
      expect(waits).toEqual([1000]);
      expect(result.applied.map((a) => a.version)).toEqual(['1']);
    });

    it('PostgreSQL: a failing transactional migration is rolled back and nothing is recorded', async () => {
      const place = await target.fresh();
      const p = project()
        .write('V1__ok.sql', 'CREATE TABLE a (id INT);')
        .write(
          'V2__bad.sql',
          'CREATE TABLE half (id INT);\nINSERT INTO a VALUES (1);\nINSERT INTO missing_table VALUES (1);\n'
        );
      const failure = await failureOf(runEngine(p, place));
      expect(failure).toMatchObject({ file: 'db/migration/V2__bad.sql', line: 3 });
      expect(failure.message).toContain('relation "missing_table" does not exist');
      expect(failure.message).toContain('SQL State  : 42P01');
      expect(failure.message).toContain('Changes successfully rolled back');
      expect((await history(place.schema)).filter((r) => r.type !== 'SCHEMA').map((r) => r.version)).toEqual([
        '1'
      ]);
      expect(await target.sql(place.schema, "SELECT to_regclass('half') AS t")).toEqual([{ t: null }]);
      expect(await target.sql(place.schema, 'SELECT COUNT(*)::int AS n FROM a')).toEqual([{ n: 0 }]);
      p.write('V2__bad.sql', 'CREATE TABLE half (id INT);\n');
      expect((await runEngine(p, place)).result.applied.map((a) => a.version)).toEqual(['2']);
    });

    it('PostgreSQL: runs CREATE INDEX CONCURRENTLY outside a transaction, refuses mixing, keeps $$ bodies', async () => {
      const place = await target.fresh();
      const p = project()
        .write(
          'V1__t.sql',
          'CREATE TABLE t (id INT);\nCREATE FUNCTION f() RETURNS int AS $$ BEGIN RETURN 1; END; $$ LANGUAGE plpgsql;'
        )
        .write('V2__idx.sql', 'CREATE INDEX CONCURRENTLY t_id ON t (id);');
      await runEngine(p, place);
      expect(
        await target.sql(place.schema, "SELECT indexname FROM pg_indexes WHERE indexname = 't_id'")
      ).toEqual([{ indexname: 't_id' }]);
      p.write('V3__mixed.sql', 'CREATE TABLE u (id INT);\nCREATE INDEX CONCURRENTLY u_id ON u (id);');
      await expect(runEngine(p, place)).rejects.toThrow(
        'Detected both transactional and non-transactional statements within the same migration (even though mixed is false). Offending statement found at line 2: CREATE INDEX CONCURRENTLY u_id ON u (id)'
      );
      expect(await target.sql(place.schema, "SELECT to_regclass('u') AS t")).toEqual([{ t: null }]);
      // A failing non-transactional migration cannot be rolled back: it is recorded as failed.
      p.write('V3__mixed.sql', 'CREATE INDEX CONCURRENTLY nope_id ON nope (id);');
      const failure = await failureOf(runEngine(p, place));
      expect(failure.message).toContain('ran outside a transaction');
      expect((await history(place.schema)).filter((r) => r.version === '3').map(ok)).toEqual([false]);
    });
  }
});
