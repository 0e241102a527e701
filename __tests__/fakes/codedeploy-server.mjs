#!/usr/bin/env node
// A CodeDeploy stand-in that speaks the real wire protocol (JSON 1.1, `X-Amz-Target: CodeDeploy_20141006.<Op>`,
// errors as `{ "__type", "message" }`) with the real shapes: deployment ids `d-` + 9 uppercase alphanumerics,
// epoch-second timestamps, deploymentOverview, instance targets with lifecycleEvents and diagnostics. Each
// instance follows a script (success, a failing event with a log tail, a hang), deployments fail over to an
// automatic rollback with a new id, a busy group answers DeploymentLimitExceededException, and any operation
// can be made to fail (throttling). Nothing sleeps: a deployment advances one step each time GetDeployment
// asks about it (`advance: 'poll'`, the default), or only when `tick()` says so (`advance: 'manual'`).
//
// Use it from tests (`startCodeDeployServer()`), or as a script for the demo:
//   node __tests__/fakes/codedeploy-server.mjs [port] [--fail]   → prints {"port":N,"endpoint":"http://…"}
// which serves application `web-app`, group `production` with two instances (the second one's
// ApplicationStart fails with --fail). HTTP control routes let other processes script it:
//   GET  /__control/requests | /__control/deployments       the request log / every deployment
//   POST /__control/group {application, group, instances, autoRollback, loadBalancer, deploymentConfigName}
//   POST /__control/start {application, group}              a deployment started elsewhere (busy group)
//   POST /__control/fail {op, type, times, skip}            failure injection (default ThrottlingException)
//   POST /__control/tick {n, deploymentId}                   advance deployments; POST /__control/reset
import { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { createServer } from 'node:http';
import { randomBytes, randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';

const TARGET_PREFIX = 'CodeDeploy_20141006.';
const IN_PLACE_EVENTS = [
  'ApplicationStop',
  'DownloadBundle',
  'BeforeInstall',
  'Install',
  'AfterInstall',
  'ApplicationStart',
  'ValidateService'
];
const BLOCK_EVENTS = ['BeforeBlockTraffic', 'BlockTraffic', 'AfterBlockTraffic'];
const ALLOW_EVENTS = ['BeforeAllowTraffic', 'AllowTraffic', 'AfterAllowTraffic'];
const TERMINAL = new Set(['Succeeded', 'Failed', 'Stopped']);
const CONFIGS = [
  'CodeDeployDefault.OneAtATime',
  'CodeDeployDefault.HalfAtATime',
  'CodeDeployDefault.AllAtOnce'
];
const ID_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const ACCOUNT = '123456789012';
const HEALTH_MESSAGE =
  'The overall deployment failed because too many individual instances failed deployment, too few healthy ' +
  'instances are available for deployment, or some instances in your deployment group are experiencing problems.';

class ApiError extends Error {
  constructor(type, message, status = 400) {
    super(message);
    this.type = type;
    this.status = status;
  }
}

/** Normalises an instance script: 'success' | 'hang:<Event>' | { fail: Event, … } | { hang: Event }. */
function normalizeScript(script) {
  if (script === undefined || script === 'success') return { kind: 'success' };
  if (typeof script === 'string' && script.startsWith('hang:'))
    return { kind: 'hang', event: script.slice(5) };
  if (script.hang) return { kind: 'hang', event: script.hang };
  if (script.fail)
    return {
      kind: 'fail',
      event: script.fail,
      errorCode: script.errorCode ?? 'ScriptFailed',
      scriptName: script.scriptName ?? 'scripts/start.sh',
      message:
        script.message ??
        `Script at specified location: ${script.scriptName ?? 'scripts/start.sh'} run as user root failed with exit code 1`,
      logTail: script.logTail ?? ''
    };
  throw new Error(`unknown instance script ${JSON.stringify(script)}`);
}

export async function startCodeDeployServer(options = {}) {
  const advance = options.advance ?? 'poll';
  const stepSeconds = options.stepSeconds ?? 3;
  const pageSize = options.pageSize ?? 100;
  const region = options.region ?? 'us-east-1';
  let clock = options.startTime ?? 1763683200; // 2025-11-21T00:00:00Z, in epoch seconds
  let apps = new Map();
  let deployments = new Map();
  let order = [];
  let log = [];
  let failures = [];
  let revisions = [];

  const now = () => clock + 0.123; // real timestamps carry milliseconds
  const newId = () => {
    for (;;) {
      const id = `d-${Array.from(randomBytes(9), (b) => ID_CHARS[b % ID_CHARS.length]).join('')}`;
      if (!deployments.has(id)) return id;
    }
  };

  function addGroup(app, group, spec = {}) {
    if (!apps.has(app)) apps.set(app, { name: app, id: randomUUID(), groups: new Map() });
    apps.get(app).groups.set(group, {
      app,
      name: group,
      id: randomUUID(),
      instances: (spec.instances ?? [{ id: 'i-0a1b2c3d4e5f60001' }]).map((i) => ({
        id: i.id,
        script: i.script
      })),
      autoRollback: spec.autoRollback ?? { enabled: false },
      deploymentConfigName: spec.deploymentConfigName ?? 'CodeDeployDefault.OneAtATime',
      loadBalancer: spec.loadBalancer ?? false,
      rollbackScripts: spec.rollbackScripts ?? {},
      lastGoodRevision: spec.lastGoodRevision ?? {
        revisionType: 'S3',
        s3Location: {
          bucket: 'previous-bucket',
          key: 'codedeploy/previous.zip',
          bundleType: 'zip',
          eTag: 'a1b2c3'
        }
      }
    });
  }

  function findGroup(app, group) {
    const a = apps.get(app);
    if (!a) throw new ApiError('ApplicationDoesNotExistException', `No application found for name: ${app}`);
    const g = a.groups.get(group);
    if (!g)
      throw new ApiError(
        'DeploymentGroupDoesNotExistException',
        `No Deployment Group found for name: ${group}`
      );
    return g;
  }

  function findDeployment(id) {
    if (!id) throw new ApiError('DeploymentIdRequiredException', 'Deployment Id is required');
    if (!/^d-[A-Z0-9]{9}$/.test(id))
      throw new ApiError('InvalidDeploymentIdException', `Invalid deployment id ${id}`);
    const d = deployments.get(id);
    if (!d) throw new ApiError('DeploymentDoesNotExistException', `The deployment ${id} could not be found.`);
    return d;
  }

  function activeIn(group) {
    return order
      .map((id) => deployments.get(id))
      .find((d) => d.group === group.name && d.app === group.app && !TERMINAL.has(d.status));
  }

  function createDeploymentRecord(group, input, extra = {}) {
    const busy = activeIn(group);
    if (busy)
      throw new ApiError(
        'DeploymentLimitExceededException',
        `The Deployment Group '${group.name}' already has an active Deployment '${busy.id}'`
      );
    const events = [
      ...(group.loadBalancer ? BLOCK_EVENTS : []),
      ...IN_PLACE_EVENTS,
      ...(group.loadBalancer ? ALLOW_EVENTS : [])
    ];
    const config = input.deploymentConfigName ?? group.deploymentConfigName;
    const d = {
      id: newId(),
      app: group.app,
      group: group.name,
      config,
      sequential: config !== 'CodeDeployDefault.AllAtOnce',
      status: 'Created',
      createTime: now(),
      revision: input.revision,
      previousRevision: group.lastGoodRevision,
      description: input.description,
      creator: extra.creator ?? 'user',
      ignoreApplicationStopFailures: input.ignoreApplicationStopFailures ?? false,
      autoRollbackConfiguration: input.autoRollbackConfiguration ?? group.autoRollback,
      fileExistsBehavior: input.fileExistsBehavior ?? 'DISALLOW',
      targets: group.instances.map((instance) => ({
        id: instance.id,
        script: normalizeScript(extra.scripts ? extra.scripts[instance.id] : instance.script),
        status: 'Pending',
        lastUpdatedAt: now(),
        events: events.map((name) => ({ lifecycleEventName: name, status: 'Pending' }))
      }))
    };
    deployments.set(d.id, d);
    order.unshift(d.id);
    return d;
  }

  function overview(d) {
    const counts = { Pending: 0, InProgress: 0, Succeeded: 0, Failed: 0, Skipped: 0, Ready: 0 };
    for (const t of d.targets) counts[t.status] = (counts[t.status] ?? 0) + 1;
    return counts;
  }

  function finish(d, status, error) {
    d.status = status;
    d.completeTime = now();
    for (const t of d.targets) {
      if (t.status === 'Pending') {
        t.status = 'Skipped';
        for (const e of t.events) if (e.status === 'Pending') e.status = 'Skipped';
      }
    }
    if (error) d.errorInformation = error;
    if (status === 'Succeeded') findGroup(d.app, d.group).lastGoodRevision = d.revision;
  }

  function rollBack(d, reason) {
    const group = findGroup(d.app, d.group);
    const rollback = createDeploymentRecord(
      group,
      { revision: d.previousRevision, description: `Rollback of ${d.id}`, deploymentConfigName: d.config },
      { creator: 'codeDeployRollback', scripts: group.rollbackScripts }
    );
    rollback.rollbackInfo = { rollbackTriggeringDeploymentId: d.id };
    d.rollbackInfo = {
      rollbackDeploymentId: rollback.id,
      rollbackMessage: `${reason} Rollback deployment ${rollback.id} was created to roll back to the last known good revision.`
    };
    return rollback;
  }

  /** Advances one target one step: start its next event, or finish the running one. */
  function stepTarget(d, t) {
    const running = t.events.find((e) => e.status === 'InProgress');
    t.lastUpdatedAt = now();
    if (running) {
      const s = t.script;
      if (s.kind === 'hang' && s.event === running.lifecycleEventName) return;
      running.endTime = now();
      if (s.kind === 'fail' && s.event === running.lifecycleEventName) {
        running.status = 'Failed';
        running.diagnostics = {
          errorCode: s.errorCode,
          scriptName: s.scriptName,
          message: s.message,
          logTail: s.logTail
        };
        t.status = 'Failed';
        for (const e of t.events) if (e.status === 'Pending') e.status = 'Skipped';
        return;
      }
      running.status = 'Succeeded';
      running.diagnostics = { errorCode: 'Success', scriptName: '', message: 'Succeeded', logTail: '' };
      if (!t.events.some((e) => e.status === 'Pending')) t.status = 'Succeeded';
      return;
    }
    const next = t.events.find((e) => e.status === 'Pending');
    if (!next) return;
    next.status = 'InProgress';
    next.startTime = now();
    t.status = 'InProgress';
  }

  function step(d) {
    if (TERMINAL.has(d.status)) return;
    clock += stepSeconds;
    if (d.status === 'Created') {
      d.status = 'InProgress';
      d.startTime = now();
      return;
    }
    const open = d.targets.filter((t) => t.status === 'Pending' || t.status === 'InProgress');
    const active = d.sequential ? open.slice(0, 1) : open;
    for (const t of active) stepTarget(d, t);
    const failed = d.targets.some((t) => t.status === 'Failed');
    const stillOpen = d.targets.some((t) => t.status === 'Pending' || t.status === 'InProgress');
    if (failed && (d.sequential || !stillOpen)) {
      finish(d, 'Failed', { code: 'HEALTH_CONSTRAINTS', message: HEALTH_MESSAGE });
      const rb = d.autoRollbackConfiguration;
      if (rb?.enabled && (rb.events ?? ['DEPLOYMENT_FAILURE']).includes('DEPLOYMENT_FAILURE'))
        rollBack(d, 'Deployment failed.');
    } else if (!stillOpen) finish(d, 'Succeeded');
  }

  function deploymentInfo(d) {
    return {
      applicationName: d.app,
      deploymentGroupName: d.group,
      deploymentConfigName: d.config,
      deploymentId: d.id,
      previousRevision: d.previousRevision,
      revision: d.revision,
      status: d.status,
      errorInformation: d.errorInformation,
      createTime: d.createTime,
      startTime: d.startTime,
      completeTime: d.completeTime,
      deploymentOverview: overview(d),
      description: d.description,
      creator: d.creator,
      ignoreApplicationStopFailures: d.ignoreApplicationStopFailures,
      autoRollbackConfiguration: d.autoRollbackConfiguration,
      updateOutdatedInstancesOnly: false,
      rollbackInfo: d.rollbackInfo,
      deploymentStyle: { deploymentType: 'IN_PLACE', deploymentOption: 'WITHOUT_TRAFFIC_CONTROL' },
      instanceTerminationWaitTimeStarted: false,
      fileExistsBehavior: d.fileExistsBehavior,
      deploymentStatusMessages: [],
      computePlatform: 'Server'
    };
  }

  const eventsOf = (t) =>
    t.events.map((e) => ({
      lifecycleEventName: e.lifecycleEventName,
      status: e.status,
      ...(e.startTime !== undefined ? { startTime: e.startTime } : {}),
      ...(e.endTime !== undefined ? { endTime: e.endTime } : {}),
      ...(e.diagnostics ? { diagnostics: e.diagnostics } : {})
    }));

  function page(items, token) {
    const start = token ? Number(Buffer.from(token, 'base64').toString('utf8')) : 0;
    const slice = items.slice(start, start + pageSize);
    const next =
      start + pageSize < items.length ? Buffer.from(String(start + pageSize)).toString('base64') : undefined;
    return { slice, next };
  }

  const ops = {
    GetDeploymentGroup(body) {
      const g = findGroup(body.applicationName, body.deploymentGroupName);
      return {
        deploymentGroupInfo: {
          applicationName: g.app,
          deploymentGroupId: g.id,
          deploymentGroupName: g.name,
          deploymentConfigName: g.deploymentConfigName,
          autoRollbackConfiguration: g.autoRollback,
          serviceRoleArn: `arn:aws:iam::${ACCOUNT}:role/CodeDeployServiceRole`,
          deploymentStyle: { deploymentType: 'IN_PLACE', deploymentOption: 'WITHOUT_TRAFFIC_CONTROL' },
          computePlatform: 'Server'
        }
      };
    },
    GetDeploymentConfig(body) {
      if (!CONFIGS.includes(body.deploymentConfigName))
        throw new ApiError(
          'DeploymentConfigDoesNotExistException',
          `No deployment configuration found for name: ${body.deploymentConfigName}`
        );
      return {
        deploymentConfigInfo: { deploymentConfigName: body.deploymentConfigName, computePlatform: 'Server' }
      };
    },
    RegisterApplicationRevision(body) {
      if (!apps.has(body.applicationName))
        throw new ApiError(
          'ApplicationDoesNotExistException',
          `No application found for name: ${body.applicationName}`
        );
      revisions.push({
        application: body.applicationName,
        revision: body.revision,
        description: body.description
      });
      return {};
    },
    CreateDeployment(body) {
      if (!body.applicationName)
        throw new ApiError('ApplicationNameRequiredException', 'Application name is required');
      if (!body.deploymentGroupName)
        throw new ApiError('DeploymentGroupNameRequiredException', 'Deployment Group name is required');
      const g = findGroup(body.applicationName, body.deploymentGroupName);
      if (body.deploymentConfigName && !CONFIGS.includes(body.deploymentConfigName))
        throw new ApiError(
          'DeploymentConfigDoesNotExistException',
          `No deployment configuration found for name: ${body.deploymentConfigName}`
        );
      const s3 = body.revision?.s3Location;
      if (body.revision?.revisionType !== 'S3' || !s3?.bucket || !s3?.key || !s3?.bundleType)
        throw new ApiError(
          'InvalidRevisionException',
          'The revision must be an S3 location with bucket, key and bundleType'
        );
      if (body.description && body.description.length > 512)
        throw new ApiError(
          'DescriptionTooLongException',
          'The description is too long (maximum 512 characters).'
        );
      return { deploymentId: createDeploymentRecord(g, body).id };
    },
    GetDeployment(body) {
      const d = findDeployment(body.deploymentId);
      if (advance === 'poll') step(d);
      return { deploymentInfo: deploymentInfo(d) };
    },
    ListDeployments(body) {
      const wanted = body.includeOnlyStatuses;
      const ids = order.filter((id) => {
        const d = deployments.get(id);
        if (body.applicationName && d.app !== body.applicationName) return false;
        if (body.deploymentGroupName && d.group !== body.deploymentGroupName) return false;
        return !wanted || wanted.includes(d.status);
      });
      const { slice, next } = page(ids, body.nextToken);
      return { deployments: slice, ...(next ? { nextToken: next } : {}) };
    },
    ListDeploymentTargets(body) {
      const d = findDeployment(body.deploymentId);
      const { slice, next } = page(
        d.targets.map((t) => t.id),
        body.nextToken
      );
      return { targetIds: slice, ...(next ? { nextToken: next } : {}) };
    },
    BatchGetDeploymentTargets(body) {
      const d = findDeployment(body.deploymentId);
      const ids = body.targetIds ?? [];
      if (ids.length > 25)
        throw new ApiError(
          'DeploymentTargetListSizeExceededException',
          'The maximum number of targets that can be requested is 25.'
        );
      return {
        deploymentTargets: ids.map((id) => {
          const t = d.targets.find((x) => x.id === id);
          if (!t)
            throw new ApiError('DeploymentTargetDoesNotExistException', `Target ${id} is not in ${d.id}`);
          return {
            deploymentTargetType: 'InstanceTarget',
            instanceTarget: {
              deploymentId: d.id,
              targetId: t.id,
              targetArn: `arn:aws:ec2:${region}:${ACCOUNT}:instance/${t.id}`,
              status: t.status,
              lastUpdatedAt: t.lastUpdatedAt,
              lifecycleEvents: eventsOf(t)
            }
          };
        })
      };
    },
    ListDeploymentInstances(body) {
      const d = findDeployment(body.deploymentId);
      const { slice, next } = page(
        d.targets.map((t) => t.id),
        body.nextToken
      );
      return { instancesList: slice, ...(next ? { nextToken: next } : {}) };
    },
    BatchGetDeploymentInstances(body) {
      const d = findDeployment(body.deploymentId);
      const ids = body.instanceIds ?? [];
      if (ids.length > 25)
        throw new ApiError('BatchLimitExceededException', 'The maximum number of instances is 25.');
      return {
        instancesSummary: ids
          .map((id) => d.targets.find((t) => t.id === id))
          .filter(Boolean)
          .map((t) => ({
            deploymentId: d.id,
            instanceId: `arn:aws:ec2:${region}:${ACCOUNT}:instance/${t.id}`,
            status: t.status,
            lastUpdatedAt: t.lastUpdatedAt,
            lifecycleEvents: eventsOf(t),
            instanceType: 'Blue'
          }))
      };
    },
    StopDeployment(body) {
      const d = findDeployment(body.deploymentId);
      if (TERMINAL.has(d.status))
        throw new ApiError(
          'DeploymentAlreadyCompletedException',
          `The deployment ${d.id} has already completed.`
        );
      clock += stepSeconds;
      for (const t of d.targets) {
        if (t.status !== 'InProgress') continue;
        for (const e of t.events) {
          if (e.status === 'InProgress') {
            e.status = 'Failed';
            e.endTime = now();
            e.diagnostics = {
              errorCode: 'UnknownError',
              scriptName: '',
              message: 'The deployment was stopped.',
              logTail: ''
            };
          } else if (e.status === 'Pending') e.status = 'Skipped';
        }
        t.status = 'Failed';
      }
      finish(d, 'Stopped', { code: 'MANUAL_STOP', message: 'The deployment was stopped by the user.' });
      if (body.autoRollbackEnabled) rollBack(d, 'Deployment stopped.');
      return { status: 'Pending', statusMessage: 'Stopping deployment' };
    }
  };

  function takeFailure(op) {
    for (const rule of failures) {
      if (rule.op !== op) continue;
      if (rule.skip > 0) {
        rule.skip--;
        continue;
      }
      if (rule.times !== undefined && rule.times <= 0) continue;
      if (rule.times !== undefined) rule.times--;
      return new ApiError(
        rule.type ?? 'ThrottlingException',
        rule.message ?? 'Rate exceeded',
        rule.status ?? 400
      );
    }
    return undefined;
  }

  const control = {
    addGroup,
    /** Starts a deployment in a group as someone else would (the busy-group tests). */
    startDeployment(app, group, spec = {}) {
      return createDeploymentRecord(
        findGroup(app, group),
        {
          revision: {
            revisionType: 'S3',
            s3Location: { bucket: 'other', key: 'other.zip', bundleType: 'zip' }
          },
          description: spec.description ?? 'started elsewhere'
        },
        { scripts: spec.scripts }
      ).id;
    },
    /** Makes the next `times` calls of `op` (after `skip`) fail with `type` (default ThrottlingException). */
    fail(rule) {
      failures.push({ skip: 0, ...rule });
    },
    /** Advances every unfinished deployment (or the given one) by `n` steps. */
    tick(n = 1, id) {
      for (let i = 0; i < n; i++)
        for (const d of id ? [deployments.get(id)] : [...deployments.values()]) step(d);
    },
    requests: () => log.map((r) => ({ ...r })),
    deployments: () => order.map((id) => deploymentInfo(deployments.get(id))),
    deployment: (id) => {
      const d = deployments.get(id);
      return (
        d && {
          ...deploymentInfo(d),
          targets: d.targets.map((t) => ({ id: t.id, status: t.status, lifecycleEvents: eventsOf(t) }))
        }
      );
    },
    revisions: () => revisions.map((r) => ({ ...r })),
    reset() {
      apps = new Map();
      deployments = new Map();
      order = [];
      log = [];
      failures = [];
      revisions = [];
    }
  };

  async function controlRoute(req, res, body) {
    const route = req.url.replace(/^\/__control\//, '');
    const send = (value) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(value ?? {}));
    };
    const args = body ? JSON.parse(body) : {};
    if (route === 'requests') return send(control.requests());
    if (route === 'deployments') return send(control.deployments());
    if (route === 'reset') return send(control.reset());
    if (route === 'group') return send(addGroup(args.application, args.group, args));
    if (route === 'fail') return send(control.fail(args));
    if (route === 'tick') return send(control.tick(args.n ?? 1, args.deploymentId));
    if (route === 'start')
      return send({ deploymentId: control.startDeployment(args.application, args.group, args) });
    res.writeHead(404);
    res.end();
  }

  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      if (req.url.startsWith('/__control/')) {
        controlRoute(req, res, body).catch((error) => {
          res.writeHead(500);
          res.end(String(error));
        });
        return;
      }
      const target = String(req.headers['x-amz-target'] ?? '');
      const op = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : '';
      const requestId = randomUUID();
      const reply = (status, payload) => {
        res.writeHead(status, {
          'content-type': 'application/x-amz-json-1.1',
          'x-amzn-requestid': requestId
        });
        res.end(JSON.stringify(payload));
      };
      try {
        if (req.method !== 'POST')
          throw new ApiError('UnknownOperationException', 'Only POST is supported', 404);
        if (!String(req.headers['content-type'] ?? '').startsWith('application/x-amz-json-1.1'))
          throw new ApiError('SerializationException', 'Expected application/x-amz-json-1.1');
        if (!String(req.headers.authorization ?? '').startsWith('AWS4-HMAC-SHA256'))
          throw new ApiError('MissingAuthenticationTokenException', 'Missing Authentication Token', 403);
        const input = body ? JSON.parse(body) : {};
        log.push({ op, body: input });
        if (!ops[op]) throw new ApiError('UnknownOperationException', `Unknown operation ${target}`);
        const injected = takeFailure(op);
        if (injected) throw injected;
        reply(200, ops[op](input));
      } catch (error) {
        if (error instanceof ApiError) reply(error.status, { __type: error.type, message: error.message });
        else reply(500, { __type: 'InternalFailure', message: String(error) });
      }
    });
  });
  await new Promise((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const port = server.address().port;
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    port,
    endpoint,
    ...control,
    /** A real SDK client pointed at this server (any credentials will do; the signature is not checked). */
    client: (config = {}) =>
      new CodeDeployClient({
        endpoint,
        region,
        credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
        ...config
      }),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      })
  };
}

/** The two-instance rollout the demo plays: `web-app` / `production`. */
export function demoScenario(server, { fail = false } = {}) {
  server.addGroup('web-app', 'production', {
    autoRollback: { enabled: true, events: ['DEPLOYMENT_FAILURE'] },
    instances: [
      { id: 'i-0a1b2c3d4e5f60001' },
      {
        id: 'i-0a1b2c3d4e5f60002',
        script: fail
          ? {
              fail: 'ApplicationStart',
              scriptName: 'scripts/start.sh',
              logTail:
                '[stdout]Pulling 123456789012.dkr.ecr.us-east-1.amazonaws.com/api@sha256:1f2e…\n[stderr]Error response from daemon: manifest unknown\n'
            }
          : undefined
      }
    ]
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const port = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 0);
  const server = await startCodeDeployServer({ port });
  demoScenario(server, { fail: process.argv.includes('--fail') });
  console.log(JSON.stringify({ port: server.port, endpoint: server.endpoint }));
  const stop = () => server.close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
