#!/usr/bin/env node
// A Discord webhook stand-in for tests, benchmarks and the demo: plain HTTP on 127.0.0.1 speaking the
// execute-webhook and edit-message wire protocol of API v10, with Discord's limits, errors and rate
// limits. Start it in-process with `startDiscordServer()`, or as a script:
//   node __tests__/fakes/discord-server.mjs [port]   → prints {"port":N,"url":…,"apiBase":…,"webhookUrl":…}
//
// Routes (under /api, /api/v<N> or the bare root):
//   POST  /webhooks/:id/:token[?wait=true][&thread_id=…]      execute (thread_name in the body: new forum post)
//   PATCH /webhooks/:id/:token/messages/:message_id[?thread_id=…]
//   GET   /webhooks/:id/:token/messages/:message_id[?thread_id=…]
// Control (never logged):
//   GET  /__control/messages   GET /__control/requests   POST /__control/reset
//   POST /__control/fail  body { method?, path? (regex), status? (429|5xx|4xx), times?, skip?, retryAfter?
//        (seconds), retryAfterIn? ('body'|'reset-after'|'retry-after'|'all'), body?, drop? ('before'|'after') }
//        drop 'after' processes the request (a POST creates its message) and then cuts the connection
//        without answering; drop 'before' cuts it without processing.
import { createServer } from 'node:http';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';

export const DISCORD_EPOCH_MS = 1_420_070_400_000;
export const LIMITS = {
  content: 2000,
  embeds: 10,
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  authorName: 256,
  total: 6000,
  username: 80,
  threadName: 100
};

/** Discord counts characters as Unicode code points. */
const length = (text) => [...String(text ?? '')].length;

let sequence = 0n;
/** A snowflake for "now": milliseconds since the Discord epoch in the top bits, a counter below. */
export function snowflake(now = Date.now()) {
  sequence = (sequence + 1n) & 0xfffn;
  return ((BigInt(now - DISCORD_EPOCH_MS) << 22n) | (1n << 17n) | sequence).toString();
}

const formError = (errors) => ({ code: 50035, errors, message: 'Invalid Form Body' });
const fieldError = (code, message) => ({ _errors: [{ code, message }] });
const maxLength = (n) => fieldError('BASE_TYPE_MAX_LENGTH', `Must be ${n} or fewer in length.`);

/** Sets `errors[a][b][c] = value` along a path. */
function put(errors, path, value) {
  let node = errors;
  for (const key of path.slice(0, -1)) node = node[key] ??= {};
  node[path.at(-1)] = value;
}

