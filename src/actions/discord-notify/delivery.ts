/**
 * Sends one request to Discord with bounded, labelled retries (core retry): 429s wait exactly as long as
 * Discord says, 5xx and network errors back off, other 4xx fail at once with Discord's JSON error.
 *
 * Exactly one message per notification: a 429 means Discord did nothing, so any request may repeat
 * after it. An edit (PATCH) is idempotent, so it is retried after any failure. A new message (POST) is
 * retried after a 5xx and after a network error that happened before the request could have left
 * (DNS, connection refused, TLS); when the connection broke after the request was sent, Discord may
 * already have posted it and a webhook has no way to ask, so the POST is not repeated and the warning
 * says the message may or may not be there. A lost notification is reported; a duplicate would not be.
 */
import { UserError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { retry, type RetryDecision, type Sleep } from '../../core/retry.js';
import type { Endpoint } from './webhook.js';

/** A message as Discord returns it (the fields this action reads). */
export interface DiscordMessage {
  id: string;
  channel_id: string;
  timestamp?: string;
  [key: string]: unknown;
}

/** Discord answered with an error status. */
export class DiscordApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly retryAfterMs?: number
  ) {
    super(describeResponse(status, body, retryAfterMs));
    this.name = 'DiscordApiError';
  }
  /** Discord's JSON error code (10015 Unknown Webhook, 50035 Invalid Form Body, …). */
  get code(): number | undefined {
    const code = (this.body as { code?: unknown } | undefined)?.code;
    return typeof code === 'number' ? code : undefined;
  }
}

/** The request failed without an HTTP answer. `sent`: whether it may have reached Discord. */
export class NetworkError extends Error {
  constructor(
    message: string,
    readonly sent: boolean
  ) {
    super(message);
    this.name = 'NetworkError';
  }
}

/** Errors raised while connecting, before a byte of the request could have reached the server. */
const NOT_SENT = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'ERR_TLS_CERT_ALTNAME_INVALID'
]);

function causeChain(error: unknown): Array<{ code?: string; message?: string }> {
  const chain: Array<{ code?: string; message?: string }> = [];
  for (
    let e = error as { code?: string; message?: string; cause?: unknown } | undefined;
    e && chain.length < 5;
  ) {
    chain.push(e);
    e = e.cause as typeof e;
  }
  return chain;
}

/** Classifies a fetch failure: was the request possibly delivered? */
export function networkError(error: unknown): NetworkError {
  const chain = causeChain(error);
  const code = chain.map((e) => e.code).find(Boolean);
  const sent = !(code && NOT_SENT.has(code));
  const detail = chain
    .map((e) => e.message)
    .filter(Boolean)
    .join(': ');
  return new NetworkError(`network error${code ? ` ${code}` : ''} (${detail || 'no detail'})`, sent);
}

/** Flattens Discord's nested `errors` object into `embeds.0.title: Must be 256 or fewer in length.` */
export function flattenErrors(errors: unknown, path: string[] = []): string[] {
  if (errors === null || typeof errors !== 'object') return [];
  if (Array.isArray(errors)) {
    // The old shape: {"embeds": ["0"]} names the offending items.
    return [
      `${path.join('.') || 'body'}: ${errors.map((e) => (typeof e === 'string' ? e : JSON.stringify(e))).join(', ')}`
    ];
  }
  const lines: string[] = [];
  for (const [key, value] of Object.entries(errors as Record<string, unknown>)) {
    if (key === '_errors' && Array.isArray(value)) {
      for (const item of value as Array<{ code?: string; message?: string }>)
        lines.push(`${path.join('.') || 'body'}: ${item.message ?? item.code ?? JSON.stringify(item)}`);
    } else lines.push(...flattenErrors(value, [...path, key]));
  }
  return lines;
}

/** `Discord answered 400 (50035 Invalid Form Body; embeds.0.title: Must be 256 or fewer in length.)` */
export function describeResponse(status: number, body: unknown, retryAfterMs?: number): string {
  const parts: string[] = [];
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    const b = body as { code?: unknown; message?: unknown; errors?: unknown; retry_after?: unknown };
    const head = [b.code, b.message].filter((x) => x !== undefined && x !== '').join(' ');
    if (head) parts.push(head);
    const details = b.errors !== undefined ? flattenErrors(b.errors) : [];
    // Old-style bodies put the offending keys at the top level: {"embeds": ["0"]}.
    const rest = Object.entries(b).filter(
      ([k]) => !['code', 'message', 'errors', 'retry_after', 'global'].includes(k)
    );
    for (const [key, value] of rest)
      details.push(
        ...flattenErrors(Array.isArray(value) ? value : { [key]: value }, Array.isArray(value) ? [key] : [])
      );
    if (details.length) parts.push(details.join('; '));
  } else if (typeof body === 'string' && body.trim()) {
    parts.push(body.trim().replace(/\s+/g, ' ').slice(0, 200));
  }
  if (retryAfterMs !== undefined)
    parts.push(`retry after ${(retryAfterMs / 1000).toFixed(3).replace(/\.?0+$/, '')}s`);
  return `Discord answered ${status}${parts.length ? ` (${parts.join('; ')})` : ''}`;
}

/**
 * How long a 429 asks to wait, in ms: `retry_after` in the JSON body (seconds, may be fractional), else
 * `X-RateLimit-Reset-After` (seconds, fractional), else `Retry-After` (seconds or an HTTP date).
 */
