import { describe, expect, it } from '@jest/globals';
import {
  confLayer,
  envLayer,
  envNameOf,
  mergeLayers,
  parseProperties,
  tomlLayer,
  type Layer
} from '../../../src/actions/flyway-migrate/config.js';
import { resolveSettings } from '../../../src/actions/flyway-migrate/settings.js';
import { parseDatabaseUrl, passwordSpellings } from '../../../src/actions/flyway-migrate/url.js';

const inputs = (values: Record<string, string>): Layer =>
  new Map(
    Object.entries(values).map(([key, value]) => [
      key,
      { value, source: { kind: 'input' as const, name: key } }
    ])
  );

describe('configuration sources', () => {
  it('maps keys to Flyway environment variable names', () => {
    expect(
      ['url', 'defaultSchema', 'baselineOnMigrate', 'postgresql.transactional.lock', 'configFiles'].map(
        envNameOf
      )
    ).toEqual([
      'FLYWAY_URL',
      'FLYWAY_DEFAULT_SCHEMA',
      'FLYWAY_BASELINE_ON_MIGRATE',
      'FLYWAY_POSTGRESQL_TRANSACTIONAL_LOCK',
      'FLYWAY_CONFIG_FILES'
    ]);
  });

  it('reads FLYWAY_* variables, lower-casing placeholder names and listing unknown ones', () => {
    const { layer, unknown } = envLayer({
      FLYWAY_URL: 'jdbc:mysql://h/db',
      FLYWAY_OUT_OF_ORDER: 'true',
      FLYWAY_PLACEHOLDERS_OWNER_NAME: 'app',
      FLYWAY_NOT_A_THING: 'x',
      PATH: '/bin'
    });
    expect(Object.fromEntries([...layer].map(([k, s]) => [k, s.value]))).toEqual({
      url: 'jdbc:mysql://h/db',
      outOfOrder: 'true',
      'placeholders.owner_name': 'app'
    });
    expect(unknown).toEqual(['FLYWAY_NOT_A_THING']);
  });

  it('parses Java properties: comments, separators, continuations, CRLF', () => {
    const props = parseProperties(
      '# c\r\n! c\r\nflyway.url = jdbc:x\r\nflyway.user:me\r\nflyway.locations=a,\\\r\n   b\r\nflyway.empty=\r\n'
    );
    expect(Object.fromEntries(props)).toEqual({
      'flyway.url': 'jdbc:x',
      'flyway.user': 'me',
      'flyway.locations': 'a,b',
      'flyway.empty': ''
    });
  });

  it('reads flyway.conf with ${VAR} expansion', () => {
    const { layer, unknown } = confLayer(
      'flyway.url=jdbc:postgresql://db/app\nflyway.password=${DB_PASS}\nflyway.placeholders.Owner=x\nflyway.bogus=1\nother=2',
      'flyway.conf',
      { DB_PASS: 'from-env' }
    );
    expect(layer.get('password')?.value).toBe('from-env');
    expect(layer.get('placeholders.owner')?.value).toBe('x');
    expect(unknown).toEqual(['flyway.bogus', 'other']);
  });

  it('reads flyway.toml: [flyway], placeholders, postgresql, and the selected environment', () => {
    const toml = `
[environments.default]
url = "jdbc:postgresql://db/app"
user = "app"
password = "\${env.DB_PASS}"
schemas = ["app", "audit"]

[environments.prod]
url = "jdbc:postgresql://prod/app"

[flyway]
locations = ["filesystem:sql", "filesystem:more"]
outOfOrder = true
connectRetries = 3

[flyway.placeholders]
Owner = "x"

[flyway.postgresql]
transactional.lock = false
`;
    const { layer, unknown } = tomlLayer(toml, 'flyway.toml', { DB_PASS: 'p' });
    const values = Object.fromEntries([...layer].map(([k, s]) => [k, s.value]));
    expect(values).toEqual({
      url: 'jdbc:postgresql://db/app',
      user: 'app',
      password: 'p',
      schemas: 'app,audit',
      locations: 'filesystem:sql,filesystem:more',
      outOfOrder: 'true',
      connectRetries: '3',
      'placeholders.owner': 'x',
      'postgresql.transactional.lock': 'false'
    });
    expect(unknown).toEqual([]);
    expect(tomlLayer(toml, 'flyway.toml', {}, 'prod').layer.get('url')?.value).toBe(
      'jdbc:postgresql://prod/app'
    );
  });

  it('rejects invalid TOML naming the file', () => {
    expect(() => tomlLayer('[flyway\nx=', 'conf/flyway.toml', {})).toThrow(
      /^conf\/flyway.toml is not valid TOML/
    );
  });

  it('inputs override the environment, which overrides files, which override defaults', () => {
    const file = confLayer(
      'flyway.table=from_file\nflyway.target=5\nflyway.schemas=f',
      'flyway.conf',
      {}
    ).layer;
    const env = envLayer({ FLYWAY_TARGET: '6', FLYWAY_SCHEMAS: 'e' }).layer;
    const settings = resolveSettings(mergeLayers(file, env, inputs({ schemas: 'i' })));
    expect([settings.table, settings.target, settings.schemas, settings.locations]).toEqual([
      'from_file',
      '6',
      ['i'],
      ['db/migration']
    ]);
  });
});

