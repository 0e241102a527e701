/** The job summary: the message as sent, as a table of its fields (pure: returns summary data). */
import type { SummaryData } from '../../core/summary.js';
import { formatDuration } from '../../core/time.js';
import type { WebhookMessage } from './limits.js';
import { STATUS_STYLE, type Status } from './message.js';

/** One row per visible part of the message, in the order Discord shows them. */
export function messageRows(message: WebhookMessage): string[][] {
  const rows: string[][] = [];
  if (message.content) rows.push(['Content', message.content]);
  const embed = message.embeds?.[0];
  if (embed) {
    if (embed.author) rows.push(['Author', embed.author.name]);
    if (embed.title) rows.push(['Title', embed.title]);
    if (embed.url) rows.push(['Link', embed.url]);
    if (embed.description) rows.push(['Description', embed.description]);
    for (const field of embed.fields ?? []) rows.push([field.name, field.value]);
    if (embed.footer) rows.push(['Footer', embed.footer.text]);
    if (embed.color !== undefined) rows.push(['Colour', `#${embed.color.toString(16).padStart(6, '0')}`]);
  }
  return rows;
}

export interface Outcome {
  status: Status;
  action: 'posted' | 'edited' | 'not delivered';
  messageId?: string;
  threadId?: string;
  attempts: number;
  elapsedMs: number;
  message: WebhookMessage;
  cuts: string[];
  error?: string;
  runUrl?: string;
}

export function summaryData(outcome: Outcome): SummaryData {
  const style = STATUS_STYLE[outcome.status];
  const head =
    outcome.action === 'not delivered'
      ? '⚠️ discord-notify: message NOT delivered'
      : `${style.emoji} discord-notify: message ${outcome.action}`;
  const facts: Array<[string, string]> = [['Status', `${style.emoji} ${outcome.status}`]];
  if (outcome.messageId) facts.push(['Message id', outcome.messageId]);
  if (outcome.threadId) facts.push(['Thread id', outcome.threadId]);
  facts.push(['Attempts', String(outcome.attempts)], ['Took', formatDuration(outcome.elapsedMs)]);
  if (outcome.error) facts.push(['Error', outcome.error]);
  return {
    title: head,
    facts,
    tables: [{ heading: 'Message', columns: ['Field', 'Value'], rows: messageRows(outcome.message) }],
    links: outcome.runUrl ? [{ text: 'Workflow run', href: outcome.runUrl }] : [],
    notes: outcome.cuts.length ? [`Cut to fit Discord's limits: ${outcome.cuts.join('; ')}.`] : []
  };
}
