import * as core from '@actions/core';
import { context } from '@actions/github';
import { execFileSync } from 'node:child_process';
import { ConfigError } from '../../core/errors.js';
import { actionsLogger, type Logger } from '../../core/logger.js';
import { realSleep, type Sleep } from '../../core/retry.js';
import { writeSummary } from '../../core/summary.js';
import { stopwatch } from '../../core/time.js';
import { ENV, OUTPUTS } from './constants.js';
import { deliver, DeliveryError, type Delivered } from './delivery.js';
import { getInputs, type Inputs } from './inputs.js';
import { fitMessage, type WebhookMessage } from './limits.js';
import {
  buildMessage,
  editBody,
  githubFacts,
  pingMessage,
  STATUS_STYLE,
  type ContextLike,
  type GitHubFacts,
  type MessageInput
} from './message.js';
import { snowflakeTime } from './parse.js';
import { summaryData } from './summary.js';
import { apiBase, endpoint, type Endpoint } from './webhook.js';

/** The subject of a commit from the checked-out repository, when the event payload has none. */
function gitSubject(sha: string): string | undefined {
  if (!/^[0-9a-f]{7,40}$/i.test(sha)) return undefined;
  try {
    return execFileSync('git', ['log', '-1', '--format=%s', sha], {
      cwd: process.env.GITHUB_WORKSPACE || process.cwd(),
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 5000
    }).trim();
  } catch {
    return undefined;
  }
}

function readFacts(): GitHubFacts {
  const ctx = context as unknown as ContextLike;
  const needGit = !ctx.payload.head_commit?.message && !ctx.payload.pull_request && ctx.sha;
  return githubFacts(ctx, process.env.GITHUB_REPOSITORY, needGit ? gitSubject(ctx.sha) : undefined);
}

/** Waits between attempts; ENV.sleepScale shrinks them (0 in tests), the logged waits stay real. */
function scaledSleep(): Sleep {
  const scale = Number(process.env[ENV.sleepScale] ?? '1');
  if (!Number.isFinite(scale) || scale < 0 || scale === 1) return realSleep;
  return (ms) => realSleep(ms * scale);
}

function resolveBase(inputs: Inputs, logger: Logger): string {
  const override = process.env[ENV.apiBase];
  try {
    const base = apiBase(inputs.webhook, override);
    if (override) logger.info(`Using the Discord API base from ${ENV.apiBase}: ${base}`);
    return base;
  } catch (error) {
    throw new ConfigError(`${ENV.apiBase}: ${(error as Error).message}`);
  }
}

export async function main(): Promise<void> {
  const logger = actionsLogger;
  const inputs = getInputs();
  if (!inputs.webhook) {
    core.notice(
      'discord-notify: no webhook-url was given (for example a pull request from a fork); skipping.'
    );
    return;
  }
  const took = stopwatch();
  const base = resolveBase(inputs, logger);
  const facts = readFacts();
  const now = new Date();
  const editing = inputs.messageId !== undefined;
  const since = inputs.startedAt ?? (inputs.messageId ? snowflakeTime(inputs.messageId) : undefined);
  const messageInput: MessageInput = {
    ...inputs,
    elapsedMs: since ? now.getTime() - since.getTime() : undefined
  };
  // An edit never notifies anyone on Discord: the pings go in a separate new message (below).
  const built = buildMessage(editing ? { ...messageInput, mentions: [] } : messageInput, facts, now);
  const { message, cuts } = fitMessage(built);
  for (const line of cuts) logger.info(`Cut to fit Discord's limits: ${line}`);
  const body: WebhookMessage = editing ? editBody(message) : message;
  core.setOutput(OUTPUTS.payload, JSON.stringify(body));

  const target = endpoint(base, inputs.webhook, { messageId: inputs.messageId, threadId: inputs.threadId });
  const options = {
    attempts: inputs.maxAttempts,
    maxTotalDelayMs: inputs.maxRetryWaitMs,
    sleep: scaledSleep(),
    logger
  };
  const send = (to: Endpoint, what: WebhookMessage, name: string) =>
    logger.group(name, async () => {
      logger.info(`${to.method} ${to.shown}`);
      logger.debug(JSON.stringify(what, null, 2));
      return deliver(to, what, options);
    });

  const style = STATUS_STYLE[inputs.status];
  let delivered: Delivered;
  try {
    delivered = await send(
      target,
      body,
      `${editing ? 'Editing' : 'Posting'} the Discord message (${style.emoji} ${inputs.status})`
    );
  } catch (error) {
    if (!(error instanceof DeliveryError)) throw error;
    await writeSummary(
      summaryData({
        status: inputs.status,
        action: 'not delivered',
        attempts: error.attempts,
        elapsedMs: took(),
        message: body,
        cuts,
        error: error.message,
        runUrl: facts.run?.url
      }),
      logger
    );
    if (inputs.failOnError) throw error;
    logger.warning(
      `The Discord notification was NOT delivered. ${error.message} The step succeeds anyway because fail-on-error is false.`,
      { title: 'discord-notify: notification not delivered' }
    );
    return;
  }

  const messageId = delivered.message?.id ?? inputs.messageId;
  const threadId = inputs.threadId ?? (inputs.threadName ? delivered.message?.channel_id : undefined);
  if (messageId) core.setOutput(OUTPUTS.messageId, messageId);
  if (threadId) core.setOutput(OUTPUTS.threadId, threadId);
  logger.info(
    `${editing ? 'Edited' : 'Posted'} message ${messageId ?? '(id unknown)'}${threadId ? ` in thread ${threadId}` : ''}.`
  );

  if (editing && inputs.status === 'failure' && inputs.mentions.length > 0) {
    const ping = pingMessage(inputs, facts, message);
    try {
      await send(endpoint(base, inputs.webhook, { threadId: inputs.threadId }), ping, 'Pinging on failure');
    } catch (error) {
      if (!(error instanceof DeliveryError) || inputs.failOnError) throw error;
      logger.warning(`The failure ping was NOT delivered. ${error.message}`, {
        title: 'discord-notify: ping not delivered'
      });
    }
  }

  await writeSummary(
    summaryData({
      status: inputs.status,
      action: editing ? 'edited' : 'posted',
      messageId,
      threadId,
      attempts: delivered.attempts,
      elapsedMs: took(),
      message: body,
      cuts,
      runUrl: facts.run?.url
    }),
    logger
  );
}
