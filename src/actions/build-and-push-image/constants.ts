/** Input and output names of this action, checked against action.yml by the manifest test. */
export const INPUTS = {
  image: 'image'
} as const;

export const OUTPUTS = {
  digest: 'digest',
  imageRef: 'image-ref'
} as const;
