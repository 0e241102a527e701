/**
 * What the message says: the status (colour, emoji, label), the GitHub facts (repository, branch or pull
 * request, commit, actor, run, event) and the user's own title, description, fields and mentions.
 * Pure: the GitHub context and the clock come in as data.
 */
import { formatDuration } from '../../core/time.js';
import type { AllowedMentions, Embed, EmbedField, WebhookMessage } from './limits.js';
import type { Field, Mention } from './parse.js';
import { codePointLength, escapeMarkdown, firstLine } from './text.js';

export const STATUSES = ['success', 'failure', 'cancelled', 'started', 'skipped'] as const;
export type Status = (typeof STATUSES)[number];

export const STATUS_STYLE: Record<Status, { color: number; emoji: string; label: string }> = {
  started: { color: 0x0969da, emoji: '🚀', label: 'Deploying…' },
  success: { color: 0x1f883d, emoji: '✅', label: 'Succeeded' },
  failure: { color: 0xcf222e, emoji: '❌', label: 'Failed' },
  cancelled: { color: 0x8c959f, emoji: '🚫', label: 'Cancelled' },
  skipped: { color: 0xbf8700, emoji: '⏭️', label: 'Skipped' }
};

/** The subset of @actions/github's Context this action reads (so tests can pass plain data). */
export interface ContextLike {
  payload: Record<string, unknown> & {
    pull_request?: {
      number?: number;
      html_url?: string;
      title?: string;
      head?: { ref?: string; sha?: string };
    };
    head_commit?: { message?: string } | null;
    repository?: { full_name?: string; html_url?: string };
  };
  eventName: string;
  sha: string;
  ref: string;
  workflow: string;
  actor: string;
  job: string;
  runId: number;
  runNumber: number;
  runAttempt: number;
  serverUrl: string;
}

/** What GitHub knows about this run, already as Discord-ready links. */
export interface GitHubFacts {
  repository?: { name: string; url: string };
  /** Branch, tag or pull request. */
  ref?: { label: 'Branch' | 'Tag' | 'Pull request'; text: string; url?: string };
  commit?: { sha: string; url?: string; subject?: string };
  actor?: { name: string; url: string; icon?: string };
  event?: string;
  workflow?: string;
  job?: string;
  run?: { number: number; attempt: number; url?: string };
}

/** Reads the facts from the context; `repository` is `owner/repo` (GITHUB_REPOSITORY). */
export function githubFacts(
  ctx: ContextLike,
  repository: string | undefined,
  commitSubject?: string
): GitHubFacts {
  const server = (ctx.serverUrl || 'https://github.com').replace(/\/+$/, '');
  const facts: GitHubFacts = {};
  const repo = repository || ctx.payload.repository?.full_name;
  const repoUrl = repo ? `${server}/${repo}` : undefined;
  if (repo && repoUrl) facts.repository = { name: repo, url: repoUrl };
  const pr = ctx.payload.pull_request;
  if (pr?.number) {
    const title = pr.title ? ` ${escapeMarkdown(firstLine(pr.title))}` : '';
    facts.ref = { label: 'Pull request', text: `#${pr.number}${title}`, url: pr.html_url };
  } else if (ctx.ref?.startsWith('refs/heads/')) {
    const branch = ctx.ref.slice('refs/heads/'.length);
    facts.ref = {
      label: 'Branch',
      text: escapeMarkdown(branch),
      url: repoUrl && `${repoUrl}/tree/${encodeURI(branch)}`
    };
  } else if (ctx.ref?.startsWith('refs/tags/')) {
    const tag = ctx.ref.slice('refs/tags/'.length);
    facts.ref = {
      label: 'Tag',
      text: escapeMarkdown(tag),
      url: repoUrl && `${repoUrl}/releases/tag/${encodeURI(tag)}`
    };
  }
  const sha = pr?.head?.sha || ctx.sha;
  if (sha) {
    const message = ctx.payload.head_commit?.message ?? commitSubject;
    facts.commit = {
      sha,
      url: repoUrl && `${repoUrl}/commit/${sha}`,
      subject: message ? firstLine(message) || undefined : undefined
    };
  }
  if (ctx.actor) {
    const bot = /^(.+)\[bot\]$/.exec(ctx.actor);
    facts.actor = bot
      ? { name: ctx.actor, url: `${server}/apps/${bot[1]}` }
      : { name: ctx.actor, url: `${server}/${ctx.actor}`, icon: `${server}/${ctx.actor}.png?size=64` };
  }
  if (ctx.eventName) facts.event = ctx.eventName;
  if (ctx.workflow) facts.workflow = ctx.workflow;
  if (ctx.job) facts.job = ctx.job;
  if (ctx.runId) {
    const attempt = ctx.runAttempt || 1;
    const base = repoUrl && `${repoUrl}/actions/runs/${ctx.runId}`;
    facts.run = {
      number: ctx.runNumber,
      attempt,
      url: base && (attempt > 1 ? `${base}/attempts/${attempt}` : base)
    };
  }
  return facts;
}

export interface MessageInput {
  status: Status;
  title?: string;
  description?: string;
  content?: string;
  fields: Field[];
  url?: string;
  /** Pinged only when the status is failure. */
  mentions: Mention[];
  username?: string;
  avatarUrl?: string;
  threadName?: string;
  /** Shown as Duration on a final status. */
  elapsedMs?: number;
}

