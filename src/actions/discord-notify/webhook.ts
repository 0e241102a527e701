/**
 * The webhook URL: validated before any request, never printed. Requests always go to the host the user
 * gave, on API v10 (the unversioned path is an old default version); a test/demo override may replace
 * that base, but the URL is still validated and its id and token still used.
 */

export interface Webhook {
  id: string;
  token: string;
  /** discord.com, discordapp.com, ptb.discord.com, canary.discord.com, … */
  host: string;
  /** A `thread_id` carried in the URL's query, as some users paste it. */
  threadId?: string;
}

const HOST = /^(?:(?:ptb|canary)\.)?(?:discord|discordapp)\.com$/;
const PATH = /^\/api(?:\/v\d{1,2})?\/webhooks\/(\d{15,21})\/([A-Za-z0-9_-]{20,128})\/?$/;
export const EXPECTED_FORM =
  'expected https://discord.com/api/webhooks/<id>/<token> (discordapp.com, ptb. and canary. hosts and /api/v10 also work)';

/** Validates the URL; returns the reason on failure, phrased so it never contains the token. */
export function parseWebhookUrl(value: string): { webhook: Webhook } | { reason: string } {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { reason: `is not a URL (value hidden: secret); ${EXPECTED_FORM}.` };
  }
  if (url.protocol !== 'https:')
    return { reason: `must use https, not ${url.protocol.replace(/:$/, '')}; ${EXPECTED_FORM}.` };
  if (url.username || url.password || url.port)
    return { reason: `must not carry credentials or a port; ${EXPECTED_FORM}.` };
  if (!HOST.test(url.hostname))
    return { reason: `host is not a Discord host (value hidden: secret); ${EXPECTED_FORM}.` };
  if (/\/(slack|github)\/?$/.test(url.pathname))
    return {
      reason: `ends in /slack or /github, the Slack/GitHub-compatible variants; give the plain webhook URL (${EXPECTED_FORM}).`
    };
  const path = PATH.exec(url.pathname);
  if (!path)
    return { reason: `path is not /api/webhooks/<id>/<token> (value hidden: secret); ${EXPECTED_FORM}.` };
  const params = [...url.searchParams.keys()];
  const unknown = params.filter((key) => key !== 'thread_id' && key !== 'wait');
  if (unknown.length)
    return { reason: `has query parameters this action does not support (${unknown.join(', ')}).` };
  const threadId = url.searchParams.get('thread_id') ?? undefined;
  if (threadId !== undefined && !/^\d{15,21}$/.test(threadId))
    return { reason: 'has a thread_id query parameter that is not a Discord id.' };
  if (url.hash) return { reason: `must not have a #fragment; ${EXPECTED_FORM}.` };
  return {
    webhook: { id: path[1] as string, token: path[2] as string, host: url.hostname, threadId }
  };
}

export const DEFAULT_API_VERSION = 'v10';

/**
 * The API base for requests: `https://<host>/api/v10`, or an override (tests, the local demo) that must
 * be https, or http on a loopback host only, so a token is never sent in clear over a network.
 */
export function apiBase(webhook: Webhook, override?: string): string {
  if (!override) return `https://${webhook.host}/api/${DEFAULT_API_VERSION}`;
  let url: URL;
  try {
    url = new URL(override);
  } catch {
    throw new Error(`the API base override '${override}' is not a URL.`);
  }
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback))
    throw new Error(`the API base override '${override}' must be https, or http on a loopback host.`);
  return override.replace(/\/+$/, '');
}

export interface Endpoint {
  method: 'POST' | 'PATCH' | 'GET';
  /** The full URL, token included: only ever handed to fetch. */
  url: string;
  /** The same URL with the token replaced by `***`, for logs. */
  shown: string;
}

/** POST (new message, `?wait=true` so Discord returns it) or PATCH (edit a message in place). */
export function endpoint(
  base: string,
  webhook: Webhook,
  target: { messageId?: string; threadId?: string }
): Endpoint {
  const query = new URLSearchParams();
  if (!target.messageId) query.set('wait', 'true');
  if (target.threadId) query.set('thread_id', target.threadId);
  const tail = target.messageId ? `/messages/${target.messageId}` : '';
  const make = (token: string) =>
    `${base}/webhooks/${webhook.id}/${token}${tail}${query.size ? `?${query.toString()}` : ''}`;
  return { method: target.messageId ? 'PATCH' : 'POST', url: make(webhook.token), shown: make('***') };
}
