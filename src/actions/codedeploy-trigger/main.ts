import { ConfigError } from '../../core/errors.js';
import { getInputs } from './inputs.js';

export async function main(): Promise<void> {
  getInputs();
  throw new ConfigError('codedeploy-trigger is not implemented yet.');
}
