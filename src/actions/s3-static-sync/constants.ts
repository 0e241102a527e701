/** Input and output names of this action, checked against action.yml by the manifest test. */
export const INPUTS = {
  source: 'source',
  bucket: 'bucket',
  prefix: 'prefix',
  delete: 'delete',
  exclude: 'exclude',
  include: 'include',
  includeHidden: 'include-hidden',
  cacheControl: 'cache-control',
  contentType: 'content-type',
  concurrency: 'concurrency',
  dryRun: 'dry-run',
  maxDelete: 'max-delete',
  awsRegion: 'aws-region',
  endpointUrl: 'endpoint-url',
  forcePathStyle: 'force-path-style',
  checksums: 'checksums',
  acl: 'acl',
  storageClass: 'storage-class',
  serverSideEncryption: 'server-side-encryption',
  kmsKeyId: 'kms-key-id',
  multipartThreshold: 'multipart-threshold'
} as const;

export const OUTPUTS = {
  uploaded: 'uploaded',
  deleted: 'deleted',
  unchanged: 'unchanged',
  bytesUploaded: 'bytes-uploaded',
  changedPaths: 'changed-paths',
  addedPaths: 'added-paths',
  changedPathsFile: 'changed-paths-file'
} as const;

/** The manifest object, kept under the prefix next to the site (see README "How changes are detected"). */
export const MANIFEST_NAME = '.s3-static-sync/manifest.json';
export const MANIFEST_VERSION = 1;

/** S3's limits. */
export const DELETE_BATCH = 1000;
export const MIN_PART_SIZE = 5 * 1024 * 1024;
export const MAX_PARTS = 10_000;
export const MAX_KEY_BYTES = 1024;
