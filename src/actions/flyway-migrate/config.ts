/**
 * Flyway configuration from its four sources, with Flyway's precedence: action inputs (the command line)
 * override FLYWAY_* environment variables, which override config files (flyway.conf / flyway.toml),
 * which override the defaults. Pure: callers pass file contents and the environment in.
 */
import { parse as parseToml } from 'smol-toml';

/** Where a setting came from, so an error can name it. */
export type Source =
  | { kind: 'input'; name: string }
  | { kind: 'env'; name: string }
  | { kind: 'file'; path: string; key: string }
  | { kind: 'default' };

export interface Setting {
  value: string;
  source: Source;
}

export type Layer = Map<string, Setting>;

/** The Flyway keys this action understands (camelCase, without `flyway.`). */
export const KNOWN_KEYS = [
  'url',
  'user',
  'password',
  'locations',
  'schemas',
  'defaultSchema',
  'table',
  'target',
  'baselineOnMigrate',
  'baselineVersion',
  'baselineDescription',
  'outOfOrder',
  'validateOnMigrate',
  'ignoreMigrationPatterns',
  'placeholderReplacement',
  'placeholderPrefix',
  'placeholderSuffix',
  'placeholderSeparator',
  'connectRetries',
  'connectRetriesInterval',
  'cleanDisabled',
  'mixed',
  'group',
  'installedBy',
  'encoding',
  'createSchemas',
  'executeInTransaction',
  'lockRetryCount',
  'sqlMigrationPrefix',
  'sqlMigrationSeparator',
  'sqlMigrationSuffixes',
  'repeatableSqlMigrationPrefix',
  'baselineMigrationPrefix',
  'validateMigrationNaming',
  'postgresql.transactional.lock',
  'environment',
  'configFiles'
] as const;

export type Key = (typeof KNOWN_KEYS)[number];
const KNOWN = new Set<string>(KNOWN_KEYS);

export function describeSource(source: Source): string {
  switch (source.kind) {
    case 'input':
      return `input '${source.name}'`;
    case 'env':
      return `environment variable ${source.name}`;
    case 'file':
      return `${source.key} in ${source.path}`;
    default:
      return 'the default';
  }
}

/** `defaultSchema` → `DEFAULT_SCHEMA`; `postgresql.transactional.lock` → `POSTGRESQL_TRANSACTIONAL_LOCK`. */
export function envNameOf(key: string): string {
  return `FLYWAY_${key
    .replace(/\./g, '_')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toUpperCase()}`;
}

export interface LayerResult {
  layer: Layer;
  /** Keys present but not supported by this action (warned, ignored). */
  unknown: string[];
}

/** FLYWAY_* environment variables: every known key, plus FLYWAY_PLACEHOLDERS_<NAME> (name lower-cased). */
export function envLayer(env: NodeJS.ProcessEnv): LayerResult {
  const layer: Layer = new Map();
  const byEnv = new Map(KNOWN_KEYS.map((key) => [envNameOf(key), key] as const));
  const unknown: string[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith('FLYWAY_') || value === undefined) continue;
    if (name.startsWith('FLYWAY_PLACEHOLDERS_')) {
      const key = `placeholders.${name.slice('FLYWAY_PLACEHOLDERS_'.length).toLowerCase()}`;
      layer.set(key, { value, source: { kind: 'env', name } });
      continue;
    }
    const key = byEnv.get(name);
    if (key) layer.set(key, { value, source: { kind: 'env', name } });
    else unknown.push(name);
  }
  return { layer, unknown };
}

/** Expands `${NAME}` (flyway.conf) or `${env.NAME}` (flyway.toml) from the environment. */
function expandEnv(value: string, env: NodeJS.ProcessEnv, toml: boolean): string {
  const re = toml ? /\$\{env\.([A-Za-z_][A-Za-z0-9_]*)\}/g : /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;
  return value.replace(re, (whole, name: string) => env[name] ?? whole);
}

