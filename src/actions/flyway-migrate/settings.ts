/**
 * The typed settings the engine runs with, resolved from the merged configuration layers. Every
 * malformed value fails with an error naming where it came from (the input, the environment variable
 * or the config file key) and what is expected; nothing has been touched at that point.
 */
import { ConfigError, InputError } from '../../core/errors.js';
import { describeSource, type Layer, type Setting } from './config.js';
import type { NamingConfig } from './naming.js';
import type { PlaceholderSyntax } from './placeholders.js';
import { MigrationVersion } from './version.js';

export interface Settings {
  url?: string;
  user?: string;
  password?: string;
  locations: string[];
  schemas: string[];
  defaultSchema?: string;
  table: string;
  target: string;
  baselineOnMigrate: boolean;
  baselineVersion: string;
  baselineDescription: string;
  outOfOrder: boolean;
  validateOnMigrate: boolean;
  ignoreMigrationPatterns: string[];
  placeholders: Map<string, string>;
  placeholderReplacement: boolean;
  placeholderSyntax: PlaceholderSyntax;
  connectRetries: number;
  connectRetriesIntervalSec: number;
  mixed: boolean;
  group: boolean;
  installedBy?: string;
  encoding: string;
  createSchemas: boolean;
  executeInTransaction: boolean;
  lockRetryCount: number;
  naming: NamingConfig;
  validateMigrationNaming: boolean;
  postgresqlTransactionalLock: boolean;
  environment: string;
}

export function settingError(setting: Setting, message: string): Error {
  if (setting.source.kind === 'input') return new InputError(setting.source.name, message);
  return new ConfigError(`${describeSource(setting.source)}: ${message}`);
}

const PATTERN = /^(\*|repeatable|versioned):(\*|missing|pending|ignored|future)$/i;

/** Resolves the merged layer into typed settings; throws InputError/ConfigError on a bad value. */
export function resolveSettings(layer: Layer): Settings {
  const str = (key: string): string | undefined => {
    const v = layer.get(key)?.value.trim();
    return v === undefined || v === '' ? undefined : v;
  };
  const bool = (key: string, fallback: boolean): boolean => {
    const setting = layer.get(key);
    const v = setting?.value.trim() ?? '';
    if (v === '') return fallback;
    if (/^true$/i.test(v)) return true;
    if (/^false$/i.test(v)) return false;
    throw settingError(setting as Setting, `'${v}' is not a boolean; expected true or false.`);
  };
  const int = (key: string, fallback: number, min: number, max: number): number => {
    const setting = layer.get(key);
    const v = setting?.value.trim() ?? '';
    if (v === '') return fallback;
    if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) {
      throw settingError(setting as Setting, `'${v}' is not a whole number from ${min} to ${max}.`);
    }
    return Number(v);
  };
  const list = (key: string, fallback: string[]): string[] => {
    const v = str(key);
    if (v === undefined) return fallback;
    return v
      .split(/[,\r\n]+/)
      .map((s) => s.trim())
      .filter((s) => s !== '');
  };

  const baselineVersionSetting = layer.get('baselineVersion');
  const baselineVersion = str('baselineVersion') ?? '1';
  if (!MigrationVersion.tryParse(baselineVersion)) {
    throw settingError(
      baselineVersionSetting as Setting,
      `'${baselineVersion}' is not a version; expected digits separated by dots, like 1 or 2.5.`
    );
  }
  const targetSetting = layer.get('target');
  const target = str('target') ?? 'latest';
  const bareTarget = target.replace(/\?$/, '');
  if (!/^(latest|current|next)$/i.test(bareTarget) && !MigrationVersion.tryParse(bareTarget)) {
    throw settingError(
      targetSetting as Setting,
      `'${target}' is not a target; expected latest, current, next or a version like 2.1 (a trailing ? allows a missing version).`
    );
  }
  const patternsSetting = layer.get('ignoreMigrationPatterns');
  const ignoreMigrationPatterns = list('ignoreMigrationPatterns', ['*:future']);
  for (const pattern of ignoreMigrationPatterns) {
    if (!PATTERN.test(pattern)) {
      throw settingError(
        patternsSetting as Setting,
        `'${pattern}' is not a migration pattern; expected <type>:<state> with type *, repeatable or versioned and state *, missing, pending, ignored or future.`
      );
    }
  }
  const placeholders = new Map<string, string>();
  for (const [key, setting] of layer) {
    if (key.startsWith('placeholders.'))
      placeholders.set(key.slice('placeholders.'.length).toLowerCase(), setting.value);
  }
  const table = str('table') ?? 'flyway_schema_history';
  const encoding = str('encoding') ?? 'UTF-8';
  if (!/^utf-?8$/i.test(encoding)) {
    throw settingError(
      layer.get('encoding') as Setting,
      `'${encoding}' is not supported; this action reads migrations as UTF-8 (Flyway's default).`
    );
  }
  return {
    url: str('url'),
    user: str('user'),
    password: layer.get('password')?.value || undefined,
    locations: list('locations', ['db/migration']),
    schemas: list('schemas', []),
    defaultSchema: str('defaultSchema'),
    table,
    target,
    baselineOnMigrate: bool('baselineOnMigrate', false),
    baselineVersion,
    baselineDescription: str('baselineDescription') ?? '<< Flyway Baseline >>',
    outOfOrder: bool('outOfOrder', false),
    validateOnMigrate: bool('validateOnMigrate', true),
    ignoreMigrationPatterns: ignoreMigrationPatterns.map((p) => p.toLowerCase()),
    placeholders,
    placeholderReplacement: bool('placeholderReplacement', true),
    placeholderSyntax: {
      prefix: str('placeholderPrefix') ?? '${',
      suffix: str('placeholderSuffix') ?? '}',
      separator: str('placeholderSeparator') ?? ':'
    },
    connectRetries: int('connectRetries', 0, 0, 1000),
    connectRetriesIntervalSec: int('connectRetriesInterval', 120, 1, 86400),
    mixed: bool('mixed', false),
    group: bool('group', false),
    installedBy: str('installedBy'),
    encoding,
    createSchemas: bool('createSchemas', true),
    executeInTransaction: bool('executeInTransaction', true),
    lockRetryCount: int('lockRetryCount', 50, 0, 100000),
    naming: {
      sqlMigrationPrefix: str('sqlMigrationPrefix') ?? 'V',
      repeatableSqlMigrationPrefix: str('repeatableSqlMigrationPrefix') ?? 'R',
      baselineMigrationPrefix: str('baselineMigrationPrefix') ?? 'B',
      sqlMigrationSeparator: str('sqlMigrationSeparator') ?? '__',
      sqlMigrationSuffixes: list('sqlMigrationSuffixes', ['.sql'])
    },
    validateMigrationNaming: bool('validateMigrationNaming', false),
    postgresqlTransactionalLock: bool('postgresql.transactional.lock', true),
    environment: str('environment') ?? 'default'
  };
}
