/**
 * Reads every instance of a deployment with its lifecycle events: ListDeploymentTargets +
 * BatchGetDeploymentTargets (25 ids a call), falling back once, for the rest of the run, to the older
 * ListDeploymentInstances + BatchGetDeploymentInstances when the newer API is unavailable or not allowed.
 */
import {
  BatchGetDeploymentInstancesCommand,
  BatchGetDeploymentTargetsCommand,
  ListDeploymentInstancesCommand,
  ListDeploymentTargetsCommand,
  type CodeDeployClient,
  type LifecycleEvent
} from '@aws-sdk/client-codedeploy';
import type { Logger } from '../../core/logger.js';
import { BATCH_SIZE } from './constants.js';
import type { EventSnapshot, TargetSnapshot } from './progress.js';

/** Errors that mean "this API is not there for you", as opposed to a deployment problem. */
const FALLBACK_ERRORS = new Set([
  'UnknownOperationException',
  'AccessDeniedException',
  'AccessDenied',
  'UnsupportedActionForDeploymentTypeException'
]);

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

function toEvents(events: LifecycleEvent[] | undefined): EventSnapshot[] {
  return (events ?? []).map((e) => ({
    name: e.lifecycleEventName ?? '?',
    status: e.status ?? 'Unknown',
    startTime: e.startTime,
    endTime: e.endTime,
    diagnostics: e.diagnostics
      ? {
          errorCode: e.diagnostics.errorCode,
          scriptName: e.diagnostics.scriptName,
          message: e.diagnostics.message,
          logTail: e.diagnostics.logTail
        }
      : undefined
  }));
}

/** `arn:aws:ec2:…:instance/i-0abc` → `i-0abc`. */
export function shortInstanceId(id: string): string {
  return id.includes('/') ? id.slice(id.lastIndexOf('/') + 1) : id;
}

export class TargetReader {
  private api: 'targets' | 'instances' = 'targets';

  constructor(
    private readonly client: CodeDeployClient,
    private readonly logger: Logger
  ) {}

  get usingInstanceApi(): boolean {
    return this.api === 'instances';
  }

  async read(deploymentId: string): Promise<TargetSnapshot[]> {
    if (this.api === 'targets') {
      try {
        return await this.readTargets(deploymentId);
      } catch (error) {
        const name = (error as { name?: string }).name ?? '';
        if (!FALLBACK_ERRORS.has(name)) throw error;
        this.logger.info(
          `ListDeploymentTargets is not available (${name}); reading instances with ListDeploymentInstances instead.`
        );
        this.api = 'instances';
      }
    }
    return this.readInstances(deploymentId);
  }

  private async readTargets(deploymentId: string): Promise<TargetSnapshot[]> {
    return gather(
      async (nextToken) => {
        const page = await this.client.send(new ListDeploymentTargetsCommand({ deploymentId, nextToken }));
        return { ids: page.targetIds, nextToken: page.nextToken };
      },
      async (targetIds) => {
        const batch = await this.client.send(
          new BatchGetDeploymentTargetsCommand({ deploymentId, targetIds })
        );
        return (batch.deploymentTargets ?? []).flatMap(({ instanceTarget: t }) =>
          t ? [snapshot(t.targetId, t.status, t.lifecycleEvents)] : []
        );
      }
    );
  }

  private async readInstances(deploymentId: string): Promise<TargetSnapshot[]> {
    return gather(
      async (nextToken) => {
        const page = await this.client.send(new ListDeploymentInstancesCommand({ deploymentId, nextToken }));
        return { ids: page.instancesList, nextToken: page.nextToken };
      },
      async (instanceIds) => {
        const batch = await this.client.send(
          new BatchGetDeploymentInstancesCommand({ deploymentId, instanceIds })
        );
        return (batch.instancesSummary ?? []).map((i) => snapshot(i.instanceId, i.status, i.lifecycleEvents));
      }
    );
  }
}

function snapshot(
  id: string | undefined,
  status: string | undefined,
  events: LifecycleEvent[] | undefined
): TargetSnapshot {
  return { id: shortInstanceId(id ?? '?'), status: status ?? 'Unknown', events: toEvents(events) };
}

/** Lists every id page by page, then reads them in batches of 25; sorted by id for stable output. */
async function gather(
  list: (nextToken: string | undefined) => Promise<{ ids?: string[]; nextToken?: string }>,
  read: (ids: string[]) => Promise<TargetSnapshot[]>
): Promise<TargetSnapshot[]> {
  const ids: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await list(nextToken);
    ids.push(...(page.ids ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  const snapshots: TargetSnapshot[] = [];
  for (const batch of chunk(ids, BATCH_SIZE)) snapshots.push(...(await read(batch)));
  return snapshots.sort((a, b) => a.id.localeCompare(b.id));
}
