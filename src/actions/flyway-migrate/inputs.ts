import {
  booleanInput,
  choiceInput,
  durationInput,
  listInput,
  mapInput,
  optionalInput
} from '../../core/inputs.js';
import type { Layer } from './config.js';
import { COMMANDS, INPUTS } from './constants.js';
import type { Command } from './engine.js';
import { passwordSpellings } from './url.js';
import { maskSecret } from '../../core/secrets.js';

export interface Inputs {
  command: Command;
  dryRun: boolean;
  cleanEnabled: boolean;
  connectTimeoutMs: number;
  /** Config files named by the input (FLYWAY_CONFIG_FILES is read with the environment). */
  configFiles: string[];
  /** The Flyway settings given as inputs, the top configuration layer. */
  layer: Layer;
}

/** Inputs that carry a Flyway setting, by Flyway key. */
const FLYWAY_INPUTS: Array<[string, string]> = [
  [INPUTS.url, 'url'],
  [INPUTS.user, 'user'],
  [INPUTS.locations, 'locations'],
  [INPUTS.schemas, 'schemas'],
  [INPUTS.table, 'table'],
  [INPUTS.target, 'target'],
  [INPUTS.baselineOnMigrate, 'baselineOnMigrate'],
  [INPUTS.baselineVersion, 'baselineVersion'],
  [INPUTS.outOfOrder, 'outOfOrder'],
  [INPUTS.validateOnMigrate, 'validateOnMigrate'],
  [INPUTS.ignoreMigrationPatterns, 'ignoreMigrationPatterns'],
  [INPUTS.connectRetries, 'connectRetries']
];

/** Reads and validates every input once. Secrets are masked the moment they are read. */
export function getInputs(): Inputs {
  const layer: Layer = new Map();
  const password = optionalInput(INPUTS.password, { secret: true });
  if (password !== undefined)
    layer.set('password', { value: password, source: { kind: 'input', name: INPUTS.password } });
  const url = optionalInput(INPUTS.url);
  if (url !== undefined) for (const spelling of passwordSpellings(url)) maskSecret(spelling);
  for (const [input, key] of FLYWAY_INPUTS) {
    const value = input === INPUTS.url ? url : optionalInput(input);
    if (value !== undefined) layer.set(key, { value, source: { kind: 'input', name: input } });
  }
  for (const [name, value] of mapInput(INPUTS.placeholders)) {
    layer.set(`placeholders.${name.toLowerCase()}`, {
      value,
      source: { kind: 'input', name: INPUTS.placeholders }
    });
  }
  return {
    command: choiceInput(INPUTS.command, COMMANDS, 'migrate'),
    dryRun: booleanInput(INPUTS.dryRun, false),
    cleanEnabled: booleanInput(INPUTS.cleanEnabled, false),
    connectTimeoutMs: durationInput(INPUTS.connectTimeout, '15s', { maxMs: 600_000 }),
    configFiles: listInput(INPUTS.configFiles, { commas: true }),
    layer
  };
}
