/** Types for the Discord webhook stand-in (discord-server.mjs). */

export declare const DISCORD_EPOCH_MS: number;
export declare const LIMITS: Readonly<Record<string, number>>;

export interface FakeEmbed {
  title?: string;
  description?: string;
  url?: string;
  color?: number;
  timestamp?: string;
  author?: { name: string; url?: string; icon_url?: string };
  footer?: { text: string };
  fields?: Array<{ name: string; value: string; inline?: boolean }>;
}

export interface FakeMessage {
  id: string;
  channel_id: string;
  webhook_id: string;
  author: { id: string; username: string; bot: boolean };
  content: string;
  embeds: FakeEmbed[];
  allowed_mentions?: { parse?: string[]; users?: string[]; roles?: string[] };
  avatar_url?: string;
  thread_name?: string;
  timestamp: string;
  edited_timestamp: string | null;
  /** How many times the message was edited. */
  edits: number;
  /** Who the post notified (mentions in content filtered by allowed_mentions); edits notify nobody. */
  pinged: { users: string[]; roles: string[]; everyone: boolean };
}

export interface FakeRequest {
  method: string;
  path: string;
  query: string;
  /** HTTP status answered; -1 when the connection was cut (drop). */
  status: number;
  body?: unknown;
  injected?: boolean;
  messageId?: string;
}

export interface FailureRule {
  method?: string;
  /** A regular expression matched against the request path. */
  path?: string;
  status?: number;
  /** How many matching requests fail (default 1). */
  times?: number;
  /** How many matching requests pass before failing starts (default 0). */
  skip?: number;
  /** For 429: seconds to wait (may be fractional). */
  retryAfter?: number;
  /** For 429: where retryAfter is given (default body; 'all' as Discord does: body and both headers). */
  retryAfterIn?: 'body' | 'reset-after' | 'retry-after' | 'all';
  /** The JSON error body to answer with. */
  body?: unknown;
  /** Cut the connection without answering, before or after processing the request. */
  drop?: 'before' | 'after';
}

export interface DiscordServer {
  port: number;
  url: string;
  /** The value for DEPLOY_ACTIONS_DISCORD_API_BASE. */
  apiBase: string;
  webhook: { id: string; token: string };
  /** https://discord.com/api/webhooks/<id>/<token> for this fake's webhook. */
  webhookUrl: string;
  channelId: string;
  createThread(): string;
  messages(): FakeMessage[];
  requests(): FakeRequest[];
  fail(rule: FailureRule): void;
  reset(): void;
  close(): Promise<void>;
}

export declare function startDiscordServer(options?: {
  port?: number;
  forum?: boolean;
  webhook?: { id: string; token: string };
}): Promise<DiscordServer>;

export declare function snowflake(now?: number): string;
export declare function validateMessage(body: unknown, options?: { edit?: boolean }): unknown;
export declare function pings(
  content?: string,
  allowed?: { parse?: string[]; users?: string[]; roles?: string[] }
): { users: string[]; roles: string[]; everyone: boolean };
