import * as core from '@actions/core';
import { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import { createClient } from '../../core/aws.js';
import { UserError } from '../../core/errors.js';
import { actionsLogger, type Logger } from '../../core/logger.js';
import { writeSummary } from '../../core/summary.js';
import { formatDuration } from '../../core/time.js';
import { DEFAULT_REGION, OUTPUTS } from './constants.js';
import { getInputs } from './inputs.js';
import { invalidate, type InvalidationResult } from './invalidate.js';
import { summaryOf } from './report.js';

export async function main(): Promise<void> {
  const inputs = getInputs();
  const options = {
    distributionId: inputs.distributionId,
    distributionAlias: inputs.distributionAlias,
    paths: inputs.paths,
    changedPaths: inputs.changedPaths,
    siteKeys: inputs.sitePaths,
    originPath: inputs.originPath,
    maxPaths: inputs.maxPaths,
    wait: inputs.wait,
    timeoutMs: inputs.timeoutMs,
    callerReference: inputs.callerReference,
    dryRun: inputs.dryRun
  };
  const cloudfront = createClient(
    CloudFrontClient,
    'CLOUDFRONT',
    { action: 'cloudfront-invalidate', region: inputs.awsRegion, endpoint: inputs.endpointUrl },
    {},
    DEFAULT_REGION
  );
  try {
    const result = await invalidate(options, { cloudfront, logger: actionsLogger });
    writeOutputs(result);
    await writeSummary(summaryOf(result, inputs.maxPaths), actionsLogger);
    reportTimeout(result, inputs);
  } finally {
    cloudfront.destroy();
  }
}

/** Sets the outputs (shared with the root static-site action). */
export function writeOutputs(result: InvalidationResult): void {
  const ids = result.invalidations.map((i) => i.id);
  core.setOutput(OUTPUTS.invalidationId, ids[0] ?? '');
  core.setOutput(OUTPUTS.invalidationIds, JSON.stringify(ids));
  core.setOutput(OUTPUTS.paths, JSON.stringify(result.plan.paths.map((p) => p.path)));
  core.setOutput(OUTPUTS.status, result.status);
  core.setOutput(OUTPUTS.distributionId, result.distributionId ?? '');
}

/** A timed-out wait: a warning, or the step's failure with fail-on-timeout (after outputs and summary). */
export function reportTimeout(
  result: InvalidationResult,
  inputs: { timeoutMs: number; failOnTimeout: boolean },
  logger: Logger = actionsLogger
): void {
  if (!result.timedOut) return;
  const ids = result.invalidations.map((i) => i.id);
  const message = `Invalidation ${ids.join(', ')} still ${result.status} after waiting ${formatDuration(inputs.timeoutMs)}; it goes on on CloudFront.`;
  if (inputs.failOnTimeout) throw new UserError(`${message} (fail-on-timeout: true)`);
  logger.warning(`${message} Not failing the step (fail-on-timeout: false).`);
}
