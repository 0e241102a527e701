import { requiredInput } from '../../core/inputs.js';
import { INPUTS } from './constants.js';

export interface Inputs {
  image: string;
}

/** Reads and validates every input once. */
export function getInputs(): Inputs {
  return {
    image: requiredInput(INPUTS.image)
  };
}
