/** The CodeDeploy stand-in, driven through the real @aws-sdk/client-codedeploy: wire format, shapes, scripts. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import {
  BatchGetDeploymentInstancesCommand,
  BatchGetDeploymentTargetsCommand,
  type CodeDeployClient,
  CreateDeploymentCommand,
  GetDeploymentCommand,
  ListDeploymentTargetsCommand,
  StopDeploymentCommand,
  type CreateDeploymentCommandInput
} from '@aws-sdk/client-codedeploy';
import { startCodeDeployServer, type CodeDeployServer } from '../fakes/codedeploy-server.mjs';

let server: CodeDeployServer;
let client: CodeDeployClient;
beforeAll(async () => {
  server = await startCodeDeployServer();
  client = server.client({ maxAttempts: 3 });
});
afterAll(async () => {
  client.destroy();
  await server.close();
});
beforeEach(() => server.reset());

const input: CreateDeploymentCommandInput = {
  applicationName: 'app',
  deploymentGroupName: 'web',
  revision: { revisionType: 'S3', s3Location: { bucket: 'b', key: 'k.zip', bundleType: 'zip', eTag: 'abc' } }
};

async function runToEnd(id: string) {
  for (let i = 0; i < 100; i++) {
    const { deploymentInfo } = await client.send(new GetDeploymentCommand({ deploymentId: id }));
    if (['Succeeded', 'Failed', 'Stopped'].includes(deploymentInfo?.status ?? '')) return deploymentInfo!;
  }
  throw new Error('never finished');
}

describe('the CodeDeploy stand-in', () => {
  it('plays a two-instance rollout one instance at a time, with real shapes', async () => {
    server.addGroup('app', 'web', { instances: [{ id: 'i-01' }, { id: 'i-02' }] });
    const { deploymentId } = await client.send(new CreateDeploymentCommand(input));
    expect(deploymentId).toMatch(/^d-[A-Z0-9]{9}$/);
    const first = await client.send(new GetDeploymentCommand({ deploymentId }));
    expect(first.deploymentInfo?.status).toBe('InProgress');
    expect(first.deploymentInfo?.createTime).toBeInstanceOf(Date);
    expect(first.deploymentInfo?.deploymentOverview).toEqual({
      Pending: 2,
      InProgress: 0,
      Succeeded: 0,
      Failed: 0,
      Skipped: 0,
      Ready: 0
    });
    await client.send(new GetDeploymentCommand({ deploymentId })); // i-01 starts ApplicationStop
    const targets = await client.send(
      new BatchGetDeploymentTargetsCommand({ deploymentId, targetIds: ['i-01', 'i-02'] })
    );
    const [one, two] = targets.deploymentTargets!.map((t) => t.instanceTarget!);
    expect(one?.status).toBe('InProgress');
    expect(one?.lifecycleEvents?.[0]).toMatchObject({
      lifecycleEventName: 'ApplicationStop',
      status: 'InProgress'
    });
    expect(one?.lifecycleEvents?.[0]?.startTime).toBeInstanceOf(Date);
    expect(two?.status).toBe('Pending');
    const done = await runToEnd(deploymentId!);
    expect(done.status).toBe('Succeeded');
    expect(done.deploymentOverview?.Succeeded).toBe(2);
    expect(done.completeTime!.getTime()).toBeGreaterThan(done.startTime!.getTime());
  });

  it('answers a busy group with DeploymentLimitExceededException naming the active deployment', async () => {
    server.addGroup('app', 'web');
    const active = server.startDeployment('app', 'web');
    const error = await client.send(new CreateDeploymentCommand(input)).catch((e: Error) => e);
    expect(error).toMatchObject({ name: 'DeploymentLimitExceededException' });
    expect((error as Error).message).toContain(active);
  });

  it('answers unknown and malformed deployment ids as CodeDeploy does', async () => {
    await expect(
      client.send(new GetDeploymentCommand({ deploymentId: 'd-AAAAAAAAA' }))
    ).rejects.toMatchObject({
      name: 'DeploymentDoesNotExistException'
    });
    await expect(client.send(new GetDeploymentCommand({ deploymentId: 'nope' }))).rejects.toMatchObject({
      name: 'InvalidDeploymentIdException'
    });
  });

  it('throttles on request, and the SDK retries through it', async () => {
    server.addGroup('app', 'web');
    server.fail({ op: 'CreateDeployment', times: 1 });
    const { deploymentId } = await client.send(new CreateDeploymentCommand(input));
    expect(deploymentId).toMatch(/^d-/);
    expect(server.requests().filter((r) => r.op === 'CreateDeployment')).toHaveLength(2);
  });

  it('fails ApplicationStart with a log tail and rolls back under a new deployment id', async () => {
    server.addGroup('app', 'web', {
      autoRollback: { enabled: true, events: ['DEPLOYMENT_FAILURE'] },
      instances: [{ id: 'i-01', script: { fail: 'ApplicationStart', logTail: 'boom\n' } }, { id: 'i-02' }]
    });
    const { deploymentId } = await client.send(new CreateDeploymentCommand(input));
    const done = await runToEnd(deploymentId!);
    expect(done.status).toBe('Failed');
    expect(done.errorInformation?.code).toBe('HEALTH_CONSTRAINTS');
    const rollbackId = done.rollbackInfo?.rollbackDeploymentId;
    expect(rollbackId).toMatch(/^d-[A-Z0-9]{9}$/);
    expect(rollbackId).not.toBe(deploymentId);
    const targets = await client.send(
      new BatchGetDeploymentTargetsCommand({ deploymentId, targetIds: ['i-01', 'i-02'] })
    );
    const failed = targets.deploymentTargets![0]!.instanceTarget!;
    const event = failed.lifecycleEvents!.find((e) => e.status === 'Failed');
    expect(event).toMatchObject({
      lifecycleEventName: 'ApplicationStart',
      diagnostics: { errorCode: 'ScriptFailed', scriptName: 'scripts/start.sh', logTail: 'boom\n' }
    });
    expect(targets.deploymentTargets![1]!.instanceTarget!.status).toBe('Skipped');
    const rollback = await runToEnd(rollbackId!);
    expect(rollback).toMatchObject({ status: 'Succeeded', creator: 'codeDeployRollback' });
    expect(rollback.rollbackInfo?.rollbackTriggeringDeploymentId).toBe(deploymentId);
  });

  it('stops a hanging deployment with rollback', async () => {
    server.addGroup('app', 'web', { instances: [{ id: 'i-01', script: 'hang:ApplicationStart' }] });
    const { deploymentId } = await client.send(new CreateDeploymentCommand(input));
    for (let i = 0; i < 30; i++) await client.send(new GetDeploymentCommand({ deploymentId }));
    expect(server.deployment(deploymentId!)?.status).toBe('InProgress');
    const stop = await client.send(new StopDeploymentCommand({ deploymentId, autoRollbackEnabled: true }));
    expect(stop.status).toBe('Pending');
    const after = await client.send(new GetDeploymentCommand({ deploymentId }));
    expect(after.deploymentInfo?.status).toBe('Stopped');
    expect(after.deploymentInfo?.rollbackInfo?.rollbackDeploymentId).toMatch(/^d-/);
    await expect(client.send(new StopDeploymentCommand({ deploymentId }))).rejects.toMatchObject({
      name: 'DeploymentAlreadyCompletedException'
    });
  });

  it('advances only on tick() in manual mode', async () => {
    const manual = await startCodeDeployServer({ advance: 'manual' });
    const c = manual.client();
    try {
      manual.addGroup('app', 'web');
      const { deploymentId } = await c.send(new CreateDeploymentCommand(input));
      for (let i = 0; i < 3; i++) await c.send(new GetDeploymentCommand({ deploymentId }));
      expect(manual.deployment(deploymentId!)?.status).toBe('Created');
      manual.tick(100);
      expect(manual.deployment(deploymentId!)?.status).toBe('Succeeded');
    } finally {
      c.destroy();
      await manual.close();
    }
  });

  it('enforces the batch limit of 25 and serves the older instance API with ARNs', async () => {
    const instances = Array.from({ length: 26 }, (_, i) => ({ id: `i-${String(i).padStart(17, '0')}` }));
    server.addGroup('app', 'web', { instances });
    const { deploymentId } = await client.send(new CreateDeploymentCommand(input));
    const { targetIds } = await client.send(new ListDeploymentTargetsCommand({ deploymentId }));
    expect(targetIds).toHaveLength(26);
    await expect(
      client.send(new BatchGetDeploymentTargetsCommand({ deploymentId, targetIds }))
    ).rejects.toMatchObject({ name: 'DeploymentTargetListSizeExceededException' });
    const legacy = await client.send(
      new BatchGetDeploymentInstancesCommand({ deploymentId, instanceIds: targetIds!.slice(0, 2) })
    );
    expect(legacy.instancesSummary?.[0]?.instanceId).toMatch(/^arn:aws:ec2:us-east-1:\d{12}:instance\/i-0+$/);
  });
});
