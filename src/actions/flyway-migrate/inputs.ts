import { requiredInput } from '../../core/inputs.js';
import { INPUTS } from './constants.js';

export interface Inputs {
  url: string;
}

/** Reads and validates every input once. */
export function getInputs(): Inputs {
  return {
    url: requiredInput(INPUTS.url)
  };
}
