/**
 * The bundled action, with builder: buildah (vfs storage, chroot isolation, no daemon), builds a FROM scratch
 * image and pushes it into a real registry (Debian docker-registry with htpasswd auth). No mocks.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runBundledAction, type RunResult } from '../../src/cli/runner.js';
import { printed } from '../helpers/printed.js';
import { actionYml } from '../helpers/paths.js';
import { RegistryServer } from '../helpers/registry.mjs';

const USER = 'ci-bot';
const PASSWORD = 'Registry-Pa55word-7f3c9e';
const SHA = '3f2c1a9b8e7d6c5b4a3928171615141312111009';
const EPOCH = 1_700_000_000;

let registry: RegistryServer;
let work: string;
let context: string;
let eventPath: string;

beforeAll(async () => {
  registry = await RegistryServer.start(USER, PASSWORD);
  work = mkdtempSync(path.join(tmpdir(), 'bapi-buildah-'));
  context = path.join(work, 'context');
  mkdirSync(context);
  writeFileSync(path.join(context, 'hello.txt'), 'hello from build-and-push-image\n');
  writeFileSync(
    path.join(context, 'Dockerfile'),
    'FROM scratch\nCOPY hello.txt /hello.txt\nLABEL com.example.team=backend\n'
  );
  eventPath = path.join(work, 'event.json');
  writeFileSync(eventPath, JSON.stringify({ repository: { default_branch: 'main' } }));
});

afterAll(async () => {
  await registry?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** Fresh buildah storage per run (a storage.conf in a temp dir), so runs share nothing but the context. */
function storageEnv(name: string): NodeJS.ProcessEnv {
  const root = path.join(work, `storage-${name}`);
  mkdirSync(root, { recursive: true });
  const conf = path.join(root, 'storage.conf');
  writeFileSync(conf, `[storage]\ndriver = "vfs"\ngraphroot = "${root}/graph"\nrunroot = "${root}/run"\n`);
  return { CONTAINERS_STORAGE_CONF: conf };
}

function run(
  name: string,
  repo: string,
  password: string,
  extra: Record<string, string> = {}
): Promise<RunResult> {
  return runBundledAction({
    actionYml: actionYml('build-and-push-image'),
    cwd: work,
    inputs: {
      image: `${registry.host}/${repo}`,
      context,
      builder: 'buildah',
      'registry-username': USER,
      'registry-password': password,
      'source-date-epoch': EPOCH,
      labels: 'org.opencontainers.image.description=integration test',
      ...extra
    },
    env: {
      ...storageEnv(name),
      GITHUB_EVENT_NAME: 'push',
      GITHUB_REF: 'refs/heads/main',
      GITHUB_SHA: SHA,
      GITHUB_REPOSITORY: 'acme/app',
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_EVENT_PATH: eventPath,
      RUNNER_TEMP: work
    }
  });
}

