import { optionalInput } from '../../core/inputs.js';
import { INPUTS } from './constants.js';

export interface Inputs {
  distributionId: string | undefined;
}

/** Reads and validates every input once. */
export function getInputs(): Inputs {
  return {
    distributionId: optionalInput(INPUTS.distributionId)
  };
}
