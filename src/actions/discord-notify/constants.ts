/** Input and output names of this action, checked against action.yml by the manifest test. */
export const INPUTS = {
  webhookUrl: 'webhook-url'
} as const;

export const OUTPUTS = {
  messageId: 'message-id'
} as const;
