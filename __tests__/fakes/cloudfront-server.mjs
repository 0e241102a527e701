#!/usr/bin/env node
// A CloudFront stand-in for tests, the demo and benchmarks: the REST-XML API version 2020-05-31 as the
// real @aws-sdk/client-cloudfront speaks it (CreateInvalidation, GetInvalidation, ListInvalidations,
// ListDistributions), with the real XML shapes, error bodies and Location header; CloudFront's
// in-progress quotas (3,000 file paths, 15 wildcard paths) answered with TooManyInvalidationsInProgress;
// throttling on bursts; CallerReference idempotency; invalidations that complete after a scripted number
// of GetInvalidation polls (or milliseconds, or never), so tests never sleep long.
//
// In process:  const cf = await startCloudFrontServer({ distributions: [{ id, aliases }] });
//              cf.endpoint, cf.requests(), cf.invalidations(), cf.configure({...}), cf.complete(id), cf.close()
// As a script: node __tests__/fakes/cloudfront-server.mjs [port] [config-json]  → prints {"port":N}
//              control: GET /__control/requests, GET /__control/invalidations, POST /__control/reset,
//              POST /__control/configure (JSON body), POST /__control/complete/<id>
import { createServer } from 'node:http';
import { randomBytes, randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';

const API = '2020-05-31';
const NS = `http://cloudfront.amazonaws.com/doc/${API}/`;

const escapeXml = (s) =>
  String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const unescapeXml = (s) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#(\d+);/g, (_, n) => String.fromCodePoint(Number(n)))
    .replace(/&#x([0-9a-f]+);/gi, (_, n) => String.fromCodePoint(parseInt(n, 16)))
    .replace(/&amp;/g, '&');

/** A CloudFront-style id: 13–14 upper-case letters and digits. */
function cloudFrontId(prefix) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  const bytes = randomBytes(13);
  return prefix + [...bytes].map((b) => alphabet[b % alphabet.length]).join('');
}

const DEFAULTS = {
  /** GetInvalidation polls (of that invalidation) after which it is Completed; 0 = at once. */
  completeAfterPolls: 2,
  /** Or milliseconds after creation (checked on every read); overrides polls when set. */
  completeAfterMs: undefined,
  /** Never complete on its own (tests of timeouts); `complete(id)` still does. */
  neverComplete: false,
  maxFilesInProgress: 3000,
  maxWildcardsInProgress: 15,
  maxPathsPerRequest: 3000,
  /** At most `requests` API calls per `windowMs`; the excess gets 400 Throttling. Off when undefined. */
  throttle: undefined,
  /** Answer the next N CreateInvalidation calls with TooManyInvalidationsInProgress whatever the quota. */
  rejectCreates: 0,
  /** Answer the next N GetInvalidation calls with 503 ServiceUnavailable. */
  failGets: 0
};

export async function startCloudFrontServer(options = {}) {
  const { port = 0, distributions = [{ id: 'E2EXAMPLE12345', aliases: ['www.example.com'] }] } = options;
  let config = { ...DEFAULTS, ...options.config };
  const log = [];
  const dists = new Map();
  const recent = [];

  const addDistribution = (d) =>
    dists.set(d.id, {
      id: d.id,
      aliases: d.aliases ?? [],
      domainName: d.domainName ?? `d${d.id.toLowerCase().slice(0, 12)}.cloudfront.net`,
      invalidations: []
    });
  distributions.forEach(addDistribution);

  const settle = (inv) => {
    if (inv.status === 'Completed' || config.neverComplete) return;
    const ms = inv.completeAfterMs;
    if (ms !== undefined ? Date.now() - inv.created >= ms : inv.polls >= inv.completeAfterPolls) {
      inv.status = 'Completed';
    }
  };

  const errorResponse = (res, status, code, message) => {
    res.writeHead(status, { 'content-type': 'text/xml', 'x-amz-request-id': randomUUID() });
    res.end(
      `<?xml version="1.0"?>\n<ErrorResponse xmlns="${NS}"><Error><Type>Sender</Type><Code>${code}</Code>` +
        `<Message>${escapeXml(message)}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`
    );
    return { status, code };
  };

  const xml = (res, status, body, headers = {}) => {
    res.writeHead(status, { 'content-type': 'text/xml', 'x-amz-request-id': randomUUID(), ...headers });
    res.end(`<?xml version="1.0"?>\n${body}`);
    return { status };
  };

  const batchXml = (inv) =>
    `<InvalidationBatch><Paths><Quantity>${inv.paths.length}</Quantity>` +
    (inv.paths.length
      ? `<Items>${inv.paths.map((p) => `<Path>${escapeXml(p)}</Path>`).join('')}</Items>`
      : '') +
    `</Paths><CallerReference>${escapeXml(inv.callerReference)}</CallerReference></InvalidationBatch>`;

  const invalidationXml = (inv) =>
    `<Invalidation xmlns="${NS}"><Id>${inv.id}</Id><Status>${inv.status}</Status>` +
    `<CreateTime>${new Date(inv.created).toISOString()}</CreateTime>${batchXml(inv)}</Invalidation>`;

  const inProgress = (dist) => dist.invalidations.filter((inv) => (settle(inv), inv.status === 'InProgress'));

  function createInvalidation(res, dist, body, host) {
    const callerReference = unescapeXml(
      /<CallerReference>([\s\S]*?)<\/CallerReference>/.exec(body)?.[1] ?? ''
    );
    const quantity = Number(/<Quantity>(\d+)<\/Quantity>/.exec(body)?.[1] ?? NaN);
    const paths = [...body.matchAll(/<Path>([\s\S]*?)<\/Path>/g)].map((m) => unescapeXml(m[1]));
    if (!callerReference) return errorResponse(res, 400, 'InvalidArgument', 'CallerReference is required.');
    if (quantity !== paths.length)
      return errorResponse(
        res,
        400,
        'InconsistentQuantities',
        "The value of Quantity and the size of Items don't match."
      );
    if (paths.length === 0) return errorResponse(res, 400, 'InvalidArgument', 'Paths must not be empty.');
    if (paths.length > config.maxPathsPerRequest)
      return errorResponse(res, 413, 'BatchTooLarge', 'Invalidation batch specified is too large.');
    for (const p of paths) {
      const star = p.indexOf('*');
      // Unencoded control characters, spaces or non-ASCII never reach the cache keys CloudFront compares.
      if (!p.startsWith('/') || (star >= 0 && star !== p.length - 1) || /[^\x21-\x7e]/.test(p))
        return errorResponse(
          res,
          400,
          'InvalidArgument',
          'Your request contains one or more invalid invalidation paths.'
        );
    }
    const same = dist.invalidations.find((inv) => inv.callerReference === callerReference);
    if (same) {
      const identical = same.paths.length === paths.length && same.paths.every((p, i) => p === paths[i]);
      if (!identical)
        return errorResponse(
          res,
          409,
          'InvalidationBatchAlreadyExists',
          'The CallerReference you are using to create an invalidation batch is associated with another invalidation batch.'
        );
      same.replays++;
      return xml(res, 201, invalidationXml(same), {
        location: `https://${host}/${API}/distribution/${dist.id}/invalidation/${same.id}`
      });
    }
    if (config.rejectCreates > 0) {
      config.rejectCreates--;
      return errorResponse(
        res,
        400,
        'TooManyInvalidationsInProgress',
        'Your request contains too many invalidations.'
      );
    }
    const running = inProgress(dist);
    const wildcards = paths.filter((p) => p.endsWith('*')).length;
    const files = paths.length - wildcards;
    const runningWildcards = running.reduce(
      (n, inv) => n + inv.paths.filter((p) => p.endsWith('*')).length,
      0
    );
    const runningFiles = running.reduce((n, inv) => n + inv.paths.filter((p) => !p.endsWith('*')).length, 0);
    if (
      runningFiles + files > config.maxFilesInProgress ||
      runningWildcards + wildcards > config.maxWildcardsInProgress
    )
      return errorResponse(
        res,
        400,
        'TooManyInvalidationsInProgress',
        'Your request contains too many invalidations.'
      );
    const inv = {
      id: cloudFrontId('I'),
      distributionId: dist.id,
      status: 'InProgress',
      created: Date.now(),
      paths,
      callerReference,
      polls: 0,
      replays: 0,
      completeAfterPolls: config.completeAfterPolls,
      completeAfterMs: config.completeAfterMs
    };
    dist.invalidations.unshift(inv);
    settle(inv);
    return xml(res, 201, invalidationXml(inv), {
      location: `https://${host}/${API}/distribution/${dist.id}/invalidation/${inv.id}`
    });
  }

  function listInvalidations(res, dist, query) {
    const maxItems = Math.min(Number(query.get('MaxItems') ?? 100) || 100, 100);
    const marker = query.get('Marker') ?? '';
    const all = dist.invalidations;
    const start = marker ? all.findIndex((inv) => inv.id === marker) + 1 : 0;
    const page = all.slice(start, start + maxItems);
    page.forEach(settle);
    const truncated = start + maxItems < all.length;
    return xml(
      res,
      200,
      `<InvalidationList xmlns="${NS}"><Marker>${escapeXml(marker)}</Marker>` +
        (truncated ? `<NextMarker>${page[page.length - 1].id}</NextMarker>` : '') +
        `<MaxItems>${maxItems}</MaxItems><IsTruncated>${truncated}</IsTruncated><Quantity>${page.length}</Quantity>` +
        (page.length
          ? `<Items>${page
              .map(
                (inv) =>
                  `<InvalidationSummary><Id>${inv.id}</Id><CreateTime>${new Date(inv.created).toISOString()}</CreateTime><Status>${inv.status}</Status></InvalidationSummary>`
              )
              .join('')}</Items>`
          : '') +
        `</InvalidationList>`
    );
  }

  function listDistributions(res, query) {
    const maxItems = Math.min(Number(query.get('MaxItems') ?? 100) || 100, 100);
    const marker = query.get('Marker') ?? '';
    const all = [...dists.values()];
    const start = marker ? all.findIndex((d) => d.id === marker) + 1 : 0;
    const page = all.slice(start, start + maxItems);
    const truncated = start + maxItems < all.length;
    const summary = (d) =>
      `<DistributionSummary><Id>${d.id}</Id><ARN>arn:aws:cloudfront::123456789012:distribution/${d.id}</ARN>` +
      `<Status>Deployed</Status><LastModifiedTime>2026-01-01T00:00:00.000Z</LastModifiedTime>` +
      `<DomainName>${d.domainName}</DomainName><Aliases><Quantity>${d.aliases.length}</Quantity>` +
      (d.aliases.length
        ? `<Items>${d.aliases.map((a) => `<CNAME>${escapeXml(a)}</CNAME>`).join('')}</Items>`
        : '') +
      `</Aliases><Comment></Comment><PriceClass>PriceClass_All</PriceClass><Enabled>true</Enabled>` +
      `<HttpVersion>http2</HttpVersion><IsIPV6Enabled>true</IsIPV6Enabled><Staging>false</Staging></DistributionSummary>`;
    return xml(
      res,
      200,
      `<DistributionList xmlns="${NS}"><Marker>${escapeXml(marker)}</Marker>` +
        (truncated ? `<NextMarker>${page[page.length - 1].id}</NextMarker>` : '') +
        `<MaxItems>${maxItems}</MaxItems><IsTruncated>${truncated}</IsTruncated><Quantity>${page.length}</Quantity>` +
        (page.length ? `<Items>${page.map(summary).join('')}</Items>` : '') +
        `</DistributionList>`
    );
  }

  function throttled() {
    if (!config.throttle) return false;
    const now = Date.now();
    while (recent.length && now - recent[0] >= config.throttle.windowMs) recent.shift();
    if (recent.length >= config.throttle.requests) return true;
    recent.push(now);
    return false;
  }

  async function control(req, res, route) {
    const body = await readBody(req);
    const json = (value) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(value));
    };
    if (route === 'requests') return json(log);
    if (route === 'invalidations') return json(api.invalidations());
    if (route === 'reset') return json(api.reset());
    if (route === 'configure') return json(api.configure(JSON.parse(body || '{}')));
    if (route.startsWith('complete/')) return json(api.complete(route.slice('complete/'.length)));
    res.writeHead(404).end();
  }

  async function handle(req, res) {
    const url = new URL(req.url, 'http://localhost');
    if (url.pathname.startsWith('/__control/'))
      return control(req, res, url.pathname.slice('/__control/'.length));
    const body = await readBody(req);
    const entry = {
      method: req.method,
      path: url.pathname,
      query: url.search.slice(1),
      operation: '',
      status: 0
    };
    log.push(entry);
    const host = req.headers.host ?? 'cloudfront.amazonaws.com';
    const parts = url.pathname.split('/').slice(1);
    const finish = (outcome, operation) => {
      entry.operation = operation;
      entry.status = outcome.status;
      if (outcome.code) entry.error = outcome.code;
    };
    if (parts[0] !== API)
      return finish(errorResponse(res, 404, 'NotFound', `Unknown API version ${parts[0]}.`), '');
    // /2020-05-31/distribution[/<id>/invalidation[/<invId>]]
    const [, resource, distId, sub, invId] = parts;
    const operation =
      resource !== 'distribution'
        ? ''
        : distId === undefined || distId === ''
          ? req.method === 'GET'
            ? 'ListDistributions'
            : ''
          : sub === 'invalidation' && invId === undefined
            ? req.method === 'POST'
              ? 'CreateInvalidation'
              : req.method === 'GET'
                ? 'ListInvalidations'
                : ''
            : sub === 'invalidation' && req.method === 'GET'
              ? 'GetInvalidation'
              : '';
    if (!operation) return finish(errorResponse(res, 404, 'NotFound', 'Unknown operation.'), '');
    if (throttled()) return finish(errorResponse(res, 400, 'Throttling', 'Rate exceeded'), operation);
    if (operation === 'ListDistributions') return finish(listDistributions(res, url.searchParams), operation);
    const dist = dists.get(distId);
    if (!dist)
      return finish(
        errorResponse(res, 404, 'NoSuchDistribution', 'The specified distribution does not exist.'),
        operation
      );
    if (operation === 'CreateInvalidation') {
      if (!body)
        return finish(errorResponse(res, 400, 'MissingBody', 'This operation requires a body.'), operation);
      return finish(createInvalidation(res, dist, body, host), operation);
    }
    if (operation === 'ListInvalidations')
      return finish(listInvalidations(res, dist, url.searchParams), operation);
    const inv = dist.invalidations.find((i) => i.id === invId);
    if (!inv)
      return finish(
        errorResponse(res, 404, 'NoSuchInvalidation', 'The specified invalidation does not exist.'),
        operation
      );
    if (config.failGets > 0) {
      config.failGets--;
      return finish(errorResponse(res, 503, 'ServiceUnavailable', 'CloudFront is unavailable.'), operation);
    }
    inv.polls++;
    settle(inv);
    return finish(xml(res, 200, invalidationXml(inv)), operation);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error) => {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(error?.stack ?? error));
    });
  });
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  const address = server.address();

  const api = {
    endpoint: `http://127.0.0.1:${address.port}`,
    port: address.port,
    /** Every API request since the last reset: { method, path, query, operation, status, error? }. */
    requests: () => log.map((e) => ({ ...e })),
    /** Every invalidation, newest first per distribution. */
    invalidations: () =>
      [...dists.values()].flatMap((d) =>
        d.invalidations.map((inv) => ({
          id: inv.id,
          distributionId: d.id,
          status: inv.status,
          paths: [...inv.paths],
          callerReference: inv.callerReference,
          polls: inv.polls,
          replays: inv.replays
        }))
      ),
    /** Changes the behaviour for what comes next (see DEFAULTS). */
    configure: (next) => {
      config = { ...config, ...next };
      return { ...config };
    },
    /** Marks an invalidation (or every one, with no id) Completed now. */
    complete: (id) => {
      for (const d of dists.values())
        for (const inv of d.invalidations) if (!id || inv.id === id) inv.status = 'Completed';
      return { ok: true };
    },
    addDistribution,
    /** Clears the log, every invalidation and the configuration (distributions stay). */
    reset: () => {
      log.length = 0;
      recent.length = 0;
      for (const d of dists.values()) d.invalidations = [];
      config = { ...DEFAULTS, ...options.config };
      return { ok: true };
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      })
  };
  return api;
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (c) => (text += c));
    req.on('end', () => resolve(text));
    req.on('error', reject);
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const extra = process.argv[3] ? JSON.parse(process.argv[3]) : {};
  const cf = await startCloudFrontServer({ port: Number(process.argv[2] ?? 0), ...extra });
  process.stdout.write(`${JSON.stringify({ port: cf.port, endpoint: cf.endpoint })}\n`);
  const stop = async () => {
    await cf.close();
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
