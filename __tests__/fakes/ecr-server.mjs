#!/usr/bin/env node
// An Amazon ECR stand-in that speaks the real wire protocol (AWS JSON 1.1) for GetAuthorizationToken, so the
// real @aws-sdk/client-ecr can be pointed at it with an endpoint override. It checks what the real service
// checks first: POST, Content-Type application/x-amz-json-1.1, the X-Amz-Target header and a SigV4
// Authorization header; it answers with a base64 `AWS:<password>` authorizationToken, a proxyEndpoint and
// expiresAt in epoch seconds, and records every request. Runnable alone: `node ecr-server.mjs [port]` prints
// {"endpoint": "..."}.
import { createServer } from 'node:http';
import { pathToFileURL } from 'node:url';

const TARGET_PREFIX = 'AmazonEC2ContainerRegistry_V20150921.';

/**
 * @param {{ port?: number, account?: string, region?: string, password?: string, fail?: { type: string, message: string, status?: number } }} [options]
 */
export async function startEcrServer(options = {}) {
  const account = options.account ?? '123456789012';
  const region = options.region ?? 'ap-northeast-2';
  const password = options.password ?? 'ecr-token-' + 'x'.repeat(24);
  const token = Buffer.from(`AWS:${password}`).toString('base64');
  const requests = [];
  const state = { fail: options.fail };

  const send = (res, status, body) => {
    const text = JSON.stringify(body);
    res.writeHead(status, {
      'content-type': 'application/x-amz-json-1.1',
      'x-amzn-requestid': `req-${requests.length}`,
      'content-length': Buffer.byteLength(text)
    });
    res.end(text);
  };

  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const target = req.headers['x-amz-target'] ?? '';
      const authorization = req.headers.authorization ?? '';
      requests.push({
        method: req.method,
        path: req.url,
        target,
        contentType: req.headers['content-type'] ?? '',
        signed: /^AWS4-HMAC-SHA256 Credential=[^/]+\/\d{8}\/[a-z0-9-]+\/ecr\/aws4_request/.test(
          authorization
        ),
        body
      });
      if (
        req.method !== 'POST' ||
        !(req.headers['content-type'] ?? '').startsWith('application/x-amz-json-1.1')
      )
        return send(res, 400, {
          __type: 'SerializationException',
          message: 'expected a POST of application/x-amz-json-1.1'
        });
      if (!authorization.startsWith('AWS4-HMAC-SHA256 '))
        return send(res, 403, {
          __type: 'MissingAuthenticationTokenException',
          message: 'Missing Authentication Token'
        });
      if (target !== `${TARGET_PREFIX}GetAuthorizationToken`)
        return send(res, 400, {
          __type: 'UnknownOperationException',
          message: `unsupported target ${target}`
        });
      if (state.fail)
        return send(res, state.fail.status ?? 400, { __type: state.fail.type, message: state.fail.message });
      const expiresAt = Math.floor(Date.now() / 1000) + 12 * 3600;
      send(res, 200, {
        authorizationData: [
          {
            authorizationToken: token,
            expiresAt,
            proxyEndpoint: `https://${account}.dkr.ecr.${region}.amazonaws.com`
          }
        ]
      });
    });
  });
  await new Promise((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const address = server.address();
  const endpoint = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  return {
    endpoint,
    registry: `${account}.dkr.ecr.${region}.amazonaws.com`,
    password,
    token,
    requests,
    /** Makes every later GetAuthorizationToken fail with this AWS error (undefined: succeed again). */
    failWith(fail) {
      state.fail = fail;
    },
    close: () => new Promise((resolve) => server.close(() => resolve(undefined)))
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const ecr = await startEcrServer({ port: Number(process.argv[2] ?? 0) });
  process.stdout.write(`${JSON.stringify({ endpoint: ecr.endpoint, registry: ecr.registry })}\n`);
}
