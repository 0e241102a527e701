/**
 * The bundled action run as GitHub runs it (dist/flyway-migrate/index.js with INPUT_* variables, output
 * and summary files): concurrent runs against both databases apply every migration exactly once, a
 * failing statement becomes an annotation on its file and line, and the password never leaks.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { runBundledAction, type RunResult } from '../../src/cli/runner.js';
import { actionYml } from '../helpers/paths.js';

const tag = `${process.pid}_${Date.now().toString(36)}`;
const mysqlDb = `fwact_${tag}`;
const pgDb = `fwact_${tag}`;
const mysqlSchemas = new Set<string>();
const mysqlSchema = (s: string): string => {
  const name = `${mysqlDb}_${s}`;
  mysqlSchemas.add(name);
  return name;
};
let work: string;
let my: mysql.Connection;
let pgAdmin: pg.Client;

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'fwact-'));
  my = await mysql.createConnection({ host: '127.0.0.1', port: 3306, user: 'root' });
  await my.query(`CREATE DATABASE \`${mysqlDb}\``);
  pgAdmin = new pg.Client({ host: '127.0.0.1', port: 5432, user: 'postgres', database: 'postgres' });
  await pgAdmin.connect();
  await pgAdmin.query(`CREATE DATABASE "${pgDb}"`);
});

afterAll(async () => {
  for (const db of [mysqlDb, ...mysqlSchemas]) await my.query(`DROP DATABASE IF EXISTS \`${db}\``);
  await my.end();
  await pgAdmin.query(`DROP DATABASE IF EXISTS "${pgDb}" WITH (FORCE)`);
  await pgAdmin.end();
  rmSync(work, { recursive: true, force: true });
});

/** A project directory with `count` migrations that each log themselves into `applied_log`. */
function project(name: string, count: number, extra: Record<string, string> = {}): string {
  const dir = path.join(work, name);
  mkdirSync(path.join(dir, 'db', 'migration'), { recursive: true });
  writeFileSync(
    path.join(dir, 'db', 'migration', 'V1__log.sql'),
    'CREATE TABLE applied_log (v VARCHAR(20));\n'
  );
  for (let i = 2; i <= count; i++) {
    writeFileSync(
      path.join(dir, 'db', 'migration', `V${i}__step_${i}.sql`),
      `CREATE TABLE t${i} (id INT);\nINSERT INTO applied_log VALUES ('${i}');\n`
    );
  }
  for (const [file, text] of Object.entries(extra))
    writeFileSync(path.join(dir, 'db', 'migration', file), text);
  return dir;
}

const run = (cwd: string, inputs: Record<string, string>): Promise<RunResult> =>
  runBundledAction({ actionYml: actionYml('flyway-migrate'), inputs, cwd, env: { GITHUB_WORKSPACE: cwd } });

const targets = [
  {
    name: 'mysql',
    url: `jdbc:mysql://127.0.0.1:3306/${mysqlDb}`,
    user: 'root',
    // MySQL schemas are databases: name them after this file's run and drop them after.
    schema: (s: string) => ({ schemas: mysqlSchema(s) }),
    query: async (schema: string, sql: string) => {
      const [rows] = await my.query(sql.replace('{s}', `\`${mysqlSchema(schema)}\``));
      return rows as Array<Record<string, unknown>>;
    }
  },
  {
    name: 'postgresql',
    url: `jdbc:postgresql://127.0.0.1:5432/${pgDb}`,
    user: 'postgres',
    schema: (s: string) => ({ schemas: s }),
    query: async (schema: string, sql: string) => {
      const client = new pg.Client({ host: '127.0.0.1', port: 5432, user: 'postgres', database: pgDb });
      await client.connect();
      try {
        return (await client.query(sql.replace('{s}', `"${schema}"`))).rows as Array<Record<string, unknown>>;
      } finally {
        await client.end();
      }
    }
  }
];

