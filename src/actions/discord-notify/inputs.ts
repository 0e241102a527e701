import { booleanInput, choiceInput, durationInput, integerInput, optionalInput } from '../../core/inputs.js';
import { InputError } from '../../core/errors.js';
import { INPUTS } from './constants.js';
import { LIMITS } from './limits.js';
import { STATUSES, type MessageInput, type Status } from './message.js';
import { isSnowflake, parseFields, parseMentions, parseTime } from './parse.js';
import { codePointLength } from './text.js';
import { parseWebhookUrl, type Webhook } from './webhook.js';
import { maskSecret } from '../../core/secrets.js';

/** What the message says (see MessageInput), and where and how to deliver it. */
export interface Inputs extends Omit<MessageInput, 'elapsedMs'> {
  webhook: Webhook;
  threadId?: string;
  messageId?: string;
  startedAt?: Date;
  failOnError: boolean;
  maxAttempts: number;
  maxRetryWaitMs: number;
}

/** No webhook (e.g. a pull request from a fork, where secrets are empty): nothing else is read. */
export interface Skip {
  webhook: undefined;
}

/** An input left as the literal `${{ … }}` (a local run, where nothing expands expressions) is unset. */
function expanded(value: string | undefined): string | undefined {
  return value !== undefined && /^\$\{\{.*\}\}$/s.test(value) ? undefined : value;
}

function httpUrl(name: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:'))
    throw new InputError(name, `'${value}' is not an http(s) URL.`);
  return value;
}

function resolveStatus(status: Status | 'auto', jobStatus: string | undefined): Status {
  if (status !== 'auto') return status;
  if (jobStatus === undefined)
    throw new InputError(
      INPUTS.jobStatus,
      'is needed when status is auto (the default); pass job-status: ${{ job.status }}, or set status.'
    );
  const value = jobStatus.toLowerCase();
  if (value === 'success' || value === 'failure' || value === 'cancelled') return value;
  throw new InputError(
    INPUTS.jobStatus,
    `'${jobStatus}' is not a job status; expected success, failure or cancelled.`
  );
}

function username(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (codePointLength(value) > LIMITS.username)
    throw new InputError(INPUTS.username, `is longer than Discord's ${LIMITS.username} characters.`);
  if (/discord|clyde/i.test(value) || /^(everyone|here)$/i.test(value))
    throw new InputError(
      INPUTS.username,
      `'${value}' is refused by Discord (a webhook name may not contain "discord" or "clyde", nor be "everyone" or "here").`
    );
  return value;
}

/** Reads and validates every input once. */
export function getInputs(): Inputs | Skip {
  const url = optionalInput(INPUTS.webhookUrl, { secret: true });
  if (url === undefined) return { webhook: undefined };
  const parsedUrl = parseWebhookUrl(url);
  if ('reason' in parsedUrl) throw new InputError(INPUTS.webhookUrl, parsedUrl.reason);
  const webhook = parsedUrl.webhook;
  // The full URL is masked already; the token alone must be too (it could surface on its own).
  maskSecret(webhook.token);

  const status = resolveStatus(
    choiceInput(INPUTS.status, [...STATUSES, 'auto'] as const, 'auto'),
    expanded(optionalInput(INPUTS.jobStatus))
  );

  const fields = parseFields(optionalInput(INPUTS.fields) ?? '');
  if (!fields.ok) throw new InputError(INPUTS.fields, fields.reason);
  const mentions = parseMentions(optionalInput(INPUTS.mentionOnFailure) ?? '');
  if (!mentions.ok) throw new InputError(INPUTS.mentionOnFailure, mentions.reason);

  const id = (name: string) => {
    const value = expanded(optionalInput(name));
    if (value !== undefined && !isSnowflake(value))
      throw new InputError(name, `'${value}' is not a Discord id (15 to 21 digits).`);
    return value;
  };
  const messageId = id(INPUTS.messageId);
  const threadId = id(INPUTS.threadId) ?? webhook.threadId;
  const threadName = optionalInput(INPUTS.threadName);
  if (threadName !== undefined && codePointLength(threadName) > 100)
    throw new InputError(
      INPUTS.threadName,
      'is longer than the 100 characters Discord allows for a thread name.'
    );
  if (messageId === undefined && threadId !== undefined && threadName !== undefined)
    throw new InputError(
      INPUTS.threadName,
      'creates a new forum post and cannot be combined with thread-id (which posts in an existing thread); give one of them.'
    );
  if (messageId !== undefined && threadName !== undefined && threadId === undefined)
    throw new InputError(
      INPUTS.threadName,
      'cannot find the message to edit; pass thread-id (the thread-id output of the step that posted it) instead.'
    );

  const startedAtText = expanded(optionalInput(INPUTS.startedAt));
  let startedAt: Date | undefined;
  if (startedAtText !== undefined) {
    const parsed = parseTime(startedAtText);
    if (!parsed.ok) throw new InputError(INPUTS.startedAt, parsed.reason);
    startedAt = parsed.value;
  }

  return {
    webhook,
    status,
    title: optionalInput(INPUTS.title),
    description: optionalInput(INPUTS.description),
    content: optionalInput(INPUTS.content),
    fields: fields.value,
    url: httpUrl(INPUTS.url, optionalInput(INPUTS.url)),
    mentions: mentions.value,
    username: username(optionalInput(INPUTS.username)),
    avatarUrl: httpUrl(INPUTS.avatarUrl, optionalInput(INPUTS.avatarUrl)),
    threadId,
    threadName: messageId === undefined ? threadName : undefined,
    messageId,
    startedAt,
    failOnError: booleanInput(INPUTS.failOnError, false),
    maxAttempts: integerInput(INPUTS.maxAttempts, 5, { min: 1, max: 10 }),
    maxRetryWaitMs: durationInput(INPUTS.maxRetryWait, '60s', { maxMs: 15 * 60_000 })
  };
}
