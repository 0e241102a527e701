/**
 * The CallerReference of each request (pure). CloudFront answers a repeated reference with the same paths
 * by returning the invalidation it already made, so a reference derived from the workflow run and the
 * paths makes a retried step reuse its invalidation instead of creating (and paying for) a second one.
 */
import { createHash } from 'node:crypto';

export interface ReferenceContext {
  /** The caller-reference input: used as given for the first request, with `-2`, `-3`… for the others. */
  explicit?: string;
  env: NodeJS.ProcessEnv;
  /** When the action started (ms); only used outside GitHub Actions, where there is no run id. */
  now: number;
}

export function callerReferenceFor(
  batch: readonly string[],
  index: number,
  context: ReferenceContext
): string {
  if (context.explicit) return index === 0 ? context.explicit : `${context.explicit}-${index + 1}`;
  const {
    GITHUB_REPOSITORY: repo = '',
    GITHUB_RUN_ID: runId,
    GITHUB_RUN_ATTEMPT: attempt = '1'
  } = context.env;
  const hash = createHash('sha256');
  for (const part of [repo, runId ?? `local-${context.now}`, attempt, ...[...batch].sort()])
    hash.update(`${part}\n`);
  const digest = hash.digest('hex').slice(0, 24);
  return runId
    ? `deploy-actions-${runId}-${attempt}-${digest}`
    : `deploy-actions-local-${context.now}-${digest}`;
}