/** Parses a Java properties file (flyway.conf): `#`/`!` comments, `=`/`:` separators, `\` continuations. */
export function parseProperties(text: string): Map<string, string> {
  const result = new Map<string, string>();
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  for (let i = 0; i < lines.length; i++) {
    let line = (lines[i] as string).replace(/^\s+/, '');
    if (line === '' || line.startsWith('#') || line.startsWith('!')) continue;
    while (/(^|[^\\])(\\\\)*\\$/.test(line) && i + 1 < lines.length) {
      line = line.slice(0, -1) + (lines[++i] as string).replace(/^\s+/, '');
    }
    const sep = /^((?:\\.|[^=:\s\\])*)\s*[=:\s]\s*/.exec(line);
    const key = sep ? (sep[1] as string) : line;
    const value = sep ? line.slice(sep[0].length) : '';
    result.set(key.replace(/\\(.)/g, '$1'), value.replace(/\\([=:\\ #!])/g, '$1').trimEnd());
  }
  return result;
}

/** A flyway.conf file as a layer. */
export function confLayer(text: string, path: string, env: NodeJS.ProcessEnv): LayerResult {
  const layer: Layer = new Map();
  const unknown: string[] = [];
  for (const [fullKey, raw] of parseProperties(text)) {
    if (!fullKey.startsWith('flyway.')) {
      unknown.push(fullKey);
      continue;
    }
    const key = fullKey.slice('flyway.'.length);
    const value = expandEnv(raw, env, false);
    if (key.startsWith('placeholders.')) {
      const name = key.slice('placeholders.'.length).toLowerCase();
      layer.set(`placeholders.${name}`, { value, source: { kind: 'file', path, key: fullKey } });
    } else if (KNOWN.has(key)) {
      layer.set(key, { value, source: { kind: 'file', path, key: fullKey } });
    } else unknown.push(fullKey);
  }
  return { layer, unknown };
}

function tomlScalar(value: unknown): string {
  if (Array.isArray(value)) return value.map(tomlScalar).join(',');
  if (value instanceof Date) return value.toISOString();
  return String(value);
}

/** Flattens nested TOML tables to dotted keys. */
function flatten(value: unknown, prefix: string, out: Map<string, unknown>): void {
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date)) {
    for (const [k, v] of Object.entries(value as Record<string, unknown>))
      flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else out.set(prefix, value);
}

/**
 * A flyway.toml file as a layer: `[flyway]` settings, `[flyway.placeholders]`, `[flyway.postgresql]`
 * and the connection settings of `[environments.<environment>]` (environment from `[flyway]`, the
 * environment variable or the inputs' layer below it, default `default`).
 */
export function tomlLayer(
  text: string,
  path: string,
  env: NodeJS.ProcessEnv,
  environment?: string
): LayerResult {
  let doc: Record<string, unknown>;
  try {
    doc = parseToml(text) as Record<string, unknown>;
  } catch (error) {
    throw new Error(`${path} is not valid TOML: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error
    });
  }
  const layer: Layer = new Map();
  const unknown: string[] = [];
  const flat = new Map<string, unknown>();
  flatten(doc.flyway ?? {}, '', flat);
  for (const [key, raw] of flat) {
    const value = expandEnv(tomlScalar(raw), env, true);
    const source: Source = { kind: 'file', path, key: `flyway.${key}` };
    if (key.startsWith('placeholders.')) {
      layer.set(`placeholders.${key.slice('placeholders.'.length).toLowerCase()}`, { value, source });
    } else if (KNOWN.has(key)) layer.set(key, { value, source });
    else unknown.push(`flyway.${key}`);
  }
  const envName = environment ?? layer.get('environment')?.value ?? 'default';
  const environments = (doc.environments ?? {}) as Record<string, unknown>;
  const selected = environments[envName];
  if (selected && typeof selected === 'object') {
    const envFlat = new Map<string, unknown>();
    flatten(selected, '', envFlat);
    for (const [key, raw] of envFlat) {
      const source: Source = { kind: 'file', path, key: `environments.${envName}.${key}` };
      const value = expandEnv(tomlScalar(raw), env, true);
      if (key.startsWith('placeholders.')) {
        layer.set(`placeholders.${key.slice('placeholders.'.length).toLowerCase()}`, { value, source });
      } else if (KNOWN.has(key)) layer.set(key, { value, source });
      else unknown.push(`environments.${envName}.${key}`);
    }
  }
  for (const top of Object.keys(doc)) if (top !== 'flyway' && top !== 'environments') unknown.push(top);
  return { layer, unknown };
}

/** Later layers win. */
export function mergeLayers(...layers: Layer[]): Layer {
  const merged: Layer = new Map();
  for (const layer of layers) for (const [key, setting] of layer) merged.set(key, setting);
  return merged;
}
