/**
 * Watches a deployment until it ends or the deadline passes: one log line per change (overview counts,
 * each instance's lifecycle events), never one per poll. Polls back off while nothing changes and snap
 * back to the base interval when something does. Sleep and clock are injected, so tests never wait.
 */
import { GetDeploymentCommand, type CodeDeployClient, type DeploymentInfo } from '@aws-sdk/client-codedeploy';
import type { Logger } from '../../core/logger.js';
import type { Sleep } from '../../core/retry.js';
import {
  diffTargets,
  overviewKey,
  overviewText,
  TERMINAL_DEPLOYMENT,
  type TargetSnapshot
} from './progress.js';
import type { TargetReader } from './targets.js';

export interface Clock {
  now: () => number;
  sleep: Sleep;
}

export interface PollPlan {
  /** First interval, and the one used again after every change. */
  intervalMs: number;
  maxIntervalMs: number;
  factor: number;
}

export const DEFAULT_POLL: PollPlan = { intervalMs: 3000, maxIntervalMs: 15_000, factor: 1.5 };

/** The next poll interval: back to the base after a change, otherwise grown by the factor up to the cap. */
export function nextInterval(current: number, changed: boolean, plan: PollPlan): number {
  if (changed) return plan.intervalMs;
  return Math.min(plan.maxIntervalMs, Math.round(current * plan.factor));
}

export interface WatchResult {
  info: DeploymentInfo;
  targets: TargetSnapshot[];
  timedOut: boolean;
}

export interface WatchOptions {
  client: CodeDeployClient;
  deploymentId: string;
  logger: Logger;
  clock: Clock;
  /** The clock reading after which to stop watching. */
  deadline: number;
  plan: PollPlan;
  /** Read per-instance lifecycle events too (the deployment we created), or only the overview. */
  targets?: TargetReader;
  /** Prefix for overview lines, e.g. `Active deployment d-…`. */
  label?: string;
}

export async function getDeployment(client: CodeDeployClient, deploymentId: string): Promise<DeploymentInfo> {
  const response = await client.send(new GetDeploymentCommand({ deploymentId }));
  if (!response.deploymentInfo) throw new Error(`GetDeployment returned nothing for ${deploymentId}`);
  return response.deploymentInfo;
}

export async function watchDeployment(options: WatchOptions): Promise<WatchResult> {
  const { client, deploymentId, logger, clock, deadline, plan, targets: reader } = options;
  const label = options.label ?? deploymentId;
  let lastKey = '';
  let known = new Map<string, TargetSnapshot>();
  let targets: TargetSnapshot[] = [];
  let interval = plan.intervalMs;
  for (;;) {
    const info = await getDeployment(client, deploymentId);
    const status = info.status ?? 'Unknown';
    let changed = false;
    const key = overviewKey(status, info.deploymentOverview);
    if (key !== lastKey) {
      logger.info(`${label}: ${status} (${overviewText(info.deploymentOverview)})`);
      lastKey = key;
      changed = true;
    }
    if (reader && status !== 'Created' && status !== 'Queued') {
      targets = await reader.read(deploymentId);
      const lines = diffTargets(known, targets);
      for (const line of lines) logger.info(line);
      if (lines.length) changed = true;
      known = new Map(targets.map((t) => [t.id, t]));
    }
    if (TERMINAL_DEPLOYMENT.has(status)) return { info, targets, timedOut: false };
    const remaining = deadline - clock.now();
    if (remaining <= 0) return { info, targets, timedOut: true };
    interval = nextInterval(interval, changed, plan);
    await clock.sleep(Math.min(interval, remaining));
  }
}
