/**
 * The post step: when main was killed while watching (the workflow was cancelled), the deployment it
 * created is still running unobserved. Stop it, with rollback, unless the user chose stop-on-cancel: false.
 * Main saves the deployment id right after creating it and marks itself done whenever it stops watching
 * for any other reason, so a finished, failed or timed-out run is never touched here.
 */
import * as core from '@actions/core';
import { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { createClient } from '../../core/aws.js';
import { actionsLogger, type Logger } from '../../core/logger.js';
import { STATE } from './constants.js';
import { stopDeployment } from './deployment.js';
import { TERMINAL_DEPLOYMENT } from './progress.js';
import { getDeployment } from './watch.js';

export interface PostState {
  deploymentId: string;
  region: string;
  endpoint: string;
  stopOnCancel: string;
  rollbackOnCancel: string;
  done: string;
}

export function readState(read: (name: string) => string = core.getState): PostState {
  return {
    deploymentId: read(STATE.deploymentId),
    region: read(STATE.region),
    endpoint: read(STATE.endpoint),
    stopOnCancel: read(STATE.stopOnCancel),
    rollbackOnCancel: read(STATE.rollbackOnCancel),
    done: read(STATE.done)
  };
}

export async function post(logger: Logger = actionsLogger, state: PostState = readState()): Promise<void> {
  if (!state.deploymentId) {
    logger.debug('No deployment was created; nothing to clean up.');
    return;
  }
  if (state.done === 'true') {
    logger.debug(`The main step finished watching ${state.deploymentId}; nothing to clean up.`);
    return;
  }
  if (state.stopOnCancel === 'false') {
    logger.warning(
      `The run was cancelled while deployment ${state.deploymentId} was running; leaving it running (stop-on-cancel: false).`
    );
    return;
  }
  const client = createClient(CodeDeployClient, 'CODEDEPLOY', {
    action: 'codedeploy-trigger',
    region: state.region || undefined,
    endpoint: state.endpoint || undefined
  });
  try {
    const info = await getDeployment(client, state.deploymentId);
    if (TERMINAL_DEPLOYMENT.has(info.status ?? '')) {
      logger.info(`Deployment ${state.deploymentId} already ended (${info.status}); nothing to stop.`);
      return;
    }
    const rollback = state.rollbackOnCancel !== 'false';
    const stopped = await stopDeployment(client, state.deploymentId, rollback);
    logger.warning(
      `The run was cancelled while deployment ${state.deploymentId} was ${info.status}: asked CodeDeploy to stop it` +
        `${rollback ? ' and roll back' : ' (no rollback: auto-rollback is off)'} (${stopped.status ?? 'Pending'}${stopped.statusMessage ? `: ${stopped.statusMessage}` : ''}).`
    );
    const after = await getDeployment(client, state.deploymentId);
    const rollbackId = after.rollbackInfo?.rollbackDeploymentId;
    logger.info(
      `Deployment ${state.deploymentId} is now ${after.status}${rollbackId ? `; rollback deployment ${rollbackId}` : ''}.`
    );
  } finally {
    client.destroy();
  }
}
