/**
 * Loads the configuration the way the Flyway CLI does: config files (flyway.conf / flyway.toml, named by
 * the config-files input or FLYWAY_CONFIG_FILES), then FLYWAY_* environment variables, then the inputs.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, InputError } from '../../core/errors.js';
import { confLayer, describeSource, envLayer, mergeLayers, tomlLayer, type Layer } from './config.js';
import { INPUTS } from './constants.js';
import { resolveSettings, type Settings } from './settings.js';

/** Flyway settings that are understood but have no effect here: when a value matters, and why. */
const IGNORED: Record<string, { when: RegExp; why: string }> = {
  cleanDisabled: {
    when: /./,
    why: 'this action runs clean only with command: clean and the clean-enabled input set to true.'
  },
  group: {
    when: /^true$/i,
    why: "each migration runs in its own transaction, as with Flyway's default group=false."
  },
  'postgresql.transactional.lock': {
    when: /^true$/i,
    why: "the action always takes Flyway's PostgreSQL advisory lock in its session form (it excludes the transactional form too and lets CREATE INDEX CONCURRENTLY run)."
  }
};

export interface Loaded {
  settings: Settings;
  /** Every password spelling seen, for masking. */
  secrets: string[];
  warnings: string[];
  files: string[];
}

export function loadSettings(
  inputLayer: Layer,
  configFilesInput: string[],
  env: NodeJS.ProcessEnv,
  cwd: string
): Loaded {
  const warnings: string[] = [];
  const fromEnv = envLayer(env);
  for (const name of fromEnv.unknown)
    warnings.push(`${name} is not a Flyway setting this action supports; ignored.`);
  const fromInput = configFilesInput.length > 0;
  const files = fromInput
    ? configFilesInput
    : (env.FLYWAY_CONFIG_FILES ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '');
  const environment = inputLayer.get('environment')?.value ?? fromEnv.layer.get('environment')?.value;
  const fileLayers: Layer[] = [];
  for (const file of files) {
    const full = path.resolve(cwd, file);
    if (!existsSync(full)) {
      const message = `config file ${file} does not exist (looked in ${full}).`;
      if (fromInput) throw new InputError(INPUTS.configFiles, message);
      throw new ConfigError(`FLYWAY_CONFIG_FILES: ${message}`);
    }
    const text = readFileSync(full, 'utf8');
    let result;
    try {
      result = file.toLowerCase().endsWith('.toml')
        ? tomlLayer(text, file, env, environment)
        : confLayer(text, file, env);
    } catch (error) {
      throw new ConfigError(error instanceof Error ? error.message : String(error));
    }
    for (const key of result.unknown)
      warnings.push(`${key} in ${file} is not a Flyway setting this action supports; ignored.`);
    fileLayers.push(result.layer);
  }
  const merged = mergeLayers(...fileLayers, fromEnv.layer, inputLayer);
  for (const [key, { when, why }] of Object.entries(IGNORED)) {
    const setting = merged.get(key);
    if (setting && when.test(setting.value.trim()))
      warnings.push(`${describeSource(setting.source)} is ignored: ${why}`);
  }
  const secrets = [...fileLayers, fromEnv.layer, inputLayer]
    .map((layer) => layer.get('password')?.value)
    .filter((v): v is string => v !== undefined && v !== '');
  return { settings: resolveSettings(merged), secrets, warnings, files };
}
