/**
 * Bounded, labelled, jittered retries and polling with an injectable sleep and clock, so tests never
 * wait on a real clock. AWS calls use the SDK's own retries and waiters; this is for polling, Discord
 * and child processes.
 */
import type { Logger } from './logger.js';
import { formatDuration } from './time.js';

export type Sleep = (ms: number) => Promise<void>;
export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Full-jitter exponential backoff: a random delay in [0, min(max, base·2^(attempt-1))]. */
export function backoffDelay(
  attempt: number,
  baseMs: number,
  maxMs: number,
  random: () => number = Math.random
): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling * random());
}

/** `false`: give up; `true`: retry after the backoff delay; `{ afterMs }`: retry after exactly that long. */
export type RetryDecision = boolean | { afterMs: number };

export interface RetryOptions {
  /** Names the operation in log lines and in the final error. */
  label: string;
  /** Total attempts, at least 1. */
  attempts: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Upper bound on the sum of all waits; a retry that would exceed it is not made. */
  maxTotalDelayMs?: number;
  /** Decides whether an error is worth another attempt; default: every error is. */
  retryable?: (error: unknown, attempt: number) => RetryDecision;
  sleep?: Sleep;
  random?: () => number;
  logger?: Logger;
}

/** Calls `fn` until it resolves, an error is not retryable, or the attempts or wait budget run out. */
export async function retry<T>(fn: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const {
    label,
    attempts,
    baseDelayMs = 500,
    maxDelayMs = 20_000,
    maxTotalDelayMs = Number.POSITIVE_INFINITY,
    retryable = () => true,
    sleep = realSleep,
    random = Math.random,
    logger
  } = options;
  if (!Number.isInteger(attempts) || attempts < 1) throw new Error(`retry(${label}): attempts must be ≥ 1`);
  let waited = 0;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (error) {
      const decision = attempt < attempts ? retryable(error, attempt) : false;
      if (decision === false) throw error;
      const delay =
        decision === true ? backoffDelay(attempt, baseDelayMs, maxDelayMs, random) : decision.afterMs;
      if (waited + delay > maxTotalDelayMs) throw error;
      waited += delay;
      const reason = error instanceof Error ? error.message : String(error);
      logger?.info(
        `${label}: attempt ${attempt}/${attempts} failed (${reason}); retrying in ${formatDuration(delay)}`
      );
      await sleep(delay);
    }
  }
}

export type PollResult<T> = { done: true; value: T } | { done: false; status?: string };

export interface PollOptions {
  label: string;
  timeoutMs: number;
  /** First interval; grows by `factor` up to `maxIntervalMs`. */
  intervalMs?: number;
  maxIntervalMs?: number;
  factor?: number;
  sleep?: Sleep;
  now?: () => number;
  logger?: Logger;
  /** How often to log "still waiting" (default every 60 s of waiting). */
  reportEveryMs?: number;
}

export type PollOutcome<T> =
  { timedOut: false; value: T; elapsedMs: number } | { timedOut: true; elapsedMs: number; status?: string };

/** Calls `check` with growing intervals until it reports done or the timeout passes. */
export async function poll<T>(
  check: () => Promise<PollResult<T>>,
  options: PollOptions
): Promise<PollOutcome<T>> {
  const {
    label,
    timeoutMs,
    intervalMs = 2000,
    maxIntervalMs = 30_000,
    factor = 1.5,
    sleep = realSleep,
    now = Date.now,
    logger,
    reportEveryMs = 60_000
  } = options;
  const start = now();
  let interval = intervalMs;
  let nextReport = reportEveryMs;
  for (;;) {
    const result = await check();
    const elapsedMs = now() - start;
    if (result.done) return { timedOut: false, value: result.value, elapsedMs };
    if (elapsedMs >= timeoutMs) return { timedOut: true, elapsedMs, status: result.status };
    if (elapsedMs >= nextReport) {
      logger?.info(
        `${label}: still waiting after ${formatDuration(elapsedMs)}${result.status ? ` (${result.status})` : ''}`
      );
      nextReport += reportEveryMs;
    }
    await sleep(Math.min(interval, Math.max(0, timeoutMs - elapsedMs)));
    interval = Math.min(maxIntervalMs, interval * factor);
  }
}
