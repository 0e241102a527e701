/**
 * Flyway's view of a schema: resolved migrations (files) paired with applied ones (history rows),
 * each with Flyway's state; the pending list in execution order; validation messages worded as Flyway
 * words them; and the repair plan. Pure: no I/O.
 */
import { abbreviateDescription, type MigrationKind } from './naming.js';
import { MigrationVersion } from './version.js';

export interface ResolvedMigration {
  kind: MigrationKind;
  version?: MigrationVersion;
  description: string;
  /** Path relative to its location root, with `/`: the `script` column. */
  script: string;
  type: 'SQL' | 'SQL_BASELINE';
  /** Checksum stored for new rows (placeholder-replaced for repeatables). */
  checksum: number;
  /** Raw-file checksum of a repeatable, also accepted as up to date. */
  equivalentChecksum?: number;
  /** The file as the user sees it (relative to the working directory), for messages and annotations. */
  file: string;
}

export interface AppliedMigration {
  installedRank: number;
  version: string | null;
  description: string;
  type: string;
  script: string;
  checksum: number | null;
  installedBy: string;
  installedOn: Date | string | null;
  executionTime: number;
  success: boolean;
}

export type MigrationState =
  | 'PENDING'
  | 'ABOVE_TARGET'
  | 'BELOW_BASELINE'
  | 'BASELINE_IGNORED'
  | 'BASELINE'
  | 'IGNORED'
  | 'MISSING_SUCCESS'
  | 'MISSING_FAILED'
  | 'SUCCESS'
  | 'FAILED'
  | 'OUT_OF_ORDER'
  | 'FUTURE_SUCCESS'
  | 'FUTURE_FAILED'
  | 'OUTDATED'
  | 'SUPERSEDED'
  | 'DELETED';

/** Flyway's MigrationState display names. */
export const STATE_NAMES: Record<MigrationState, string> = {
  PENDING: 'Pending',
  ABOVE_TARGET: 'Above Target',
  BELOW_BASELINE: 'Below Baseline',
  BASELINE_IGNORED: 'Ignored (Baseline)',
  BASELINE: 'Baseline',
  IGNORED: 'Ignored',
  MISSING_SUCCESS: 'Missing',
  MISSING_FAILED: 'Failed (Missing)',
  SUCCESS: 'Success',
  FAILED: 'Failed',
  OUT_OF_ORDER: 'Out of Order',
  FUTURE_SUCCESS: 'Future',
  FUTURE_FAILED: 'Failed (Future)',
  OUTDATED: 'Outdated',
  SUPERSEDED: 'Superseded',
  DELETED: 'Deleted'
};

const FAILED_STATES = new Set<MigrationState>(['FAILED', 'MISSING_FAILED', 'FUTURE_FAILED']);

export interface InfoRow {
  category: 'Versioned' | 'Repeatable' | 'Baseline' | '';
  version?: string;
  description: string;
  type: string;
  script: string;
  checksum: number | null;
  installedRank?: number;
  installedOn?: Date | string | null;
  installedBy?: string;
  executionTime?: number;
  state: MigrationState;
  resolved?: ResolvedMigration;
  applied?: AppliedMigration;
}

export interface InfoOptions {
  /** `latest`, `current`, `next` or a version, optionally with a `?` suffix. */
  target: string;
  outOfOrder: boolean;
}

export interface Info {
  /** Every row: applied in installed-rank order, then unapplied ones. */
  rows: InfoRow[];
  /** What migrate would apply, in order. */
  pending: InfoRow[];
  /** The highest successfully applied version (the schema version), if any. */
  current?: MigrationVersion;
  /** Versions of BASELINE / SQL_BASELINE rows. */
  baseline?: MigrationVersion;
  /** The target version a version `target` resolves to (undefined for latest). */
  targetVersion?: MigrationVersion;
  /** True when `target` names a version that exists neither locally nor in the history. */
  targetMissing: boolean;
}

const SYNTHETIC = new Set(['SCHEMA', 'BASELINE', 'DELETE']);

const parsedVersions = new Map<string, MigrationVersion | undefined>();

