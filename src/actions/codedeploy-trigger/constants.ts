/** Input and output names of this action, checked against action.yml by the manifest test. */
export const INPUTS = {
  application: 'application',
  deploymentGroup: 'deployment-group'
} as const;

export const OUTPUTS = {
  deploymentId: 'deployment-id',
  status: 'status'
} as const;
