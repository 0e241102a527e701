import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { validateEndpoint } from '../../core/aws.js';
import { InputError } from '../../core/errors.js';
import { booleanInput, choiceInput, durationInput, optionalInput, requiredInput } from '../../core/inputs.js';
import {
  ACTIVE_DEPLOYMENT_MODES,
  AUTO_ROLLBACK_MODES,
  DESCRIPTION_MAX,
  FILE_EXISTS_BEHAVIORS,
  INPUTS,
  type ActiveDeploymentMode,
  type AutoRollbackMode,
  type FileExistsBehavior
} from './constants.js';
import {
  bucketProblem,
  defaultDescription,
  normalizePrefix,
  parseS3Uri,
  truncate,
  type CommitContext,
  type S3Location
} from './revision.js';

export type RevisionSource =
  | { kind: 'bundle'; directory: string; bucket: string; prefix: string }
  | { kind: 's3'; location: S3Location };

export interface Inputs {
  application: string;
  deploymentGroup: string;
  revision: RevisionSource;
  deploymentConfig?: string;
  description: string;
  fileExistsBehavior: FileExistsBehavior;
  ignoreApplicationStopFailures: boolean;
  autoRollback: AutoRollbackMode;
  wait: boolean;
  timeoutMs: number;
  onActiveDeployment: ActiveDeploymentMode;
  stopOnCancel: boolean;
  region?: string;
  endpoint?: string;
}

const MAX_TIMEOUT_MS = 6 * 3_600_000;

/** What GitHub tells us about the commit: env plus the push event's head commit message. */
export function commitContext(env: NodeJS.ProcessEnv = process.env): CommitContext {
  let message: string | undefined;
  if (env.GITHUB_EVENT_PATH && existsSync(env.GITHUB_EVENT_PATH)) {
    try {
      const event = JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, 'utf8')) as {
        head_commit?: { message?: string };
      };
      message = event.head_commit?.message;
    } catch {
      message = undefined;
    }
  }
  return {
    repository: env.GITHUB_REPOSITORY,
    sha: env.GITHUB_SHA,
    ref: env.GITHUB_REF,
    runNumber: env.GITHUB_RUN_NUMBER,
    actor: env.GITHUB_ACTOR,
    message
  };
}

function revisionSource(): RevisionSource {
  const bundle = optionalInput(INPUTS.bundle);
  const uri = optionalInput(INPUTS.revisionS3Uri);
  const bucket = optionalInput(INPUTS.s3Bucket);
  const prefix = optionalInput(INPUTS.s3Prefix) ?? 'codedeploy/';
  if (bundle && uri)
    throw new InputError(
      INPUTS.bundle,
      `give either ${INPUTS.bundle} (a directory with appspec.yml) or ${INPUTS.revisionS3Uri} (an uploaded revision), not both.`
    );
  if (uri) {
    const location = parseS3Uri(uri);
    if (typeof location === 'string') throw new InputError(INPUTS.revisionS3Uri, location);
    return { kind: 's3', location };
  }
  if (!bundle)
    throw new InputError(
      INPUTS.bundle,
      `is required unless ${INPUTS.revisionS3Uri} is given; expected a directory holding appspec.yml.`
    );
  const directory = path.resolve(process.env.GITHUB_WORKSPACE ?? process.cwd(), bundle);
  if (!existsSync(directory) || !statSync(directory).isDirectory())
    throw new InputError(
      INPUTS.bundle,
      `'${bundle}' is not a directory; expected a directory holding appspec.yml.`
    );
  if (!bucket)
    throw new InputError(
      INPUTS.s3Bucket,
      `is required with ${INPUTS.bundle}: the bundle is uploaded there for CodeDeploy.`
    );
  const badBucket = bucketProblem(bucket);
  if (badBucket) throw new InputError(INPUTS.s3Bucket, badBucket);
  if (/[\\]|(^|\/)\.\.?(\/|$)/.test(prefix))
    throw new InputError(
      INPUTS.s3Prefix,
      `'${prefix}' has a '.', '..' or backslash segment; expected e.g. deploy/api/.`
    );
  return { kind: 'bundle', directory, bucket, prefix: normalizePrefix(prefix) };
}

/** Reads and validates every input once. */
export function getInputs(): Inputs {
  const application = requiredInput(INPUTS.application);
  const deploymentGroup = requiredInput(INPUTS.deploymentGroup);
  const revision = revisionSource();
  const description = optionalInput(INPUTS.description);
  const timeoutMs = durationInput(INPUTS.timeout, '30m', { maxMs: MAX_TIMEOUT_MS });
  if (timeoutMs < 1000) throw new InputError(INPUTS.timeout, 'must be at least 1s; expected e.g. 30m.');
  return {
    application,
    deploymentGroup,
    revision,
    deploymentConfig: optionalInput(INPUTS.deploymentConfig),
    description: description ? truncate(description, DESCRIPTION_MAX) : defaultDescription(commitContext()),
    fileExistsBehavior: choiceInput(INPUTS.fileExistsBehavior, FILE_EXISTS_BEHAVIORS, 'DISALLOW'),
    ignoreApplicationStopFailures: booleanInput(INPUTS.ignoreApplicationStopFailures, false),
    autoRollback: choiceInput(INPUTS.autoRollback, AUTO_ROLLBACK_MODES, 'group-default'),
    wait: booleanInput(INPUTS.wait, true),
    timeoutMs,
    onActiveDeployment: choiceInput(INPUTS.onActiveDeployment, ACTIVE_DEPLOYMENT_MODES, 'wait'),
    stopOnCancel: booleanInput(INPUTS.stopOnCancel, true),
    region: optionalInput(INPUTS.awsRegion),
    endpoint: validateEndpoint(INPUTS.endpointUrl, optionalInput(INPUTS.endpointUrl))
  };
}
