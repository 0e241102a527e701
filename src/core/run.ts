/**
 * The one place that calls `core.setFailed`: every action's entry is `runAction(main)`.
 * User errors fail with their message; anything else is a bug and also shows its stack under debug.
 */
import * as core from '@actions/core';
import { errorMessage, isUserError } from './errors.js';

export async function runAction(main: () => Promise<void>): Promise<void> {
  try {
    await main();
  } catch (error) {
    if (!isUserError(error) && error instanceof Error && error.stack) core.debug(error.stack);
    core.setFailed(errorMessage(error));
  }
}
