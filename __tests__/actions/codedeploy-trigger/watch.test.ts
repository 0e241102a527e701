/**
 * Watching a deployment through the real SDK client against the CodeDeploy stand-in, with an injected
 * clock: one line per change, backoff while nothing changes, batches of 25, and the older instance API.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { CreateDeploymentCommand, type CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { MemoryLogger } from '../../../src/core/logger.js';
import { TargetReader, chunk, shortInstanceId } from '../../../src/actions/codedeploy-trigger/targets.js';
import {
  nextInterval,
  watchDeployment,
  type Clock,
  type PollPlan,
  type WatchOptions
} from '../../../src/actions/codedeploy-trigger/watch.js';
import { startCodeDeployServer, type CodeDeployServer } from '../../fakes/codedeploy-server.mjs';

const PLAN: PollPlan = { intervalMs: 1000, maxIntervalMs: 5000, factor: 1.5 };

let server: CodeDeployServer;
let client: CodeDeployClient;
beforeAll(async () => {
  server = await startCodeDeployServer();
  client = server.client();
});
afterAll(async () => {
  client.destroy();
  await server.close();
});
beforeEach(() => server.reset());

function fakeClock(): Clock & { sleeps: number[] } {
  let t = 0;
  const sleeps: number[] = [];
  return { sleeps, now: () => t, sleep: async (ms) => void (sleeps.push(ms), (t += ms)) };
}

/** Watches `deploymentId` with per-instance events, a fake clock and a ten-minute deadline unless told otherwise. */
function watch(deploymentId: string, logger: MemoryLogger, extra: Partial<WatchOptions> = {}) {
  return watchDeployment({
    client,
    deploymentId,
    logger,
    clock: fakeClock(),
    deadline: 600_000,
    plan: PLAN,
    targets: new TargetReader(client, logger),
    ...extra
  });
}

async function create(config?: string): Promise<string> {
  const { deploymentId } = await client.send(
    new CreateDeploymentCommand({
      applicationName: 'app',
      deploymentGroupName: 'web',
      deploymentConfigName: config,
      revision: { revisionType: 'S3', s3Location: { bucket: 'b', key: 'k.zip', bundleType: 'zip' } }
    })
  );
  return deploymentId!;
}

