import { ConfigError, InputError } from '../../core/errors.js';
import { INPUTS } from './constants.js';
import { getInputs } from './inputs.js';

export async function main(): Promise<void> {
  const inputs = getInputs();
  if (!inputs.distributionId) throw new InputError(INPUTS.distributionId, 'is required but was not given.');
  throw new ConfigError('cloudfront-invalidate is not implemented yet.');
}
