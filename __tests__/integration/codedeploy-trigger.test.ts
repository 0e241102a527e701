/**
 * The bundled codedeploy-trigger action, run as GitHub runs it (runBundledAction: INPUT_* env, output,
 * summary and state files, main then post), against the CodeDeploy stand-in and the S3-compatible server.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runBundledAction, type RunResult } from '../../src/cli/runner.js';
import { POLL_INTERVAL_ENV } from '../../src/actions/codedeploy-trigger/constants.js';
import { startCodeDeployServer, type CodeDeployServer } from '../fakes/codedeploy-server.mjs';
import { actionYml, ROOT } from '../helpers/paths.js';
import { S3_TEST_ENV, S3TestServer } from '../helpers/s3-server.js';

const BUCKET = 'deploy-artifacts';
const APP = 'web-app';
const GROUP = 'production';
const I1 = 'i-0a1b2c3d4e5f60001';
const I2 = 'i-0a1b2c3d4e5f60002';
const LOG_TAIL =
  '[stdout]Starting api from 123456789012.dkr.ecr.us-east-1.amazonaws.com/api@sha256:1f2e\n' +
  '[stderr]docker: Error response from daemon: driver failed programming external connectivity: port 8080 already allocated.\n';

let s3: S3TestServer;
let cd: CodeDeployServer;
let work: string;

beforeAll(async () => {
  [s3, cd] = await Promise.all([S3TestServer.start(), startCodeDeployServer()]);
  await s3.createBucket(BUCKET);
  work = mkdtempSync(path.join(tmpdir(), 'codedeploy-trigger-it-'));
  writeFileSync(
    path.join(work, 'event.json'),
    JSON.stringify({ head_commit: { message: 'Fix the login page\n\nLonger body that is not used.' } })
  );
});
afterAll(async () => {
  await Promise.all([s3.stop(), cd.close()]);
  rmSync(work, { recursive: true, force: true });
});
beforeEach(async () => {
  cd.reset();
  await s3.reset();
});

/** A copy of the example bundle with its own image.env, so every test has its own content hash. */
function makeBundle(): string {
  const dir = mkdtempSync(path.join(work, 'bundle-'));
  cpSync(path.join(ROOT, 'examples', 'codedeploy'), dir, { recursive: true });
  const digest = randomBytes(32).toString('hex');
  writeFileSync(
    path.join(dir, 'image.env'),
    `IMAGE_REF=123456789012.dkr.ecr.us-east-1.amazonaws.com/api@sha256:${digest}\nCONTAINER_NAME=api\n`
  );
  return dir;
}

function group(instances: Parameters<CodeDeployServer['addGroup']>[2] = {}): void {
  cd.addGroup(APP, GROUP, { instances: [{ id: I1 }, { id: I2 }], ...instances });
}

function run(
  bundle: string,
  inputs: Record<string, string> = {},
  options: Partial<Parameters<typeof runBundledAction>[0]> = {}
): Promise<RunResult> {
  return runBundledAction({
    actionYml: actionYml('codedeploy-trigger'),
    inputs: {
      application: APP,
      'deployment-group': GROUP,
      bundle,
      's3-bucket': BUCKET,
      'endpoint-url': cd.endpoint,
      'aws-region': 'us-east-1',
      ...inputs
    },
    env: {
      ...S3_TEST_ENV,
      AWS_ENDPOINT_URL_S3: s3.endpoint,
      [POLL_INTERVAL_ENV]: '10',
      GITHUB_WORKSPACE: work,
      GITHUB_REPOSITORY: 'acme/api',
      GITHUB_SHA: 'abc1234def5678',
      GITHUB_REF: 'refs/heads/main',
      GITHUB_RUN_NUMBER: '42',
      GITHUB_ACTOR: 'alice',
      GITHUB_EVENT_PATH: path.join(work, 'event.json')
    },
    ...options
  });
}

