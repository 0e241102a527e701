/** Input and output names of this action, checked against action.yml by the manifest test. */
export const INPUTS = {
  distributionId: 'distribution-id',
  distributionAlias: 'distribution-alias',
  paths: 'paths',
  changedPaths: 'changed-paths',
  changedPathsFile: 'changed-paths-file',
  sitePaths: 'site-paths',
  sitePathsFile: 'site-paths-file',
  originPath: 'origin-path',
  maxPaths: 'max-paths',
  wait: 'wait',
  timeout: 'timeout',
  failOnTimeout: 'fail-on-timeout',
  callerReference: 'caller-reference',
  dryRun: 'dry-run',
  awsRegion: 'aws-region',
  endpointUrl: 'endpoint-url'
} as const;

export const OUTPUTS = {
  invalidationId: 'invalidation-id',
  invalidationIds: 'invalidation-ids',
  paths: 'paths',
  status: 'status',
  distributionId: 'distribution-id'
} as const;

/** CloudFront is global; its API lives in us-east-1. */
export const DEFAULT_REGION = 'us-east-1';
