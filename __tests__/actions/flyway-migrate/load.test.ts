import { afterEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Layer } from '../../../src/actions/flyway-migrate/config.js';
import { loadSettings } from '../../../src/actions/flyway-migrate/load.js';

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const input = (values: Record<string, string>): Layer =>
  new Map(
    Object.entries(values).map(([k, value]) => [k, { value, source: { kind: 'input' as const, name: k } }])
  );

describe('loadSettings', () => {
  it('reads the files named by FLYWAY_CONFIG_FILES in order, collects every password for masking, and warns about what it ignores', () => {
    dir = mkdtempSync(path.join(tmpdir(), 'fwload-'));
    writeFileSync(
      path.join(dir, 'a.conf'),
      'flyway.table=a_table\nflyway.password=file-secret\nflyway.cleanDisabled=false\nflyway.unknownThing=1\n'
    );
    writeFileSync(path.join(dir, 'b.toml'), '[flyway]\ntable = "b_table"\n');
    const loaded = loadSettings(
      input({ password: 'input-secret' }),
      [],
      { FLYWAY_CONFIG_FILES: 'a.conf,b.toml', FLYWAY_PASSWORD: 'env-secret' },
      dir
    );
    expect(loaded.settings.table).toBe('b_table');
    expect(loaded.settings.password).toBe('input-secret');
    expect(loaded.secrets.sort()).toEqual(['env-secret', 'file-secret', 'input-secret']);
    expect(loaded.warnings).toEqual([
      'flyway.unknownThing in a.conf is not a Flyway setting this action supports; ignored.',
      'flyway.cleanDisabled in a.conf is ignored: this action runs clean only with command: clean and the clean-enabled input set to true.'
    ]);
  });

  it('names the input when a config file is missing', () => {
    dir = mkdtempSync(path.join(tmpdir(), 'fwload-'));
    expect(() => loadSettings(new Map(), ['nope.conf'], {}, dir)).toThrow(
      /^Input 'config-files': config file nope.conf does not exist/
    );
    expect(() => loadSettings(new Map(), [], { FLYWAY_CONFIG_FILES: 'nope.toml' }, dir)).toThrow(
      /^FLYWAY_CONFIG_FILES: config file nope.toml does not exist/
    );
  });
});
