/**
 * Input and output names of the root static-site action, checked against the root action.yml by the
 * manifest test: every s3-static-sync input and output unchanged, plus the CloudFront half.
 */
import { INPUTS as SYNC_INPUTS, OUTPUTS as SYNC_OUTPUTS } from '../s3-static-sync/constants.js';
import { OUTPUTS as INVALIDATE_OUTPUTS } from '../cloudfront-invalidate/constants.js';

export const INPUTS = {
  ...SYNC_INPUTS,
  distributionId: 'distribution-id',
  distributionAlias: 'distribution-alias',
  paths: 'paths',
  originPath: 'origin-path',
  maxPaths: 'max-paths',
  wait: 'wait',
  timeout: 'timeout',
  failOnTimeout: 'fail-on-timeout',
  callerReference: 'caller-reference',
  cloudfrontEndpointUrl: 'cloudfront-endpoint-url'
} as const;

export const OUTPUTS = { ...SYNC_OUTPUTS, ...INVALIDATE_OUTPUTS } as const;
