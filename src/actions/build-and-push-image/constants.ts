/** Input, output and state names of this action, checked against action.yml by the manifest test. */
export const INPUTS = {
  image: 'image',
  context: 'context',
  file: 'file',
  tags: 'tags',
  labels: 'labels',
  buildArgs: 'build-args',
  secrets: 'secrets',
  target: 'target',
  platforms: 'platforms',
  push: 'push',
  cache: 'cache',
  cacheRef: 'cache-ref',
  provenance: 'provenance',
  sourceDateEpoch: 'source-date-epoch',
  registryUsername: 'registry-username',
  registryPassword: 'registry-password',
  githubToken: 'github-token',
  builder: 'builder',
  buildahStorageDriver: 'buildah-storage-driver',
  buildahIsolation: 'buildah-isolation',
  tlsVerify: 'tls-verify',
  awsRegion: 'aws-region',
  endpointUrl: 'endpoint-url'
} as const;

export const OUTPUTS = {
  digest: 'digest',
  imageRef: 'image-ref',
  tags: 'tags',
  labels: 'labels',
  builder: 'builder'
} as const;

/** Saved for the post step: only the path of the temporary registry-config directory, never a secret. */
export const STATE = {
  configDir: 'config-dir'
} as const;

export const ACTION = 'build-and-push-image';
