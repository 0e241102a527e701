/**
 * The invalidation engine, called by this action's main and, in process, by the root static-site deploy:
 * plan → find the distribution → for each batch in turn: wait for room under CloudFront's in-progress
 * quotas, submit (backing off on TooManyInvalidationsInProgress and throttling) → wait for completion
 * within one deadline. Clients, logger, sleep and clock are parameters, so tests pass the stand-ins.
 */
import {
  CloudFrontClient,
  CreateInvalidationCommand,
  GetInvalidationCommand,
  ListDistributionsCommand,
  ListInvalidationsCommand,
  type Invalidation
} from '@aws-sdk/client-cloudfront';
import { ConfigError, InputError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { poll, realSleep, retry, type PollOptions, type Sleep } from '../../core/retry.js';
import { formatDuration } from '../../core/time.js';
import { callerReferenceFor } from './reference.js';
import { isWildcard, MAX_FILE_PATHS_PER_REQUEST, MAX_WILDCARDS_PER_REQUEST } from './paths.js';
import { normalizeOriginPath, servedPath } from './paths.js';
import { planInvalidation, type Plan } from './plan.js';

export interface InvalidateOptions {
  distributionId?: string;
  /** A CNAME of the distribution (`www.example.com`), looked up with ListDistributions. */
  distributionAlias?: string;
  /** User-given paths, already encoded (see normalizeUserPath). */
  paths?: readonly string[];
  /** Changed keys, `/`-rooted as s3-static-sync outputs them (origin path included). */
  changedPaths?: readonly string[];
  /** Every key the site serves (same form), when known; makes eviction counts exact. */
  siteKeys?: readonly string[];
  /** The S3 prefix the distribution's origin reads from; stripped from keys. */
  originPath?: string;
  maxPaths: number;
  wait: boolean;
  timeoutMs: number;
  /** A fixed CallerReference; derived from the run and the paths when absent. */
  callerReference?: string;
  dryRun?: boolean;
  /** GITHUB_REPOSITORY, GITHUB_RUN_ID, GITHUB_RUN_ATTEMPT (default: process.env). */
  env?: NodeJS.ProcessEnv;
}

export interface InvalidateDeps {
  cloudfront: CloudFrontClient;
  logger: Logger;
  sleep?: Sleep;
  now?: () => number;
  random?: () => number;
}

export interface SubmittedInvalidation {
  id: string;
  status: string;
  paths: string[];
  callerReference: string;
  /** True when CloudFront answered with an invalidation an earlier attempt had created. */
  reused: boolean;
}

export type InvalidationStatus = 'Completed' | 'InProgress' | 'Skipped' | 'Planned';

export interface InvalidationResult {
  distributionId: string | undefined;
  plan: Plan;
  invalidations: SubmittedInvalidation[];
  status: InvalidationStatus;
  /** From start to the last batch accepted. */
  submitMs: number;
  /** Waiting for completion. */
  waitMs: number;
  timedOut: boolean;
}

/** How often to look, and how long to back off, scaled to the timeout so short timeouts still get retries. */
export function pacing(timeoutMs: number): { pollMs: number; backoffMs: number; reportMs: number } {
  return {
    pollMs: Math.min(5000, Math.max(100, Math.round(timeoutMs / 40))),
    backoffMs: Math.min(5000, Math.max(100, Math.round(timeoutMs / 40))),
    reportMs: Math.min(60_000, Math.max(1000, Math.round(timeoutMs / 4)))
  };
}

/** Plans from the options alone (pure); throws InputError for keys outside the origin path. */
export function planFor(options: InvalidateOptions): Plan {
  const origin = normalizeOriginPath(options.originPath);
  const changed: string[] = [];
  const outside: string[] = [];
  for (const key of options.changedPaths ?? []) {
    const served = servedPath(key, origin);
    if (served === undefined) outside.push(key);
    else changed.push(served);
  }
  if (outside.length)
    throw new InputError(
      'origin-path',
      `${outside.length} changed key(s) are not under '${origin}' (e.g. '${outside[0]}'), so the distribution cannot serve them; set origin-path to the S3 prefix the distribution's origin reads from.`
    );
  const siteKeys = options.siteKeys
    ?.map((key) => servedPath(key, origin))
    .filter((key): key is string => key !== undefined);
  return planInvalidation({ changed, maxPaths: options.maxPaths, siteKeys, explicit: options.paths });
}

function errorCode(error: unknown): string {
  const e = error as { name?: string; Code?: string; code?: string };
  return e?.name ?? e?.Code ?? e?.code ?? '';
}

/** CreateInvalidation attempts per batch (with backoff up to a minute apart, and never past the timeout). */
const SUBMIT_ATTEMPTS = 30;

const RETRYABLE = new Set([
  'TooManyInvalidationsInProgress',
  'Throttling',
  'ThrottlingException',
  'RequestLimitExceeded',
  'ServiceUnavailable',
  'InternalError'
]);

/** Finds the distribution whose CNAME (or *.cloudfront.net domain) is `alias`. */
export async function findDistribution(
  cloudfront: CloudFrontClient,
  alias: string,
  logger: Logger
): Promise<string> {
  const wanted = alias.toLowerCase().replace(/\.$/, '');
  const wildcardOf = (name: string) => `*${name.slice(name.indexOf('.'))}`;
  let marker: string | undefined;
  let searched = 0;
  let wildcardMatch: string | undefined;
  do {
    const page = await cloudfront.send(new ListDistributionsCommand({ Marker: marker, MaxItems: 100 }));
    const list = page.DistributionList;
    for (const d of list?.Items ?? []) {
      searched++;
      const names = [...(d.Aliases?.Items ?? []), d.DomainName ?? ''].map((n) => n.toLowerCase());
      if (names.includes(wanted)) {
        logger.info(`Distribution ${d.Id} serves ${alias}`);
        return d.Id as string;
      }
      if (!wildcardMatch && names.includes(wildcardOf(wanted))) wildcardMatch = d.Id;
    }
    marker = list?.IsTruncated ? list.NextMarker : undefined;
  } while (marker);
  if (wildcardMatch) {
    logger.info(
      `Distribution ${wildcardMatch} serves ${alias} through the wildcard CNAME ${wildcardOf(wanted)}`
    );
    return wildcardMatch;
  }
  throw new ConfigError(
    `No CloudFront distribution has the alias '${alias}' (searched ${searched}); check distribution-alias, or give distribution-id.`
  );
}

interface InProgressLoad {
  count: number;
  files: number;
  wildcards: number;
  /** An invalidation already holding this CallerReference (a retried step). */
  mine?: Invalidation;
}

/** Looks at the distribution's in-progress invalidations (up to 25 of them in detail). */
async function inProgressLoad(
  cloudfront: CloudFrontClient,
  distributionId: string,
  reference: string
): Promise<InProgressLoad> {
  const list = await cloudfront.send(
    new ListInvalidationsCommand({ DistributionId: distributionId, MaxItems: 100 })
  );
  const running = (list.InvalidationList?.Items ?? []).filter((i) => i.Status === 'InProgress');
  const load: InProgressLoad = { count: running.length, files: 0, wildcards: 0 };
  for (const summary of running.slice(0, 25)) {
    const { Invalidation: inv } = await cloudfront.send(
      new GetInvalidationCommand({ DistributionId: distributionId, Id: summary.Id })
    );
    const paths = inv?.InvalidationBatch?.Paths?.Items ?? [];
    if (inv?.InvalidationBatch?.CallerReference === reference) load.mine = inv;
    load.wildcards += paths.filter(isWildcard).length;
    load.files += paths.length - paths.filter(isWildcard).length;
  }
  return load;
}

/** Runs the whole invalidation; never throws on a timeout (the result says `timedOut`). */
export async function invalidate(
  options: InvalidateOptions,
  deps: InvalidateDeps
): Promise<InvalidationResult> {
  const { cloudfront, logger, sleep = realSleep, now = Date.now, random = Math.random } = deps;
  const start = now();
  const deadline = start + options.timeoutMs;
  const left = () => Math.max(0, deadline - now());
  const pace = pacing(options.timeoutMs);
  const pollOptions = (label: string): PollOptions => ({
    label,
    timeoutMs: left(),
    intervalMs: pace.pollMs,
    sleep,
    now,
    logger,
    reportEveryMs: pace.reportMs
  });

  const plan = planFor(options);
  const result: InvalidationResult = {
    distributionId: options.distributionId,
    plan,
    invalidations: [],
    status: 'Skipped',
    submitMs: 0,
    waitMs: 0,
    timedOut: false
  };
  logPlan(plan, options.maxPaths, logger);
  if (plan.paths.length === 0) {
    logger.notice('Nothing to invalidate: no path changed.');
    return result;
  }
  if (options.dryRun) {
    logger.notice(`Dry run: ${plan.paths.length} path(s) planned, nothing submitted.`);
    return { ...result, status: 'Planned' };
  }

  const distributionId =
    options.distributionId ??
    (await findDistribution(cloudfront, options.distributionAlias as string, logger));
  result.distributionId = distributionId;
  const env = options.env ?? process.env;

  for (const [index, batch] of plan.batches.entries()) {
    const label = plan.batches.length > 1 ? ` ${index + 1}/${plan.batches.length}` : '';
    const reference = callerReferenceFor(batch, index, {
      explicit: options.callerReference,
      env,
      now: start
    });
    const submitted = await logger.group(
      `Submitting invalidation${label} (${batch.length} paths)`,
      async () => {
        const wildcards = batch.filter(isWildcard).length;
        const files = batch.length - wildcards;
        // Look first: wait while the in-progress quotas have no room for this batch.
        let reusable: Invalidation | undefined;
        const room = await poll<true>(async () => {
          const load = await inProgressLoad(cloudfront, distributionId, reference);
          if (load.mine) {
            reusable = load.mine;
            return { done: true, value: true };
          }
          const fits =
            load.files + files <= MAX_FILE_PATHS_PER_REQUEST &&
            load.wildcards + wildcards <= MAX_WILDCARDS_PER_REQUEST;
          if (load.count) {
            logger.info(
              `${load.count} invalidation(s) in progress on ${distributionId} (${load.files} files, ${load.wildcards} wildcards)` +
                (fits ? '' : `: no room yet for ${files} files and ${wildcards} wildcards, waiting`)
            );
          }
          return fits ? { done: true, value: true } : { done: false, status: `${load.count} in progress` };
        }, pollOptions('Room under the in-progress quotas'));
        if (room.timedOut)
          throw new ConfigError(
            `CloudFront still had no room for ${files} files and ${wildcards} wildcards on ${distributionId} after ${formatDuration(room.elapsedMs)}; nothing was submitted${index ? ` after ${index} earlier batch(es): ${result.invalidations.map((i) => i.id).join(', ')}` : ''}. Raise timeout or wait for the running invalidations.`
          );
        if (reusable) {
          logger.info(
            `Invalidation ${reusable.Id} already has caller reference ${reference}: reusing it (a retried step).`
          );
        }
        const response = await retry(
          () =>
            cloudfront.send(
              new CreateInvalidationCommand({
                DistributionId: distributionId,
                InvalidationBatch: {
                  CallerReference: reference,
                  Paths: { Quantity: batch.length, Items: batch }
                }
              })
            ),
          {
            label: 'CreateInvalidation',
            attempts: SUBMIT_ATTEMPTS,
            baseDelayMs: pace.backoffMs,
            maxDelayMs: 60_000,
            maxTotalDelayMs: left(),
            sleep,
            random,
            logger,
            retryable: (error) => RETRYABLE.has(errorCode(error))
          }
        ).catch((error: unknown) => {
          const code = errorCode(error);
          if (code === 'InvalidationBatchAlreadyExists')
            throw new ConfigError(
              `Caller reference '${reference}' was already used on ${distributionId} for other paths; give a new caller-reference or leave it empty to derive one.`
            );
          if (code === 'NoSuchDistribution')
            throw new ConfigError(
              `Distribution '${distributionId}' does not exist (or these credentials cannot see it).`
            );
          if (code === 'AccessDenied')
            throw new ConfigError(
              `Access denied creating an invalidation on ${distributionId}: the role needs cloudfront:CreateInvalidation. ${(error as Error).message}`
            );
          if (RETRYABLE.has(code))
            throw new ConfigError(
              `CloudFront kept answering ${code} for ${formatDuration(now() - start)}; nothing was submitted for batch${label || ' 1'}. Raise timeout, or wait for the invalidations in progress.`
            );
          throw error;
        });
        const inv = response.Invalidation;
        const created: SubmittedInvalidation = {
          id: inv?.Id ?? '',
          status: inv?.Status ?? 'InProgress',
          paths: [...batch],
          callerReference: reference,
          // A new invalidation always starts InProgress; CloudFront answers a caller reference it has
          // seen with the earlier invalidation, which a retried step finds already Completed.
          reused: reusable !== undefined || inv?.Status === 'Completed'
        };
        logger.info(
          `${created.reused ? 'Reused' : 'Created'} invalidation ${created.id} (${created.status})`
        );
        return created;
      }
    );
    result.invalidations.push(submitted);
  }
  result.submitMs = now() - start;

  if (options.wait) {
    const waitStart = now();
    for (const inv of result.invalidations) {
      if (inv.status === 'Completed') continue;
      logger.info(`Waiting for invalidation ${inv.id} to complete (for up to ${formatDuration(left())})`);
      const outcome = await poll<string>(
        async () => {
          try {
            const { Invalidation: current } = await cloudfront.send(
              new GetInvalidationCommand({ DistributionId: distributionId, Id: inv.id })
            );
            inv.status = current?.Status ?? inv.status;
          } catch (error) {
            // The invalidation exists; a passing failure to look at it is no reason to fail the deploy.
            if (!RETRYABLE.has(errorCode(error))) throw error;
            logger.info(`Could not check ${inv.id} (${errorCode(error)}); checking again`);
          }
          logger.debug(`${inv.id}: ${inv.status} after ${formatDuration(now() - waitStart)}`);
          return inv.status === 'Completed'
            ? { done: true, value: inv.status }
            : { done: false, status: inv.status };
        },
        pollOptions(`Waiting for invalidation ${inv.id}`)
      );
      if (outcome.timedOut) {
        result.timedOut = true;
        break;
      }
      logger.info(`Invalidation ${inv.id} completed after ${formatDuration(now() - waitStart)} of waiting`);
    }
    result.waitMs = now() - waitStart;
  }
  result.status = result.invalidations.every((i) => i.status === 'Completed') ? 'Completed' : 'InProgress';
  return result;
}

function logPlan(plan: Plan, maxPaths: number, logger: Logger): void {
  const evicts = plan.measured
    ? `${plan.evicts} unchanged object(s) evicted`
    : 'eviction not measured (no site listing)';
  logger.info(
    `Plan: ${plan.paths.length} path(s) of ${maxPaths} allowed for ${plan.changedCount} changed key(s); ${evicts}; ${plan.batches.length} request(s)`
  );
  const shown = plan.paths.slice(0, 200);
  for (const p of shown) logger.info(`  ${p.path} ${p.reason}`);
  if (plan.paths.length > shown.length) logger.info(`  … and ${plan.paths.length - shown.length} more`);
}