export function retryAfterMs(body: unknown, headers: Headers, now: number = Date.now()): number | undefined {
  const fromBody = (body as { retry_after?: unknown } | undefined)?.retry_after;
  const seconds = (value: unknown) => {
    const n =
      typeof value === 'number'
        ? value
        : typeof value === 'string' && value.trim() !== ''
          ? Number(value)
          : NaN;
    return Number.isFinite(n) && n >= 0 ? Math.ceil(n * 1000) : undefined;
  };
  const body429 = seconds(fromBody);
  if (body429 !== undefined) return body429;
  const reset = seconds(headers.get('x-ratelimit-reset-after'));
  if (reset !== undefined) return reset;
  const retryAfter = headers.get('retry-after');
  if (retryAfter) {
    const s = seconds(retryAfter);
    if (s !== undefined) return s;
    const date = Date.parse(retryAfter);
    if (!Number.isNaN(date)) return Math.max(0, date - now);
  }
  return undefined;
}

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

export interface DeliveryOptions {
  /** Total attempts (default 5). */
  attempts: number;
  /** Cap on the sum of all waits between attempts; a 429 asking for more gives up at once. */
  maxTotalDelayMs: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Per-request timeout (default 15 s). */
  timeoutMs?: number;
  sleep?: Sleep;
  random?: () => number;
  logger: Logger;
  fetch?: typeof fetch;
}

export interface Delivered {
  /** The message Discord returned (absent when it answered 204). */
  message?: DiscordMessage;
  attempts: number;
}

/** Whether a failure is worth another attempt, and after how long. */
export function retryDecision(method: Endpoint['method'], error: unknown): RetryDecision {
  if (error instanceof DiscordApiError) {
    if (error.status === 429)
      return error.retryAfterMs !== undefined ? { afterMs: error.retryAfterMs } : true;
    return error.status >= 500;
  }
  if (error instanceof NetworkError) return method !== 'POST' || !error.sent;
  return false;
}

/** Sends `body` to `endpoint` and returns Discord's answer; throws the last error when it gives up. */
export async function deliver(
  endpoint: Endpoint,
  body: unknown,
  options: DeliveryOptions
): Promise<Delivered> {
  const doFetch = options.fetch ?? fetch;
  let attempts = 0;
  const label = `${endpoint.method === 'PATCH' ? 'Editing' : 'Posting'} the Discord message`;
  let message: unknown;
  try {
    message = await retry(
      async (attempt) => {
        attempts = attempt;
        let response: Response;
        try {
          response = await doFetch(endpoint.url, {
            method: endpoint.method,
            headers: { 'content-type': 'application/json', 'user-agent': 'deploy-actions/discord-notify' },
            body: endpoint.method === 'GET' ? undefined : JSON.stringify(body),
            signal: AbortSignal.timeout(options.timeoutMs ?? 15_000)
          });
        } catch (error) {
          throw networkError(error);
        }
        let parsed: unknown;
        try {
          parsed = await readBody(response);
        } catch (error) {
          throw networkError(error);
        }
        if (response.status === 429)
          throw new DiscordApiError(429, parsed, retryAfterMs(parsed, response.headers));
        if (!response.ok) throw new DiscordApiError(response.status, parsed);
        return parsed as DiscordMessage | undefined;
      },
      {
        label,
        attempts: options.attempts,
        baseDelayMs: options.baseDelayMs ?? 1000,
        maxDelayMs: options.maxDelayMs ?? 15_000,
        maxTotalDelayMs: options.maxTotalDelayMs,
        retryable: (error) => retryDecision(endpoint.method, error),
        sleep: options.sleep,
        random: options.random,
        logger: options.logger
      }
    );
  } catch (error) {
    throw new DeliveryError(label, error, attempts, endpoint.method, attempts < options.attempts);
  }
  return {
    message: message && typeof message === 'object' ? (message as DiscordMessage) : undefined,
    attempts
  };
}

/** What to do about the Discord error codes users meet. */
const HINTS: Record<number, string> = {
  10003: 'the thread or channel does not exist (check thread-id)',
  10008: 'that message does not exist in this channel; if it was posted in a thread, pass thread-id too',
  10015: 'the webhook was deleted; create a new one and update the secret',
  50027: 'the token part of webhook-url is wrong; copy the URL again from the channel settings',
  50035: 'the message was refused as invalid',
  220001: 'this webhook posts to a forum channel: give thread-name (new post) or thread-id (existing post)',
  220003: 'thread-name only works for a webhook of a forum channel'
};

/** Delivery gave up: the last error, how many attempts were made, and what the user can do. */
export class DeliveryError extends UserError {
  constructor(
    label: string,
    readonly cause: unknown,
    readonly attempts: number,
    method: Endpoint['method'],
    stoppedEarly: boolean
  ) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    const notes: string[] = [];
    if (cause instanceof DiscordApiError) {
      const hint = cause.code !== undefined ? HINTS[cause.code] : undefined;
      if (hint) notes.push(hint);
      if (cause.status === 429 && stoppedEarly)
        notes.push('Discord asked to wait longer than max-retry-wait allows');
    }
    if (cause instanceof NetworkError && cause.sent && method === 'POST')
      notes.push(
        'the request may have reached Discord, so it was not repeated (a repeat could post the message twice); check the channel'
      );
    super(
      `${label} failed after ${attempts} attempt${attempts === 1 ? '' : 's'}: ${reason}${notes.length ? ` — ${notes.join('; ')}` : ''}.`
    );
  }
}
