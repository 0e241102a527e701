/**
 * The one-step static-site deploy: sync the folder to S3, then invalidate on CloudFront exactly what the
 * sync changed, passing the change list in process (no output size limit), with one job summary.
 */
import * as core from '@actions/core';
import { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import { createClient } from '../../core/aws.js';
import { actionsLogger } from '../../core/logger.js';
import { writeSummary } from '../../core/summary.js';
import { stopwatch } from '../../core/time.js';
import { DEFAULT_REGION } from '../cloudfront-invalidate/constants.js';
import { invalidate, type InvalidationResult } from '../cloudfront-invalidate/invalidate.js';
import { reportTimeout, writeOutputs as writeInvalidationOutputs } from '../cloudfront-invalidate/main.js';
import { createS3Client } from '../s3-static-sync/client.js';
import { writeOutputs as writeSyncOutputs } from '../s3-static-sync/main.js';
import { syncSite, type SyncResult } from '../s3-static-sync/sync.js';
import { OUTPUTS } from './constants.js';
import { getInputs, type CloudFrontInputs, type Inputs } from './inputs.js';
import { deploySummary } from './summary.js';

const ACTION = 'static-site';

async function invalidateChanges(
  cf: CloudFrontInputs,
  sync: SyncResult,
  dryRun: boolean
): Promise<InvalidationResult> {
  const cloudfront = createClient(
    CloudFrontClient,
    'CLOUDFRONT',
    { action: ACTION, region: DEFAULT_REGION, endpoint: cf.endpointUrl },
    {},
    DEFAULT_REGION
  );
  try {
    return await invalidate(
      {
        distributionId: cf.distributionId,
        distributionAlias: cf.distributionAlias,
        paths: cf.paths,
        changedPaths: sync.changedPaths,
        // The listing the sync already read: eviction counts are exact, and wildcards evict the fewest.
        siteKeys: sync.sitePaths,
        originPath: cf.originPath,
        maxPaths: cf.maxPaths,
        wait: cf.wait,
        timeoutMs: cf.timeoutMs,
        callerReference: cf.callerReference,
        dryRun
      },
      { cloudfront, logger: actionsLogger }
    );
  } finally {
    cloudfront.destroy();
  }
}

function writeNoInvalidationOutputs(): void {
  core.setOutput(OUTPUTS.invalidationId, '');
  core.setOutput(OUTPUTS.invalidationIds, '[]');
  core.setOutput(OUTPUTS.paths, '[]');
  core.setOutput(OUTPUTS.status, 'Skipped');
  core.setOutput(OUTPUTS.distributionId, '');
}

export async function main(): Promise<void> {
  const elapsed = stopwatch();
  const inputs: Inputs = getInputs();
  const s3 = createS3Client(inputs, ACTION);
  let sync: SyncResult;
  try {
    sync = await syncSite(inputs, { s3, logger: actionsLogger });
  } finally {
    s3.destroy();
  }
  writeSyncOutputs(sync, ACTION);

  const cf = inputs.cloudfront;
  let invalidation: InvalidationResult | undefined;
  if (cf) {
    invalidation = await invalidateChanges(cf, sync, inputs.dryRun);
    writeInvalidationOutputs(invalidation);
  } else {
    actionsLogger.notice(
      'No distribution-id or distribution-alias given: synced only, nothing invalidated on CloudFront.'
    );
    writeNoInvalidationOutputs();
  }
  await writeSummary(deploySummary(sync, invalidation, cf?.maxPaths ?? 0, elapsed()), actionsLogger);
  if (invalidation && cf) reportTimeout(invalidation, cf);
}
