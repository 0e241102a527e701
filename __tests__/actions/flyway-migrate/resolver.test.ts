import { afterEach, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MemoryLogger } from '../../../src/core/logger.js';
import { checksumBytes } from '../../../src/actions/flyway-migrate/checksum.js';
import { DEFAULT_NAMING } from '../../../src/actions/flyway-migrate/naming.js';
import { prepareMigrations, scanLocations } from '../../../src/actions/flyway-migrate/resolver.js';

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function tree(files: Record<string, string | Buffer>): string {
  dir = mkdtempSync(path.join(tmpdir(), 'fwres-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

describe('scanLocations', () => {
  it('finds migrations in sub-directories, with scripts relative to the location, skipping others', () => {
    const cwd = tree({
      'db/migration/V1__a.sql': 'SELECT 1;',
      'db/migration/sub/dir/V2__b.sql': 'SELECT 2;',
      'db/migration/R__r.sql': 'SELECT 3;',
      'db/migration/afterMigrate.sql': 'SELECT 4;',
      'db/migration/notes.txt': 'x',
      'db/migration/v3__lower.sql': 'SELECT 5;'
    });
    const files = scanLocations(['filesystem:db/migration'], cwd, DEFAULT_NAMING, new MemoryLogger());
    expect(files.map((f) => [f.script, f.file]).sort()).toEqual([
      ['R__r.sql', 'db/migration/R__r.sql'],
      ['V1__a.sql', 'db/migration/V1__a.sql'],
      ['sub/dir/V2__b.sql', 'db/migration/sub/dir/V2__b.sql']
    ]);
  });

  it('reads classpath: locations from src/main/resources, as a Spring project has them', () => {
    const cwd = tree({ 'src/main/resources/db/migration/V1__a.sql': 'SELECT 1;' });
    expect(
      scanLocations(['classpath:db/migration'], cwd, DEFAULT_NAMING, new MemoryLogger()).map((f) => f.script)
    ).toEqual(['V1__a.sql']);
  });

  it('warns about a location that does not exist', () => {
    const cwd = tree({});
    const logger = new MemoryLogger();
    expect(scanLocations(['db/migration'], cwd, DEFAULT_NAMING, logger)).toEqual([]);
    expect(logger.messages('warning')).toEqual([
      'Unable to resolve location db/migration (db/migration is not a directory).'
    ]);
  });

  it("rejects two migrations with the same version with Flyway's message", () => {
    const cwd = tree({ 'm/V1.1__a.sql': 'SELECT 1;', 'm/V1_01__b.sql': 'SELECT 2;' });
    expect(() => scanLocations(['m'], cwd, DEFAULT_NAMING, new MemoryLogger())).toThrow(
      'Found more than one migration with version 1.1\nOffenders:\n-> m/V1.1__a.sql (SQL)\n-> m/V1_01__b.sql (SQL)'
    );
  });

  it('reads per-script .conf options and strips a BOM from the text but not from the checksum input', () => {
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    const cwd = tree({
      'm/V1__a.sql': Buffer.concat([bom, Buffer.from('SELECT 1;\r\n')]),
      'm/V1__a.sql.conf': 'executeInTransaction=false\nplaceholderReplacement=false\n'
    });
    const [file] = scanLocations(['m'], cwd, DEFAULT_NAMING, new MemoryLogger());
    expect(file?.options).toEqual({
      executeInTransaction: false,
      placeholderReplacement: false,
      shouldExecute: undefined
    });
    expect(file?.text).toBe('SELECT 1;\r\n');
    expect(file?.rawChecksum).toBe(checksumBytes(Buffer.from('SELECT 1;')));
  });

  it('fails on a file that is not UTF-8', () => {
    const cwd = tree({ 'm/V1__a.sql': Buffer.from([0x53, 0xff, 0x3b]) });
    expect(() => scanLocations(['m'], cwd, DEFAULT_NAMING, new MemoryLogger())).toThrow(
      /^Unable to calculate checksum of m\/V1__a.sql/
    );
  });
});

describe('prepareMigrations', () => {
  it('versioned: raw checksum; repeatable: replaced checksum with the raw one as equivalent; .conf can turn replacement off', () => {
    const cwd = tree({
      'm/V1__a.sql': 'SELECT ${x};',
      'm/R__r.sql': "SELECT '${flyway:filename}', ${x};",
      'm/V2__raw.sql': 'SELECT ${x};',
      'm/V2__raw.sql.conf': 'placeholderReplacement=false'
    });
    const files = scanLocations(['m'], cwd, DEFAULT_NAMING, new MemoryLogger());
    const prepared = prepareMigrations(
      files,
      new Map([['x', '7']]),
      { prefix: '${', suffix: '}', separator: ':' },
      true
    );
    const by = Object.fromEntries(prepared.map((m) => [m.script, m]));
    expect(by['V1__a.sql']).toMatchObject({
      sql: 'SELECT 7;',
      checksum: checksumBytes(Buffer.from('SELECT ${x};'))
    });
    expect(by['R__r.sql']).toMatchObject({
      sql: "SELECT 'R__r.sql', 7;",
      checksum: checksumBytes(Buffer.from("SELECT 'R__r.sql', 7;")),
      equivalentChecksum: checksumBytes(Buffer.from("SELECT '${flyway:filename}', ${x};"))
    });
    expect(by['V2__raw.sql']?.sql).toBe('SELECT ${x};');
  });

  it('names the file when a placeholder has no value', () => {
    const cwd = tree({ 'm/V1__a.sql': 'SELECT ${nope};' });
    const files = scanLocations(['m'], cwd, DEFAULT_NAMING, new MemoryLogger());
    expect(() =>
      prepareMigrations(files, new Map(), { prefix: '${', suffix: '}', separator: ':' }, true)
    ).toThrow('m/V1__a.sql: No value provided for placeholder: ${nope}.  Check your configuration!');
  });
});
