/** What a bundled action visibly printed: main and post, stdout and stderr, minus `::add-mask::` commands. */
import type { RunResult } from '../../src/cli/runner.js';

/**
 * GitHub consumes `::add-mask::<secret>` lines (they are how masking works) and never shows them, so a test
 * that a secret does not leak checks everything else the action printed.
 */
export function printed(result: RunResult): string {
  const drop = (text: string) =>
    text
      .split('\n')
      .filter((line) => !line.startsWith('::add-mask::'))
      .join('\n');
  return [result.stdout, result.stderr, result.post?.stdout ?? '', result.post?.stderr ?? '']
    .map(drop)
    .join('\n');
}
