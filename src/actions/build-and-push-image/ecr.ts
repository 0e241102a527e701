/**
 * ECR login through the AWS SDK: GetAuthorizationToken returns base64 `AWS:<password>`, valid 12 hours,
 * for every registry the caller may reach. No AWS CLI needed; credentials come from the default chain.
 */
import { ECRClient, GetAuthorizationTokenCommand } from '@aws-sdk/client-ecr';
import { createClient } from '../../core/aws.js';
import { ConfigError, errorMessage } from '../../core/errors.js';
import { ACTION } from './constants.js';
import { maskSecret } from '../../core/secrets.js';

export interface RegistryCredentials {
  registry: string;
  username: string;
  password: string;
  /** Where they came from, for the log (never the secret). */
  source: string;
  expiresAt?: Date;
}

/** Decodes an ECR authorizationToken (base64 `user:password`). */
export function decodeAuthorizationToken(token: string): { username: string; password: string } | undefined {
  const decoded = Buffer.from(token, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0 || colon === decoded.length - 1) return undefined;
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

export interface EcrLoginOptions {
  registry: string;
  region: string;
  endpoint?: string;
}

/** Fetches an ECR token and masks it (both encoded and decoded) before anything can print it. */
export async function ecrCredentials(options: EcrLoginOptions): Promise<RegistryCredentials> {
  const client = createClient(ECRClient, 'ECR', {
    action: ACTION,
    region: options.region,
    endpoint: options.endpoint
  });
  let data;
  try {
    const response = await client.send(new GetAuthorizationTokenCommand({}));
    data = response.authorizationData?.[0];
  } catch (error) {
    throw new ConfigError(
      `ECR GetAuthorizationToken in ${options.region} failed: ${errorMessage(error)} (the role needs ecr:GetAuthorizationToken on *; see the README's IAM policy).`
    );
  } finally {
    client.destroy();
  }
  const token = data?.authorizationToken;
  if (!token) throw new ConfigError(`ECR GetAuthorizationToken in ${options.region} returned no token.`);
  maskSecret(token);
  const decoded = decodeAuthorizationToken(token);
  if (!decoded)
    throw new ConfigError('ECR GetAuthorizationToken returned a token that is not base64 user:password.');
  maskSecret(decoded.password);
  return {
    registry: options.registry,
    username: decoded.username,
    password: decoded.password,
    source: `ECR GetAuthorizationToken (${options.region})`,
    expiresAt: data?.expiresAt
  };
}