/** Parses a stored version string (cached: the same rows are read many times). */
function parseVersion(text: string | null): MigrationVersion | undefined {
  if (text === null) return undefined;
  if (!parsedVersions.has(text)) parsedVersions.set(text, MigrationVersion.tryParse(text));
  return parsedVersions.get(text);
}

function max(a: MigrationVersion | undefined, b: MigrationVersion | undefined): MigrationVersion | undefined {
  if (!a) return b;
  if (!b) return a;
  return a.compareTo(b) >= 0 ? a : b;
}

function categoryOf(
  kind: MigrationKind | undefined,
  version: string | null | undefined
): InfoRow['category'] {
  if (kind === 'baseline') return 'Baseline';
  if (kind === 'repeatable') return 'Repeatable';
  if (kind === 'versioned') return 'Versioned';
  return version ? 'Versioned' : 'Repeatable';
}

function appliedRow(a: AppliedMigration, state: MigrationState, resolved?: ResolvedMigration): InfoRow {
  return {
    category:
      a.type === 'SCHEMA'
        ? ''
        : a.type === 'SQL_BASELINE' || a.type === 'BASELINE'
          ? 'Baseline'
          : categoryOf(undefined, a.version),
    version: a.version ?? undefined,
    description: a.description,
    type: a.type,
    script: a.script,
    checksum: a.checksum,
    installedRank: a.installedRank,
    installedOn: a.installedOn,
    installedBy: a.installedBy,
    executionTime: a.executionTime,
    state,
    resolved,
    applied: a
  };
}

function resolvedRow(r: ResolvedMigration, state: MigrationState): InfoRow {
  return {
    category: categoryOf(r.kind, r.version?.text),
    version: r.version?.text,
    description: r.description,
    type: r.type,
    script: r.script,
    checksum: r.checksum,
    state,
    resolved: r
  };
}

