#!/usr/bin/env node
// flyway-migrate benchmark: per database (MariaDB, PostgreSQL), the bundled action
// (dist/flyway-migrate/index.js, run as GitHub runs it: a node process with INPUT_* variables) against
// the bare cost of the same work through the driver in one process:
//   apply:    200 small migrations (CREATE TABLE + INSERT each) on a fresh schema, vs running the same
//             SQL statements one by one through mysql2 / pg;
//   validate: 1,000 applied migrations, vs one SELECT of the history table through the driver.
// The Flyway CLI (Java) cannot be installed here (only the npm and Debian registries are reachable),
// so it is not in the comparison. Run `npm run build` first. Results: bench/results/flyway-migrate.{json,md}.
import { median } from './lib/common.mjs';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import mysql from 'mysql2/promise';
import pg from 'pg';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bundle = path.join(root, 'dist', 'flyway-migrate', 'index.js');
if (!existsSync(bundle)) {
  console.error(
    'dist/flyway-migrate/index.js is missing: run `npm run build` (or node scripts/build.mjs flyway-migrate) first.'
  );
  process.exit(1);
}
const APPLY = 200;
const VALIDATE = 1000;
const RUNS = 3;
const tag = `${process.pid}_${Date.now().toString(36)}`;
const work = mkdtempSync(path.join(tmpdir(), 'fwbench-'));

function writeMigrations(dir, count, body) {
  mkdirSync(path.join(dir, 'db', 'migration'), { recursive: true });
  const statements = [];
  for (let i = 1; i <= count; i++) {
    const sql = body(i);
    writeFileSync(path.join(dir, 'db', 'migration', `V${i}__step_${i}.sql`), `${sql.join(';\n')};\n`);
    statements.push(...sql);
  }
  return statements;
}

function runAction(cwd, inputs) {
  const env = { ...process.env };
  for (const key of Object.keys(env))
    if (key.startsWith('INPUT_') || key.startsWith('GITHUB_')) delete env[key];
  for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.toUpperCase()}`] = v;
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(process.execPath, [bundle], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = performance.now() - start;
      if (code !== 0) reject(new Error(`action exited ${code}:\n${out.slice(-2000)}`));
      else resolve(ms);
    });
  });
}

function startupCost() {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
    child.on('error', reject);
    child.on('close', () => resolve(performance.now() - start));
  });
}

const databases = [
  {
    name: 'MariaDB',
    async admin() {
      const c = await mysql.createConnection({ host: '127.0.0.1', port: 3306, user: 'root' });
      return {
        create: (s) => c.query(`CREATE DATABASE \`${s}\``),
        drop: (s) => c.query(`DROP DATABASE IF EXISTS \`${s}\``),
        close: () => c.end()
      };
    },
    inputs: (s) => ({ url: `jdbc:mysql://127.0.0.1:3306/${s}`, user: 'root' }),
    // One connection with the schema selected, as the action has.
    async open(s) {
      const c = await mysql.createConnection({ host: '127.0.0.1', port: 3306, user: 'root', database: s });
      return { query: (sql) => c.query(sql), end: () => c.end() };
    }
  },
  {
    name: 'PostgreSQL',
    database: `fwbench_${tag}`,
    async admin() {
      const c = new pg.Client({ host: '127.0.0.1', port: 5432, user: 'postgres', database: 'postgres' });
      await c.connect();
      await c.query(`CREATE DATABASE "${this.database}"`);
      const d = new pg.Client({ host: '127.0.0.1', port: 5432, user: 'postgres', database: this.database });
      await d.connect();
      return {
        create: (s) => d.query(`CREATE SCHEMA "${s}"`),
        drop: () => Promise.resolve(),
        close: async () => {
          await d.end();
          await c.query(`DROP DATABASE IF EXISTS "${this.database}" WITH (FORCE)`);
          await c.end();
        }
      };
    },
    inputs(s) {
      return { url: `jdbc:postgresql://127.0.0.1:5432/${this.database}`, user: 'postgres', schemas: s };
    },
    async open(s) {
      const c = new pg.Client({ host: '127.0.0.1', port: 5432, user: 'postgres', database: this.database });
      await c.connect();
      await c.query(`SET search_path TO "${s}"`);
      return { query: (sql) => c.query(sql), end: () => c.end() };
    }
  }
];

/** The bare cost: the same statements through the driver on one connection (connecting not counted). */
async function bare(db, s, statements) {
  const c = await db.open(s);
  const start = performance.now();
  for (const sql of statements) await c.query(sql);
  const ms = performance.now() - start;
  await c.end();
  return ms;
}

