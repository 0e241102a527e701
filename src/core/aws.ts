/**
 * The one AWS client factory: region from input or env, endpoint override from an input or
 * `AWS_ENDPOINT_URL_<SERVICE>`, retry mode and attempts, a user agent naming the action and version.
 * Credentials come from the SDK's default chain, so OIDC via configure-aws-credentials just works.
 */
import { InputError } from './errors.js';
import { VERSION } from './version.js';

export interface AwsOptions {
  /** The action's name, for the user agent. */
  action: string;
  /** The `aws-region` input; falls back to AWS_REGION, AWS_DEFAULT_REGION, then `defaultRegion`. */
  region?: string;
  /** The `endpoint-url` input; falls back to AWS_ENDPOINT_URL_<SERVICE>, then AWS_ENDPOINT_URL. */
  endpoint?: string;
  maxAttempts?: number;
  retryMode?: 'standard' | 'adaptive';
}

/** The service part of `AWS_ENDPOINT_URL_<SERVICE>` (the SDK's env-var id, e.g. S3, CLOUDFRONT, CODEDEPLOY, ECR). */
export type ServiceEnvId = 'S3' | 'CLOUDFRONT' | 'CODEDEPLOY' | 'ECR' | (string & {});

export function resolveRegion(
  input: string | undefined,
  env = process.env,
  defaultRegion?: string
): string | undefined {
  return input || env.AWS_REGION || env.AWS_DEFAULT_REGION || defaultRegion;
}

export function resolveEndpoint(
  service: ServiceEnvId,
  input: string | undefined,
  env = process.env
): string | undefined {
  return input || env[`AWS_ENDPOINT_URL_${service}`] || env.AWS_ENDPOINT_URL || undefined;
}

/** Validates an endpoint URL input: http(s) with a host. */
export function validateEndpoint(inputName: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InputError(inputName, `'${value}' is not a URL; expected e.g. https://s3.example.com.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new InputError(inputName, `'${value}' must use http or https.`);
  }
  return value;
}

/** Builds the config for an SDK client; only options that are defined are set. */
export function clientConfig(
  service: ServiceEnvId,
  options: AwsOptions,
  extra: Record<string, unknown> = {},
  defaultRegion?: string
): Record<string, unknown> {
  const region = resolveRegion(options.region, process.env, defaultRegion);
  if (!region) {
    throw new InputError(
      'aws-region',
      'no AWS region is set; give aws-region or set AWS_REGION (e.g. ap-northeast-2).'
    );
  }
  const config: Record<string, unknown> = {
    region,
    maxAttempts: options.maxAttempts ?? 5,
    retryMode: options.retryMode ?? 'standard',
    customUserAgent: [[`deploy-actions-${options.action}`, VERSION]]
  };
  const endpoint = resolveEndpoint(service, options.endpoint);
  if (endpoint) config.endpoint = endpoint;
  for (const [key, value] of Object.entries(extra)) if (value !== undefined) config[key] = value;
  return config;
}

/** Creates an SDK v3 client with the suite's defaults. */
export function createClient<C>(
  Client: new (config: never) => C,
  service: ServiceEnvId,
  options: AwsOptions,
  extra: Record<string, unknown> = {},
  defaultRegion?: string
): C {
  return new Client(clientConfig(service, options, extra, defaultRegion) as never);
}
