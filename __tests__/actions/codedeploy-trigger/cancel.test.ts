/** The post step on its own: what it does for each state main can leave behind. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { MemoryLogger } from '../../../src/core/logger.js';
import { post, type PostState } from '../../../src/actions/codedeploy-trigger/cancel.js';
import { startCodeDeployServer, type CodeDeployServer } from '../../fakes/codedeploy-server.mjs';

let server: CodeDeployServer;
const saved = { ...process.env };
beforeAll(async () => {
  server = await startCodeDeployServer({ advance: 'manual' });
  process.env.AWS_ACCESS_KEY_ID = 'AKIDEXAMPLE';
  process.env.AWS_SECRET_ACCESS_KEY = 'secret';
});
afterAll(async () => {
  process.env = saved;
  await server.close();
});
beforeEach(() => {
  server.reset();
  server.addGroup('app', 'web', { instances: [{ id: 'i-1', script: 'hang:ApplicationStart' }] });
});

function state(overrides: Partial<PostState>): PostState {
  return {
    deploymentId: '',
    region: 'us-east-1',
    endpoint: server.endpoint,
    stopOnCancel: 'true',
    rollbackOnCancel: 'true',
    done: '',
    ...overrides
  };
}

describe('post', () => {
  it('does nothing when no deployment was created, or main finished watching', async () => {
    const logger = new MemoryLogger();
    await post(logger, state({}));
    const id = server.startDeployment('app', 'web');
    await post(logger, state({ deploymentId: id, done: 'true' }));
    expect(server.requests()).toEqual([]);
    expect(logger.messages('debug')).toHaveLength(2);
  });

  it('leaves a running deployment alone with stop-on-cancel: false, and says so', async () => {
    const id = server.startDeployment('app', 'web');
    const logger = new MemoryLogger();
    await post(logger, state({ deploymentId: id, stopOnCancel: 'false' }));
    expect(server.requests()).toEqual([]);
    expect(logger.messages('warning')[0]).toContain('leaving it running (stop-on-cancel: false)');
  });

  it('does not stop a deployment that already ended', async () => {
    server.addGroup('app', 'web', { instances: [{ id: 'i-1' }] });
    const id = server.startDeployment('app', 'web');
    server.tick(100);
    const logger = new MemoryLogger();
    await post(logger, state({ deploymentId: id }));
    expect(server.requests().map((r) => r.op)).toEqual(['GetDeployment']);
    expect(logger.messages('info')[0]).toBe(`Deployment ${id} already ended (Succeeded); nothing to stop.`);
  });

  it('stops without rollback when auto-rollback is off', async () => {
    const id = server.startDeployment('app', 'web');
    server.tick(5);
    const logger = new MemoryLogger();
    await post(logger, state({ deploymentId: id, rollbackOnCancel: 'false' }));
    expect(server.requests().find((r) => r.op === 'StopDeployment')?.body).toEqual({
      deploymentId: id,
      autoRollbackEnabled: false
    });
    expect(server.deployment(id)?.status).toBe('Stopped');
    expect(server.deployment(id)?.rollbackInfo).toBeUndefined();
    expect(logger.messages('warning')[0]).toContain('(no rollback: auto-rollback is off)');
  });
});