/** Computes Flyway's info for resolved migrations against the history rows. */
export function computeInfo(
  resolved: ResolvedMigration[],
  applied: AppliedMigration[],
  options: InfoOptions
): Info {
  const history = [...applied].sort((a, b) => a.installedRank - b.installedRank);
  // Rows hidden by a later DELETE row (written by repair).
  const deleted = new Set<AppliedMigration>();
  for (const [i, row] of history.entries()) {
    if (row.type !== 'DELETE') continue;
    for (const earlier of history.slice(0, i)) {
      if (earlier.type === 'DELETE' || deleted.has(earlier)) continue;
      const same =
        row.version !== null
          ? earlier.version !== null &&
            parseVersion(earlier.version)?.equals(parseVersion(row.version) as MigrationVersion)
          : earlier.version === null && earlier.description === row.description;
      if (same) deleted.add(earlier);
    }
  }
  const live = history.filter((a) => a.type !== 'DELETE' && a.type !== 'SCHEMA' && !deleted.has(a));
  const versionedApplied = live.filter((a) => a.version !== null);
  const repeatableApplied = live.filter((a) => a.version === null);

  let baseline: MigrationVersion | undefined;
  let lastApplied: MigrationVersion | undefined;
  let current: MigrationVersion | undefined;
  for (const a of versionedApplied) {
    const v = parseVersion(a.version);
    if (!v) continue;
    lastApplied = max(lastApplied, v);
    if (a.success) current = max(current, v);
    if ((a.type === 'BASELINE' || a.type === 'SQL_BASELINE') && a.success) baseline = max(baseline, v);
  }
  const versionedResolved = resolved.filter((r) => r.kind === 'versioned');
  const baselineResolved = resolved.filter((r) => r.kind === 'baseline');
  const repeatableResolved = resolved.filter((r) => r.kind === 'repeatable');
  let lastResolved: MigrationVersion | undefined;
  for (const r of [...versionedResolved, ...baselineResolved]) lastResolved = max(lastResolved, r.version);

  // Target.
  const bare = options.target.replace(/\?$/, '');
  const lower = bare.toLowerCase();
  let targetVersion: MigrationVersion | undefined;
  let targetMissing = false;
  if (lower === 'current') targetVersion = current ?? MigrationVersion.parse('0');
  else if (lower !== 'latest' && lower !== 'next') {
    targetVersion = MigrationVersion.parse(bare);
    const known =
      [...versionedResolved, ...baselineResolved].some((r) =>
        r.version?.equals(targetVersion as MigrationVersion)
      ) || versionedApplied.some((a) => parseVersion(a.version)?.equals(targetVersion as MigrationVersion));
    targetMissing = !known && !options.target.endsWith('?');
  }
  const aboveTarget = (v: MigrationVersion): boolean =>
    targetVersion !== undefined && v.compareTo(targetVersion) > 0;

  const rows: InfoRow[] = [];
  const consumed = new Set<ResolvedMigration>();
  const byVersion = (list: ResolvedMigration[]): Map<string, ResolvedMigration> =>
    new Map(list.map((r) => [(r.version as MigrationVersion).key, r]));
  const versionedByKey = byVersion(versionedResolved);
  const baselineByKey = byVersion(baselineResolved);
  const unconsumed = (r: ResolvedMigration | undefined) => (r && !consumed.has(r) ? r : undefined);
  const findResolved = (a: AppliedMigration): ResolvedMigration | undefined => {
    const v = parseVersion(a.version);
    if (!v) return undefined;
    return unconsumed((a.type === 'SQL_BASELINE' ? baselineByKey : versionedByKey).get(v.key));
  };

  // Applied rows, in rank order.
  let highestSoFar: MigrationVersion | undefined;
  const latestRepeatable = new Map<string, AppliedMigration>();
  for (const a of repeatableApplied) latestRepeatable.set(a.description, a);
  for (const a of history) {
    if (a.type === 'SCHEMA') {
      rows.push(appliedRow(a, 'SUCCESS'));
      continue;
    }
    if (a.type === 'DELETE') continue;
    if (deleted.has(a)) {
      rows.push(appliedRow(a, 'DELETED'));
      continue;
    }
    if (a.version !== null) {
      const v = parseVersion(a.version);
      const r = a.type === 'BASELINE' ? undefined : findResolved(a);
      if (r) consumed.add(r);
      let state: MigrationState;
      if (a.type === 'BASELINE') {
        state = 'BASELINE';
        const twin = v ? unconsumed(versionedByKey.get(v.key)) : undefined;
        if (twin) consumed.add(twin);
      } else if (!r) {
        const below = v && lastResolved && v.compareTo(lastResolved) < 0;
        state = a.success
          ? below
            ? 'MISSING_SUCCESS'
            : 'FUTURE_SUCCESS'
          : below
            ? 'MISSING_FAILED'
            : 'FUTURE_FAILED';
      } else if (!a.success) state = 'FAILED';
      else if (v && highestSoFar && v.compareTo(highestSoFar) < 0) state = 'OUT_OF_ORDER';
      else state = 'SUCCESS';
      if (v) highestSoFar = max(highestSoFar, v);
      rows.push(appliedRow(a, state, r));
      continue;
    }
    // Repeatable row.
    const r = repeatableResolved.find((x) => x.description === a.description);
    const latest = latestRepeatable.get(a.description) === a;
    let state: MigrationState;
    if (!latest) state = 'SUPERSEDED';
    else if (!r) state = a.success ? 'MISSING_SUCCESS' : 'MISSING_FAILED';
    else if (!a.success) state = 'FAILED';
    else if (a.checksum === r.checksum || a.checksum === r.equivalentChecksum) state = 'SUCCESS';
    else state = 'OUTDATED';
    rows.push(appliedRow(a, state, latest ? r : undefined));
  }

  // Unapplied versioned and baseline migrations.
  const unapplied: InfoRow[] = [];
  const emptyHistory = versionedApplied.length === 0;
  let chosenBaseline: ResolvedMigration | undefined;
  if (emptyHistory) {
    for (const b of baselineResolved) {
      if (
        b.version &&
        !aboveTarget(b.version) &&
        (!chosenBaseline || b.version.compareTo(chosenBaseline.version as MigrationVersion) > 0)
      ) {
        chosenBaseline = b;
      }
    }
  }
  const effectiveBaseline = baseline ?? chosenBaseline?.version;
  const candidates = [...versionedResolved, ...baselineResolved]
    .filter((r) => !consumed.has(r))
    .sort(
      (a, b) =>
        (a.version as MigrationVersion).compareTo(b.version as MigrationVersion) ||
        (a.kind === 'baseline' ? -1 : 1)
    );
  for (const r of candidates) {
    const v = r.version as MigrationVersion;
    let state: MigrationState;
    if (r.kind === 'baseline') {
      state = r === chosenBaseline ? 'PENDING' : 'BASELINE_IGNORED';
    } else if (effectiveBaseline && v.compareTo(effectiveBaseline) < 0) state = 'BELOW_BASELINE';
    else if (effectiveBaseline && v.compareTo(effectiveBaseline) === 0) state = 'BASELINE_IGNORED';
    else if (aboveTarget(v)) state = 'ABOVE_TARGET';
    else if (lastApplied && v.compareTo(lastApplied) < 0 && !options.outOfOrder) state = 'IGNORED';
    else state = 'PENDING';
    unapplied.push(resolvedRow(r, state));
  }
  // Repeatables that are new or changed.
  const repeatables = [...repeatableResolved].sort((a, b) =>
    a.description < b.description ? -1 : a.description > b.description ? 1 : 0
  );
  for (const r of repeatables) {
    const latest = latestRepeatable.get(r.description);
    if (!latest) unapplied.push(resolvedRow(r, 'PENDING'));
    else if (latest.success && latest.checksum !== r.checksum && latest.checksum !== r.equivalentChecksum) {
      unapplied.push(resolvedRow(r, 'PENDING'));
    }
  }
  rows.push(...unapplied);
  let pending = unapplied.filter((row) => row.state === 'PENDING');
  if (lower === 'next') pending = pending.slice(0, 1);
  return { rows, pending, current, baseline, targetVersion, targetMissing };
}

