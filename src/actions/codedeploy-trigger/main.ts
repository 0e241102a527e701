/**
 * Orchestration: validate and zip the bundle (local), check the group (read-only), upload once by content
 * hash, create the deployment (waiting out a busy group), watch it live, explain how it ended.
 */
import * as core from '@actions/core';
import { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { S3Client } from '@aws-sdk/client-s3';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { createClient, resolveEndpoint } from '../../core/aws.js';
import { UserError } from '../../core/errors.js';
import { actionsLogger, type Logger } from '../../core/logger.js';
import { realSleep } from '../../core/retry.js';
import { writeSummary } from '../../core/summary.js';
import { formatDuration } from '../../core/time.js';
import { OUTPUTS, POLL_INTERVAL_ENV, STATE } from './constants.js';
import { checkDeploymentGroup, createDeployment, explain } from './deployment.js';
import { getInputs, type Inputs } from './inputs.js';
import { prepareBundle } from './prepare.js';
import { failedEvents, failureMessage, overviewText, stillRunning } from './progress.js';
import { buildSummary, type RunReport } from './report.js';
import { autoRollbackConfiguration, bundleKey, consoleUrl, s3Uri, type S3Location } from './revision.js';
import { registerRevision } from './register.js';
import { TargetReader } from './targets.js';
import { DEFAULT_POLL, watchDeployment, type Clock, type PollPlan } from './watch.js';
import { ensureUploaded, headObject } from './upload.js';

const ACTION = 'codedeploy-trigger';

/** The poll plan, with the undocumented test override of the first interval. */
export function pollPlan(env: NodeJS.ProcessEnv = process.env): PollPlan {
  const override = Number(env[POLL_INTERVAL_ENV]);
  if (!Number.isFinite(override) || override <= 0) return DEFAULT_POLL;
  return { intervalMs: override, maxIntervalMs: override * 5, factor: DEFAULT_POLL.factor };
}

interface Revision extends S3Location {
  eTag?: string;
  version?: string;
  sha256?: string;
  size?: number;
  uploaded?: boolean;
}

function s3Client(inputs: Inputs): S3Client {
  // A custom S3 endpoint (AWS_ENDPOINT_URL_S3, e.g. MinIO or a test server) usually wants path-style
  // addressing and no optional checksums; real S3 keeps the SDK's defaults.
  const custom = resolveEndpoint('S3', undefined) !== undefined;
  return createClient(
    S3Client,
    'S3',
    { action: ACTION, region: inputs.region },
    custom
      ? {
          forcePathStyle: true,
          requestChecksumCalculation: 'WHEN_REQUIRED',
          responseChecksumValidation: 'WHEN_REQUIRED'
        }
      : {}
  );
}

async function resolveRevision(
  inputs: Inputs,
  codedeploy: CodeDeployClient,
  logger: Logger
): Promise<Revision> {
  const source = inputs.revision;
  if (source.kind === 'bundle') {
    const bundle = await logger.group('Checking and zipping the bundle', () =>
      prepareBundle(source.directory, logger)
    );
    try {
      await checkDeploymentGroup(
        codedeploy,
        inputs.application,
        inputs.deploymentGroup,
        inputs.deploymentConfig
      );
      const key = bundleKey(source.prefix, inputs.application, bundle.sha256);
      const s3 = s3Client(inputs);
      try {
        const stored = await logger.group(`Uploading to s3://${source.bucket}/${key}`, async () => {
          const result = await ensureUploaded(s3, bundle.file, source.bucket, key, bundle.sha256);
          logger.info(
            result.uploaded
              ? `Uploaded s3://${source.bucket}/${key} (ETag ${result.eTag}).`
              : `s3://${source.bucket}/${key} is already there from an earlier run (ETag ${result.eTag}); not uploading again.`
          );
          return result;
        });
        return {
          bucket: source.bucket,
          key,
          bundleType: 'zip',
          eTag: stored.eTag,
          version: stored.version,
          sha256: bundle.sha256,
          size: bundle.size,
          uploaded: stored.uploaded
        };
      } finally {
        s3.destroy();
      }
    } finally {
      rmSync(path.dirname(bundle.file), { recursive: true, force: true });
    }
  }
  await checkDeploymentGroup(codedeploy, inputs.application, inputs.deploymentGroup, inputs.deploymentConfig);
  const s3 = s3Client(inputs);
  try {
    const { bucket, key } = source.location;
    const found = await headObject(s3, bucket, key);
    if (!found) throw new UserError(`Input 'revision-s3-uri': s3://${bucket}/${key} does not exist.`);
    logger.info(`Using s3://${bucket}/${key} (ETag ${found.eTag}).`);
    return { ...source.location, eTag: found.eTag, version: found.version, sha256: found.sha256 };
  } finally {
    s3.destroy();
  }
}

export async function main(
  logger: Logger = actionsLogger,
  clock: Clock = { now: Date.now, sleep: realSleep }
): Promise<void> {
  const inputs = getInputs();
  const started = clock.now();
  const deadline = started + inputs.timeoutMs;
  const plan = pollPlan();
  const codedeploy = createClient(CodeDeployClient, 'CODEDEPLOY', {
    action: ACTION,
    region: inputs.region,
    endpoint: inputs.endpoint
  });
  try {
    const region = await codedeploy.config.region();
    const revision = await resolveRevision(inputs, codedeploy, logger);
    const uri = s3Uri(revision);
    core.setOutput(OUTPUTS.revisionS3Uri, uri);
    core.setOutput(OUTPUTS.bundleSha256, revision.sha256 ?? '');

    const revisionLocation = {
      revisionType: 'S3' as const,
      s3Location: {
        bucket: revision.bucket,
        key: revision.key,
        bundleType: revision.bundleType,
        ...(revision.eTag ? { eTag: revision.eTag } : {}),
        ...(revision.version ? { version: revision.version } : {})
      }
    };
    if (inputs.revision.kind === 'bundle')
      await registerRevision(codedeploy, inputs.application, inputs.description, revisionLocation, logger);

    const deploymentId = await logger.group('Creating the deployment', async () => {
      const id = await createDeployment(
        codedeploy,
        {
          applicationName: inputs.application,
          deploymentGroupName: inputs.deploymentGroup,
          revision: revisionLocation,
          description: inputs.description,
          fileExistsBehavior: inputs.fileExistsBehavior,
          ignoreApplicationStopFailures: inputs.ignoreApplicationStopFailures,
          ...(inputs.deploymentConfig ? { deploymentConfigName: inputs.deploymentConfig } : {}),
          ...(autoRollbackConfiguration(inputs.autoRollback)
            ? { autoRollbackConfiguration: autoRollbackConfiguration(inputs.autoRollback) }
            : {})
        },
        {
          mode: inputs.onActiveDeployment,
          logger,
          waitFor: async (active) => {
            const result = await watchDeployment({
              client: codedeploy,
              deploymentId: active,
              logger,
              clock,
              deadline,
              plan,
              label: `Active deployment ${active}`
            });
            if (result.timedOut)
              throw new UserError(
                `Timed out after ${formatDuration(clock.now() - started)} waiting for the active deployment ${active} in '${inputs.deploymentGroup}' to finish; nothing was deployed.`
              );
          },
          pause: async () => {
            if (clock.now() >= deadline)
              throw new UserError(
                `Timed out waiting for CodeDeploy to accept a new deployment; nothing was deployed.`
              );
            await clock.sleep(Math.min(plan.maxIntervalMs, Math.max(0, deadline - clock.now())));
          }
        }
      );
      // From here until main marks itself done, the post step stops this deployment if the run is cancelled.
      core.saveState(STATE.deploymentId, id);
      core.saveState(STATE.region, region);
      core.saveState(STATE.endpoint, inputs.endpoint ?? '');
      core.saveState(STATE.stopOnCancel, String(inputs.stopOnCancel));
      core.saveState(STATE.rollbackOnCancel, String(inputs.autoRollback !== 'off'));
      logger.info(`Created deployment ${id}: ${consoleUrl(region, id)}`);
      return id;
    });
    const link = consoleUrl(region, deploymentId);
    core.setOutput(OUTPUTS.deploymentId, deploymentId);
    core.setOutput(OUTPUTS.consoleUrl, link);

    const base: Omit<RunReport, 'status' | 'elapsedMs' | 'targets' | 'waited'> = {
      application: inputs.application,
      group: inputs.deploymentGroup,
      deploymentId,
      revisionUri: uri,
      eTag: revision.eTag,
      sha256: revision.sha256,
      bundleBytes: revision.size,
      uploaded: revision.uploaded,
      deploymentConfig: inputs.deploymentConfig,
      consoleUrl: link
    };

    if (!inputs.wait) {
      core.saveState(STATE.done, 'true');
      core.setOutput(OUTPUTS.status, 'Created');
      await writeSummary(
        buildSummary({
          ...base,
          status: 'Created',
          elapsedMs: clock.now() - started,
          targets: [],
          waited: false
        }),
        logger
      );
      return;
    }

    let result;
    try {
      result = await watchDeployment({
        client: codedeploy,
        deploymentId,
        logger,
        clock,
        deadline,
        plan,
        targets: new TargetReader(codedeploy, logger)
      });
    } finally {
      core.saveState(STATE.done, 'true');
    }
    const { info, targets, timedOut } = result;
    const status = info.status ?? 'Unknown';
    core.setOutput(OUTPUTS.status, status);

    for (const failure of failedEvents(targets)) {
      const { title, message } = failureMessage(failure);
      logger.error(message, { title });
    }
    let rollback: RunReport['rollback'];
    const rollbackId = info.rollbackInfo?.rollbackDeploymentId;
    if (rollbackId) {
      logger.info(`CodeDeploy started rollback deployment ${rollbackId}: ${consoleUrl(region, rollbackId)}`);
      const watched = await watchDeployment({
        client: codedeploy,
        deploymentId: rollbackId,
        logger,
        clock,
        deadline: Math.max(deadline, clock.now() + plan.intervalMs),
        plan,
        label: `Rollback ${rollbackId}`
      });
      rollback = { id: rollbackId, status: watched.info.status };
    }
    const now = new Date(clock.now());
    const report: RunReport = {
      ...base,
      status,
      overview: info.deploymentOverview,
      elapsedMs: clock.now() - started,
      targets,
      timedOut,
      waited: true,
      error: info.errorInformation
        ? { code: info.errorInformation.code, message: info.errorInformation.message }
        : undefined,
      rollback,
      now
    };
    await writeSummary(buildSummary(report), logger);

    if (timedOut) {
      const running = stillRunning(targets, now);
      throw new UserError(
        `Timed out after ${formatDuration(report.elapsedMs)} waiting for deployment ${deploymentId} (${status}, ${overviewText(info.deploymentOverview)}).` +
          (running.length ? ` Still running: ${running.join(', ')}.` : '') +
          ` It goes on in CodeDeploy; to stop it: aws deploy stop-deployment --deployment-id ${deploymentId} --auto-rollback-enabled`
      );
    }
    if (status === 'Succeeded' || status === 'Ready') {
      logger.info(`Deployment ${deploymentId} ${status} (${overviewText(info.deploymentOverview)}).`);
      return;
    }
    const why = [info.errorInformation?.code, info.errorInformation?.message].filter(Boolean).join(': ');
    throw new UserError(
      `Deployment ${deploymentId} ${status}${why ? ` (${why})` : ''}.` +
        (rollback ? ` CodeDeploy rolled back with ${rollback.id} (${rollback.status ?? 'unknown'}).` : '')
    );
  } catch (error) {
    throw explain(error, inputs.application, inputs.deploymentGroup);
  } finally {
    codedeploy.destroy();
  }
}
