/** Input and output names of this action, checked against action.yml by the manifest test. */
export const INPUTS = {
  source: 'source',
  bucket: 'bucket'
} as const;

export const OUTPUTS = {
  uploaded: 'uploaded',
  changedPaths: 'changed-paths'
} as const;