/** `<type>:<state>` patterns (lower-case) matching a row. */
function ignored(
  patterns: string[],
  row: InfoRow,
  state: 'missing' | 'pending' | 'ignored' | 'future'
): boolean {
  const versioned = row.version !== undefined;
  return patterns.some((p) => {
    const [type, st] = p.split(':') as [string, string];
    const typeOk = type === '*' || (type === 'versioned' ? versioned : !versioned);
    return typeOk && (st === '*' || st === state);
  });
}

export interface ValidateResult {
  errors: string[];
  warnings: string[];
}

/** Flyway's validate over computed info (`patterns` already includes `*:pending` during migrate). */
export function validateInfo(info: Info, patterns: string[]): ValidateResult {
  const errors: string[] = [];
  const warnings: string[] = [];
  const name = (row: InfoRow): string => row.version ?? row.description;
  for (const row of info.rows) {
    const { state } = row;
    if (state === 'DELETED' || state === 'SUPERSEDED' || row.type === 'SCHEMA') continue;
    if (FAILED_STATES.has(state)) {
      if (state === 'FUTURE_FAILED' && ignored(patterns, row, 'future')) {
        warnings.push(`Schema contains a failed future migration to version ${row.version} !`);
        continue;
      }
      if (state === 'MISSING_FAILED' && ignored(patterns, row, 'missing')) continue;
      errors.push(
        row.version !== undefined
          ? `Detected failed migration to version ${row.version} (${row.description}).\nPlease remove any half-completed changes then run repair to fix the schema history.`
          : `Detected failed repeatable migration: ${row.description}.\nPlease remove any half-completed changes then run repair to fix the schema history.`
      );
      continue;
    }
    if (state === 'MISSING_SUCCESS' || state === 'FUTURE_SUCCESS') {
      if (row.type === 'BASELINE') continue;
      const kind = state === 'MISSING_SUCCESS' ? 'missing' : 'future';
      if (ignored(patterns, row, kind)) continue;
      errors.push(
        `Detected applied migration not resolved locally: ${name(row)}.\nIf you removed this migration intentionally, run repair to mark the migration as deleted.`
      );
      continue;
    }
    if (state === 'IGNORED') {
      if (ignored(patterns, row, 'ignored')) continue;
      errors.push(
        `Detected resolved migration not applied to database: ${name(row)}.\nTo ignore this migration, set -ignoreMigrationPatterns='*:ignored'. To allow executing this migration, set -outOfOrder=true.`
      );
      continue;
    }
    if (state === 'PENDING') {
      if (ignored(patterns, row, 'pending')) continue;
      if (row.version !== undefined) {
        errors.push(
          `Detected resolved migration not applied to database: ${row.version}.\nTo fix this error, either run migrate, or set -ignoreMigrationPatterns='*:pending'.`
        );
      } else if (!info.rows.some((x) => x.state === 'OUTDATED' && x.description === row.description)) {
        errors.push(
          `Detected resolved repeatable migration not applied to database: ${row.description}.\nTo fix this error, either run migrate, or set -ignoreMigrationPatterns='*:pending'.`
        );
      }
      continue;
    }
    if (state === 'OUTDATED') {
      if (ignored(patterns, row, 'pending')) continue;
      errors.push(
        `Detected outdated resolved repeatable migration that should be re-applied to database: ${row.description}.\nRun migrate to execute this migration.`
      );
      continue;
    }
    if (
      (state === 'SUCCESS' || state === 'OUT_OF_ORDER' || state === 'FAILED') &&
      row.resolved &&
      row.applied
    ) {
      const a = row.applied;
      const r = row.resolved;
      if (SYNTHETIC.has(a.type)) continue;
      const v = parseVersion(a.version);
      if (v && info.baseline && v.compareTo(info.baseline) <= 0 && a.type !== 'SQL_BASELINE') continue;
      const target = r.version ? `version ${r.version.text}` : r.script;
      const mismatch = (what: string, applied: string, local: string): string =>
        `Migration ${what} mismatch for migration ${target}\n-> Applied to database : ${applied}\n-> Resolved locally    : ${local}\nEither revert the changes to the migration, or run repair to update the schema history.`;
      if (a.type !== r.type) errors.push(mismatch('type', a.type, r.type));
      else if (r.version && a.checksum !== null && a.checksum !== r.checksum) {
        errors.push(mismatch('checksum', String(a.checksum), String(r.checksum)));
      } else if (a.description !== abbreviateDescription(r.description)) {
        errors.push(mismatch('description', a.description, abbreviateDescription(r.description)));
      }
    }
  }
  return { errors, warnings };
}

