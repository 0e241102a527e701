/**
 * Migration file names as Flyway's ResourceNameParser reads them: `V<version>__<description>.sql`,
 * `R__<description>.sql`, `B<version>__<description>.sql`; callbacks and anything else are skipped.
 */
import { MigrationVersion } from './version.js';

export type MigrationKind = 'versioned' | 'repeatable' | 'baseline';

export interface NamingConfig {
  sqlMigrationPrefix: string;
  repeatableSqlMigrationPrefix: string;
  baselineMigrationPrefix: string;
  sqlMigrationSeparator: string;
  sqlMigrationSuffixes: string[];
}

export const DEFAULT_NAMING: NamingConfig = {
  sqlMigrationPrefix: 'V',
  repeatableSqlMigrationPrefix: 'R',
  baselineMigrationPrefix: 'B',
  sqlMigrationSeparator: '__',
  sqlMigrationSuffixes: ['.sql']
};

/** Flyway's callback event ids: a file named after one is a callback, not a migration. */
export const CALLBACK_EVENTS = [
  'beforeMigrate',
  'beforeRepeatables',
  'beforeEachMigrate',
  'beforeEachMigrateStatement',
  'afterEachMigrateStatement',
  'afterEachMigrateStatementError',
  'afterEachMigrate',
  'afterEachMigrateError',
  'afterMigrate',
  'afterMigrateApplied',
  'afterVersioned',
  'afterMigrateError',
  'beforeUndo',
  'beforeEachUndo',
  'beforeEachUndoStatement',
  'afterEachUndoStatement',
  'afterEachUndoStatementError',
  'afterEachUndo',
  'afterEachUndoError',
  'afterUndo',
  'afterUndoError',
  'beforeClean',
  'afterClean',
  'afterCleanError',
  'beforeInfo',
  'afterInfo',
  'afterInfoError',
  'beforeValidate',
  'afterValidate',
  'afterValidateError',
  'beforeBaseline',
  'afterBaseline',
  'afterBaselineError',
  'beforeRepair',
  'afterRepair',
  'afterRepairError',
  'createSchema',
  'beforeCreateSchema',
  'beforeConnect',
  'afterConnect',
  'beforeEachConnect',
  'afterEachConnect'
];

export type ParsedName =
  | { valid: true; kind: MigrationKind; version?: MigrationVersion; description: string }
  | { valid: false; reason: string };

type Prefix = { prefix: string; kind: MigrationKind | 'callback' };
const prefixCache = new WeakMap<NamingConfig, Prefix[]>();

/** Migration and callback prefixes, longest first (Flyway's ResourceNameParser order). */
function prefixesOf(config: NamingConfig): Prefix[] {
  let prefixes = prefixCache.get(config);
  if (!prefixes) {
    prefixes = [
      { prefix: config.sqlMigrationPrefix, kind: 'versioned' as const },
      { prefix: config.repeatableSqlMigrationPrefix, kind: 'repeatable' as const },
      { prefix: config.baselineMigrationPrefix, kind: 'baseline' as const },
      ...CALLBACK_EVENTS.map((event) => ({ prefix: event, kind: 'callback' as const }))
    ]
      .filter((p) => p.prefix !== '')
      .sort((a, b) => b.prefix.length - a.prefix.length);
    prefixCache.set(config, prefixes);
  }
  return prefixes;
}

/** Parses one file name (no directory). */
export function parseMigrationName(fileName: string, config: NamingConfig = DEFAULT_NAMING): ParsedName {
  const suffix = config.sqlMigrationSuffixes.find((s) => fileName.toUpperCase().endsWith(s.toUpperCase()));
  if (suffix === undefined) return { valid: false, reason: 'no migration suffix' };
  const stem = fileName.slice(0, fileName.length - suffix.length);
  const prefixes = prefixesOf(config);
  const match = prefixes.find((p) => stem.startsWith(p.prefix));
  if (!match) return { valid: false, reason: 'no migration prefix' };
  if (match.kind === 'callback') return { valid: false, reason: 'callback' };
  const rest = stem.slice(match.prefix.length);
  const at = rest.indexOf(config.sqlMigrationSeparator);
  const rawVersion = at < 0 ? rest : rest.slice(0, at);
  const rawDescription = at < 0 ? '' : rest.slice(at + config.sqlMigrationSeparator.length);
  const description = rawDescription.replace(/_/g, ' ');
  if (match.kind === 'repeatable') {
    if (rawVersion !== '') return { valid: false, reason: 'a repeatable migration has no version' };
    return { valid: true, kind: 'repeatable', description };
  }
  if (rawVersion === '') return { valid: false, reason: 'no version' };
  const version = MigrationVersion.tryParse(rawVersion);
  if (!version) return { valid: false, reason: `invalid version '${rawVersion}'` };
  return { valid: true, kind: match.kind, version, description };
}

/** Flyway's AbbreviationUtils: the description column holds 200 characters, the script column 1000. */
export function abbreviateDescription(description: string): string {
  return description.length <= 200 ? description : `${description.slice(0, 197)}...`;
}

export function abbreviateScript(script: string): string {
  return script.length <= 1000 ? script : `...${script.slice(3, 1000)}`;
}
