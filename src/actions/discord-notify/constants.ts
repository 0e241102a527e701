/** Input and output names of this action, checked against action.yml by the manifest test. */
export const INPUTS = {
  webhookUrl: 'webhook-url',
  status: 'status',
  jobStatus: 'job-status',
  title: 'title',
  description: 'description',
  content: 'content',
  fields: 'fields',
  url: 'url',
  mentionOnFailure: 'mention-on-failure',
  username: 'username',
  avatarUrl: 'avatar-url',
  threadId: 'thread-id',
  threadName: 'thread-name',
  messageId: 'message-id',
  startedAt: 'started-at',
  failOnError: 'fail-on-error',
  maxAttempts: 'max-attempts',
  maxRetryWait: 'max-retry-wait'
} as const;

export const OUTPUTS = {
  messageId: 'message-id',
  threadId: 'thread-id',
  payload: 'payload'
} as const;

/**
 * Internal environment variables for tests and the local demo, not inputs: they are not part of the
 * action's contract and never relax the validation of `webhook-url` (its id and token are still used).
 */
export const ENV = {
  /** Replaces `https://discord.com/api/v10` (http only on a loopback host), e.g. a local stand-in. */
  apiBase: 'DEPLOY_ACTIONS_DISCORD_API_BASE',
  /** Multiplies every real wait between attempts (0 in tests: the logged waits stay the real ones). */
  sleepScale: 'DEPLOY_ACTIONS_DISCORD_SLEEP_SCALE'
} as const;
