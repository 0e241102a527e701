import { statSync } from 'node:fs';
import path from 'node:path';
import { resolveEndpoint, validateEndpoint } from '../../core/aws.js';
import { InputError } from '../../core/errors.js';
import {
  booleanInput,
  choiceInput,
  integerInput,
  listInput,
  optionalInput,
  requiredInput
} from '../../core/inputs.js';
import { INPUTS, MIN_PART_SIZE } from './constants.js';
import { normalizePrefix } from './keys.js';
import { parseMaxDelete, type MaxDelete } from './plan.js';
import { checkCacheControl, checkContentType, compileGlob, parseRules, type Rule } from './rules.js';

export const ACLS = [
  'private',
  'public-read',
  'public-read-write',
  'authenticated-read',
  'aws-exec-read',
  'bucket-owner-read',
  'bucket-owner-full-control'
] as const;

export const STORAGE_CLASSES = [
  'STANDARD',
  'REDUCED_REDUNDANCY',
  'STANDARD_IA',
  'ONEZONE_IA',
  'INTELLIGENT_TIERING',
  'GLACIER_IR',
  'GLACIER',
  'DEEP_ARCHIVE',
  'EXPRESS_ONEZONE'
] as const;

export const ENCRYPTIONS = ['AES256', 'aws:kms', 'aws:kms:dsse'] as const;

/** `auto`: only when required if endpoint-url is set (S3-compatible stores), else whenever supported. */
export const CHECKSUMS = ['auto', 'when-supported', 'when-required'] as const;

export interface Inputs {
  /** Absolute path of the folder to publish. */
  source: string;
  bucket: string;
  /** '' or a prefix ending in '/'. */
  prefix: string;
  delete: boolean;
  include: string[];
  exclude: string[];
  includeHidden: boolean;
  cacheControl: Rule[];
  contentType: Rule[];
  concurrency: number;
  dryRun: boolean;
  maxDelete: MaxDelete;
  /** max-delete as the user wrote it, for messages. */
  maxDeleteText: string;
  region?: string;
  endpoint?: string;
  forcePathStyle: boolean;
  checksums: 'when-supported' | 'when-required';
  acl?: (typeof ACLS)[number];
  storageClass?: (typeof STORAGE_CLASSES)[number];
  serverSideEncryption?: (typeof ENCRYPTIONS)[number];
  kmsKeyId?: string;
  multipartThreshold: number;
}

const UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  k: 1024,
  kb: 1000,
  kib: 1024,
  m: 1024 ** 2,
  mb: 1000 ** 2,
  mib: 1024 ** 2,
  g: 1024 ** 3,
  gb: 1000 ** 3,
  gib: 1024 ** 3
};

/** `8MiB`, `16MB`, `5242880` → bytes; undefined when not a size. */
export function parseSize(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(text.trim());
  const unit = UNITS[(match?.[2] ?? '').toLowerCase()];
  if (!match || unit === undefined) return undefined;
  return Math.round(Number(match[1]) * unit);
}

function sourceInput(): string {
  const given = requiredInput(INPUTS.source);
  const absolute = path.resolve(given);
  let isDirectory: boolean;
  try {
    isDirectory = statSync(absolute).isDirectory();
  } catch {
    throw new InputError(
      INPUTS.source,
      `'${given}' does not exist (looked for ${absolute}); expected the build output folder, e.g. dist or build. Did the build step run?`
    );
  }
  if (!isDirectory) {
    throw new InputError(INPUTS.source, `'${given}' is a file; expected a folder such as dist or build.`);
  }
  return absolute;
}

function bucketInput(): string {
  const bucket = requiredInput(INPUTS.bucket);
  if (/^s3:\/\//i.test(bucket)) {
    throw new InputError(
      INPUTS.bucket,
      `'${bucket}' is a URL; give the bucket name alone (e.g. my-site) and any folder as prefix.`
    );
  }
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{1,253}[A-Za-z0-9]$/.test(bucket)) {
    throw new InputError(
      INPUTS.bucket,
      `'${bucket}' is not a bucket name; expected 3-63 lowercase letters, digits, dots and hyphens.`
    );
  }
  return bucket;
}