describe.each(targets.map((t) => [t.name, t] as const))('%s', (name, t) => {
  it('two concurrent runs apply every migration exactly once', async () => {
    const count = 12;
    const dir = project(`concurrent-${name}`, count);
    const inputs = { url: t.url, user: t.user, ...t.schema('conc') };
    const [a, b] = await Promise.all([run(dir, inputs), run(dir, inputs)]);
    expect([a.exitCode, b.exitCode]).toEqual([0, 0]);
    expect(Number(a.outputs.applied) + Number(b.outputs.applied)).toBe(count);
    expect([a.outputs['schema-version'], b.outputs['schema-version']]).toEqual([
      String(count),
      String(count)
    ]);
    const log = await t.query('conc', 'SELECT v, COUNT(*) AS n FROM {s}.applied_log GROUP BY v');
    expect(log.map((r) => [String(r.v), Number(r.n)]).sort((x, y) => Number(x[0]) - Number(y[0]))).toEqual(
      Array.from({ length: count - 1 }, (_, i) => [String(i + 2), 1])
    );
    const history = await t.query('conc', "SELECT version FROM {s}.flyway_schema_history WHERE type = 'SQL'");
    expect(history).toHaveLength(count);
    // The summary is Flyway's info table; the migrations output is its JSON.
    const summary = [a.summary, b.summary].find((s) => s.includes('| 12 |')) ?? a.summary;
    expect(summary).toContain(
      '| Category | Version | Description | Type | Installed On | State | Execution Time |'
    );
    expect(summary).toMatch(
      /\| Versioned \| 12 \| step 12 \| SQL \| \d{4}-\d\d-\d\d \d\d:\d\d:\d\d \| Success \| \d+ ms \|/
    );
    const rows = JSON.parse(a.outputs.migrations ?? '[]') as Array<{ version: string; state: string }>;
    expect(rows.filter((r) => r.version !== null).map((r) => [r.version, r.state])).toEqual(
      Array.from({ length: count }, (_, i) => [String(i + 1), 'Success'])
    );
  });

  it('a failing statement fails the step with an annotation on its file and line', async () => {
    const dir = project(`failing-${name}`, 2, {
      'V3__broken.sql': 'CREATE TABLE ok3 (id INT);\n\nSELEC nonsense;\n'
    });
    const result = await run(dir, { url: t.url, user: t.user, ...t.schema('failing') });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toMatch(
      /^::error title=Flyway migration failed,file=db\/migration\/V3__broken.sql,line=3::Migration V3__broken.sql failed/m
    );
    expect(result.stdout).toMatch(
      /^::error::Migration failed at db\/migration\/V3__broken.sql line 3 \(details above\)\.$/m
    );
    expect(result.outputs.applied).toBeUndefined();
    expect(result.summary).toContain(
      '### ❌ flyway-migrate: migration failed at db/migration/V3__broken.sql line 3'
    );
    expect(result.summary).toContain('Migration V3__broken.sql failed');
  });
});

describe('secrets', () => {
  const secret = 'pa55-Very$ecret/Value';
  const encoded = encodeURIComponent(secret);
  const clean = (r: RunResult) =>
    [r.stdout, r.stderr, r.summary, JSON.stringify(r.outputs)]
      .join('\n')
      .split('\n')
      .filter((line) => !line.startsWith('::add-mask::'))
      .join('\n');

  it('never prints the password, from the input or embedded in the URL, on success', async () => {
    const dir = project('secret-ok', 2);
    // PostgreSQL here uses trust auth, so any password is accepted.
    const result = await run(dir, {
      url: `postgresql://postgres:${encoded}@127.0.0.1:5432/${pgDb}`,
      password: secret,
      schemas: 'secret_ok'
    });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain(`::add-mask::${secret}`);
    // @actions/core escapes % in command values; the runner unescapes it before masking.
    expect(result.stdout).toContain(`::add-mask::${encoded.replace(/%/g, '%25')}`);
    expect(clean(result)).not.toContain(secret);
    expect(clean(result)).not.toContain(encoded);
  });

  it('explains an unreachable database after retrying, without the password or a bare ECONNREFUSED', async () => {
    const dir = project('secret-down', 2);
    const result = await run(dir, {
      url: `jdbc:mysql://127.0.0.1:1/app?user=root&password=${encoded}`,
      'connect-retries': '1'
    });
    expect(result.exitCode).toBe(1);
    const out = clean(result);
    expect(out).not.toContain(secret);
    expect(out).not.toContain(encoded);
    expect(out).toMatch(/attempt 1\/2 failed .*retrying in 1\.0s/);
    expect(out).toContain('Could not connect to the MySQL/MariaDB database at 127.0.0.1:1 after 2 attempts');
    expect(out).toContain('self-hosted runner inside the VPC');
    expect(out).not.toMatch(/^::error::(Error: )?connect ECONNREFUSED/m);
  });

  it('does not print the password when the login is refused', async () => {
    const dir = project('secret-denied', 2);
    const result = await run(dir, {
      url: `jdbc:mariadb://127.0.0.1:3306/${mysqlDb}`,
      user: 'nobody_here',
      password: secret
    });
    expect(result.exitCode).toBe(1);
    expect(clean(result)).not.toContain(secret);
    expect(clean(result)).toMatch(/refused the login|Access denied/);
  });
});

