import { requiredInput } from '../../core/inputs.js';
import { INPUTS } from './constants.js';

export interface Inputs {
  source: string;
  bucket: string;
}

/** Reads and validates every input once. */
export function getInputs(): Inputs {
  return {
    source: requiredInput(INPUTS.source),
    bucket: requiredInput(INPUTS.bucket)
  };
}