describe('watchDeployment', () => {
  it('logs each change once and polls at the base interval while things change', async () => {
    server.addGroup('app', 'web', { instances: [{ id: 'i-1' }] });
    const id = await create();
    const logger = new MemoryLogger();
    const clock = fakeClock();
    const result = await watch(id, logger, { clock });
    expect(result.timedOut).toBe(false);
    expect(result.info.status).toBe('Succeeded');
    const lines = logger.messages('info');
    expect(lines[0]).toBe(`${id}: InProgress (1 instance: 1 pending)`);
    expect(lines).toContain('i-1: ApplicationStop started');
    expect(lines).toContain('i-1: ValidateService succeeded (3.0s)');
    expect(lines.at(-1)).toBe('i-1: InProgress → Succeeded');
    expect(new Set(lines).size).toBe(lines.length);
    expect(clock.sleeps.every((ms) => ms === 1000)).toBe(true);
    expect(result.targets[0]?.events.every((e) => e.status === 'Succeeded')).toBe(true);
  });

  it('backs off while nothing changes and stops at the deadline', async () => {
    server.addGroup('app', 'web', { instances: [{ id: 'i-1', script: 'hang:ApplicationStart' }] });
    const id = await create();
    const logger = new MemoryLogger();
    const clock = fakeClock();
    const result = await watch(id, logger, { clock, deadline: 40_000 });
    expect(result.timedOut).toBe(true);
    expect(result.info.status).toBe('InProgress');
    // Twelve changing polls at 1 s (start, five events started and finished, ApplicationStart started),
    // then 1.5 s, 2.25 s, 3.375 s, then the 5 s cap, the last sleep cut to the deadline.
    const quiet = clock.sleeps.slice(clock.sleeps.indexOf(1500) - 1);
    expect(quiet.slice(0, 5)).toEqual([1000, 1500, 2250, 3375, 5000]);
    expect(clock.sleeps.reduce((a, b) => a + b, 0)).toBe(40_000);
    expect(logger.messages('info').filter((l) => l.includes('ApplicationStart started'))).toHaveLength(1);
  });

  it('reads 30 instances in batches of 25', async () => {
    const instances = Array.from({ length: 30 }, (_, i) => ({ id: `i-${String(i).padStart(3, '0')}` }));
    server.addGroup('app', 'web', { instances });
    const id = await create('CodeDeployDefault.AllAtOnce');
    const logger = new MemoryLogger();
    const result = await watch(id, logger);
    expect(result.info.status).toBe('Succeeded');
    expect(result.targets).toHaveLength(30);
    const sizes = server
      .requests()
      .filter((r) => r.op === 'BatchGetDeploymentTargets')
      .map((r) => r.body.targetIds.length);
    expect(new Set(sizes)).toEqual(new Set([25, 5]));
  });

  it('falls back to the instance API when ListDeploymentTargets is unavailable, and rides out throttling', async () => {
    server.addGroup('app', 'web', { instances: [{ id: 'i-1' }, { id: 'i-2' }] });
    server.fail({
      op: 'ListDeploymentTargets',
      type: 'UnknownOperationException',
      message: 'Unknown operation'
    });
    server.fail({ op: 'GetDeployment', times: 1, skip: 3 });
    const id = await create();
    const logger = new MemoryLogger();
    const reader = new TargetReader(client, logger);
    const result = await watch(id, logger, { targets: reader });
    expect(result.info.status).toBe('Succeeded');
    expect(reader.usingInstanceApi).toBe(true);
    expect(result.targets.map((t) => t.id)).toEqual(['i-1', 'i-2']);
    const lines = logger.messages('info');
    expect(lines.filter((l) => l.includes('ListDeploymentTargets is not available'))).toHaveLength(1);
    expect(lines).toContain('i-2: ValidateService succeeded (3.0s)');
    const ops = server.requests().map((r) => r.op);
    expect(ops.filter((o) => o === 'ListDeploymentTargets')).toHaveLength(1);
    expect(ops).toContain('BatchGetDeploymentInstances');
  });

  it('watches another deployment by its overview only', async () => {
    server.addGroup('app', 'web', { instances: [{ id: 'i-1' }] });
    const id = server.startDeployment('app', 'web');
    const logger = new MemoryLogger();
    await watch(id, logger, { targets: undefined, label: `Active deployment ${id}` });
    expect(logger.messages('info').every((l) => l.startsWith(`Active deployment ${id}: `))).toBe(true);
    expect(server.requests().some((r) => r.op.includes('Target'))).toBe(false);
  });
});

describe('helpers', () => {
  it.each([
    [1000, true, 1000],
    [1000, false, 1500],
    [4000, false, 5000],
    [5000, false, 5000],
    [5000, true, 1000]
  ])('nextInterval(%i, changed %s) = %i', (current, changed, expected) => {
    expect(nextInterval(current, changed, PLAN)).toBe(expected);
  });

  it.each([
    [0, []],
    [1, [1]],
    [25, [25]],
    [26, [25, 1]],
    [51, [25, 25, 1]]
  ])('chunk(%i items, 25)', (n, sizes) => {
    expect(
      chunk(
        Array.from({ length: n }, (_, i) => i),
        25
      ).map((c) => c.length)
    ).toEqual(sizes);
  });

  it('shortens instance ARNs to ids', () => {
    expect(shortInstanceId('arn:aws:ec2:us-east-1:123456789012:instance/i-0abc')).toBe('i-0abc');
    expect(shortInstanceId('i-0abc')).toBe('i-0abc');
    expect(shortInstanceId('mi-0123onprem')).toBe('mi-0123onprem');
  });
});