/** The AWS SDK warns on Node 20 (this machine) that it will soon need Node 22; GitHub runs node24. */
const withoutNodeWarning = (stderr: string) =>
  stderr.replace(/\(node:\d+\) Warning: NodeVersionSupportWarning[\s\S]*?--trace-warnings[^\n]*\n/, '');
const ops = (name: string) => cd.requests().filter((r) => r.op === name);
const count = (text: string, needle: string) => text.split(needle).length - 1;

describe('codedeploy-trigger (bundled)', () => {
  it('uploads the bundle, deploys it and streams every lifecycle event once', async () => {
    group();
    const bundle = makeBundle();
    const result = await run(bundle);
    expect(withoutNodeWarning(result.stderr)).toBe('');
    expect(result.exitCode).toBe(0);
    const { outputs, stdout } = result;
    expect(outputs['deployment-id']).toMatch(/^d-[A-Z0-9]{9}$/);
    expect(outputs.status).toBe('Succeeded');
    expect(outputs['bundle-sha256']).toMatch(/^[0-9a-f]{64}$/);
    expect(outputs['revision-s3-uri']).toBe(
      `s3://${BUCKET}/codedeploy/${APP}/${outputs['bundle-sha256']}.zip`
    );
    expect(outputs['console-url']).toBe(
      `https://us-east-1.console.aws.amazon.com/codesuite/codedeploy/deployments/${outputs['deployment-id']}?region=us-east-1`
    );

    // The object in S3 is the bundle whose hash we output, and the revision is pinned by its ETag.
    const key = `codedeploy/${APP}/${outputs['bundle-sha256']}.zip`;
    const client = s3.client();
    const object = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
    const bytes = Buffer.from(await object.Body!.transformToByteArray());
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(outputs['bundle-sha256']);
    const head = await client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }));
    client.destroy();
    const [create] = ops('CreateDeployment');
    expect(create?.body).toMatchObject({
      applicationName: APP,
      deploymentGroupName: GROUP,
      fileExistsBehavior: 'DISALLOW',
      ignoreApplicationStopFailures: false,
      revision: {
        revisionType: 'S3',
        s3Location: { bucket: BUCKET, key, bundleType: 'zip', eTag: head.ETag!.replace(/"/g, '') }
      }
    });
    expect(create?.body.description).toBe('acme/api@abc1234 (main, run 42 by alice): Fix the login page');
    expect(create?.body).not.toHaveProperty('autoRollbackConfiguration');
    expect(cd.revisions()).toHaveLength(1);

    // Live events: each change once, in order, for both instances.
    for (const instance of [I1, I2]) {
      for (const event of [
        'ApplicationStop',
        'DownloadBundle',
        'AfterInstall',
        'ApplicationStart',
        'ValidateService'
      ]) {
        expect([instance, event, count(stdout, `${instance}: ${event} started`)]).toEqual([
          instance,
          event,
          1
        ]);
        expect([instance, event, count(stdout, `${instance}: ${event} succeeded (3.0s)`)]).toEqual([
          instance,
          event,
          1
        ]);
      }
    }
    expect(stdout.indexOf(`${I1}: ValidateService succeeded`)).toBeLessThan(
      stdout.indexOf(`${I2}: ApplicationStop started`)
    );
    expect(count(stdout, '(2 instances: 1 succeeded, 1 in progress)')).toBe(1);
    expect(ops('GetDeployment').length).toBeGreaterThan(ops('BatchGetDeploymentTargets').length - 1);
    expect(ops('BatchGetDeploymentTargets').every((r) => r.body.targetIds.length <= 25)).toBe(true);

    // Summary: the per-instance lifecycle table with durations, and the console link.
    expect(result.summary).toContain(
      `✅ codedeploy-trigger: ${outputs['deployment-id']} Succeeded on ${APP}/${GROUP}`
    );
    expect(result.summary).toMatch(/\| Instance \| Status \| ApplicationStop \| DownloadBundle \|/);
    expect(result.summary).toContain(`| ${I1} | ✅ Succeeded | ✅ 3.0s |`);
    expect(result.summary).toContain(outputs['console-url']);
    // Post sees a finished run and leaves it alone.
    expect(result.post?.exitCode).toBe(0);
    expect(ops('StopDeployment')).toEqual([]);
  });

  it('reports a failing hook with its log tail, as annotations, and the rollback', async () => {
    group({
      autoRollback: { enabled: true, events: ['DEPLOYMENT_FAILURE'] },
      instances: [
        { id: I1 },
        { id: I2, script: { fail: 'ApplicationStart', scriptName: 'scripts/start.sh', logTail: LOG_TAIL } }
      ]
    });
    const result = await run(makeBundle());
    expect(result.exitCode).toBe(1);
    expect(result.outputs.status).toBe('Failed');
    const id = result.outputs['deployment-id'];
    const rollbackId = cd.deployment(id!)?.rollbackInfo?.rollbackDeploymentId;
    expect(rollbackId).toMatch(/^d-/);
    const annotation = result.stdout
      .split('\n')
      .find((l) => l.startsWith('::error title=') && l.includes(I2));
    expect(annotation).toBeDefined();
    expect(annotation).toContain(`::error title=${I2}%3A ApplicationStart failed in scripts/start.sh::`);
    expect(annotation).toContain('errorCode: ScriptFailed%0AscriptName: scripts/start.sh');
    expect(annotation).toContain('port 8080 already allocated.');
    expect(result.stdout).toContain(
      `${I2}: ApplicationStart FAILED (3.0s): ScriptFailed in scripts/start.sh`
    );
    expect(result.stdout).toContain(`Rollback ${rollbackId}: Succeeded`);
    expect(result.stdout).toMatch(
      new RegExp(
        `::error::Deployment ${id} Failed \\(HEALTH_CONSTRAINTS: .*\\)\\. CodeDeploy rolled back with ${rollbackId} \\(Succeeded\\)\\.`
      )
    );
    expect(result.summary).toContain(`❌ codedeploy-trigger: ${id} Failed`);
    expect(result.summary).toContain(`Log tail: ${I2} ApplicationStart (scripts/start.sh)`);
    expect(result.summary).toContain('port 8080 already allocated.');
    expect(result.summary).toContain(`${rollbackId} (Succeeded)`);
    expect(result.summary).toContain(`| ${I2} | ❌ Failed |`);
  });

  it('waits for the deployment already running in the group, then deploys', async () => {
    group();
    const active = cd.startDeployment(APP, GROUP);
    const result = await run(makeBundle(), { 'on-active-deployment': 'wait' });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain(
      `Deployment group '${GROUP}' is busy with ${active}; waiting for it to finish.`
    );
    expect(result.stdout).toContain(`Active deployment ${active}: Succeeded`);
    expect(ops('CreateDeployment')).toHaveLength(2);
    expect(cd.deployment(active)?.status).toBe('Succeeded');
    expect(cd.deployment(result.outputs['deployment-id']!)?.status).toBe('Succeeded');
  });

  it('fails on a busy group when asked to, creating nothing', async () => {
    group();
    const active = cd.startDeployment(APP, GROUP);
    const result = await run(makeBundle(), { 'on-active-deployment': 'fail' });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain(
      `::error::Deployment group '${GROUP}' is busy with deployment ${active} and on-active-deployment is 'fail'.`
    );
    expect(cd.deployments().map((d) => d.deploymentId)).toEqual([active]);
    expect(result.outputs['deployment-id']).toBeUndefined();
    expect(result.summary).toContain('### ❌ codedeploy-trigger failed');
    expect(result.summary).toContain(`is busy with deployment ${active}`);
  });

  it('times out naming what is still running, and leaves the deployment to CodeDeploy', async () => {
    group({ instances: [{ id: I1, script: 'hang:ApplicationStart' }, { id: I2 }] });
    const result = await run(makeBundle(), { timeout: '4s' });
    expect(result.exitCode).toBe(1);
    expect(result.outputs.status).toBe('InProgress');
    expect(result.stdout).toMatch(
      new RegExp(
        `::error::Timed out after .* waiting for deployment d-\\w+ \\(InProgress, 2 instances: 1 in progress, 1 pending\\)\\. Still running: ${I1} \\(ApplicationStart for .*\\), ${I2} \\(Pending\\)\\.`
      )
    );
    expect(result.summary).toContain('⌛ codedeploy-trigger');
    expect(result.post?.exitCode).toBe(0);
    expect(ops('StopDeployment')).toEqual([]);
    expect(cd.deployment(result.outputs['deployment-id']!)?.status).toBe('InProgress');
  });

  it('stops the deployment with rollback when the run is cancelled mid-wait', async () => {
    group({ instances: [{ id: I1, script: 'hang:ApplicationStart' }, { id: I2 }] });
    const result = await run(
      makeBundle(),
      {},
      { cancelWhen: (line) => line.includes(`${I1}: ApplicationStart started`) }
    );
    expect(result.signal).toBe('SIGINT');
    const id = result.state['deployment-id'];
    expect(id).toMatch(/^d-/);
    expect(result.state.done).toBeUndefined();
    expect(result.post?.exitCode).toBe(0);
    expect(ops('StopDeployment').map((r) => r.body)).toEqual([
      { deploymentId: id, autoRollbackEnabled: true }
    ]);
    const stopped = cd.deployment(id!);
    expect(stopped?.status).toBe('Stopped');
    expect(result.post?.stdout).toContain(`asked CodeDeploy to stop it and roll back`);
    expect(result.post?.stdout).toContain(
      `rollback deployment ${stopped?.rollbackInfo?.rollbackDeploymentId}`
    );
  });

  it('leaves a cancelled deployment running with stop-on-cancel: false', async () => {
    group({ instances: [{ id: I1, script: 'hang:ApplicationStart' }] });
    const result = await run(
      makeBundle(),
      { 'stop-on-cancel': 'false' },
      { cancelWhen: (line) => line.includes(`${I1}: ApplicationStart started`) }
    );
    expect(result.signal).toBe('SIGINT');
    expect(result.post?.stdout).toContain('leaving it running (stop-on-cancel: false)');
    expect(ops('StopDeployment')).toEqual([]);
    expect(cd.deployment(result.state['deployment-id']!)?.status).toBe('InProgress');
  });

  it('rejects an invalid appspec at its lines before anything leaves the runner', async () => {
    group();
    const bundle = makeBundle();
    writeFileSync(
      path.join(bundle, 'appspec.yml'),
      [
        'version: 0.0',
        'os: linux',
        'hooks:',
        '  ApplicationStart:',
        '    - location: scripts/start.sh',
        '      timeout: 7200',
        '  AfterDeploy:',
        '    - location: scripts/validate.sh',
        ''
      ].join('\n')
    );
    chmodSync(path.join(bundle, 'scripts', 'start.sh'), 0o644);
    const result = await run(bundle);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain('::error title=appspec');
    expect(result.stdout).toMatch(
      /::error title=[^:]*,file=bundle-\w+\/appspec\.yml,line=5::.*scripts\/start\.sh is not executable/
    );
    expect(result.stdout).toMatch(/line=6::.*'timeout' of a ApplicationStart script is '7200'/);
    expect(result.stdout).toMatch(/line=7::.*'AfterDeploy' is not an EC2\/on-premises lifecycle hook/);
    expect(result.stdout).toContain('has 3 problems (first: line 5');
    expect(result.summary).toContain('nothing was uploaded');
    expect(await s3.requests()).toEqual([]);
    expect(cd.requests()).toEqual([]);
  });

  it('reuses the bundle a previous run uploaded: no second PUT', async () => {
    group();
    const bundle = makeBundle();
    const first = await run(bundle);
    expect(first.exitCode).toBe(0);
    const firstLog = await s3.requests();
    expect(firstLog.filter((r) => r.method === 'PUT')).toHaveLength(1);
    await s3.reset();
    // A fresh checkout: same content, different mtimes.
    const again = mkdtempSync(path.join(work, 'bundle-'));
    cpSync(bundle, again, { recursive: true, preserveTimestamps: false });
    const second = await run(again);
    expect(second.exitCode).toBe(0);
    expect(second.outputs['bundle-sha256']).toBe(first.outputs['bundle-sha256']);
    const log = await s3.requests();
    expect(log.map((r) => r.method)).toEqual(['HEAD']);
    expect(second.stdout).toContain('is already there from an earlier run');
    const [a, b] = ops('CreateDeployment').map((r) => r.body.revision.s3Location);
    expect(b).toEqual(a);
    expect(second.summary).toContain('already in S3 (upload skipped)');
  });

  it('deploys a revision already in S3, pinned by its ETag, without uploading', async () => {
    group();
    const client = s3.client();
    await client.send(
      new PutObjectCommand({ Bucket: BUCKET, Key: 'manual/app-1.2.3.tgz', Body: randomBytes(2000) })
    );
    const head = await client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'manual/app-1.2.3.tgz' }));
    client.destroy();
    await s3.reset();
    const result = await run('', {
      bundle: '',
      's3-bucket': '',
      'revision-s3-uri': `s3://${BUCKET}/manual/app-1.2.3.tgz`
    });
    expect(result.exitCode).toBe(0);
    expect(result.outputs['revision-s3-uri']).toBe(`s3://${BUCKET}/manual/app-1.2.3.tgz`);
    expect(result.outputs['bundle-sha256']).toBe('');
    expect(ops('CreateDeployment')[0]?.body.revision.s3Location).toEqual({
      bucket: BUCKET,
      key: 'manual/app-1.2.3.tgz',
      bundleType: 'tgz',
      eTag: head.ETag!.replace(/"/g, '')
    });
    expect((await s3.requests()).map((r) => r.method)).toEqual(['HEAD']);
    expect(cd.revisions()).toEqual([]);
  });

  it('fails on an unknown deployment config before uploading', async () => {
    group();
    const result = await run(makeBundle(), { 'deployment-config': 'CodeDeployDefault.OneAtATim' });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain(
      "::error::Input 'deployment-config': No deployment configuration found for name: CodeDeployDefault.OneAtATim"
    );
    expect(await s3.requests()).toEqual([]);
    expect(ops('CreateDeployment')).toEqual([]);
  });

  it('fails on an unknown deployment group before uploading, and says so in the job summary', async () => {
    group();
    const result = await run(makeBundle(), { 'deployment-group': 'prod' });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain(
      "::error::Input 'deployment-group': application 'web-app' has no deployment group 'prod'"
    );
    expect(result.summary).toContain('### ❌ codedeploy-trigger failed');
    expect(result.summary).toContain(
      "| **Error** | Input 'deployment-group': application 'web-app' has no deployment group 'prod'"
    );
    expect(await s3.requests()).toEqual([]);
    expect(ops('CreateDeployment')).toEqual([]);
  });

  it('creates and returns with wait: false, and post leaves it alone', async () => {
    group();
    const result = await run(makeBundle(), {
      wait: 'false',
      'auto-rollback': 'on-failure',
      'deployment-config': 'CodeDeployDefault.AllAtOnce',
      'file-exists-behavior': 'OVERWRITE',
      'ignore-application-stop-failures': 'true',
      description: 'Hotfix 🔥 for 로그인'
    });
    expect(result.exitCode).toBe(0);
    expect(result.outputs.status).toBe('Created');
    expect(ops('GetDeployment')).toEqual([]);
    expect(ops('CreateDeployment')[0]?.body).toMatchObject({
      autoRollbackConfiguration: { enabled: true, events: ['DEPLOYMENT_FAILURE'] },
      deploymentConfigName: 'CodeDeployDefault.AllAtOnce',
      fileExistsBehavior: 'OVERWRITE',
      ignoreApplicationStopFailures: true,
      description: 'Hotfix 🔥 for 로그인'
    });
    expect(result.summary).toContain('created for web-app/production (not waiting)');
    expect(ops('StopDeployment')).toEqual([]);
  });
});
