/**
 * Finds migration files in the configured locations (I/O) and turns them into resolved migrations:
 * names parsed, checksums computed as Flyway does, placeholders replaced, duplicates rejected.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { assertUtf8, checksumBytes, checksumText } from './checksum.js';
import { parseProperties } from './config.js';
import type { ResolvedMigration } from './info.js';
import { abbreviateScript, parseMigrationName, type NamingConfig } from './naming.js';
import { PlaceholderError, replacePlaceholders, type PlaceholderSyntax } from './placeholders.js';

export interface ScriptOptions {
  executeInTransaction?: boolean;
  placeholderReplacement?: boolean;
  shouldExecute?: boolean;
}

/** A migration file found on disk, before placeholders (which need the database) are applied. */
export interface ScannedFile extends Omit<ResolvedMigration, 'checksum' | 'equivalentChecksum'> {
  absolutePath: string;
  /** File text with a leading BOM removed. */
  text: string;
  rawChecksum: number;
  options: ScriptOptions;
}

/** A migration ready to run: its final SQL text. */
export interface PreparedMigration extends ResolvedMigration {
  sql: string;
  options: ScriptOptions;
}

/** Resolves a location to a directory: `filesystem:` or none is a path; `classpath:` looks in src/main/resources. */
export function locationDirectory(location: string, cwd: string): string {
  if (location.startsWith('classpath:')) {
    const rel = location.slice('classpath:'.length).replace(/^\/+/, '');
    for (const candidate of [path.join('src', 'main', 'resources', rel), rel]) {
      if (existsSync(path.resolve(cwd, candidate))) return path.resolve(cwd, candidate);
    }
    return path.resolve(cwd, 'src', 'main', 'resources', rel);
  }
  return path.resolve(cwd, location.replace(/^filesystem:/, ''));
}

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walk(full));
    else if (entry.isFile() || (entry.isSymbolicLink() && statSync(full).isFile())) out.push(full);
  }
  return out;
}

function scriptOptions(file: string, present: Set<string>): ScriptOptions {
  const conf = `${file}.conf`;
  if (!present.has(conf)) return {};
  const props = parseProperties(readFileSync(conf, 'utf8'));
  const bool = (key: string): boolean | undefined => {
    const v = props.get(key);
    if (v === undefined) return undefined;
    if (/^true$/i.test(v)) return true;
    if (/^false$/i.test(v)) return false;
    throw new ConfigError(`${key} in ${conf}: '${v}' is not a boolean; expected true or false.`);
  };
  return {
    executeInTransaction: bool('executeInTransaction'),
    placeholderReplacement: bool('placeholderReplacement'),
    shouldExecute: bool('shouldExecute')
  };
}

/** Scans the locations; throws ConfigError on unreadable or duplicate migrations. */
export function scanLocations(
  locations: string[],
  cwd: string,
  naming: NamingConfig,
  logger: Logger,
  validateNaming = false
): ScannedFile[] {
  const files: ScannedFile[] = [];
  const invalid: string[] = [];
  for (const location of locations) {
    const dir = locationDirectory(location, cwd);
    if (!existsSync(dir) || !statSync(dir).isDirectory()) {
      logger.warning(
        `Unable to resolve location ${location} (${path.relative(cwd, dir) || '.'} is not a directory).`
      );
      continue;
    }
    const all = walk(dir);
    const present = new Set(all);
    for (const absolutePath of all) {
      const name = path.basename(absolutePath);
      const parsed = parseMigrationName(name, naming);
      const display = path.relative(cwd, absolutePath).split(path.sep).join('/');
      if (!parsed.valid) {
        if (validateNaming && parsed.reason !== 'callback' && parsed.reason !== 'no migration suffix') {
          invalid.push(`${display}: ${parsed.reason}`);
        }
        continue;
      }
      const bytes = readFileSync(absolutePath);
      const text = assertUtf8(bytes, display).replace(/^\uFEFF/, '');
      const script = abbreviateScript(path.relative(dir, absolutePath).split(path.sep).join('/'));
      files.push({
        kind: parsed.kind,
        version: parsed.version,
        description: parsed.description,
        script,
        type: parsed.kind === 'baseline' ? 'SQL_BASELINE' : 'SQL',
        file: display,
        absolutePath,
        text,
        rawChecksum: checksumBytes(bytes, display),
        options: scriptOptions(absolutePath, present)
      });
    }
  }
  if (invalid.length) {
    throw new ConfigError(`Invalid migration names (validateMigrationNaming is on):\n${invalid.join('\n')}`);
  }
  checkDuplicates(files);
  return files;
}

/** Flyway's CompositeMigrationResolver check: one migration per version (per kind), one repeatable per description. */
export function checkDuplicates(
  files: Array<Pick<ScannedFile, 'kind' | 'version' | 'description' | 'file' | 'type'>>
): void {
  const groups = new Map<string, typeof files>();
  for (const f of files) {
    const key = f.kind === 'repeatable' ? `R:${f.description}` : `${f.kind}:${f.version?.key}`;
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  for (const group of groups.values()) {
    if (group.length < 2) continue;
    const first = group[0] as ScannedFile;
    const what =
      first.kind === 'repeatable'
        ? `repeatable migration with description ${first.description}`
        : `migration with version ${first.version?.text}`;
    throw new ConfigError(
      `Found more than one ${what}\nOffenders:\n${group.map((f) => `-> ${f.file} (${f.type})`).join('\n')}`
    );
  }
}

/**
 * Applies placeholders and computes the stored checksum: raw for versioned and baseline migrations,
 * placeholder-replaced for repeatables (whose raw checksum is kept as the equivalent one).
 */
export function prepareMigrations(
  files: ScannedFile[],
  placeholders: Map<string, string>,
  syntax: PlaceholderSyntax,
  replacement: boolean
): PreparedMigration[] {
  return files.map((f) => {
    const replace = f.options.placeholderReplacement ?? replacement;
    let sql = f.text;
    if (replace) {
      const values = new Map(placeholders);
      values.set(`flyway${syntax.separator}filename`.toLowerCase(), path.basename(f.absolutePath));
      try {
        sql = replacePlaceholders(f.text, values, syntax);
      } catch (error) {
        if (error instanceof PlaceholderError) throw new ConfigError(`${f.file}: ${error.message}`);
        throw error;
      }
    }
    const { text: _text, rawChecksum, absolutePath: _abs, ...rest } = f;
    if (f.kind === 'repeatable' && replace) {
      return { ...rest, sql, checksum: checksumText(sql), equivalentChecksum: rawChecksum };
    }
    return { ...rest, sql, checksum: rawChecksum };
  });
}
