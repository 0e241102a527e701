/**
 * Creating, and stopping, a CodeDeploy deployment. A busy group (DeploymentLimitExceededException) is
 * waited out or reported, as `on-active-deployment` asks; everything else CodeDeploy refuses becomes a
 * ConfigError that says which input or setting to fix.
 */
import {
  CreateDeploymentCommand,
  GetDeploymentConfigCommand,
  GetDeploymentGroupCommand,
  ListDeploymentsCommand,
  StopDeploymentCommand,
  type CodeDeployClient,
  type CreateDeploymentCommandInput,
  type DeploymentGroupInfo
} from '@aws-sdk/client-codedeploy';
import { ConfigError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { ActiveDeploymentMode } from './constants.js';
import { INPUTS } from './constants.js';

const ACTIVE_STATUSES = ['Created', 'Queued', 'InProgress', 'Baking', 'Ready'] as const;

function errorName(error: unknown): string {
  return (error as { name?: string }).name ?? '';
}

/** Turns CodeDeploy's refusals into errors that name what to fix; anything else is rethrown. */
export function explain(error: unknown, application: string, group: string): unknown {
  const message = error instanceof Error ? error.message : String(error);
  switch (errorName(error)) {
    case 'ApplicationDoesNotExistException':
      return new ConfigError(
        `Input '${INPUTS.application}': CodeDeploy has no application '${application}' in this region (${message}).`
      );
    case 'DeploymentGroupDoesNotExistException':
      return new ConfigError(
        `Input '${INPUTS.deploymentGroup}': application '${application}' has no deployment group '${group}' (${message}).`
      );
    case 'DeploymentConfigDoesNotExistException':
      return new ConfigError(`Input '${INPUTS.deploymentConfig}': ${message}`);
    case 'InvalidAutoRollbackConfigException':
      return new ConfigError(`Input '${INPUTS.autoRollback}': ${message}`);
    case 'AccessDeniedException':
      return new ConfigError(
        `CodeDeploy refused access (${message}). Give the role the permissions listed in the action's README.`
      );
    default:
      return error;
  }
}

/**
 * Reads the group and the deployment config (read-only), so a typo in application, group or config
 * fails before anything is uploaded.
 */
export async function checkDeploymentGroup(
  client: CodeDeployClient,
  application: string,
  group: string,
  deploymentConfig?: string
): Promise<DeploymentGroupInfo> {
  try {
    const response = await client.send(
      new GetDeploymentGroupCommand({ applicationName: application, deploymentGroupName: group })
    );
    if (deploymentConfig)
      await client.send(new GetDeploymentConfigCommand({ deploymentConfigName: deploymentConfig }));
    return response.deploymentGroupInfo ?? {};
  } catch (error) {
    throw explain(error, application, group);
  }
}

/** The deployment currently running in a group, if any. */
export async function activeDeployment(
  client: CodeDeployClient,
  application: string,
  group: string
): Promise<string | undefined> {
  const response = await client.send(
    new ListDeploymentsCommand({
      applicationName: application,
      deploymentGroupName: group,
      includeOnlyStatuses: [...ACTIVE_STATUSES]
    })
  );
  return response.deployments?.[0];
}

/** The active deployment id CodeDeploy names in a DeploymentLimitExceededException message, if it does. */
export function activeIdFromMessage(message: string): string | undefined {
  return /\bd-[A-Z0-9]{9}\b/.exec(message)?.[0];
}

export interface CreateOptions {
  mode: ActiveDeploymentMode;
  logger: Logger;
  /** Waits for the given active deployment to end; throws when the deadline passes first. */
  waitFor: (deploymentId: string) => Promise<void>;
  /** Waits a little when the group looks idle but CodeDeploy still refuses (an account-wide limit). */
  pause: () => Promise<void>;
}

/** Creates the deployment; when the group is busy, waits for the active one (or fails) first. */
export async function createDeployment(
  client: CodeDeployClient,
  input: CreateDeploymentCommandInput,
  options: CreateOptions
): Promise<string> {
  const application = input.applicationName ?? '';
  const group = input.deploymentGroupName ?? '';
  for (;;) {
    try {
      const response = await client.send(new CreateDeploymentCommand(input));
      if (!response.deploymentId) throw new Error('CreateDeployment returned no deployment id');
      return response.deploymentId;
    } catch (error) {
      if (errorName(error) !== 'DeploymentLimitExceededException') throw explain(error, application, group);
      const message = error instanceof Error ? error.message : String(error);
      const active = (await activeDeployment(client, application, group)) ?? activeIdFromMessage(message);
      if (options.mode === 'fail') {
        throw new ConfigError(
          `Deployment group '${group}' is busy${active ? ` with deployment ${active}` : ''} and ${INPUTS.onActiveDeployment} is 'fail'. ` +
            `Wait for it to finish, stop it, or set ${INPUTS.onActiveDeployment}: wait. (${message})`
        );
      }
      if (active) {
        options.logger.info(`Deployment group '${group}' is busy with ${active}; waiting for it to finish.`);
        await options.waitFor(active);
      } else {
        options.logger.info(`CodeDeploy refused a new deployment (${message}); trying again shortly.`);
        await options.pause();
      }
    }
  }
}

export interface StopResult {
  status?: string;
  statusMessage?: string;
}

export async function stopDeployment(
  client: CodeDeployClient,
  deploymentId: string,
  rollback: boolean
): Promise<StopResult> {
  const response = await client.send(
    new StopDeploymentCommand({ deploymentId, autoRollbackEnabled: rollback })
  );
  return { status: response.status, statusMessage: response.statusMessage };
}
