import { optionalInput } from '../../core/inputs.js';
import { INPUTS } from './constants.js';

export interface Inputs {
  webhookUrl: string | undefined;
}

/** Reads and validates every input once. */
export function getInputs(): Inputs {
  return {
    webhookUrl: optionalInput(INPUTS.webhookUrl, { secret: true })
  };
}
