import * as core from '@actions/core';
import { ConfigError, InputError } from '../../core/errors.js';
import { actionsLogger } from '../../core/logger.js';
import { writeSummary } from '../../core/summary.js';
import { stopwatch } from '../../core/time.js';
import { connect } from './connect.js';
import { INPUTS, OUTPUTS } from './constants.js';
import { Engine, MigrationFailedError } from './engine.js';
import { getInputs } from './inputs.js';
import { loadSettings } from './load.js';
import { buildSummary, failureSummary, infoJson } from './report.js';
import { scanLocations } from './resolver.js';
import { parseDatabaseUrl, passwordSpellings } from './url.js';
import { maskSecret } from '../../core/secrets.js';

export async function main(): Promise<void> {
  const logger = actionsLogger;
  const elapsed = stopwatch();
  const inputs = getInputs();
  const cwd = process.cwd();
  const loaded = loadSettings(inputs.layer, inputs.configFiles, process.env, cwd);
  for (const secret of loaded.secrets) maskSecret(secret);
  const { settings } = loaded;
  if (settings.url) for (const spelling of passwordSpellings(settings.url)) maskSecret(spelling);
  for (const warning of loaded.warnings) logger.warning(warning);

  if (!settings.url) {
    throw new InputError(
      INPUTS.url,
      'is required but was not given. Give the database URL here, as flyway.url in a config file, or as FLYWAY_URL.'
    );
  }
  const url = parseDatabaseUrl(settings.url);
  if (typeof url === 'string') throw new InputError(INPUTS.url, url);
  if (inputs.command === 'clean' && !inputs.cleanEnabled) {
    throw new InputError(
      INPUTS.cleanEnabled,
      "must be true to run clean, which drops every object in the configured schemas (Flyway: Unable to execute clean as it has been disabled with the 'flyway.cleanDisabled' property)."
    );
  }
  // pgJDBC's ?currentSchema=… names the default schema when the configuration names none.
  if (!settings.defaultSchema && settings.schemas.length === 0 && url.params.currentSchema) {
    settings.defaultSchema = url.params.currentSchema.split(',')[0]?.trim() || undefined;
  }
  const password = settings.password ?? url.password;
  const user = settings.user ?? url.user;
  if (!user)
    throw new InputError(
      INPUTS.user,
      'is required but was not given. Give the database user here, in the URL, as flyway.user or as FLYWAY_USER.'
    );

  const files = scanLocations(
    settings.locations,
    cwd,
    settings.naming,
    logger,
    settings.validateMigrationNaming
  );
  logger.info(
    `Found ${files.length} migration${files.length === 1 ? '' : 's'} in ${settings.locations.join(', ')}`
  );

  const db = await connect({
    url,
    user,
    password,
    retries: settings.connectRetries,
    retryIntervalCapSec: settings.connectRetriesIntervalSec,
    timeoutMs: inputs.connectTimeoutMs,
    logger
  });
  logger.info(
    `Database: ${url.display} (${db.kind === 'mysql' ? 'MySQL/MariaDB' : 'PostgreSQL'} ${db.serverMajor})`
  );
  const engine = new Engine({ db, settings, files, logger, cwd, dryRun: inputs.dryRun });
  try {
    const result = await engine.run(inputs.command);
    core.setOutput(OUTPUTS.applied, String(result.applied.length));
    core.setOutput(OUTPUTS.schemaVersion, result.info.current?.text ?? '');
    core.setOutput(OUTPUTS.pending, String(result.info.pending.length));
    core.setOutput(OUTPUTS.migrations, JSON.stringify(infoJson(result.info.rows)));
    await writeSummary(
      buildSummary(result, {
        database: url.display,
        table: settings.table,
        durationMs: elapsed(),
        dryRun: inputs.dryRun
      }),
      logger
    );
  } catch (error) {
    await writeSummary(
      failureSummary(error, { database: url.display, command: inputs.command, durationMs: elapsed() }),
      logger
    );
    if (error instanceof MigrationFailedError) {
      logger.error(error.message, {
        title: 'Flyway migration failed',
        file: error.file,
        startLine: error.line
      });
      throw new ConfigError(`Migration failed at ${error.file} line ${error.line} (details above).`);
    }
    throw error;
  } finally {
    await db.close();
  }
}
