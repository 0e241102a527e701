import { describe, expect, it } from '@jest/globals';
import {
  computeInfo,
  planRepair,
  validateFailedMessage,
  validateInfo,
  type AppliedMigration,
  type ResolvedMigration
} from '../../../src/actions/flyway-migrate/info.js';
import { MigrationVersion } from '../../../src/actions/flyway-migrate/version.js';

const V = (version: string, checksum = 1, description = `v${version}`): ResolvedMigration => ({
  kind: 'versioned',
  version: MigrationVersion.parse(version),
  description,
  script: `V${version}__${description}.sql`,
  type: 'SQL',
  checksum,
  file: `db/migration/V${version}__${description}.sql`
});
const R = (description: string, checksum = 1, equivalentChecksum?: number): ResolvedMigration => ({
  kind: 'repeatable',
  description,
  script: `R__${description}.sql`,
  type: 'SQL',
  checksum,
  equivalentChecksum,
  file: `db/migration/R__${description}.sql`
});
const B = (version: string): ResolvedMigration => ({
  ...V(version),
  kind: 'baseline',
  type: 'SQL_BASELINE',
  script: `B${version}__b.sql`
});
let rank = 0;
const A = (version: string | null, extra: Partial<AppliedMigration> = {}): AppliedMigration => ({
  installedRank: ++rank,
  version,
  description: version ? `v${version}` : 'views',
  type: 'SQL',
  script: version ? `V${version}__v${version}.sql` : 'R__views.sql',
  checksum: 1,
  installedBy: 'me',
  installedOn: null,
  executionTime: 1,
  success: true,
  ...extra
});
const opts = { target: 'latest', outOfOrder: false };
const states = (info: ReturnType<typeof computeInfo>) =>
  info.rows.map((r) => `${r.version ?? r.description}:${r.state}`);
const pending = (info: ReturnType<typeof computeInfo>) => info.pending.map((r) => r.version ?? r.description);

describe('computeInfo', () => {
  it('a fresh schema: everything pending, versioned by number, then repeatables by description', () => {
    const info = computeInfo([R('b'), V('10'), V('2'), R('a'), V('1.1')], [], opts);
    expect(pending(info)).toEqual(['1.1', '2', '10', 'a', 'b']);
    expect(info.current).toBeUndefined();
  });

  it('applied ones are Success; the schema version is the highest success', () => {
    const info = computeInfo([V('1'), V('2'), V('3')], [A('1'), A('2')], opts);
    expect(states(info)).toEqual(['1:SUCCESS', '2:SUCCESS', '3:PENDING']);
    expect(info.current?.text).toBe('2');
  });

  it('an older unapplied migration is Ignored unless outOfOrder', () => {
    const applied = [A('1'), A('3')];
    expect(states(computeInfo([V('1'), V('2'), V('3')], applied, opts))).toContain('2:IGNORED');
    const ooo = computeInfo([V('1'), V('2'), V('3')], applied, { ...opts, outOfOrder: true });
    expect(pending(ooo)).toEqual(['2']);
  });

  it('marks a migration applied after a higher version Out of Order', () => {
    expect(states(computeInfo([V('1'), V('2'), V('3')], [A('1'), A('3'), A('2')], opts))).toEqual([
      '1:SUCCESS',
      '3:SUCCESS',
      '2:OUT_OF_ORDER'
    ]);
  });

  it('target: versions above it are Above Target; next applies one; a missing target is reported', () => {
    const files = [V('1'), V('2'), V('3'), R('a')];
    const info = computeInfo(files, [], { ...opts, target: '2' });
    expect(pending(info)).toEqual(['1', '2', 'a']);
    expect(states(info)).toContain('3:ABOVE_TARGET');
    expect(pending(computeInfo(files, [], { ...opts, target: 'next' }))).toEqual(['1']);
    expect(computeInfo(files, [], { ...opts, target: '9' }).targetMissing).toBe(true);
    expect(computeInfo(files, [], { ...opts, target: '9?' }).targetMissing).toBe(false);
    expect(pending(computeInfo(files, [A('1')], { ...opts, target: 'current' }))).toEqual(['a']);
  });

  it('baseline marker: below is Below Baseline, equal is Ignored (Baseline)', () => {
    const info = computeInfo(
      [V('1'), V('2'), V('3')],
      [A('2', { type: 'BASELINE', description: '<< Flyway Baseline >>', checksum: null })],
      opts
    );
    expect(states(info)).toEqual(['2:BASELINE', '1:BELOW_BASELINE', '3:PENDING']);
  });

  it('baseline migrations (B) apply on an empty history and shadow lower versions', () => {
    const info = computeInfo([V('1'), V('2'), B('2'), V('3')], [], opts);
    expect(pending(info)).toEqual(['2', '3']);
    expect(info.pending[0]?.type).toBe('SQL_BASELINE');
    expect(states(info)).toEqual(expect.arrayContaining(['1:BELOW_BASELINE', '2:BASELINE_IGNORED']));
  });

  it('missing and future rows', () => {
    const info = computeInfo([V('1'), V('3')], [A('1'), A('2'), A('3'), A('4')], opts);
    expect(states(info)).toEqual(['1:SUCCESS', '2:MISSING_SUCCESS', '3:SUCCESS', '4:FUTURE_SUCCESS']);
  });

  it('repeatables: changed ones are Outdated and pending again; the raw checksum also counts as up to date', () => {
    const applied = [A(null, { checksum: 5 }), A(null, { checksum: 7 })];
    expect(states(computeInfo([R('views', 7)], applied, opts))).toEqual([
      'views:SUPERSEDED',
      'views:SUCCESS'
    ]);
    expect(states(computeInfo([R('views', 8, 7)], applied, opts))).toEqual([
      'views:SUPERSEDED',
      'views:SUCCESS'
    ]);
    const changed = computeInfo([R('views', 9)], applied, opts);
    expect(states(changed)).toEqual(['views:SUPERSEDED', 'views:OUTDATED', 'views:PENDING']);
    expect(pending(changed)).toEqual(['views']);
  });

  it('rows hidden by a DELETE row are Deleted', () => {
    const info = computeInfo([V('1')], [A('1'), A('2'), A('2', { type: 'DELETE' })], opts);
    expect(states(info)).toEqual(['1:SUCCESS', '2:DELETED']);
  });
});