/** Validates a message body the way Discord does; returns Discord's `errors` object or undefined. */
export function validateMessage(body, { edit = false } = {}) {
  const errors = {};
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return {
      _errors: [{ code: 'MODEL_TYPE_CONVERT', message: 'Only dictionaries may be used in a ModelType' }]
    };
  if (body.content !== undefined && length(body.content) > LIMITS.content)
    put(errors, ['content'], maxLength(LIMITS.content));
  if (body.username !== undefined) {
    if (length(body.username) > LIMITS.username || length(body.username) < 1)
      put(errors, ['username'], fieldError('BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 80 in length.'));
    else if (/discord|clyde/i.test(body.username))
      put(errors, ['username'], fieldError('USERNAME_INVALID_CONTAINS', 'Username cannot contain "discord"'));
  }
  if (body.thread_name !== undefined && length(body.thread_name) > LIMITS.threadName)
    put(errors, ['thread_name'], maxLength(LIMITS.threadName));
  const embeds = body.embeds ?? [];
  if (!Array.isArray(embeds)) put(errors, ['embeds'], fieldError('BASE_TYPE_ARRAY', 'Must be an array.'));
  else {
    if (embeds.length > LIMITS.embeds)
      put(
        errors,
        ['embeds'],
        fieldError('BASE_TYPE_MAX_LENGTH', `Must be ${LIMITS.embeds} or fewer in length.`)
      );
    let total = 0;
    embeds.forEach((embed, i) => {
      const at = (...path) => ['embeds', String(i), ...path];
      const check = (path, value, limit) => {
        if (value === undefined) return;
        total += length(value);
        if (length(value) > limit) put(errors, at(...path), maxLength(limit));
      };
      check(['title'], embed.title, LIMITS.title);
      check(['description'], embed.description, LIMITS.description);
      check(['footer', 'text'], embed.footer?.text, LIMITS.footer);
      check(['author', 'name'], embed.author?.name, LIMITS.authorName);
      for (const key of ['url']) {
        if (embed[key] !== undefined && !/^https?:\/\//.test(embed[key]))
          put(
            errors,
            at(key),
            fieldError('URL_TYPE_INVALID_SCHEME', "Scheme must be one of ('http', 'https').")
          );
      }
      const fields = embed.fields ?? [];
      if (fields.length > LIMITS.fields)
        put(
          errors,
          at('fields'),
          fieldError('BASE_TYPE_MAX_LENGTH', `Must be ${LIMITS.fields} or fewer in length.`)
        );
      fields.forEach((field, j) => {
        for (const [key, limit] of [
          ['name', LIMITS.fieldName],
          ['value', LIMITS.fieldValue]
        ]) {
          const value = field[key];
          if (typeof value !== 'string' || value.trim() === '')
            put(
              errors,
              at('fields', String(j), key),
              fieldError('BASE_TYPE_REQUIRED', 'This field is required')
            );
          else check(['fields', String(j), key], value, limit);
        }
      });
    });
    if (total > LIMITS.total)
      put(
        errors,
        ['embeds'],
        fieldError('MAX_EMBED_SIZE_EXCEEDED', `Embed size exceeds maximum size of ${LIMITS.total}`)
      );
  }
  const mentions = body.allowed_mentions;
  if (mentions !== undefined) {
    for (const kind of ['users', 'roles'])
      if (mentions[kind]?.length && mentions.parse?.includes(kind))
        put(
          errors,
          ['allowed_mentions'],
          fieldError(
            'ALLOWED_MENTIONS_PARSE_EXCLUSIVE',
            `parse:["${kind}"] and ${kind}: [ids...] are mutually exclusive.`
          )
        );
  }
  if (!edit && !body.content && embeds.length === 0)
    return { code: 50006, message: 'Cannot send an empty message' };
  return Object.keys(errors).length ? formError(errors) : undefined;
}

/** Who a message would notify, applying allowed_mentions as Discord does. */
export function pings(content = '', allowed) {
  const users = [...content.matchAll(/<@!?(\d+)>/g)].map((m) => m[1]);
  const roles = [...content.matchAll(/<@&(\d+)>/g)].map((m) => m[1]);
  const everyone = /@(everyone|here)/.test(content);
  if (!allowed) return { users, roles, everyone };
  const parse = allowed.parse ?? [];
  return {
    users: users.filter((id) => parse.includes('users') || (allowed.users ?? []).includes(id)),
    roles: roles.filter((id) => parse.includes('roles') || (allowed.roles ?? []).includes(id)),
    everyone: everyone && parse.includes('everyone')
  };
}

/**
 * Starts the stand-in. One webhook exists (`webhook`); `forum: true` makes its channel a forum channel
 * (a POST needs thread_name or thread_id, as on Discord).
 */
export async function startDiscordServer({ port = 0, forum = false, webhook: given } = {}) {
  const webhook = given ?? { id: snowflake(), token: randomBytes(51).toString('base64url').slice(0, 68) };
  const channelId = snowflake();
  const threads = new Set();
  /** Messages by id. */
  const messages = new Map();
  const requests = [];
  let rules = [];

  function json(res, status, body, headers = {}) {
    const text = body === undefined ? '' : JSON.stringify(body);
    res.writeHead(status, { ...(text ? { 'content-type': 'application/json' } : {}), ...headers });
    res.end(text);
  }

  function matchRule(entry) {
    for (const rule of rules) {
      if (rule.method && rule.method !== entry.method) continue;
      if (rule.path && !new RegExp(rule.path).test(entry.path)) continue;
      if (rule.seen++ < rule.skip) continue;
      if (rule.used >= rule.times) continue;
      rule.used++;
      return rule;
    }
    return undefined;
  }

  function injected(res, rule) {
    if (rule.status === 429) {
      const seconds = rule.retryAfter ?? 0.05;
      const where = rule.retryAfterIn ?? 'body';
      const headers = { 'x-ratelimit-scope': 'user', 'x-ratelimit-limit': '5', 'x-ratelimit-remaining': '0' };
      // Discord itself says it all three ways ('all'; Retry-After in whole seconds); the others isolate one.
      if (where === 'retry-after') headers['retry-after'] = String(seconds);
      if (where === 'all') headers['retry-after'] = String(Math.ceil(seconds));
      if (where === 'reset-after' || where === 'all') headers['x-ratelimit-reset-after'] = String(seconds);
      const body =
        where === 'body' || where === 'all'
          ? { message: 'You are being rate limited.', retry_after: seconds, global: false }
          : { message: 'You are being rate limited.', global: false };
      return json(res, 429, body, headers);
    }
    if (rule.status >= 500 && rule.body === undefined) {
      res.writeHead(rule.status, { 'content-type': 'text/html' });
      return res.end(`<html><body>${rule.status} Bad Gateway (cloudflare)</body></html>`);
    }
    return json(res, rule.status, rule.body ?? { message: 'Injected error', code: 0 });
  }

  function handle(req, res, entry, text) {
    const url = new URL(req.url, 'http://discord.test');
    const m = /^(?:\/api(?:\/v\d+)?)?\/webhooks\/(\d+)\/([^/]+)(?:\/messages\/(\d+))?\/?$/.exec(url.pathname);
    if (!m) return json(res, 404, { message: '404: Not Found', code: 0 });
    const [, id, token, messageId] = m;
    if (id !== webhook.id) return json(res, 404, { message: 'Unknown Webhook', code: 10015 });
    if (token !== webhook.token) return json(res, 401, { message: 'Invalid Webhook Token', code: 50027 });
    const threadId = url.searchParams.get('thread_id') ?? undefined;
    if (threadId !== undefined && !threads.has(threadId))
      return json(res, 404, { message: 'Unknown Channel', code: 10003 });
    let body;
    if (req.method !== 'GET') {
      if (!/application\/json/.test(req.headers['content-type'] ?? ''))
        return json(res, 400, { message: 'Cannot send an empty message', code: 50006 });
      try {
        body = JSON.parse(text);
      } catch {
        return json(res, 400, { message: 'The request body contains invalid JSON.', code: 50109 });
      }
      entry.body = body;
    }
    const where = threadId ?? channelId;
    if (messageId) {
      const message = messages.get(messageId);
      if (!message || message.channel_id !== where)
        return json(res, 404, { message: 'Unknown Message', code: 10008 });
      if (req.method === 'GET') return json(res, 200, message);
      if (req.method !== 'PATCH') return json(res, 405, { message: '405: Method Not Allowed', code: 0 });
      const invalid = validateMessage(
        { ...message, ...body, thread_name: undefined, username: undefined },
        { edit: true }
      );
      if (invalid) return json(res, 400, invalid);
      for (const key of ['content', 'embeds', 'allowed_mentions']) if (key in body) message[key] = body[key];
      message.edited_timestamp = new Date().toISOString();
      message.edits += 1;
      // An edit renders mentions but notifies nobody: pings stay those of the original post.
      entry.messageId = messageId;
      return json(res, 200, message);
    }
    if (req.method !== 'POST') return json(res, 405, { message: '405: Method Not Allowed', code: 0 });
    const invalid = validateMessage(body);
    if (invalid) return json(res, 400, invalid);
    let channel = where;
    if (body.thread_name !== undefined) {
      if (!forum)
        return json(res, 400, {
          message: 'Webhooks can only create threads in forum channels',
          code: 220003
        });
      if (threadId)
        return json(
          res,
          400,
          formError({
            thread_name: fieldError('THREAD_NAME_AND_ID', 'Cannot specify both thread_name and thread_id')
          })
        );
    } else if (forum && !threadId) {
      return json(res, 400, {
        message: 'Webhooks posted to forum channels must have a thread_name or thread_id',
        code: 220001
      });
    }
    const id2 = snowflake();
    if (body.thread_name !== undefined) {
      channel = id2; // a forum post's id is its starter message's id
      threads.add(channel);
    }
    const message = {
      id: id2,
      type: 0,
      channel_id: channel,
      webhook_id: webhook.id,
      author: { id: webhook.id, username: body.username ?? 'Captain Hook', bot: true },
      content: body.content ?? '',
      embeds: body.embeds ?? [],
      allowed_mentions: body.allowed_mentions,
      avatar_url: body.avatar_url,
      thread_name: body.thread_name,
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      edits: 0,
      pinged: pings(body.content, body.allowed_mentions)
    };
    messages.set(id2, message);
    entry.messageId = id2;
    if (url.searchParams.get('wait') === 'true') return json(res, 200, message);
    res.writeHead(204);
    return res.end();
  }

  const server = createServer((req, res) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => (text += chunk));
    req.on('end', () => {
      const url = new URL(req.url, 'http://discord.test');
      if (url.pathname.startsWith('/__control/')) return control(req, res, url.pathname.slice(11), text);
      const entry = {
        method: req.method,
        path: url.pathname,
        query: url.search.replace(/^\?/, ''),
        status: 0
      };
      requests.push(entry);
      const rule = matchRule(entry);
      if (rule?.drop === 'before') {
        entry.status = -1;
        return req.socket.destroy();
      }
      if (rule && !rule.drop) {
        entry.injected = true;
        injected(res, rule);
        entry.status = res.statusCode;
        return undefined;
      }
      if (rule?.drop === 'after') {
        // Process for real, then lose the answer: the client cannot tell whether it worked.
        const sink = { writeHead() {}, end() {}, statusCode: 0 };
        handle(req, sink, entry, text);
        entry.status = -1;
        return req.socket.destroy();
      }
      handle(req, res, entry, text);
      entry.status = res.statusCode;
      return undefined;
    });
  });

  function control(req, res, route, text) {
    if (route === 'messages') return json(res, 200, [...messages.values()]);
    if (route === 'requests') return json(res, 200, requests);
    if (route === 'reset') {
      reset();
      return json(res, 204);
    }
    if (route === 'fail') {
      fail(JSON.parse(text || '{}'));
      return json(res, 204);
    }
    return json(res, 404, { message: 'unknown control route' });
  }

  function reset() {
    messages.clear();
    requests.length = 0;
    rules = [];
  }

  function fail(rule) {
    rules.push({ times: 1, skip: 0, status: 500, ...rule, seen: 0, used: 0 });
  }

  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  const address = server.address();
  const url = `http://127.0.0.1:${address.port}`;
  return {
    port: address.port,
    url,
    /** What DEPLOY_ACTIONS_DISCORD_API_BASE should be set to. */
    apiBase: `${url}/api/v10`,
    webhook,
    /** The real-looking webhook URL to give the action as its webhook-url input. */
    webhookUrl: `https://discord.com/api/webhooks/${webhook.id}/${webhook.token}`,
    channelId,
    /** Creates an existing thread (or forum post) the webhook can post in. */
    createThread() {
      const id = snowflake();
      threads.add(id);
      return id;
    },
    messages: () => [...messages.values()].map((m) => JSON.parse(JSON.stringify(m))),
    requests: () => requests.map((r) => JSON.parse(JSON.stringify(r))),
    fail,
    reset,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      })
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const fake = await startDiscordServer({
    port: Number(process.argv[2] ?? 0),
    forum: process.argv.includes('--forum')
  });
  console.log(
    JSON.stringify({ port: fake.port, url: fake.url, apiBase: fake.apiBase, webhookUrl: fake.webhookUrl })
  );
  const stop = () => fake.close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