describe('resolveSettings', () => {
  it('has Flyway defaults', () => {
    const s = resolveSettings(new Map());
    expect(s).toMatchObject({
      table: 'flyway_schema_history',
      target: 'latest',
      baselineVersion: '1',
      baselineDescription: '<< Flyway Baseline >>',
      baselineOnMigrate: false,
      outOfOrder: false,
      validateOnMigrate: true,
      ignoreMigrationPatterns: ['*:future'],
      locations: ['db/migration'],
      connectRetries: 0,
      createSchemas: true,
      mixed: false
    });
  });

  it.each([
    ['outOfOrder', 'yes', "Input 'outOfOrder': 'yes' is not a boolean; expected true or false."],
    ['connectRetries', '-1', "Input 'connectRetries': '-1' is not a whole number from 0 to 1000."],
    ['target', 'v2', "Input 'target': 'v2' is not a target"],
    ['baselineVersion', 'abc', "Input 'baselineVersion': 'abc' is not a version"],
    [
      'ignoreMigrationPatterns',
      '*:bogus',
      "Input 'ignoreMigrationPatterns': '*:bogus' is not a migration pattern"
    ],
    ['encoding', 'ISO-8859-1', "Input 'encoding': 'ISO-8859-1' is not supported"]
  ])('rejects %s=%s naming the source', (key, value, message) => {
    expect(() => resolveSettings(inputs({ [key]: value }))).toThrow(message);
  });

  it('names the file and key for a bad value from a config file', () => {
    const file = confLayer('flyway.outOfOrder=maybe', 'db/flyway.conf', {}).layer;
    expect(() => resolveSettings(file)).toThrow(
      "flyway.outOfOrder in db/flyway.conf: 'maybe' is not a boolean"
    );
  });

  it('accepts target forms', () => {
    for (const target of ['latest', 'current', 'next', '2.1', '3?'])
      expect(resolveSettings(inputs({ target })).target).toBe(target);
  });
});

describe('parseDatabaseUrl', () => {
  it.each([
    ['jdbc:mysql://db.example.com:3307/app', 'mysql', 'db.example.com', 3307, 'app'],
    ['jdbc:mariadb://db/app', 'mysql', 'db', 3306, 'app'],
    ['jdbc:postgresql://db/app?currentSchema=s', 'postgresql', 'db', 5432, 'app'],
    ['postgres://u:p@db:6543/app', 'postgresql', 'db', 6543, 'app'],
    ['postgresql://db', 'postgresql', 'db', 5432, undefined],
    ['mysql://u@127.0.0.1/한국', 'mysql', '127.0.0.1', 3306, '한국']
  ])('%s', (raw, kind, host, port, database) => {
    expect(parseDatabaseUrl(raw)).toMatchObject({ kind, host, port, database });
  });

  it('takes user and password from the URL or its query, and never shows the password', () => {
    const a = parseDatabaseUrl('jdbc:mysql://db/app?user=me&password=s%40cret&useSSL=true');
    expect(a).toMatchObject({ user: 'me', password: 's@cret', params: { useSSL: 'true' } });
    expect(typeof a !== 'string' && a.display).toBe('jdbc:mysql://db/app?useSSL=true');
    const b = parseDatabaseUrl('postgres://me:p%2Fw@db/app');
    expect(b).toMatchObject({ user: 'me', password: 'p/w', display: 'jdbc:postgresql://db/app' });
    expect(passwordSpellings('postgres://me:p%2Fw@db/app').sort()).toEqual(['p%2Fw', 'p/w']);
    expect(passwordSpellings('jdbc:mysql://db/app?password=x1&user=u')).toEqual(['x1']);
  });

  it.each(['jdbc:oracle:thin:@db', 'db:3306', 'http://db', 'mysql://'])('rejects %s', (raw) => {
    expect(typeof parseDatabaseUrl(raw)).toBe('string');
  });
});
