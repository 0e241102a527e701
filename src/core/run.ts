/**
 * The one place that calls `core.setFailed`: every action's entry is `runAction(main, name)`.
 * User errors fail with their message; anything else is a bug and also shows its stack under debug.
 * A run that fails before its action wrote a job summary still gets one, saying what failed, so the
 * run's summary page never shows a silent failed step.
 */
import * as core from '@actions/core';
import { errorMessage, isUserError } from './errors.js';
import { actionsLogger } from './logger.js';
import { summaryWritten, writeSummary } from './summary.js';

export async function runAction(main: () => Promise<void>, name?: string): Promise<void> {
  try {
    await main();
  } catch (error) {
    if (!isUserError(error) && error instanceof Error && error.stack) core.debug(error.stack);
    const message = errorMessage(error);
    core.setFailed(message);
    // Only on a runner: in a terminal the error line above already says it all.
    if (name && process.env.GITHUB_STEP_SUMMARY && !summaryWritten()) {
      await writeSummary(
        {
          title: `❌ ${name} failed`,
          facts: [['Error', message]],
          notes: isUserError(error)
            ? undefined
            : [
                'This looks like a bug in the action: re-run the job with debug logging enabled to see its stack trace, and report it.'
              ]
        },
        actionsLogger
      );
    }
  }
}