const link = (text: string, url: string | undefined) => (url ? `[${text}](${url})` : text);

/** A custom field is laid out side by side with others when it is short and on one line. */
const INLINE_MAX = 40;

function factFields(facts: GitHubFacts, status: Status, elapsedMs: number | undefined): EmbedField[] {
  const fields: EmbedField[] = [];
  if (facts.repository)
    fields.push({
      name: 'Repository',
      value: link(escapeMarkdown(facts.repository.name), facts.repository.url),
      inline: true
    });
  if (facts.ref)
    fields.push({ name: facts.ref.label, value: link(facts.ref.text, facts.ref.url), inline: true });
  if (facts.event) fields.push({ name: 'Event', value: facts.event, inline: true });
  if (facts.commit) {
    const short = link(`\`${facts.commit.sha.slice(0, 7)}\``, facts.commit.url);
    const subject = facts.commit.subject ? ` ${escapeMarkdown(facts.commit.subject)}` : '';
    fields.push({ name: 'Commit', value: `${short}${subject}`, inline: false });
  }
  if (facts.run) {
    const text = `#${facts.run.number}${facts.run.attempt > 1 ? ` (attempt ${facts.run.attempt})` : ''}`;
    fields.push({ name: 'Run', value: link(text, facts.run.url), inline: true });
  }
  if (elapsedMs !== undefined && status !== 'started')
    fields.push({ name: 'Duration', value: formatDuration(Math.max(0, elapsedMs)), inline: true });
  return fields;
}

/** `<@&role> <@user>` for the failure pings. */
export function mentionText(mentions: Mention[]): string {
  return mentions.map((m) => (m.kind === 'role' ? `<@&${m.id}>` : `<@${m.id}>`)).join(' ');
}

/** Only the given ids may ping, and only on failure; never @everyone, @here or anything in the text. */
export function allowedMentions(mentions: Mention[], status: Status): AllowedMentions {
  if (status !== 'failure' || mentions.length === 0) return { parse: [] };
  return {
    parse: [],
    users: mentions.filter((m) => m.kind === 'user').map((m) => m.id),
    roles: mentions.filter((m) => m.kind === 'role').map((m) => m.id)
  };
}

/** The title line: `✅ Succeeded — Deploy API`. */
export function headline(status: Status, title: string | undefined, facts: GitHubFacts): string {
  const style = STATUS_STYLE[status];
  const what = title ?? facts.workflow ?? facts.repository?.name ?? 'Workflow';
  return `${style.emoji} ${style.label} — ${what}`;
}

/** Builds the message before limits are applied (see fitMessage). */
export function buildMessage(input: MessageInput, facts: GitHubFacts, now: Date): WebhookMessage {
  const style = STATUS_STYLE[input.status];
  const embed: Embed = {
    title: headline(input.status, input.title, facts),
    color: style.color,
    timestamp: now.toISOString()
  };
  const url = input.url ?? facts.run?.url;
  if (url) embed.url = url;
  if (input.description) embed.description = input.description;
  if (facts.actor)
    embed.author = {
      name: facts.actor.name,
      url: facts.actor.url,
      ...(facts.actor.icon ? { icon_url: facts.actor.icon } : {})
    };
  const fields = [
    ...factFields(facts, input.status, input.elapsedMs),
    ...input.fields.map((f) => ({
      name: f.name,
      value: f.value,
      inline: f.inline ?? (codePointLength(f.value) <= INLINE_MAX && !/[\r\n]/.test(f.value))
    }))
  ];
  if (fields.length) embed.fields = fields;
  const footer = [facts.workflow, facts.job].filter(Boolean).join(' · ');
  if (footer) embed.footer = { text: footer };

  const message: WebhookMessage = {};
  const pings = input.status === 'failure' ? mentionText(input.mentions) : '';
  const content = [pings, input.content ?? ''].filter(Boolean).join(' ');
  if (content) message.content = content;
  message.embeds = [embed];
  message.allowed_mentions = allowedMentions(input.mentions, input.status);
  if (input.username) message.username = input.username;
  if (input.avatarUrl) message.avatar_url = input.avatarUrl;
  if (input.threadName) message.thread_name = input.threadName;
  return message;
}

/**
 * The body of an edit: what PATCH accepts (no username, avatar or thread name), with `content` always
 * present so the text of the earlier message does not linger. Mentions added by an edit do not notify
 * anyone on Discord, so an edit carries none; see `pingMessage`.
 */
export function editBody(message: WebhookMessage): WebhookMessage {
  const { content, embeds, allowed_mentions } = message;
  return { content: content ?? '', embeds, allowed_mentions: allowed_mentions ?? { parse: [] } };
}

/** A short new message that carries the failure pings when the notification itself was an edit. */
export function pingMessage(
  input: MessageInput,
  facts: GitHubFacts,
  editedMessage: WebhookMessage
): WebhookMessage {
  const title = editedMessage.embeds?.[0]?.title ?? headline(input.status, input.title, facts);
  const run = facts.run?.url ? ` (${facts.run.url})` : '';
  const message: WebhookMessage = {
    content: `${mentionText(input.mentions)} ${title}${run}`,
    allowed_mentions: allowedMentions(input.mentions, input.status)
  };
  if (input.username) message.username = input.username;
  if (input.avatarUrl) message.avatar_url = input.avatarUrl;
  return message;
}
