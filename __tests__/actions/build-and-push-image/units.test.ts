/** The small I/O-free helpers of the builders, ECR login, config directory and summary. */
import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MemoryLogger } from '../../../src/core/logger.js';
import {
  chooseBuilder,
  countCacheHits,
  isCacheExportFailure,
  manifestSize
} from '../../../src/actions/build-and-push-image/builders.js';
import {
  createConfigDir,
  removeConfigDir,
  sanitizeDockerConfig
} from '../../../src/actions/build-and-push-image/config-dir.js';
import { decodeAuthorizationToken } from '../../../src/actions/build-and-push-image/ecr.js';
import { exec, tail, type Exec } from '../../../src/actions/build-and-push-image/exec.js';
import { resolveEpoch } from '../../../src/actions/build-and-push-image/main.js';
import { buildSummary } from '../../../src/actions/build-and-push-image/summary.js';

describe('countCacheHits', () => {
  it('counts BuildKit CACHED steps', () => {
    expect(countCacheHits('docker', '#4 [1/3] FROM x\n#4 DONE\n#5 CACHED\n#6 CACHED\r\n#7 RUN make\n')).toBe(
      2
    );
    expect(countCacheHits('docker', '')).toBe(0);
  });
  it('counts buildah cache reuse', () => {
    expect(
      countCacheHits('buildah', 'STEP 2/3: COPY . .\n--> Using cache 5d1e2f\n--> 5d1e2f\nSTEP 3/3\n')
    ).toBe(1);
  });
});

describe('isCacheExportFailure', () => {
  it.each([
    ['Error: pushing cache to docker://x/cache: unauthorized', true],
    ['error: failed to export cache: timeout', true],
    ['ERROR: failed to build: Cache export is not supported for the docker driver.', true],
    ['ERROR: failed to solve: process "/bin/sh -c make" did not complete successfully', false],
    ['', false]
  ])('%j → %s', (output, expected) => {
    expect(isCacheExportFailure(output)).toBe(expected);
  });
});

describe('manifestSize', () => {
  it('adds the config and layer sizes', () => {
    expect(
      manifestSize(JSON.stringify({ config: { size: 100 }, layers: [{ size: 1000 }, { size: 24 }] }))
    ).toBe(1124);
  });
  it.each([['not json'], ['{}'], [JSON.stringify({ manifests: [] })]])('is undefined for %j', (text) => {
    expect(manifestSize(text)).toBeUndefined();
  });
});

describe('decodeAuthorizationToken', () => {
  it.each([
    [
      Buffer.from('AWS:eyJwYXlsb2FkIjoi').toString('base64'),
      { username: 'AWS', password: 'eyJwYXlsb2FkIjoi' }
    ],
    [Buffer.from('AWS:pa:ss').toString('base64'), { username: 'AWS', password: 'pa:ss' }],
    [Buffer.from('nocolon').toString('base64'), undefined],
    [Buffer.from('AWS:').toString('base64'), undefined],
    ['', undefined]
  ])('%j', (token, expected) => {
    expect(decodeAuthorizationToken(token)).toEqual(expected);
  });
});

describe('tail', () => {
  it('prefers the last stderr lines', () => {
    expect(tail({ code: 1, stdout: 'a\nb', stderr: '1\n2\n\n3\n' }, 2)).toBe('2\n3');
    expect(tail({ code: 1, stdout: 'a\r\nb\r\n', stderr: '  ' })).toBe('a\nb');
  });
});

describe('chooseBuilder', () => {
  const fake =
    (answers: Record<string, { code: number; stdout?: string }>): Exec =>
    async (command) => ({
      code: answers[command]?.code ?? 127,
      stdout: answers[command]?.stdout ?? '',
      stderr: ''
    });

  it('takes an explicit choice without probing', async () => {
    const probe: Exec = async () => {
      throw new Error('must not run');
    };
    expect(await chooseBuilder('buildah', probe, new MemoryLogger())).toEqual({
      name: 'buildah',
      reason: 'chosen by the builder input'
    });
  });
  it('auto: docker when the daemon answers, else buildah, else a clear error', async () => {
    const logger = new MemoryLogger();
    expect((await chooseBuilder('auto', fake({ docker: { code: 0, stdout: '27.1\n' } }), logger)).name).toBe(
      'docker'
    );
    const fallback = await chooseBuilder(
      'auto',
      fake({ docker: { code: 1 }, buildah: { code: 0, stdout: 'buildah version 1.28.2' } }),
      logger
    );
    expect(fallback).toEqual({
      name: 'buildah',
      reason: 'no Docker daemon answered; buildah version 1.28.2'
    });
    await expect(chooseBuilder('auto', fake({}), logger)).rejects.toThrow(
      /no Docker daemon answered `docker info` and buildah is not installed/
    );
  });
});