describe('configuration and commands', () => {
  it('reads flyway.toml and FLYWAY_* variables; inputs override both', async () => {
    const dir = path.join(work, 'toml');
    mkdirSync(path.join(dir, 'sql'), { recursive: true });
    writeFileSync(
      path.join(dir, 'sql', 'V1__t.sql'),
      "CREATE TABLE t (v VARCHAR(20));\nINSERT INTO t VALUES ('${who}');\n"
    );
    writeFileSync(
      path.join(dir, 'flyway.toml'),
      `[environments.default]\nurl = "jdbc:postgresql://127.0.0.1:5432/${pgDb}"\nuser = "postgres"\nschemas = ["from_file"]\n\n[flyway]\nlocations = ["filesystem:sql"]\ntable = "file_history"\n`
    );
    const result = await runBundledAction({
      actionYml: actionYml('flyway-migrate'),
      inputs: { 'config-files': 'flyway.toml', table: 'input_history' },
      cwd: dir,
      env: { FLYWAY_SCHEMAS: 'from_env', FLYWAY_PLACEHOLDERS_WHO: 'env-placeholder' }
    });
    expect(result.exitCode).toBe(0);
    const rows = await targets[1]!.query('from_env', 'SELECT v FROM {s}.t');
    expect(rows).toEqual([{ v: 'env-placeholder' }]);
    const tables = await targets[1]!.query(
      'from_env',
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'from_env' ORDER BY 1"
    );
    expect(tables.map((r) => r.table_name)).toEqual(['input_history', 't']);
  });

  it('takes the default schema from ?currentSchema= in a PostgreSQL URL, as pgJDBC does', async () => {
    const dir = project('current-schema', 2);
    const result = await run(dir, {
      url: `jdbc:postgresql://127.0.0.1:5432/${pgDb}?currentSchema=from_url`,
      user: 'postgres'
    });
    expect(result.exitCode).toBe(0);
    expect(
      await targets[1]!.query('from_url', 'SELECT COUNT(*)::int AS n FROM {s}.flyway_schema_history')
    ).toEqual([{ n: 3 }]);
  });

  it('clean needs clean-enabled: true, then empties the schema', async () => {
    const dir = project('clean', 3);
    const base = { url: `jdbc:postgresql://127.0.0.1:5432/${pgDb}`, user: 'postgres', schemas: 'to_clean' };
    expect((await run(dir, base)).exitCode).toBe(0);
    const refused = await run(dir, { ...base, command: 'clean' });
    expect(refused.exitCode).toBe(1);
    expect(refused.stdout).toMatch(/^::error::Input 'clean-enabled': must be true to run clean/m);
    expect(
      await targets[1]!.query(
        'to_clean',
        "SELECT COUNT(*)::int AS n FROM information_schema.tables WHERE table_schema = 'to_clean'"
      )
    ).toEqual([{ n: 4 }]);
    const cleaned = await run(dir, { ...base, command: 'clean', 'clean-enabled': 'true' });
    expect(cleaned.exitCode).toBe(0);
    expect(
      await targets[1]!.query(
        'to_clean',
        "SELECT COUNT(*)::int AS n FROM pg_namespace WHERE nspname = 'to_clean'"
      )
    ).toEqual([{ n: 0 }]);
  });
});
