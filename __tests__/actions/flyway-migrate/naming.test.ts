import { describe, expect, it } from '@jest/globals';
import {
  abbreviateDescription,
  abbreviateScript,
  parseMigrationName
} from '../../../src/actions/flyway-migrate/naming.js';
import { MigrationVersion } from '../../../src/actions/flyway-migrate/version.js';

describe('MigrationVersion (Flyway §2)', () => {
  it.each([
    ['1', '1', '1'],
    ['1_1', '1.1', '1.1'],
    ['01', '01', '1'],
    ['1.0', '1.0', '1'],
    ['1.2.0.0', '1.2.0.0', '1.2'],
    ['001.002', '001.002', '1.2'],
    ['0', '0', '0'],
    ['2026.11.21.1200', '2026.11.21.1200', '2026.11.21.1200'],
    ['99999999999999999999', '99999999999999999999', '99999999999999999999']
  ])('%s is stored as %s and compares as %s', (raw, text, key) => {
    const v = MigrationVersion.parse(raw);
    expect([v.text, v.key]).toEqual([text, key]);
  });

  it.each([
    ['1.10', '1.9', 1],
    ['1.0.1', '1.1', -1],
    ['1.0', '1', 0],
    ['1_1', '1.1', 0],
    ['1.01', '1.1', 0],
    ['2', '10', -1],
    ['1.2.3', '1.2', 1]
  ])('%s vs %s → %i', (a, b, expected) => {
    expect(MigrationVersion.parse(a).compareTo(MigrationVersion.parse(b))).toBe(expected);
  });

  it('sorts numerically, not as text', () => {
    const sorted = ['10', '1.10', '1.9', '2', '1', '1.0.1']
      .map((v) => MigrationVersion.parse(v))
      .sort((a, b) => a.compareTo(b));
    expect(sorted.map((v) => v.text)).toEqual(['1', '1.0.1', '1.9', '1.10', '2', '10']);
  });

  it.each(['1a', 'a', '1..2', '1.x', ''])("rejects '%s' with Flyway's message", (raw) => {
    expect(() => MigrationVersion.parse(raw)).toThrow(
      `Version may only contain 0..9 and . (dot). Invalid version: ${raw.replace(/_/g, '.')}`
    );
  });
});

describe('parseMigrationName (Flyway §1)', () => {
  it.each([
    ['V1__init.sql', 'versioned', '1', 'init'],
    ['V1.1__add_users.sql', 'versioned', '1.1', 'add users'],
    ['V1_1__x.sql', 'versioned', '1.1', 'x'],
    ['V2__my_table__x.sql', 'versioned', '2', 'my table  x'],
    ['V4.sql', 'versioned', '4', ''],
    ['V5__upper.SQL', 'versioned', '5', 'upper'],
    ['R__views.sql', 'repeatable', undefined, 'views'],
    ['R__.sql', 'repeatable', undefined, ''],
    ['B3__baseline.sql', 'baseline', '3', 'baseline'],
    ['V7__한국어_테이블.sql', 'versioned', '7', '한국어 테이블']
  ])('%s → %s %s "%s"', (name, kind, version, description) => {
    const parsed = parseMigrationName(name);
    expect(parsed).toMatchObject({ valid: true, kind, description });
    if (parsed.valid) expect(parsed.version?.text).toBe(version);
  });

  it.each([
    ['v1__lower_prefix.sql', 'no migration prefix'],
    ['V1__x.txt', 'no migration suffix'],
    ['R1__x.sql', 'a repeatable migration has no version'],
    ['V__x.sql', 'no version'],
    ['Vx__bad.sql', "invalid version 'x'"],
    ['beforeMigrate.sql', 'callback'],
    ['afterMigrate__x.sql', 'callback'],
    ['README.md', 'no migration suffix']
  ])('%s is skipped (%s)', (name, reason) => {
    expect(parseMigrationName(name)).toEqual({ valid: false, reason });
  });

  it('abbreviates the description at 200 and the script at 1000 characters', () => {
    expect(abbreviateDescription('a'.repeat(200))).toBe('a'.repeat(200));
    expect(abbreviateDescription('a'.repeat(201))).toBe(`${'a'.repeat(197)}...`);
    expect(abbreviateScript('s'.repeat(1000))).toHaveLength(1000);
    const long = `x${'s'.repeat(1000)}`;
    expect(abbreviateScript(long)).toBe(`...${long.slice(3, 1000)}`);
  });
});
