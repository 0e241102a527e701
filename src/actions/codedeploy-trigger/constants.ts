/** Input, output and state names of this action, checked against action.yml by the manifest test. */
export const INPUTS = {
  application: 'application',
  deploymentGroup: 'deployment-group',
  bundle: 'bundle',
  revisionS3Uri: 'revision-s3-uri',
  s3Bucket: 's3-bucket',
  s3Prefix: 's3-prefix',
  deploymentConfig: 'deployment-config',
  description: 'description',
  fileExistsBehavior: 'file-exists-behavior',
  ignoreApplicationStopFailures: 'ignore-application-stop-failures',
  autoRollback: 'auto-rollback',
  wait: 'wait',
  timeout: 'timeout',
  onActiveDeployment: 'on-active-deployment',
  stopOnCancel: 'stop-on-cancel',
  awsRegion: 'aws-region',
  endpointUrl: 'endpoint-url'
} as const;

export const OUTPUTS = {
  deploymentId: 'deployment-id',
  status: 'status',
  revisionS3Uri: 'revision-s3-uri',
  bundleSha256: 'bundle-sha256',
  consoleUrl: 'console-url'
} as const;

/** What main hands to the post step (GITHUB_STATE); never secrets. */
export const STATE = {
  deploymentId: 'deployment-id',
  region: 'region',
  endpoint: 'endpoint',
  stopOnCancel: 'stop-on-cancel',
  /** Whether stopping on cancel asks CodeDeploy to roll back (not when auto-rollback is off). */
  rollbackOnCancel: 'rollback-on-cancel',
  /** Set once main stopped watching (for any reason but being killed): post then leaves the deployment alone. */
  done: 'done'
} as const;

/**
 * Undocumented: the first poll interval in milliseconds (default 3000). Integration tests set it low so a
 * whole rollout plays in a second; it is not an input because no user should need it.
 */
export const POLL_INTERVAL_ENV = 'DEPLOY_ACTIONS_CODEDEPLOY_POLL_MS';

export const FILE_EXISTS_BEHAVIORS = ['DISALLOW', 'OVERWRITE', 'RETAIN'] as const;
export type FileExistsBehavior = (typeof FILE_EXISTS_BEHAVIORS)[number];

export const AUTO_ROLLBACK_MODES = ['group-default', 'on-failure', 'on-failure-and-stop', 'off'] as const;
export type AutoRollbackMode = (typeof AUTO_ROLLBACK_MODES)[number];

export const ACTIVE_DEPLOYMENT_MODES = ['wait', 'fail'] as const;
export type ActiveDeploymentMode = (typeof ACTIVE_DEPLOYMENT_MODES)[number];

/** CodeDeploy caps a deployment description at 512 characters. */
export const DESCRIPTION_MAX = 512;

/** BatchGetDeploymentTargets and BatchGetDeploymentInstances take at most 25 ids per call. */
export const BATCH_SIZE = 25;
