import * as core from '@actions/core';
import { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import { createClient } from '../../core/aws.js';
import { UserError } from '../../core/errors.js';
import { actionsLogger } from '../../core/logger.js';
import { writeSummary } from '../../core/summary.js';
import { formatDuration } from '../../core/time.js';
import { DEFAULT_REGION, OUTPUTS } from './constants.js';
import { getInputs } from './inputs.js';
import { invalidate } from './invalidate.js';
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
    const ids = result.invalidations.map((i) => i.id);
    core.setOutput(OUTPUTS.invalidationId, ids[0] ?? '');
    core.setOutput(OUTPUTS.invalidationIds, JSON.stringify(ids));
    core.setOutput(OUTPUTS.paths, JSON.stringify(result.plan.paths.map((p) => p.path)));
    core.setOutput(OUTPUTS.status, result.status);
    core.setOutput(OUTPUTS.distributionId, result.distributionId ?? '');
    await writeSummary(summaryOf(result, inputs.maxPaths), actionsLogger);
    if (result.timedOut) {
      const message = `Invalidation ${ids.join(', ')} still ${result.status} after waiting ${formatDuration(inputs.timeoutMs)}; it goes on on CloudFront.`;
      if (inputs.failOnTimeout) throw new UserError(`${message} (fail-on-timeout: true)`);
      actionsLogger.warning(`${message} Not failing the step (fail-on-timeout: false).`);
    }
  } finally {
    cloudfront.destroy();
  }
}
