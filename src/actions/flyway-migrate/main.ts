import { ConfigError } from '../../core/errors.js';
import { getInputs } from './inputs.js';

export async function main(): Promise<void> {
  getInputs();
  throw new ConfigError('flyway-migrate is not implemented yet.');
}
