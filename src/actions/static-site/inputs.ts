/**
 * Every input of the one-step deploy, read and validated once, before the first request: the sync half
 * through s3-static-sync's own getInputs() (same names, same checks), then the CloudFront half with
 * cloudfront-invalidate's validators.
 */
import { validateEndpoint } from '../../core/aws.js';
import { InputError } from '../../core/errors.js';
import { booleanInput, durationInput, integerInput, listInput, optionalInput } from '../../core/inputs.js';
import { checkDistributionId, userPaths } from '../cloudfront-invalidate/inputs.js';
import { normalizeOriginPath } from '../cloudfront-invalidate/paths.js';
import { MAX_PATHS_LIMIT } from '../cloudfront-invalidate/plan.js';
import { getInputs as getSyncInputs, type Inputs as SyncInputs } from '../s3-static-sync/inputs.js';
import { INPUTS } from './constants.js';

export interface CloudFrontInputs {
  distributionId: string | undefined;
  distributionAlias: string | undefined;
  /** Extra invalidation paths, encoded. */
  paths: string[];
  /** `/site` or '' (see normalizeOriginPath). */
  originPath: string;
  maxPaths: number;
  wait: boolean;
  timeoutMs: number;
  failOnTimeout: boolean;
  callerReference: string | undefined;
  endpointUrl: string | undefined;
}

export interface Inputs extends SyncInputs {
  /** Undefined when neither distribution-id nor distribution-alias is given: sync only. */
  cloudfront: CloudFrontInputs | undefined;
}

/** Keys are published as `/<prefix><file>`; the origin path must contain them or nothing could be served. */
function checkOriginPath(originPath: string, prefix: string): void {
  if (originPath === '' || `/${prefix}`.startsWith(`${originPath}/`)) return;
  throw new InputError(
    INPUTS.originPath,
    `'${originPath}' does not contain the prefix '${prefix || '(bucket root)'}' the site is published to, so the distribution could not serve it; set origin-path to the distribution's Origin path (a parent of prefix), or leave it empty when the origin reads the bucket root.`
  );
}

/** Reads and validates every input once. */
export function getInputs(): Inputs {
  const sync = getSyncInputs();

  const distributionId = optionalInput(INPUTS.distributionId);
  const distributionAlias = optionalInput(INPUTS.distributionAlias);
  if (distributionId && distributionAlias)
    throw new InputError(
      INPUTS.distributionAlias,
      'give either distribution-id or distribution-alias, not both.'
    );
  if (distributionId) checkDistributionId(INPUTS.distributionId, distributionId);
  const paths = userPaths(INPUTS.paths, listInput(INPUTS.paths));
  const originPath = normalizeOriginPath(optionalInput(INPUTS.originPath));
  checkOriginPath(originPath, sync.prefix);
  const cloudfront: CloudFrontInputs = {
    distributionId,
    distributionAlias,
    paths,
    originPath,
    maxPaths: integerInput(INPUTS.maxPaths, 15, { min: 1, max: MAX_PATHS_LIMIT }),
    wait: booleanInput(INPUTS.wait, true),
    timeoutMs: durationInput(INPUTS.timeout, '20m', { maxMs: 6 * 3_600_000 }),
    failOnTimeout: booleanInput(INPUTS.failOnTimeout, false),
    callerReference: optionalInput(INPUTS.callerReference),
    endpointUrl: validateEndpoint(INPUTS.cloudfrontEndpointUrl, optionalInput(INPUTS.cloudfrontEndpointUrl))
  };
  if (!distributionId && !distributionAlias) {
    if (paths.length)
      throw new InputError(
        INPUTS.paths,
        'needs a distribution to invalidate on: give distribution-id (or distribution-alias), or remove paths.'
      );
    return { ...sync, cloudfront: undefined };
  }
  return { ...sync, cloudfront };
}
