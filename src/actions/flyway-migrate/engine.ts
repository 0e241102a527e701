/**
 * The Flyway commands (migrate, info, validate, baseline, repair, clean) over a Dialect. It receives
 * the typed settings, the scanned files, a connected dialect and a Logger; it never reads inputs.
 */
import { ConfigError, UserError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { realSleep, type Sleep } from '../../core/retry.js';
import { formatDuration, stopwatch } from '../../core/time.js';
import { toApplied, type Dialect, type NewHistoryRow } from './dialect.js';
import {
  computeInfo,
  planRepair,
  validateFailedMessage,
  validateInfo,
  type AppliedMigration,
  type Info,
  type InfoRow,
  STATE_NAMES
} from './info.js';
import { abbreviateDescription } from './naming.js';
import { prepareMigrations, type PreparedMigration, type ScannedFile } from './resolver.js';
import type { Settings } from './settings.js';
import { splitStatements, SqlParseError, type SqlStatement } from './sql-split.js';

export type Command = 'migrate' | 'info' | 'validate' | 'baseline' | 'repair' | 'clean';

export interface EngineContext {
  db: Dialect;
  settings: Settings;
  files: ScannedFile[];
  logger: Logger;
  /** The working directory, for `${flyway:workingDirectory}`. */
  cwd: string;
  dryRun: boolean;
  sleep?: Sleep;
  now?: () => Date;
}

export interface AppliedReport {
  version?: string;
  description: string;
  script: string;
  file: string;
  executionTime: number;
}

export interface EngineResult {
  command: Command;
  schema: string;
  applied: AppliedReport[];
  info: Info;
  /** Dry run: the SQL that would run, per migration. */
  plan?: Array<{ migration: PreparedMigration; statements: SqlStatement[] }>;
  messages: string[];
}

/** A migration statement failed; carries the file and line for the annotation. */
export class MigrationFailedError extends UserError {
  constructor(
    message: string,
    readonly file: string,
    readonly line: number
  ) {
    super(message);
  }
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

/** `yyyy-MM-dd HH:mm:ss` in local time, as `${flyway:timestamp}`. */
export function flywayTimestamp(date: Date): string {
  return `${date.getFullYear()}-${pad2(date.getMonth() + 1)}-${pad2(date.getDate())} ${pad2(date.getHours())}:${pad2(date.getMinutes())}:${pad2(date.getSeconds())}`;
}

const MYSQL_DDL =
  /^(CREATE|ALTER|DROP|RENAME|TRUNCATE|GRANT|REVOKE|LOCK|UNLOCK|ANALYZE|OPTIMIZE|REPAIR|INSTALL|UNINSTALL|FLUSH)\b/;

export class Engine {
  private readonly db: Dialect;
  private readonly settings: Settings;
  private readonly logger: Logger;
  private readonly sleep: Sleep;
  private schema = '';
  private schemas: string[] = [];
  private user = '';
  private migrations: PreparedMigration[] = [];
  private readonly messages: string[] = [];
  private rank?: number;

  constructor(private readonly ctx: EngineContext) {
    this.db = ctx.db;
    this.settings = ctx.settings;
    this.logger = ctx.logger;
    this.sleep = ctx.sleep ?? realSleep;
  }

  private get table(): string {
    return this.db.tableName(this.schema, this.settings.table);
  }

  /** Works out the default schema, the user and the placeholders, and prepares the migrations. */
  async init(): Promise<void> {
    const { settings, db } = this;
    const current = await db.currentSchema();
    this.schema = settings.defaultSchema ?? settings.schemas[0] ?? current ?? '';
    if (this.schema === '') {
      throw new ConfigError(
        db.kind === 'mysql'
          ? 'No database selected: name one in the URL (jdbc:mysql://host:3306/mydb) or in the schemas input.'
          : 'No schema: set the schemas input or add ?currentSchema=… to the URL.'
      );
    }
    this.schemas = settings.schemas.length ? settings.schemas : [this.schema];
    if (!this.schemas.includes(this.schema)) this.schemas = [this.schema, ...this.schemas];
    this.user = settings.installedBy ?? (await db.currentUser());
    const values = new Map(settings.placeholders);
    const sep = settings.placeholderSyntax.separator;
    const builtins: Array<[string, string]> = [
      ['defaultSchema', this.schema],
      ['database', (await db.currentDatabase()) ?? ''],
      ['user', await db.currentUser()],
      ['timestamp', flywayTimestamp(this.ctx.now?.() ?? new Date())],
      ['workingDirectory', this.ctx.cwd],
      ['table', settings.table],
      ['environment', settings.environment]
    ];
    for (const [name, value] of builtins) values.set(`flyway${sep}${name}`.toLowerCase(), value);
    this.migrations = prepareMigrations(
      this.ctx.files,
      values,
      settings.placeholderSyntax,
      settings.placeholderReplacement
    );
  }

  private async historyExists(): Promise<boolean> {
    return (
      (await this.db.schemaExists(this.schema)) &&
      (await this.db.tableExists(this.schema, this.settings.table))
    );
  }

  private async readHistory(): Promise<AppliedMigration[]> {
    if (!(await this.historyExists())) return [];
    const rows = await this.db.query(
      `SELECT installed_rank, version, description, type, script, checksum, installed_by, installed_on, execution_time, success FROM ${this.table} WHERE installed_rank > ? ORDER BY installed_rank`,
      [-1]
    );
    return rows.map((row) => toApplied(row));
  }

  private computeInfo(history: AppliedMigration[]): Info {
    return computeInfo(this.migrations, history, {
      target: this.settings.target,
      outOfOrder: this.settings.outOfOrder
    });
  }

  private async insertRow(row: NewHistoryRow): Promise<void> {
    const q = (c: string) => this.db.quote(c);
    const cols = [
      'installed_rank',
      'version',
      'description',
      'type',
      'script',
      'checksum',
      'installed_by',
      'execution_time',
      'success'
    ];
    await this.db.query(
      `INSERT INTO ${this.table} (${cols.map(q).join(', ')}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        row.installedRank,
        row.version,
        row.description,
        row.type,
        row.script,
        row.checksum,
        row.installedBy,
        row.executionTime,
        row.success
      ]
    );
  }

  /** The next installed_rank during migrate: read once under the lock, then counted. */
  private async takeRank(): Promise<number> {
    this.rank ??= await this.nextRank();
    return this.rank++;
  }

  private async nextRank(): Promise<number> {
    const [row] = await this.db.query<{ r: number | null }>(
      `SELECT MAX(${this.db.quote('installed_rank')}) AS r FROM ${this.table}`
    );
    return row?.r === null || row?.r === undefined ? 1 : Number(row.r) + 1;
  }

  private async createHistoryTable(baseline: boolean): Promise<void> {
    this.logger.info(`Creating Schema History table ${this.table}${baseline ? ' with baseline' : ''} ...`);
    for (const ddl of this.db.historyTableDdl(this.schema, this.settings.table)) await this.db.execute(ddl);
    if (baseline) await this.insertBaselineRowAt(1);
  }

  private async withLock<T>(fn: () => Promise<T>): Promise<T> {
    if (this.ctx.dryRun) return fn();
    const release = await this.db.lock(this.schema, this.settings.table, {
      retryCount:
        this.db.kind === 'mysql'
          ? Math.max(this.settings.lockRetryCount, 50) * 10
          : this.settings.lockRetryCount,
      sleep: this.sleep,
      onWait: (attempt) => {
        if (attempt === 1 || attempt % 30 === 0)
          this.logger.info(`Waiting for another migration of ${this.table} to finish (Flyway lock) ...`);
      }
    });
    try {
      return await fn();
    } finally {
      await release().catch((error: unknown) =>
        this.logger.warning(`Could not release the lock: ${String(error)}`)
      );
    }
  }

  async run(command: Command): Promise<EngineResult> {
    await this.init();
    switch (command) {
      case 'info':
        return this.result(command, [], this.computeInfo(await this.readHistory()));
      case 'validate':
        return this.validate();
      case 'baseline':
        return this.withLock(() => this.baseline());
      case 'repair':
        return this.withLock(() => this.repair());
      case 'clean':
        return this.withLock(() => this.clean());
      default:
        return this.withLock(() => this.migrate());
    }
  }

  private result(
    command: Command,
    applied: AppliedReport[],
    info: Info,
    plan?: EngineResult['plan']
  ): EngineResult {
    return { command, schema: this.schema, applied, info, plan, messages: this.messages };
  }

  private async validate(): Promise<EngineResult> {
    const info = this.computeInfo(await this.readHistory());
    const { errors, warnings } = validateInfo(info, this.settings.ignoreMigrationPatterns);
    for (const w of warnings) this.logger.warning(w);
    if (errors.length) throw new ConfigError(validateFailedMessage(errors));
    const count = info.rows.filter((r) => r.resolved).length;
    this.logger.info(`Successfully validated ${count} migration${count === 1 ? '' : 's'}`);
    return this.result('validate', [], info);
  }

  private async baseline(): Promise<EngineResult> {
    const { baselineVersion, baselineDescription } = this.settings;
    if (this.ctx.dryRun) {
      this.logger.info(`Dry run: would baseline ${this.table} with version ${baselineVersion}.`);
      return this.result('baseline', [], this.computeInfo(await this.readHistory()));
    }
    if (!(await this.db.schemaExists(this.schema))) await this.db.createSchema(this.schema);
    if (!(await this.db.tableExists(this.schema, this.settings.table))) {
      await this.createHistoryTable(true);
    } else {
      const history = await this.readHistory();
      const marker = history.find((a) => a.type === 'BASELINE');
      const name = `${this.table}`;
      if (marker) {
        if (
          marker.version === baselineVersion.replace(/_/g, '.') &&
          marker.description === baselineDescription
        ) {
          this.logger.info(
            `Schema history table ${name} already initialized with (${marker.version},${marker.description}). Skipping.`
          );
        } else {
          throw new ConfigError(
            `Unable to baseline schema history table ${name} with (${baselineVersion},${baselineDescription}) as it has already been baselined with (${marker.version},${marker.description})\nNeed to reset your baseline? Learn more: https://rd.gt/3WVXh6n`
          );
        }
      } else if (history.some((a) => a.type !== 'SCHEMA')) {
        throw new ConfigError(
          `Unable to baseline schema history table ${name} as it already contains migrations\nNeed to reset your baseline? Learn more: https://rd.gt/3WVXh6n`
        );
      } else {
        await this.insertBaselineRowAt(await this.nextRank());
      }
    }
    return this.result('baseline', [], this.computeInfo(await this.readHistory()));
  }

  private async insertBaselineRowAt(rank: number): Promise<void> {
    const { baselineVersion, baselineDescription } = this.settings;
    await this.insertRow({
      installedRank: rank,
      version: baselineVersion.replace(/_/g, '.'),
      description: baselineDescription,
      type: 'BASELINE',
      script: baselineDescription,
      checksum: null,
      installedBy: this.user,
      executionTime: 0,
      success: true
    });
    this.logger.info(`Successfully baselined schema with version: ${baselineVersion}`);
  }

  private async repair(): Promise<EngineResult> {
    const history = await this.readHistory();
    const info = this.computeInfo(history);
    const plan = planRepair(info, this.settings.ignoreMigrationPatterns);
    const changes = plan.deleteFailed.length + plan.markDeleted.length + plan.realign.length;
    const describe = (a: AppliedMigration) =>
      a.version ? `version ${a.version}` : `repeatable "${a.description}"`;
    for (const a of plan.deleteFailed)
      this.messages.push(`Removed the failed entry for ${describe(a)} (${a.script}).`);
    for (const a of plan.markDeleted)
      this.messages.push(`Marked the missing migration ${describe(a)} as deleted.`);
    for (const r of plan.realign)
      this.messages.push(`Realigned ${describe(r.applied)}: checksum ${r.applied.checksum} → ${r.checksum}.`);
    if (this.ctx.dryRun || changes === 0) {
      for (const m of this.messages) this.logger.info(`${this.ctx.dryRun ? 'Dry run: would have ' : ''}${m}`);
      if (changes === 0) this.logger.info(`Repair of ${this.table} found nothing to change.`);
      return this.result('repair', [], info);
    }
    const q = (c: string) => this.db.quote(c);
    await this.db.begin();
    try {
      for (const a of plan.deleteFailed) {
        if (a.version !== null) {
          await this.db.query(`DELETE FROM ${this.table} WHERE ${q('success')} = ? AND ${q('version')} = ?`, [
            false,
            a.version
          ]);
        } else {
          await this.db.query(
            `DELETE FROM ${this.table} WHERE ${q('success')} = ? AND ${q('version')} IS NULL AND ${q('description')} = ?`,
            [false, a.description]
          );
        }
      }
      let rank = await this.nextRank();
      for (const a of plan.markDeleted) {
        await this.insertRow({
          installedRank: rank++,
          version: a.version,
          description: a.description,
          type: 'DELETE',
          script: a.script,
          checksum: a.checksum,
          installedBy: this.user,
          executionTime: 0,
          success: a.success
        });
      }
      for (const r of plan.realign) {
        await this.db.query(
          `UPDATE ${this.table} SET ${q('description')} = ?, ${q('type')} = ?, ${q('checksum')} = ? WHERE ${q('installed_rank')} = ?`,
          [r.description, r.type, r.checksum, r.applied.installedRank]
        );
      }
      await this.db.commit();
    } catch (error) {
      await this.db.rollback().catch(() => undefined);
      throw error;
    }
    for (const m of this.messages) this.logger.info(m);
    this.logger.info(`Successfully repaired schema history table ${this.table}`);
    return this.result('repair', [], this.computeInfo(await this.readHistory()));
  }

  private async clean(): Promise<EngineResult> {
    const history = await this.readHistory();
    const created = new Set(
      history
        .filter((a) => a.type === 'SCHEMA')
        .flatMap((a) => a.script.split(','))
        .map((s) =>
          s
            .replace(/^[`"]|[`"]$/g, '')
            .replace(/""/g, '"')
            .replace(/``/g, '`')
        )
    );
    for (const schema of this.schemas) {
      if (!(await this.db.schemaExists(schema))) continue;
      const drop = created.has(schema);
      if (this.ctx.dryRun) {
        this.logger.info(
          `Dry run: would ${drop ? 'drop schema' : 'drop every object in schema'} ${this.db.quote(schema)}.`
        );
        continue;
      }
      await this.db.cleanSchema(schema, drop);
      this.messages.push(`${drop ? 'Dropped schema' : 'Cleaned schema'} ${this.db.quote(schema)}`);
      this.logger.info(`Successfully ${drop ? 'dropped' : 'cleaned'} schema ${this.db.quote(schema)}`);
    }
    return this.result('clean', [], this.computeInfo(await this.readHistory()));
  }

  /** Splits a migration, enforcing Flyway's rule on mixing transactional and non-transactional statements. */
  private split(m: PreparedMigration): SqlStatement[] {
    let statements: SqlStatement[];
    try {
      statements = splitStatements(m.sql, this.db.kind, { postgresMajor: this.db.serverMajor });
    } catch (error) {
      if (error instanceof SqlParseError) {
        throw new MigrationFailedError(`Unable to parse ${m.file}: ${error.message}`, m.file, error.line);
      }
      throw error;
    }
    const nonTx = statements.find((s) => !s.transactional);
    if (nonTx && statements.some((s) => s.transactional) && !this.settings.mixed) {
      throw new MigrationFailedError(
        `Detected both transactional and non-transactional statements within the same migration (even though mixed is false). Offending statement found at line ${nonTx.line}: ${nonTx.sql}\nMigration: ${m.file}. Move the statement into a migration of its own, or set mixed to true.`,
        m.file,
        nonTx.line
      );
    }
    const copy = statements.find((s) => s.copyData !== undefined);
    if (copy) {
      throw new MigrationFailedError(
        `${m.file} line ${copy.line}: COPY … FROM STDIN is not supported by this action; load the data with INSERT statements instead.`,
        m.file,
        copy.line
      );
    }
    return statements;
  }

  private async migrate(): Promise<EngineResult> {
    const { settings, db, logger } = this;
    const dry = this.ctx.dryRun;
    let history = await this.readHistory();
    let info = this.computeInfo(history);

    // 1. Validate first, so nothing runs against a schema whose history disagrees with the files.
    if (settings.validateOnMigrate) {
      const { errors, warnings } = validateInfo(info, [...settings.ignoreMigrationPatterns, '*:pending']);
      for (const w of warnings) logger.warning(w);
      if (errors.length) throw new ConfigError(validateFailedMessage(errors));
    }
    const failed = info.rows.find((r) => r.state === 'FAILED');
    if (failed) {
      throw new ConfigError(
        failed.version !== undefined
          ? `Schema ${db.quote(this.schema)} contains a failed migration to version ${failed.version} !`
          : `Schema ${db.quote(this.schema)} contains a failed repeatable migration ("${failed.description}") !`
      );
    }
    if (info.targetMissing) {
      throw new ConfigError(
        `No migration with a target version ${settings.target} could be found. Ensure target is specified correctly and the migration exists.`
      );
    }

    // 2. Schemas and the history table.
    const tableExists = await this.historyExists();
    if (!tableExists) {
      const missing: string[] = [];
      for (const s of this.schemas) if (!(await db.schemaExists(s))) missing.push(s);
      const nonEmpty: string[] = [];
      for (const s of this.schemas)
        if (!missing.includes(s) && !(await db.schemaIsEmpty(s))) nonEmpty.push(s);
      if (nonEmpty.length && !settings.baselineOnMigrate) {
        throw new ConfigError(
          `Found non-empty schema(s) ${nonEmpty.map((s) => db.quote(s)).join(',')} but no schema history table. Use baseline() or set baselineOnMigrate to true to initialize the schema history table.`
        );
      }
      if (missing.length && !settings.createSchemas) {
        throw new ConfigError(
          `Schema ${missing.map((s) => db.quote(s)).join(',')} does not exist and createSchemas is false.`
        );
      }
      const baseline = nonEmpty.length > 0;
      if (dry) {
        if (missing.length)
          logger.info(`Dry run: would create schema(s) ${missing.map((s) => db.quote(s)).join(',')}.`);
        logger.info(
          `Dry run: would create the schema history table ${this.table}${baseline ? ` with a baseline at version ${settings.baselineVersion}` : ''}.`
        );
        if (baseline) {
          history = [
            {
              installedRank: 1,
              version: settings.baselineVersion,
              description: settings.baselineDescription,
              type: 'BASELINE',
              script: settings.baselineDescription,
              checksum: null,
              installedBy: this.user,
              installedOn: null,
              executionTime: 0,
              success: true
            }
          ];
          info = this.computeInfo(history);
        }
      } else {
        for (const s of missing) {
          logger.info(`Creating schema ${db.quote(s)} ...`);
          await db.createSchema(s);
        }
        await this.createHistoryTable(baseline);
        if (missing.length) {
          await this.insertRow({
            installedRank: baseline ? await this.nextRank() : 0,
            version: null,
            description: '<< Flyway Schema Creation >>',
            type: 'SCHEMA',
            script: missing.map((s) => db.quote(s)).join(','),
            checksum: null,
            installedBy: this.user,
            executionTime: 0,
            success: true
          });
        }
        history = await this.readHistory();
        info = this.computeInfo(history);
      }
    }

    // 3. Parse every pending migration before running any of them.
    const pending = info.pending.map((row) => row.resolved as PreparedMigration);
    const plan = pending.map((migration) => ({ migration, statements: this.split(migration) }));
    const current = info.current?.text ?? '<< Empty Schema >>';
    logger.info(`Current version of schema ${db.quote(this.schema)}: ${current}`);
    if (dry) {
      for (const { migration, statements } of plan) {
        await logger.group(
          `Dry run: would ${this.describeMigration(migration)} (${statements.length} statement${statements.length === 1 ? '' : 's'})`,
          async () => {
            for (const s of statements) logger.info(`-- ${migration.file}:${s.line}\n${s.sql};`);
          }
        );
      }
      if (!plan.length) logger.info(`Schema ${db.quote(this.schema)} is up to date. No migration necessary.`);
      return this.result('migrate', [], info, plan);
    }

    // 4. Apply, one migration at a time.
    const applied: AppliedReport[] = [];
    const total = stopwatch();
    for (const { migration, statements } of plan) {
      applied.push(await this.apply(migration, statements));
    }
    const after = this.computeInfo(await this.readHistory());
    if (!applied.length)
      logger.info(`Schema ${db.quote(this.schema)} is up to date. No migration necessary.`);
    else {
      logger.info(
        `Successfully applied ${applied.length} migration${applied.length === 1 ? '' : 's'} to schema ${db.quote(this.schema)}, now at version v${after.current?.text ?? '<< Empty Schema >>'} (execution time ${formatDuration(total())})`
      );
    }
    return this.result('migrate', applied, after);
  }

  private describeMigration(m: PreparedMigration): string {
    return m.version
      ? `migrate schema ${this.db.quote(this.schema)} to version "${m.version.text}${m.description ? ` - ${m.description}` : ''}"`
      : `migrate schema ${this.db.quote(this.schema)} with repeatable migration "${m.description}"`;
  }

  private async apply(m: PreparedMigration, statements: SqlStatement[]): Promise<AppliedReport> {
    const { db, logger } = this;
    const name = this.describeMigration(m);
    logger.info(`Migrating${name.slice('migrate'.length)}`);
    if (m.options.shouldExecute === false) {
      logger.info(`Skipping ${m.file}: shouldExecute is false in its .conf file.`);
    }
    const inTransaction =
      (m.options.executeInTransaction ?? this.settings.executeInTransaction) &&
      statements.every((s) => s.transactional);
    await db.useSchema(this.schema);
    const elapsed = stopwatch();
    const row = (success: boolean, executionTime: number, rank: number): NewHistoryRow => ({
      installedRank: rank,
      version: m.version?.text ?? null,
      description: abbreviateDescription(m.description),
      type: m.type,
      script: m.script,
      checksum: m.checksum,
      installedBy: this.user,
      executionTime,
      success
    });
    let done = 0;
    if (inTransaction) await db.begin();
    try {
      if (m.options.shouldExecute !== false) {
        for (const s of statements) {
          await db.execute(s.sql);
          done++;
        }
      }
      // In a transaction the history row commits with the migration's changes, or neither does
      // (on MySQL only the data changes after the last DDL statement are still in the transaction).
      await this.insertRow(row(true, Math.round(elapsed()), await this.takeRank()));
      if (inTransaction) await db.commit();
    } catch (error) {
      const executionTime = Math.round(elapsed());
      const failing = statements[done];
      if (inTransaction) await db.rollback().catch(() => undefined);
      const rolledBack = inTransaction && db.supportsDdlTransactions;
      let recorded = false;
      if (!rolledBack) {
        await db.useSchema(this.schema).catch(() => undefined);
        await this.insertRow(row(false, executionTime, await this.takeRank()));
        recorded = true;
      }
      throw this.failure(m, statements, done, failing, error, rolledBack, recorded);
    }
    const executionTime = Math.round(elapsed());
    return {
      version: m.version?.text,
      description: m.description,
      script: m.script,
      file: m.file,
      executionTime
    };
  }

  private failure(
    m: PreparedMigration,
    statements: SqlStatement[],
    done: number,
    failing: SqlStatement | undefined,
    error: unknown,
    rolledBack: boolean,
    recorded: boolean
  ): MigrationFailedError {
    const e = error as { code?: string; errno?: number; sqlState?: string; message?: string };
    const line = failing?.line ?? 1;
    const lines = [
      `Migration ${m.script} failed`,
      '-'.repeat(`Migration ${m.script} failed`.length),
      `SQL State  : ${e.sqlState ?? (this.db.kind === 'postgresql' ? (e.code ?? '') : '')}`,
      `Error Code : ${e.errno ?? 0}`,
      `Message    : ${e.message ?? String(error)}`,
      `Location   : ${m.file} (line ${line})`,
      `Statement  : ${failing?.sql ?? ''}`,
      ''
    ];
    if (rolledBack) {
      lines.push(
        `${m.script} failed! Changes successfully rolled back. Nothing was recorded in the schema history; fix the migration and run migrate again.`
      );
    } else if (this.db.kind === 'mysql') {
      const before = statements.slice(0, done);
      let lastDdl = -1;
      before.forEach((s, i) => {
        if (MYSQL_DDL.test(s.keywords)) lastDdl = i;
      });
      const kept = before.slice(0, lastDdl + 1);
      const undone = before.slice(lastDdl + 1);
      const show = (s: SqlStatement) => `  line ${s.line}: ${s.sql.split('\n')[0]?.slice(0, 120)}`;
      lines.push(
        `MySQL cannot roll back DDL, so this migration is half-applied. Of the ${statements.length} statement${statements.length === 1 ? '' : 's'} in ${m.file}, ${done} ran before the failure at line ${line}.`
      );
      if (kept.length)
        lines.push(`Left in the database (committed; DDL commits implicitly):`, ...kept.map(show));
      else lines.push('Nothing was left in the database by this migration.');
      if (undone.length) lines.push(`Rolled back (data changes after the last DDL):`, ...undone.map(show));
      if (recorded) {
        lines.push(
          `A failed entry (success = 0) for ${m.version ? `version ${m.version.text}` : `"${m.description}"`} was written to ${this.table}; every migrate is blocked until it is removed.`,
          `To recover: undo the statements listed above by hand (or make the migration cope with them), fix ${m.file}, then run this action with command: repair (which deletes the failed entry) and migrate again.`
        );
      }
    } else if (recorded) {
      lines.push(
        `${m.file} ran outside a transaction, so statements before line ${line} stay applied. A failed entry was written to ${this.table}; undo those statements, fix the migration, run command: repair, then migrate again.`
      );
    }
    return new MigrationFailedError(lines.join('\n'), m.file, line);
  }
}

/** Rows as Flyway's info prints them. */
export function infoTable(rows: InfoRow[]): { columns: string[]; rows: string[][] } {
  const fmt = (d: Date | string | null | undefined): string => {
    if (!d) return '';
    const date = d instanceof Date ? d : new Date(d);
    return Number.isNaN(date.getTime()) ? String(d) : flywayTimestamp(date);
  };
  return {
    columns: ['Category', 'Version', 'Description', 'Type', 'Installed On', 'State', 'Execution Time'],
    rows: rows.map((r) => [
      r.category,
      r.version ?? '',
      r.description,
      r.type,
      fmt(r.installedOn),
      stateName(r),
      r.executionTime === undefined ? '' : `${r.executionTime} ms`
    ])
  };
}

export function stateName(row: InfoRow): string {
  return STATE_NAMES[row.state];
}