describe("validateInfo: Flyway's messages", () => {
  it('checksum mismatch', () => {
    const { errors } = validateInfo(computeInfo([V('1', 222)], [A('1', { checksum: 111 })], opts), [
      '*:future'
    ]);
    expect(errors).toEqual([
      'Migration checksum mismatch for migration version 1\n-> Applied to database : 111\n-> Resolved locally    : 222\nEither revert the changes to the migration, or run repair to update the schema history.'
    ]);
    expect(validateFailedMessage(errors)).toMatch(
      /^Validate failed: Migrations have failed validation\nMigration checksum mismatch/
    );
  });

  it('description and type mismatch', () => {
    expect(
      validateInfo(computeInfo([V('1', 1, 'new')], [A('1', { description: 'old' })], opts), []).errors[0]
    ).toContain(
      'Migration description mismatch for migration version 1\n-> Applied to database : old\n-> Resolved locally    : new\n'
    );
    expect(validateInfo(computeInfo([V('1')], [A('1', { type: 'JDBC' })], opts), []).errors[0]).toMatch(
      /^Migration type mismatch/
    );
  });

  it('failed, missing, ignored, pending and outdated', () => {
    rank = 0;
    const failed = validateInfo(computeInfo([V('1')], [A('1', { success: false })], opts), [
      '*:future'
    ]).errors;
    expect(failed).toEqual([
      'Detected failed migration to version 1 (v1).\nPlease remove any half-completed changes then run repair to fix the schema history.'
    ]);
    const missing = validateInfo(computeInfo([V('2')], [A('1'), A('2')], opts), ['*:future']).errors;
    expect(missing).toEqual([
      'Detected applied migration not resolved locally: 1.\nIf you removed this migration intentionally, run repair to mark the migration as deleted.'
    ]);
    expect(validateInfo(computeInfo([V('2')], [A('1'), A('2')], opts), ['*:missing']).errors).toEqual([]);
    const ignoredErr = validateInfo(computeInfo([V('1'), V('2'), V('3')], [A('1'), A('3')], opts), [
      '*:future'
    ]).errors;
    expect(ignoredErr).toEqual([
      "Detected resolved migration not applied to database: 2.\nTo ignore this migration, set -ignoreMigrationPatterns='*:ignored'. To allow executing this migration, set -outOfOrder=true."
    ]);
    const pendingErr = validateInfo(computeInfo([V('1'), R('a')], [], opts), ['*:future']).errors;
    expect(pendingErr).toEqual([
      "Detected resolved migration not applied to database: 1.\nTo fix this error, either run migrate, or set -ignoreMigrationPatterns='*:pending'.",
      "Detected resolved repeatable migration not applied to database: a.\nTo fix this error, either run migrate, or set -ignoreMigrationPatterns='*:pending'."
    ]);
    expect(validateInfo(computeInfo([V('1'), R('a')], [], opts), ['*:future', '*:pending']).errors).toEqual(
      []
    );
    const outdated = validateInfo(computeInfo([R('views', 9)], [A(null, { checksum: 1 })], opts), []).errors;
    expect(outdated).toEqual([
      'Detected outdated resolved repeatable migration that should be re-applied to database: views.\nRun migrate to execute this migration.'
    ]);
  });

  it('future rows are ignored by default (*:future)', () => {
    expect(validateInfo(computeInfo([V('1')], [A('1'), A('2')], opts), ['*:future']).errors).toEqual([]);
    expect(validateInfo(computeInfo([V('1')], [A('1'), A('2')], opts), []).errors).toHaveLength(1);
  });

  it('versions at or below the baseline are not checked', () => {
    const info = computeInfo([V('1', 9)], [A('1', { type: 'BASELINE', checksum: null })], opts);
    expect(validateInfo(info, []).errors).toEqual([]);
  });
});

describe('planRepair', () => {
  it('deletes failed rows, marks missing ones deleted, realigns changed checksums', () => {
    const applied = [A('1', { checksum: 1 }), A('2'), A('3', { success: false }), A(null, { checksum: 7 })];
    const info = computeInfo([V('1', 5), V('3'), R('views', 8, 7)], applied, opts);
    const plan = planRepair(info, ['*:future']);
    expect(plan.deleteFailed.map((a) => a.version)).toEqual(['3']);
    expect(plan.markDeleted.map((a) => a.version)).toEqual(['2']);
    expect(plan.realign.map((r) => [r.applied.version, r.checksum])).toEqual([
      ['1', 5],
      [null, 8]
    ]);
  });

  it('changes nothing on a clean history', () => {
    const plan = planRepair(computeInfo([V('1')], [A('1')], opts), ['*:future']);
    expect(plan).toEqual({ deleteFailed: [], markDeleted: [], realign: [] });
  });
});
