import { readFileSync } from 'node:fs';
import { validateEndpoint } from '../../core/aws.js';
import { InputError } from '../../core/errors.js';
import {
  booleanInput,
  durationInput,
  integerInput,
  listInput,
  optionalInput,
  parseList
} from '../../core/inputs.js';
import { DEFAULT_REGION, INPUTS } from './constants.js';
import { MAX_PATHS_LIMIT } from './plan.js';
import { normalizeUserPath } from './paths.js';

export interface Inputs {
  distributionId: string | undefined;
  distributionAlias: string | undefined;
  /** User-given invalidation paths, encoded. */
  paths: string[];
  /** Changed keys from changed-paths and changed-paths-file; undefined when neither was given. */
  changedPaths: string[] | undefined;
  /** Every key the site serves, when given (lets the planner count what a wildcard evicts). */
  sitePaths: string[] | undefined;
  originPath: string | undefined;
  maxPaths: number;
  wait: boolean;
  timeoutMs: number;
  failOnTimeout: boolean;
  callerReference: string | undefined;
  dryRun: boolean;
  awsRegion: string;
  endpointUrl: string | undefined;
}

const DISTRIBUTION_ID = /^[A-Z0-9]{8,32}$/;

/** A JSON array of strings, as s3-static-sync writes it. */
export function parseKeyList(input: string, text: string): string[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new InputError(
      input,
      `is not valid JSON (${(error as Error).message}); expected an array like ["/index.html"].`
    );
  }
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string'))
    throw new InputError(input, 'must be a JSON array of strings, like ["/index.html", "/assets/app.js"].');
  return value as string[];
}

/** A file holding a JSON array, or one key per line. */
function readKeyFile(input: string, file: string | undefined): string[] | undefined {
  if (file === undefined) return undefined;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new InputError(
      input,
      `cannot read '${file}' (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`
    );
  }
  return text.trimStart().startsWith('[') ? parseKeyList(input, text) : parseList(text);
}

function keyList(jsonName: string, fileName: string): string[] | undefined {
  const text = optionalInput(jsonName);
  const inline = text === undefined ? undefined : parseKeyList(jsonName, text);
  const fromFile = readKeyFile(fileName, optionalInput(fileName));
  if (inline === undefined && fromFile === undefined) return undefined;
  return [...(inline ?? []), ...(fromFile ?? [])];
}

/** Reads and validates every input once. */
export function getInputs(): Inputs {
  const distributionId = optionalInput(INPUTS.distributionId);
  const distributionAlias = optionalInput(INPUTS.distributionAlias);
  if (distributionId && distributionAlias)
    throw new InputError(
      INPUTS.distributionAlias,
      `give either distribution-id or distribution-alias, not both.`
    );
  if (!distributionId && !distributionAlias)
    throw new InputError(
      INPUTS.distributionId,
      'is required (or give distribution-alias, the CNAME such as www.example.com).'
    );
  if (distributionId && !DISTRIBUTION_ID.test(distributionId))
    throw new InputError(
      INPUTS.distributionId,
      `'${distributionId}' is not a CloudFront distribution id; expected upper-case letters and digits like E2QWRUHAPOMQZL.`
    );

  const paths = listInput(INPUTS.paths).map((line) => {
    const result = normalizeUserPath(line);
    if ('error' in result)
      throw new InputError(INPUTS.paths, `${result.error}; expected paths like /index.html or /assets/*.`);
    return result.path;
  });
  const changedPaths = keyList(INPUTS.changedPaths, INPUTS.changedPathsFile);
  if (paths.length === 0 && changedPaths === undefined)
    throw new InputError(
      INPUTS.changedPaths,
      'nothing to invalidate: give changed-paths (the s3-static-sync output), changed-paths-file or paths.'
    );

  return {
    distributionId,
    distributionAlias,
    paths,
    changedPaths,
    sitePaths: keyList(INPUTS.sitePaths, INPUTS.sitePathsFile),
    originPath: optionalInput(INPUTS.originPath),
    maxPaths: integerInput(INPUTS.maxPaths, 15, { min: 1, max: MAX_PATHS_LIMIT }),
    wait: booleanInput(INPUTS.wait, true),
    timeoutMs: durationInput(INPUTS.timeout, '20m', { maxMs: 6 * 3_600_000 }),
    failOnTimeout: booleanInput(INPUTS.failOnTimeout, false),
    callerReference: optionalInput(INPUTS.callerReference),
    dryRun: booleanInput(INPUTS.dryRun, false),
    awsRegion: optionalInput(INPUTS.awsRegion) ?? DEFAULT_REGION,
    endpointUrl: validateEndpoint(INPUTS.endpointUrl, optionalInput(INPUTS.endpointUrl))
  };
}