function rulesInput(name: string, check: (value: string) => string | undefined): Rule[] {
  const parsed = parseRules(optionalInput(name) ?? '', check);
  if (typeof parsed === 'string') throw new InputError(name, parsed);
  return parsed;
}

function globsInput(name: string): string[] {
  const globs = listInput(name);
  for (const glob of globs) {
    try {
      compileGlob(glob);
    } catch {
      throw new InputError(name, `'${glob}' is not a glob; expected one glob per line, e.g. '*.map'.`);
    }
  }
  return globs;
}

/** Reads and validates every input once. */
export function getInputs(): Inputs {
  const source = sourceInput();
  const bucket = bucketInput();
  const prefix = normalizePrefix(optionalInput(INPUTS.prefix) ?? '');
  if (typeof prefix !== 'string') throw new InputError(INPUTS.prefix, prefix.error);

  const maxDeleteText = optionalInput(INPUTS.maxDelete) ?? '50%';
  const maxDelete = parseMaxDelete(maxDeleteText);
  if (!maxDelete) {
    throw new InputError(
      INPUTS.maxDelete,
      `'${maxDeleteText}' is not a limit; expected a number of objects (e.g. 100) or a share (e.g. 25%, at most 100%).`
    );
  }

  const endpoint = validateEndpoint(INPUTS.endpointUrl, optionalInput(INPUTS.endpointUrl));
  const checksumChoice = choiceInput(INPUTS.checksums, CHECKSUMS, 'auto');
  const checksums =
    checksumChoice === 'auto'
      ? resolveEndpoint('S3', endpoint)
        ? 'when-required'
        : 'when-supported'
      : checksumChoice;

  const serverSideEncryption = optionalInput(INPUTS.serverSideEncryption)
    ? choiceInput(INPUTS.serverSideEncryption, ENCRYPTIONS, 'AES256')
    : undefined;
  const kmsKeyId = optionalInput(INPUTS.kmsKeyId);
  if (kmsKeyId && !serverSideEncryption?.startsWith('aws:kms')) {
    throw new InputError(INPUTS.kmsKeyId, `needs server-side-encryption: aws:kms (or aws:kms:dsse).`);
  }

  const thresholdText = optionalInput(INPUTS.multipartThreshold) ?? '8MiB';
  const multipartThreshold = parseSize(thresholdText);
  if (
    multipartThreshold === undefined ||
    multipartThreshold < MIN_PART_SIZE ||
    multipartThreshold > 5 * 1024 ** 3
  ) {
    throw new InputError(
      INPUTS.multipartThreshold,
      `'${thresholdText}' is not a size from 5MiB to 5GiB; expected e.g. 8MiB or 64MiB.`
    );
  }

  return {
    source,
    bucket,
    prefix,
    delete: booleanInput(INPUTS.delete, false),
    include: globsInput(INPUTS.include),
    exclude: globsInput(INPUTS.exclude),
    includeHidden: booleanInput(INPUTS.includeHidden, false),
    cacheControl: rulesInput(INPUTS.cacheControl, checkCacheControl),
    contentType: rulesInput(INPUTS.contentType, checkContentType),
    concurrency: integerInput(INPUTS.concurrency, 16, { min: 1, max: 256 }),
    dryRun: booleanInput(INPUTS.dryRun, false),
    maxDelete,
    maxDeleteText,
    region: optionalInput(INPUTS.awsRegion),
    endpoint,
    forcePathStyle: booleanInput(INPUTS.forcePathStyle, false),
    checksums,
    acl: optionalInput(INPUTS.acl) ? choiceInput(INPUTS.acl, ACLS, 'private') : undefined,
    storageClass: optionalInput(INPUTS.storageClass)
      ? choiceInput(INPUTS.storageClass, STORAGE_CLASSES, 'STANDARD')
      : undefined,
    serverSideEncryption,
    kmsKeyId,
    multipartThreshold
  };
}
