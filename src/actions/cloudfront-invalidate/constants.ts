/** Input and output names of this action, checked against action.yml by the manifest test. */
export const INPUTS = {
  distributionId: 'distribution-id'
} as const;

export const OUTPUTS = {
  invalidationId: 'invalidation-id',
  status: 'status'
} as const;
