import { requiredInput } from '../../core/inputs.js';
import { INPUTS } from './constants.js';

export interface Inputs {
  application: string;
  deploymentGroup: string;
}

/** Reads and validates every input once. */
export function getInputs(): Inputs {
  return {
    application: requiredInput(INPUTS.application),
    deploymentGroup: requiredInput(INPUTS.deploymentGroup)
  };
}