describe('build-and-push-image with buildah into a real registry', () => {
  let first: RunResult;

  beforeAll(async () => {
    first = await run('first', 'acme/app', PASSWORD);
  }, 120_000);

  it('pushes every tag, and the digest it outputs is the one the registry serves', async () => {
    expect({ code: first.exitCode, stderr: first.stderr }).toEqual({ code: 0, stderr: expect.any(String) });
    const digest = first.outputs.digest ?? '';
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(first.outputs['image-ref']).toBe(`${registry.host}/acme/app@${digest}`);
    expect(first.outputs.builder).toBe('buildah');
    const refs = JSON.parse(first.outputs.tags ?? '[]') as string[];
    expect(refs).toEqual([
      `${registry.host}/acme/app:main`,
      `${registry.host}/acme/app:sha-3f2c1a9`,
      `${registry.host}/acme/app:latest`
    ]);
    expect(await registry.tags('acme/app')).toEqual(['latest', 'main', 'sha-3f2c1a9']);
    for (const tag of ['main', 'sha-3f2c1a9', 'latest'])
      expect([tag, await registry.manifestDigest('acme/app', tag)]).toEqual([tag, digest]);
    expect(await registry.manifestDigest('acme/app', digest)).toBe(digest);
  });

  it('applies the generated OCI labels, the Dockerfile label and the labels input, with the fixed timestamp', async () => {
    const config = await registry.imageConfig('acme/app', 'main');
    expect(config.created).toBe(new Date(EPOCH * 1000).toISOString().replace('.000', ''));
    expect(config.config?.Labels).toEqual(
      expect.objectContaining({
        'com.example.team': 'backend',
        'org.opencontainers.image.description': 'integration test',
        'org.opencontainers.image.revision': SHA,
        'org.opencontainers.image.source': 'https://github.com/acme/app',
        'org.opencontainers.image.title': 'app',
        'org.opencontainers.image.version': 'main',
        'org.opencontainers.image.created': '2023-11-14T22:13:20.000Z'
      })
    );
    expect(JSON.parse(first.outputs.labels ?? '{}')).toEqual(
      expect.objectContaining({ 'org.opencontainers.image.revision': SHA })
    );
  });

  it('writes a summary with the image, tags, digest, size and build time', () => {
    const digest = first.outputs.digest ?? '';
    expect(first.summary).toContain(`${registry.host}/acme/app`);
    expect(first.summary).toContain(digest);
    expect(first.summary).toContain(`${registry.host}/acme/app:sha-3f2c1a9`);
    expect(first.summary).toMatch(/\*\*Size\*\* \| \d+(\.\d+)? (B|KiB)/);
    expect(first.summary).toMatch(/\*\*Build time\*\* \| \d/);
    expect(first.summary).toMatch(/\*\*Builder\*\* \| buildah/);
  });

  it('masks the password and never prints it', () => {
    expect(first.stdout).toContain(`::add-mask::${PASSWORD}`);
    expect(printed(first)).not.toContain(PASSWORD);
  });

  it('keeps credentials only in a temporary directory that is gone after the run', () => {
    const dir = first.state['config-dir'] ?? '';
    expect(dir.startsWith(work)).toBe(true);
    expect(existsSync(dir)).toBe(false);
    expect(first.post?.exitCode).toBe(0);
  });

  it('rebuilds an unchanged context into the same digest (fresh storage, same source-date-epoch)', async () => {
    const second = await run('second', 'acme/app', PASSWORD);
    expect(second.exitCode).toBe(0);
    expect(second.outputs.digest).toBe(first.outputs.digest);
  }, 120_000);

  it('fails cleanly on a wrong password and pushes nothing', async () => {
    const catalogBefore = await registry.catalog();
    const tagsBefore = await registry.tags('acme/app');
    const result = await run('wrong', 'acme/other', 'not-the-password');
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toMatch(/^::error::Logging in to 127\.0\.0\.1:\d+ as ci-bot failed/m);
    expect(result.outputs.digest).toBeUndefined();
    expect(await registry.catalog()).toEqual(catalogBefore);
    expect(await registry.tags('acme/app')).toEqual(tagsBefore);
    expect(printed(result)).not.toContain('not-the-password');
    expect(existsSync(result.state['config-dir'] ?? '/nonexistent')).toBe(false);
  }, 120_000);

  it('warns and still pushes when exporting the registry cache fails', async () => {
    // A cache registry these credentials cannot write to: buildah fails the whole build on a cache push error.
    const cacheRegistry = await RegistryServer.start('someone-else', 'another-password');
    try {
      const result = await run('cache', 'acme/cached', PASSWORD, {
        cache: 'registry',
        'cache-ref': `${cacheRegistry.host}/acme/cache`
      });
      expect(result.exitCode).toBe(0);
      expect(result.stdout).toMatch(
        /^::warning::Exporting the build cache failed; building again without exporting it\./m
      );
      expect(result.stdout).toContain(`--cache-to ${cacheRegistry.host}/acme/cache`);
      expect(await registry.manifestDigest('acme/cached', 'main')).toBe(result.outputs.digest);
      expect(await cacheRegistry.catalog()).toEqual([]);
    } finally {
      await cacheRegistry.stop();
    }
  }, 120_000);

  it('pushes a two-platform image as one index that every tag resolves to', async () => {
    const result = await run('multi', 'acme/multi', PASSWORD, { platforms: 'linux/amd64,linux/arm64' });
    expect(result.exitCode).toBe(0);
    const digest = result.outputs.digest ?? '';
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    for (const tag of ['main', 'sha-3f2c1a9', 'latest'])
      expect([tag, await registry.manifestDigest('acme/multi', tag)]).toEqual([tag, digest]);
    const index = await registry.manifest('acme/multi', digest);
    expect(index.manifests?.map((m) => `${m.platform?.os}/${m.platform?.architecture}`).sort()).toEqual([
      'linux/amd64',
      'linux/arm64'
    ]);
  }, 120_000);

  it('runs RUN steps under chroot isolation with a build secret that reaches the step but not the image or the log', async () => {
    // A tiny root filesystem from the host's own sh and libc, since no base image can be pulled here.
    const runContext = path.join(work, 'run-context');
    const libraries = [
      ...execFileSync('ldd', ['/bin/sh'], { encoding: 'utf8' }).matchAll(/(\/\S+) \(0x/g)
    ].map((m) => m[1] as string);
    for (const file of ['/bin/sh', ...libraries]) {
      mkdirSync(path.dirname(path.join(runContext, 'rootfs', file)), { recursive: true });
      copyFileSync(file, path.join(runContext, 'rootfs', file));
    }
    writeFileSync(
      path.join(runContext, 'Dockerfile'),
      [
        'FROM scratch',
        'COPY rootfs/ /',
        'RUN --mount=type=secret,id=npm_token ["/bin/sh", "-c", "test -s /run/secrets/npm_token && echo secret-was-mounted > /secret-check"]',
        ''
      ].join('\n')
    );
    const secret = 'npm_SecretValue_4d9a1c77';
    const result = await run('secret', 'acme/secret', PASSWORD, {
      context: runContext,
      secrets: `npm_token=${secret}`
    });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('--secret id=npm_token,env=DEPLOY_ACTIONS_BUILD_SECRET_0');
    expect(printed(result)).not.toContain(secret);
    const manifest = await registry.manifest('acme/secret', 'main');
    const layers = await Promise.all(
      (manifest.layers ?? []).map(async (layer) =>
        gunzipSync(await registry.blob('acme/secret', layer.digest)).toString('latin1')
      )
    );
    expect(layers.join('')).toContain('secret-was-mounted');
    expect(layers.join('')).not.toContain(secret);
  }, 120_000);
});
