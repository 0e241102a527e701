import { describe, expect, it } from '@jest/globals';
import { S3Client } from '@aws-sdk/client-s3';
import {
  clientConfig,
  createClient,
  resolveEndpoint,
  resolveRegion,
  validateEndpoint
} from '../../src/core/aws.js';
import { InputError } from '../../src/core/errors.js';
import { VERSION } from '../../src/core/version.js';
import { readFileSync } from 'node:fs';

function withEnv<T>(vars: Record<string, string | undefined>, fn: () => T): T {
  const saved: Record<string, string | undefined> = {};
  for (const key of Object.keys(vars)) {
    saved[key] = process.env[key];
    if (vars[key] === undefined) delete process.env[key];
    else process.env[key] = vars[key];
  }
  try {
    return fn();
  } finally {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
}

const CLEAN = {
  AWS_REGION: undefined,
  AWS_DEFAULT_REGION: undefined,
  AWS_ENDPOINT_URL: undefined,
  AWS_ENDPOINT_URL_S3: undefined
};

describe('resolveRegion', () => {
  it.each([
    [
      'input wins',
      'eu-west-1',
      { AWS_REGION: 'us-east-1', AWS_DEFAULT_REGION: 'us-west-2' },
      undefined,
      'eu-west-1'
    ],
    [
      'then AWS_REGION',
      undefined,
      { AWS_REGION: 'us-east-1', AWS_DEFAULT_REGION: 'us-west-2' },
      undefined,
      'us-east-1'
    ],
    ['then AWS_DEFAULT_REGION', undefined, { AWS_DEFAULT_REGION: 'us-west-2' }, undefined, 'us-west-2'],
    ['then the service default', undefined, {}, 'us-east-1', 'us-east-1'],
    ['else nothing', undefined, {}, undefined, undefined]
  ])('%s', (_name, input, env, fallback, expected) => {
    expect(resolveRegion(input, env as NodeJS.ProcessEnv, fallback)).toBe(expected);
  });
});

describe('resolveEndpoint', () => {
  it.each([
    [
      'input wins',
      'http://input',
      { AWS_ENDPOINT_URL_S3: 'http://svc', AWS_ENDPOINT_URL: 'http://all' },
      'http://input'
    ],
    [
      'then the service variable',
      undefined,
      { AWS_ENDPOINT_URL_S3: 'http://svc', AWS_ENDPOINT_URL: 'http://all' },
      'http://svc'
    ],
    ['then the global variable', undefined, { AWS_ENDPOINT_URL: 'http://all' }, 'http://all'],
    [
      'another service variable does not apply',
      undefined,
      { AWS_ENDPOINT_URL_CLOUDFRONT: 'http://cf' },
      undefined
    ]
  ])('%s', (_name, input, env, expected) => {
    expect(resolveEndpoint('S3', input, env as NodeJS.ProcessEnv)).toBe(expected);
  });
});

describe('validateEndpoint', () => {
  it('accepts http and https URLs and undefined', () => {
    expect(validateEndpoint('endpoint-url', 'http://127.0.0.1:4568')).toBe('http://127.0.0.1:4568');
    expect(validateEndpoint('endpoint-url', undefined)).toBeUndefined();
  });
  it.each([
    ['not a url', "Input 'endpoint-url': 'not a url' is not a URL; expected e.g. https://s3.example.com."],
    ['ftp://host', "Input 'endpoint-url': 'ftp://host' must use http or https."]
  ])('%j is rejected', (value, message) => {
    expect(() => validateEndpoint('endpoint-url', value)).toThrow(InputError);
    expect(() => validateEndpoint('endpoint-url', value)).toThrow(message);
  });
});

describe('clientConfig', () => {
  it('sets region, retries, user agent and only defined extras', () => {
    const config = withEnv(CLEAN, () =>
      clientConfig(
        'S3',
        { action: 's3-static-sync', region: 'ap-northeast-2', maxAttempts: 3 },
        { forcePathStyle: true, unset: undefined }
      )
    );
    expect(config).toEqual({
      region: 'ap-northeast-2',
      maxAttempts: 3,
      retryMode: 'standard',
      customUserAgent: [[`deploy-actions-s3-static-sync`, VERSION]],
      forcePathStyle: true
    });
  });

  it('picks up AWS_ENDPOINT_URL_<SERVICE>', () => {
    const config = withEnv({ ...CLEAN, AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:9000' }, () =>
      clientConfig('S3', { action: 'x', region: 'us-east-1' })
    );
    expect(config.endpoint).toBe('http://127.0.0.1:9000');
  });

  it('names aws-region when no region can be found', () => {
    expect(() => withEnv(CLEAN, () => clientConfig('S3', { action: 'x' }))).toThrow(
      "Input 'aws-region': no AWS region is set; give aws-region or set AWS_REGION (e.g. ap-northeast-2)."
    );
  });

  it('builds a real SDK client with that configuration', async () => {
    const client = withEnv(CLEAN, () =>
      createClient(S3Client, 'S3', { action: 'x', region: 'eu-central-1', endpoint: 'http://127.0.0.1:1' })
    );
    expect(await client.config.region()).toBe('eu-central-1');
    const endpoint = await client.config.endpoint?.();
    expect(endpoint?.hostname).toBe('127.0.0.1');
    client.destroy();
  });
});

describe('VERSION', () => {
  it('equals package.json version', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    expect(VERSION).toBe(pkg.version);
  });
});
