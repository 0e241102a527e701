import { ConfigError } from '../../core/errors.js';
import { getInputs } from './inputs.js';

export async function main(): Promise<void> {
  getInputs();
  throw new ConfigError('build-and-push-image is not implemented yet.');
}