/** Flyway's wording of a failed validation. */
export function validateFailedMessage(errors: string[]): string {
  return `Validate failed: Migrations have failed validation\n${errors.join('\n')}\nNeed more flexibility with validation rules? Learn more: https://rd.gt/3AbJUZE`;
}

export interface RepairPlan {
  /** Failed rows to delete. */
  deleteFailed: AppliedMigration[];
  /** Rows to hide with a DELETE marker (missing or future ones not covered by ignore patterns). */
  markDeleted: AppliedMigration[];
  /** Rows whose description, type and checksum are realigned with the local files. */
  realign: Array<{ applied: AppliedMigration; description: string; type: string; checksum: number }>;
}

/** What `repair` would change, as Flyway's DbRepair decides it. */
export function planRepair(info: Info, patterns: string[]): RepairPlan {
  const plan: RepairPlan = { deleteFailed: [], markDeleted: [], realign: [] };
  for (const row of info.rows) {
    const a = row.applied;
    if (!a) continue;
    if (!a.success && row.state !== 'DELETED') {
      plan.deleteFailed.push(a);
      continue;
    }
    if (row.state === 'MISSING_SUCCESS' || row.state === 'FUTURE_SUCCESS') {
      if (a.type === 'BASELINE') continue;
      if (ignored(patterns, row, row.state === 'MISSING_SUCCESS' ? 'missing' : 'future')) continue;
      plan.markDeleted.push(a);
      continue;
    }
    const r = row.resolved;
    if (!r || SYNTHETIC.has(a.type)) continue;
    if (row.state === 'SUCCESS' || row.state === 'OUT_OF_ORDER') {
      const description = abbreviateDescription(r.description);
      if (r.version) {
        if (a.checksum !== r.checksum || a.description !== description || a.type !== r.type) {
          plan.realign.push({ applied: a, description, type: r.type, checksum: r.checksum });
        }
      } else if (a.checksum !== r.checksum && a.checksum === r.equivalentChecksum) {
        plan.realign.push({ applied: a, description, type: r.type, checksum: r.checksum });
      }
    }
  }
  return plan;
}
