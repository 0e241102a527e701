/**
 * The bundled action on its docker path, against a `docker` stand-in on PATH that records its arguments and
 * writes the buildx metadata file; ECR logins go through the real @aws-sdk/client-ecr to the ECR stand-in.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runBundledAction, type RunResult } from '../../src/cli/runner.js';
import { startEcrServer, type EcrServer } from '../fakes/ecr-server.mjs';
import { printed } from '../helpers/printed.js';
import { actionYml, ROOT } from '../helpers/paths.js';

interface Call {
  args: string[];
  stdin?: string;
  dockerConfig?: string;
  configJson?: { auths?: Record<string, { auth: string }>; credsStore?: string };
  env?: Record<string, string | null>;
}

const PASSWORD = 'dckr_pat_Hub-Secret-91b2c3';
const BUILD_SECRET = 'npm-token-5c8e1f0a';
const SHA = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';

let work: string;
let bin: string;
let context: string;
let userConfig: string;
let ecr: EcrServer;

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'bapi-docker-'));
  bin = path.join(work, 'bin');
  mkdirSync(bin);
  symlinkSync(
    path.join(ROOT, '__tests__', 'fakes', 'build-and-push-image-docker.mjs'),
    path.join(bin, 'docker')
  );
  context = path.join(work, 'app');
  mkdirSync(context);
  writeFileSync(path.join(context, 'Dockerfile'), 'FROM scratch\nCOPY hello.txt /\n');
  writeFileSync(path.join(context, 'hello.txt'), 'hi\n');
  // The user's own Docker config: an earlier login, a credential store, a CLI plugin folder.
  userConfig = path.join(work, 'user-docker');
  mkdirSync(path.join(userConfig, 'cli-plugins'), { recursive: true });
  writeFileSync(
    path.join(userConfig, 'config.json'),
    JSON.stringify({ auths: { 'quay.io': { auth: 'cXVheTpwdw==' } }, credsStore: 'desktop' })
  );
  ecr = await startEcrServer();
});

afterAll(async () => {
  await ecr?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

function event(name: string, payload: object): string {
  const file = path.join(work, `${name}.json`);
  writeFileSync(file, JSON.stringify(payload));
  return file;
}

async function run(
  name: string,
  inputs: Record<string, string | number>,
  env: NodeJS.ProcessEnv = {},
  cancelWhen?: (line: string) => boolean
): Promise<RunResult & { calls: Call[] }> {
  const log = path.join(work, `${name}.log`);
  writeFileSync(log, '');
  const result = await runBundledAction({
    actionYml: actionYml('build-and-push-image'),
    cwd: work,
    inputs: { context, ...inputs },
    cancelWhen,
    env: {
      PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}`,
      FAKE_DOCKER_LOG: log,
      DOCKER_CONFIG: userConfig,
      RUNNER_TEMP: work,
      GITHUB_EVENT_NAME: 'push',
      GITHUB_REF: 'refs/heads/main',
      GITHUB_SHA: SHA,
      GITHUB_REPOSITORY: 'acme/api',
      GITHUB_EVENT_PATH: event('push', { repository: { default_branch: 'main' } }),
      ...env
    }
  });
  const calls = readFileSync(log, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Call);
  return { ...result, calls };
}

const digestOf = (refs: string[]) => `sha256:${createHash('sha256').update(refs.join('\n')).digest('hex')}`;

describe('docker path, Docker Hub, builder auto', () => {
  let result: RunResult & { calls: Call[] };
  let configDir: string;

  beforeAll(async () => {
    result = await run('hub', {
      image: 'acme/api',
      'registry-username': 'acme',
      'registry-password': PASSWORD,
      secrets: `npm_token=${BUILD_SECRET}`,
      'build-args': 'NODE_ENV=production',
      target: 'runtime',
      platforms: 'linux/amd64,linux/arm64',
      cache: 'gha',
      'source-date-epoch': 1_700_000_000
    });
    configDir = result.state['config-dir'] ?? '';
  }, 60_000);

  it('picks docker because `docker info` answered, and says so', () => {
    expect(result.exitCode).toBe(0);
    expect(result.calls[0]?.args).toEqual(['info', '--format', '{{.ServerVersion}}']);
    expect(result.outputs.builder).toBe('docker');
    expect(result.stdout).toContain('Builder: docker (a Docker daemon answered (server 28.2.2)).');
  });

  it('logs in with the password on stdin, into the temporary DOCKER_CONFIG', () => {
    const login = result.calls.find((c) => c.args[0] === 'login');
    expect(login).toEqual({
      args: ['login', '--username', 'acme', '--password-stdin', 'docker.io'],
      stdin: PASSWORD,
      dockerConfig: configDir
    });
    expect(configDir).not.toBe(userConfig);
  });

  it('runs exactly this docker buildx build', () => {
    const build = result.calls.find((c) => c.args[0] === 'buildx');
    const created = '2023-11-14T22:13:20.000Z';
    expect(build?.args).toEqual([
      'buildx',
      'build',
      '--tag',
      'acme/api:main',
      '--tag',
      'acme/api:sha-a1b2c3d',
      '--tag',
      'acme/api:latest',
      '--label',
      `org.opencontainers.image.created=${created}`,
      '--label',
      `org.opencontainers.image.revision=${SHA}`,
      '--label',
      'org.opencontainers.image.source=https://github.com/acme/api',
      '--label',
      'org.opencontainers.image.url=https://github.com/acme/api',
      '--label',
      'org.opencontainers.image.title=api',
      '--label',
      'org.opencontainers.image.version=main',
      '--build-arg',
      'NODE_ENV=production',
      '--build-arg',
      'SOURCE_DATE_EPOCH=1700000000',
      '--secret',
      'id=npm_token,env=DEPLOY_ACTIONS_BUILD_SECRET_0',
      '--target',
      'runtime',
      '--platform',
      'linux/amd64,linux/arm64',
      '--cache-from',
      'type=gha,scope=acme-api',
      '--cache-to',
      'type=gha,scope=acme-api,mode=max,ignore-error=true',
      '--push',
      '--metadata-file',
      path.join(configDir, 'metadata.json'),
      context
    ]);
    // The build secret reached buildx through its environment, never the command line.
    expect(build?.env).toEqual({ DEPLOY_ACTIONS_BUILD_SECRET_0: BUILD_SECRET });
  });

  it('builds with a copy of the user config minus its credential store, plus the new login', () => {
    const build = result.calls.find((c) => c.args[0] === 'buildx');
    expect(build?.configJson?.credsStore).toBeUndefined();
    expect(Object.keys(build?.configJson?.auths ?? {}).sort()).toEqual(['docker.io', 'quay.io']);
    // The user's own config is untouched.
    expect(JSON.parse(readFileSync(path.join(userConfig, 'config.json'), 'utf8'))).toEqual({
      auths: { 'quay.io': { auth: 'cXVheTpwdw==' } },
      credsStore: 'desktop'
    });
  });

  it('outputs the digest from the metadata file and the digest-pinned reference', () => {
    const refs = ['acme/api:main', 'acme/api:sha-a1b2c3d', 'acme/api:latest'];
    expect(result.outputs.digest).toBe(digestOf(refs));
    expect(result.outputs['image-ref']).toBe(`acme/api@${digestOf(refs)}`);
    expect(JSON.parse(result.outputs.tags ?? '')).toEqual(refs);
    expect(result.summary).toMatch(/\*\*Cache\*\* \| gha: 2 step\(s\) from cache/);
  });

  it('never prints the registry password or the build secret, and removes the credentials', () => {
    expect(result.stdout).toContain(`::add-mask::${PASSWORD}`);
    expect(result.stdout).toContain(`::add-mask::${BUILD_SECRET}`);
    expect(printed(result)).not.toContain(PASSWORD);
    expect(printed(result)).not.toContain(BUILD_SECRET);
    expect(existsSync(configDir)).toBe(false);
  });
});

describe('docker path, pull request', () => {
  it('builds without pushing or logging in, tagged pr-N and the head commit', async () => {
    const headSha = 'ffeeddccbbaa99887766554433221100ffeeddcc';
    const result = await run(
      'pr',
      { image: 'ghcr.io/acme/api', builder: 'docker', 'github-token': 'ghs_tokenvalue123' },
      {
        GITHUB_EVENT_NAME: 'pull_request',
        GITHUB_REF: 'refs/pull/42/merge',
        GITHUB_EVENT_PATH: event('pr', {
          number: 42,
          pull_request: { number: 42, head: { sha: headSha } },
          repository: { default_branch: 'main' }
        })
      }
    );
    expect(result.exitCode).toBe(0);
    expect(result.calls.map((c) => c.args[0])).toEqual(['buildx']);
    const args = result.calls[0]?.args ?? [];
    expect(args).not.toContain('--push');
    expect(args.filter((_, i) => args[i - 1] === '--tag')).toEqual([
      'ghcr.io/acme/api:pr-42',
      'ghcr.io/acme/api:sha-ffeeddc'
    ]);
    expect(result.outputs.digest).toBe('');
    expect(result.outputs['image-ref']).toBe('');
    expect(result.summary).toContain('not pushed');
  }, 60_000);
});

describe('docker path, no tag for this event', () => {
  it('fails before logging in or building', async () => {
    const result = await run('no-tags', {
      image: 'acme/api',
      builder: 'docker',
      tags: 'pr\nsemver={{version}}',
      'registry-username': 'acme',
      'registry-password': PASSWORD
    });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain(
      "::error::No tag rule applies to this event (push on refs/heads/main); add one to the 'tags' input"
    );
    expect(result.calls).toEqual([]);
    expect(result.state['config-dir']).toBeUndefined();
  }, 60_000);
});

describe('docker path, GHCR', () => {
  it('logs in as GITHUB_ACTOR with the GitHub token, masked', async () => {
    const token = 'ghs_RunnerToken0123456789abcdef';
    const result = await run(
      'ghcr',
      { image: 'ghcr.io/Acme/API', builder: 'docker', 'github-token': token },
      { GITHUB_ACTOR: 'octocat' }
    );
    expect(result.exitCode).toBe(0);
    const login = result.calls.find((c) => c.args[0] === 'login');
    expect(login?.args).toEqual(['login', '--username', 'octocat', '--password-stdin', 'ghcr.io']);
    expect(login?.stdin).toBe(token);
    expect(result.outputs['image-ref']).toMatch(/^ghcr\.io\/acme\/api@sha256:/);
    expect(result.stdout).toContain(
      "::notice::Image 'ghcr.io/Acme/API' is pushed as 'ghcr.io/acme/api': repository names must be lower case."
    );
    expect(result.stdout).toContain(`::add-mask::${token}`);
    expect(printed(result)).not.toContain(token);
  }, 60_000);
});

describe('docker path, a builder that cannot export the cache', () => {
  it('warns, builds again without --cache-to, and pushes', async () => {
    const result = await run(
      'no-cache-export',
      {
        image: 'acme/api',
        builder: 'docker',
        cache: 'gha',
        'registry-username': 'acme',
        'registry-password': PASSWORD
      },
      { FAKE_DOCKER_NO_CACHE_EXPORT: '1' }
    );
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(
      /^::warning::Exporting the build cache failed; building again without exporting it\./m
    );
    const builds = result.calls.filter((c) => c.args[0] === 'buildx').map((c) => c.args);
    expect(builds.map((args) => args.includes('--cache-to'))).toEqual([true, false]);
    expect(builds[1]).toEqual(expect.arrayContaining(['--cache-from', 'type=gha,scope=acme-api', '--push']));
    expect(result.outputs.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
  }, 60_000);
});

describe('docker path, cancelled mid-build', () => {
  it('leaves the credentials to the post step, which removes them', async () => {
    const result = await run(
      'cancel',
      { image: 'acme/api', builder: 'docker', 'registry-username': 'acme', 'registry-password': PASSWORD },
      { FAKE_DOCKER_BUILD_HANG: '1' },
      (line) => line.includes('RUN hang')
    );
    expect(result.exitCode).not.toBe(0);
    const dir = result.state['config-dir'] ?? '';
    const login = result.calls.find((c) => c.args[0] === 'login');
    expect(login?.dockerConfig).toBe(dir);
    expect(result.post?.exitCode).toBe(0);
    expect(result.post?.stdout).toContain(`Removed the registry credentials in ${dir}.`);
    expect(existsSync(dir)).toBe(false);
  }, 60_000);
});

describe('docker path, ECR', () => {
  const image = '123456789012.dkr.ecr.ap-northeast-2.amazonaws.com/api';
  const awsEnv = {
    AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'secret-example-key',
    AWS_REGION: 'us-east-1'
  };

  it('logs in with a GetAuthorizationToken token through the SDK, masked, and turns provenance off', async () => {
    const before = ecr.requests.length;
    const result = await run(
      'ecr',
      { image, builder: 'docker', 'endpoint-url': ecr.endpoint, cache: 'registry' },
      awsEnv
    );
    expect(result.exitCode).toBe(0);
    expect(ecr.requests.slice(before)).toEqual([
      expect.objectContaining({
        method: 'POST',
        target: 'AmazonEC2ContainerRegistry_V20150921.GetAuthorizationToken',
        contentType: 'application/x-amz-json-1.1',
        signed: true
      })
    ]);
    // The region came from the image URI, not AWS_REGION.
    const login = result.calls.find((c) => c.args[0] === 'login');
    expect(login?.args).toEqual(['login', '--username', 'AWS', '--password-stdin', ecr.registry]);
    expect(login?.stdin).toBe(ecr.password);
    const args = result.calls.find((c) => c.args[0] === 'buildx')?.args ?? [];
    expect(args).toContain('--provenance=false');
    expect(args).toEqual(
      expect.arrayContaining([
        '--cache-from',
        `type=registry,ref=${image}:buildcache`,
        '--cache-to',
        `type=registry,ref=${image}:buildcache,mode=max,ignore-error=true,image-manifest=true,oci-mediatypes=true`
      ])
    );
    expect(result.stdout).toContain(`::add-mask::${ecr.token}`);
    expect(result.stdout).toContain(`::add-mask::${ecr.password}`);
    expect(printed(result)).not.toContain(ecr.password);
    expect(printed(result)).not.toContain(ecr.token);
    expect(result.outputs['image-ref']).toMatch(
      new RegExp(`^${image.replace(/\./g, '\\.')}@sha256:[0-9a-f]{64}$`)
    );
  }, 60_000);

  it('fails with the IAM hint when GetAuthorizationToken is denied, and builds nothing', async () => {
    ecr.failWith({
      type: 'AccessDeniedException',
      message:
        'User: arn:aws:sts::123456789012:assumed-role/ci is not authorized to perform: ecr:GetAuthorizationToken'
    });
    try {
      const result = await run(
        'ecr-denied',
        { image, builder: 'docker', 'endpoint-url': ecr.endpoint },
        awsEnv
      );
      expect(result.exitCode).toBe(1);
      expect(result.stdout).toMatch(
        /^::error::ECR GetAuthorizationToken in ap-northeast-2 failed: .*not authorized.*ecr:GetAuthorizationToken on \*/m
      );
      expect(result.calls.filter((c) => c.args[0] !== 'info')).toEqual([]);
    } finally {
      ecr.failWith(undefined);
    }
  }, 60_000);
});

describe('builder auto without a Docker daemon', () => {
  it('falls back to buildah and says why', async () => {
    const storage = path.join(work, 'auto-storage');
    mkdirSync(storage);
    writeFileSync(
      path.join(storage, 'storage.conf'),
      `[storage]\ndriver = "vfs"\ngraphroot = "${storage}/graph"\nrunroot = "${storage}/run"\n`
    );
    const result = await run(
      'auto',
      { image: 'acme/api', push: 'false', 'source-date-epoch': 'now' },
      { FAKE_DOCKER_INFO_EXIT: '1', CONTAINERS_STORAGE_CONF: path.join(storage, 'storage.conf') }
    );
    expect(result.exitCode).toBe(0);
    expect(result.outputs.builder).toBe('buildah');
    expect(result.stdout).toMatch(/^Builder: buildah \(no Docker daemon answered; buildah version [\d.]+/m);
    expect(result.calls.map((c) => c.args[0])).toEqual(['info']);
  }, 60_000);
});