/** The bare cost of reading the history: connect and one SELECT. */
async function bareSelect(db, s) {
  const start = performance.now();
  const c = await db.open(s);
  await c.query('SELECT * FROM flyway_schema_history ORDER BY installed_rank');
  await c.end();
  return performance.now() - start;
}

const results = {
  date: new Date().toISOString(),
  node: process.version,
  apply: APPLY,
  validate: VALIDATE,
  runs: RUNS,
  databases: []
};
const node = [];
for (let i = 0; i < 5; i++) node.push(await startupCost());
results.nodeStartupMs = median(node);

try {
  for (const db of databases) {
    const admin = await db.admin();
    const schemas = [];
    const fresh = async (label) => {
      const s = `fwb_${tag}_${label}`;
      schemas.push(s);
      await admin.create(s);
      return s;
    };
    try {
      const applyDir = path.join(work, `${db.name}-apply`);
      const statements = writeMigrations(applyDir, APPLY, (i) => [
        `CREATE TABLE t${i} (id INT)`,
        `INSERT INTO t${i} VALUES (${i})`
      ]);
      const action = [];
      const bares = [];
      for (let r = 0; r < RUNS; r++) {
        // PostgreSQL: let the action create its schema (as users would); MySQL: a fresh database.
        const s1 = db.name === 'PostgreSQL' ? `fwb_${tag}_a${r}` : await fresh(`a${r}`);
        action.push(await runAction(applyDir, db.inputs(s1)));
        bares.push(await bare(db, await fresh(`b${r}`), statements));
      }
      const validateDir = path.join(work, `${db.name}-validate`);
      writeMigrations(validateDir, VALIDATE, (i) => [`SELECT ${i}`]);
      const vs = db.name === 'PostgreSQL' ? `fwb_${tag}_v` : await fresh('v');
      await runAction(validateDir, db.inputs(vs));
      const validate = [];
      const select = [];
      for (let r = 0; r < RUNS; r++) {
        validate.push(await runAction(validateDir, { ...db.inputs(vs), command: 'validate' }));
        select.push(await bareSelect(db, vs));
      }
      const a = median(action);
      const b = median(bares);
      const v = median(validate);
      const sel = median(select);
      results.databases.push({
        name: db.name,
        applyActionMs: Math.round(a),
        applyBareMs: Math.round(b),
        applyRatio: +(a / b).toFixed(2),
        perMigrationOverheadMs: +((a - b) / APPLY).toFixed(2),
        perMigrationOverheadExcludingStartupMs: +((a - b - results.nodeStartupMs) / APPLY).toFixed(2),
        validateActionMs: Math.round(v),
        validateBareSelectMs: Math.round(sel),
        validateRatio: +(v / sel).toFixed(2),
        validatePerMigrationMs: +((v - results.nodeStartupMs) / VALIDATE).toFixed(3)
      });
      console.log(results.databases.at(-1));
    } finally {
      for (const s of schemas) await admin.drop(s);
      await admin.close();
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

mkdirSync(path.join(root, 'bench', 'results'), { recursive: true });
writeFileSync(
  path.join(root, 'bench', 'results', 'flyway-migrate.json'),
  `${JSON.stringify(results, null, 2)}\n`
);
const md = [
  '# flyway-migrate benchmark',
  '',
  `Node ${results.node}, median of ${RUNS} runs, ${results.date}. The action is the bundled dist/flyway-migrate/index.js run as a`,
  'separate node process (as on GitHub), so its times include process start-up',
  `(bare \`node -e ""\`: ${Math.round(results.nodeStartupMs)} ms) and connecting. The Flyway CLI (Java) cannot be installed in this`,
  'environment (only the npm and Debian registries are reachable), so it is not compared; the baseline is the same SQL run',
  'through the same driver in one process, with no history table, lock, validation or checksums.',
  '',
  `| Database | Apply ${APPLY}: action / bare SQL | Overhead per migration | … excluding node start-up | Validate ${VALIDATE}: action / one SELECT of the history | Validate cost per migration |`,
  '| --- | --- | --- | --- | --- | --- |',
  ...results.databases.map(
    (d) =>
      `| ${d.name} | ${d.applyRatio}× | ${d.perMigrationOverheadMs} ms | ${d.perMigrationOverheadExcludingStartupMs} ms | ${d.validateRatio}× | ${d.validatePerMigrationMs} ms |`
  ),
  ''
].join('\n');
writeFileSync(path.join(root, 'bench', 'results', 'flyway-migrate.md'), md);
console.log(md);
