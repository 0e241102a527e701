#!/usr/bin/env node
// A real S3-compatible server (s3rver) for integration tests and benchmarks, with a request log and
// failure injection in front of it. Run under `node --openssl-legacy-provider` (s3rver's listing of more
// than 1,000 keys needs it). Prints one JSON line `{"port":N}` when it listens.
//
// Control endpoints (never logged):
//   GET  /__control/requests         → the log: [{ method, path, query, bucket, key, status, at, ms,
//                                       contentSha256, checksums }] (at: arrival, epoch ms; ms: time to
//                                       answer; contentSha256: the x-amz-content-sha256 header the client
//                                       signed; checksums: its x-amz-checksum-* / x-amz-sdk-checksum-*
//                                       headers, when any)
//   POST /__control/reset            → clears the log and every failure rule
//   POST /__control/fail             → body { method?, path? (regex on the decoded path), query? (regex),
//                                       status?, code?, times?, skip? } : answer matching requests with an
//                                       S3 error (default 500 InternalError) `times` times after `skip` matches.
import S3rver from 's3rver';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const directory = process.argv[2] ?? mkdtempSync(path.join(tmpdir(), 's3rver-'));
const port = Number(process.argv[3] ?? 0);
const log = [];
let rules = [];

const server = new S3rver({
  address: '127.0.0.1',
  port,
  silent: true,
  directory,
  allowMismatchedSignatures: true
});

function readBody(req) {
  return new Promise((resolve) => {
    let text = '';
    req.on('data', (c) => (text += c));
    req.on('end', () => resolve(text));
  });
}

async function control(ctx) {
  const route = ctx.path.slice('/__control/'.length);
  if (route === 'requests') {
    ctx.body = JSON.stringify(log);
    ctx.type = 'application/json';
  } else if (route === 'reset') {
    log.length = 0;
    rules = [];
    ctx.status = 204;
  } else if (route === 'fail') {
    const rule = JSON.parse((await readBody(ctx.req)) || '{}');
    rules.push({ status: 500, code: 'InternalError', times: 1, skip: 0, ...rule, seen: 0 });
    ctx.status = 204;
  } else {
    ctx.status = 404;
  }
}

function matches(rule, entry) {
  if (rule.method && rule.method !== entry.method) return false;
  if (rule.path && !new RegExp(rule.path).test(entry.path)) return false;
  if (rule.query && !new RegExp(rule.query).test(entry.query)) return false;
  return true;
}

function checksumHeaders(headers) {
  const found = Object.entries(headers).filter(([name]) => /^x-amz-(sdk-)?checksum-/.test(name));
  return found.length ? Object.fromEntries(found) : undefined;
}

// Runs before s3rver's own middleware.
server.middleware.unshift(async (ctx, next) => {
  if (ctx.path.startsWith('/__control/')) return control(ctx);
  let decoded = ctx.path;
  try {
    decoded = decodeURIComponent(ctx.path);
  } catch {
    // keep the raw path
  }
  const [, bucket = '', ...rest] = decoded.split('/');
  const entry = {
    method: ctx.method,
    path: decoded,
    query: ctx.querystring,
    bucket,
    key: rest.join('/'),
    status: 0,
    at: Date.now(),
    ms: 0,
    contentSha256: ctx.get('x-amz-content-sha256') || undefined,
    checksums: checksumHeaders(ctx.headers)
  };
  log.push(entry);
  for (const rule of rules) {
    if (rule.times <= 0 || !matches(rule, entry)) continue;
    if (rule.seen++ < rule.skip) continue;
    rule.times--;
    ctx.status = rule.status;
    ctx.type = 'application/xml';
    ctx.body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${rule.code}</Code><Message>injected by the test</Message></Error>`;
    entry.status = rule.status;
    entry.injected = true;
    // Drain the request body so the client sees the response rather than a reset.
    ctx.req.resume();
    return;
  }
  await next();
  entry.status = ctx.status;
  entry.ms = Date.now() - entry.at;
});

const address = await server.run();
process.stdout.write(`${JSON.stringify({ port: address.port, directory })}\n`);

const stop = async () => {
  await server.close().catch(() => undefined);
  if (!process.argv[2]) rmSync(directory, { recursive: true, force: true });
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
