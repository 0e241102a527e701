/** Input and output names of this action, checked against action.yml by the manifest test. */
export const INPUTS = {
  url: 'url'
} as const;

export const OUTPUTS = {
  applied: 'applied',
  schemaVersion: 'schema-version'
} as const;
