/** Input and output names of this action, checked against action.yml by the manifest test. */
export const INPUTS = {
  command: 'command',
  url: 'url',
  user: 'user',
  password: 'password',
  locations: 'locations',
  schemas: 'schemas',
  table: 'table',
  target: 'target',
  baselineOnMigrate: 'baseline-on-migrate',
  baselineVersion: 'baseline-version',
  outOfOrder: 'out-of-order',
  validateOnMigrate: 'validate-on-migrate',
  ignoreMigrationPatterns: 'ignore-migration-patterns',
  placeholders: 'placeholders',
  connectRetries: 'connect-retries',
  connectTimeout: 'connect-timeout',
  configFiles: 'config-files',
  cleanEnabled: 'clean-enabled',
  dryRun: 'dry-run'
} as const;

export const OUTPUTS = {
  applied: 'applied',
  schemaVersion: 'schema-version',
  pending: 'pending',
  migrations: 'migrations'
} as const;

/** The commands, as Flyway names them. */
export const COMMANDS = ['migrate', 'info', 'validate', 'baseline', 'repair', 'clean'] as const;