describe('the temporary config directory', () => {
  it('drops the credential store and the helpers of the registries logged in to', () => {
    expect(
      sanitizeDockerConfig(
        {
          auths: { a: {} },
          credsStore: 'desktop',
          credHelpers: { 'ghcr.io': 'gh', 'public.ecr.aws': 'ecr-login' },
          proxies: {}
        },
        ['ghcr.io']
      )
    ).toEqual({ auths: { a: {} }, credHelpers: { 'public.ecr.aws': 'ecr-login' }, proxies: {} });
    expect(sanitizeDockerConfig({ credHelpers: { 'ghcr.io': 'gh' } }, ['ghcr.io'])).toEqual({});
  });

  it('copies the user config and logins, links buildx, and goes away', () => {
    const base = mkdtempSync(path.join(tmpdir(), 'bapi-cfg-'));
    try {
      const user = path.join(base, 'docker');
      mkdirSync(path.join(user, 'buildx'), { recursive: true });
      writeFileSync(
        path.join(user, 'config.json'),
        JSON.stringify({ auths: { 'quay.io': { auth: 'x' } }, credsStore: 'pass' })
      );
      const containers = path.join(base, 'xdg', 'containers');
      mkdirSync(containers, { recursive: true });
      writeFileSync(
        path.join(containers, 'auth.json'),
        JSON.stringify({ auths: { 'registry.internal': { auth: 'eQ==' } } })
      );
      const dir = createConfigDir({
        registries: [],
        env: { DOCKER_CONFIG: user, RUNNER_TEMP: base, XDG_CONFIG_HOME: path.join(base, 'xdg') }
      });
      expect(path.dirname(dir)).toBe(base);
      expect(JSON.parse(readFileSync(path.join(dir, 'config.json'), 'utf8'))).toEqual({
        auths: { 'quay.io': { auth: 'x' } }
      });
      expect(lstatSync(path.join(dir, 'buildx')).isSymbolicLink()).toBe(true);
      expect(existsSync(path.join(dir, 'cli-plugins'))).toBe(false);
      // buildah's auth file: Docker's logins plus the containers auth file's.
      expect(JSON.parse(readFileSync(path.join(dir, 'auth.json'), 'utf8'))).toEqual({
        auths: { 'quay.io': { auth: 'x' }, 'registry.internal': { auth: 'eQ==' } }
      });
      expect(lstatSync(path.join(dir, 'auth.json')).mode & 0o777).toBe(0o600);
      removeConfigDir(dir);
      removeConfigDir(dir);
      expect(existsSync(dir)).toBe(false);
      expect(existsSync(path.join(user, 'buildx'))).toBe(true);
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
  });
});

describe('resolveEpoch', () => {
  it('uses the input, then SOURCE_DATE_EPOCH, then the last commit (real git), then now', async () => {
    const repo = mkdtempSync(path.join(tmpdir(), 'bapi-git-'));
    try {
      expect(await resolveEpoch(42, repo, exec, {})).toEqual({
        epoch: 42,
        from: 'the source-date-epoch input'
      });
      expect(await resolveEpoch('now', repo, exec, { SOURCE_DATE_EPOCH: '7' })).toEqual({
        from: 'now (source-date-epoch: now)'
      });
      expect(await resolveEpoch('auto', repo, exec, { SOURCE_DATE_EPOCH: '7' })).toEqual({
        epoch: 7,
        from: 'SOURCE_DATE_EPOCH'
      });
      expect((await resolveEpoch('auto', repo, exec, {})).epoch).toBeUndefined();
      const git = (...args: string[]) => execFileSync('git', ['-C', repo, ...args], { stdio: 'ignore' });
      git('init', '-q');
      writeFileSync(path.join(repo, 'f'), 'x');
      git('add', 'f');
      execFileSync(
        'git',
        ['-C', repo, '-c', 'user.name=t', '-c', 'user.email=t@e', 'commit', '-q', '-m', 'c'],
        {
          env: {
            ...process.env,
            GIT_COMMITTER_DATE: '@1650000000 +0000',
            GIT_AUTHOR_DATE: '@1650000000 +0000'
          },
          stdio: 'ignore'
        }
      );
      expect(await resolveEpoch('auto', repo, exec, {})).toEqual({
        epoch: 1650000000,
        from: 'the last commit'
      });
    } finally {
      rmSync(repo, { recursive: true, force: true });
    }
  });
});

describe('buildSummary', () => {
  it('shows image, digest, size, time, cache and tags', () => {
    const summary = buildSummary({
      image: 'acme/api',
      builder: 'docker',
      builderReason: 'a Docker daemon answered',
      refs: ['acme/api:main'],
      pushed: true,
      digest: 'sha256:abc',
      imageRef: 'acme/api@sha256:abc',
      size: 2048,
      buildMs: 65_000,
      cacheHits: 3,
      cache: 'gha',
      labels: { a: 'b' },
      notes: []
    });
    expect(summary.title).toBe('✅ build-and-push-image: pushed acme/api (1 tag)');
    expect(summary.facts).toEqual([
      ['Image', 'acme/api'],
      ['Digest', 'sha256:abc'],
      ['Deploy with', 'acme/api@sha256:abc'],
      ['Size', '2.00 KiB (uncompressed layers)'],
      ['Build time', '1m 05s'],
      ['Builder', 'docker (a Docker daemon answered)'],
      ['Cache', 'gha: 3 step(s) from cache']
    ]);
    expect(summary.tables?.[0]?.rows).toEqual([['acme/api:main']]);
  });
});
