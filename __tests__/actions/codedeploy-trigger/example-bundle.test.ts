/**
 * The example bundle in examples/codedeploy: its appspec passes our own validation, its scripts are
 * shellcheck-clean, and each hook does the right thing against fake `docker`, `aws`, `curl` and `sleep`
 * commands on PATH that record every call.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { validateAppSpec } from '../../../src/actions/codedeploy-trigger/appspec.js';
import { listBundle, toListing } from '../../../src/actions/codedeploy-trigger/bundle.js';
import { ROOT } from '../../helpers/paths.js';

const EXAMPLE = path.join(ROOT, 'examples', 'codedeploy');
const DIGEST = `sha256:${'ab'.repeat(32)}`;
const ECR_IMAGE = `123456789012.dkr.ecr.ap-northeast-2.amazonaws.com/api@${DIGEST}`;

const FAKE = `#!/bin/bash
name="$(basename "$0")"
# one write per call, so the two ends of a pipe cannot interleave their records
printf '%s\\n' "$name\${*:+ $*}" >>"$FAKE_CALLS"
case "$name" in
  docker)
    case "$1" in
      login) read -r secret; printf 'docker-login-stdin %s\\n' "$secret" >>"$FAKE_CALLS" ;;
      container) [[ "\${FAKE_CONTAINER_EXISTS:-0}" == 1 ]] || exit 1 ;;
      pull) [[ -z "\${FAKE_PULL_FAIL:-}" ]] || exit 1 ;;
      logs) echo "java.lang.IllegalStateException: database is down" ;;
    esac ;;
  aws) echo "secret-from-$1-$2" ;;
  curl)
    count=$(( $(cat "$FAKE_CALLS.curl" 2>/dev/null || echo 0) + 1 ))
    echo "$count" >"$FAKE_CALLS.curl"
    (( count > \${FAKE_CURL_FAILS:-0} )) || { echo "curl: (7) Failed to connect" >&2; exit 7; } ;;
  sleep) ;;
esac
`;

let work: string;
let bundle: string;
let calls: string;
let bin: string;

beforeEach(() => {
  work = mkdtempSync(path.join(tmpdir(), 'codedeploy-example-'));
  bundle = path.join(work, 'bundle');
  cpSync(EXAMPLE, bundle, { recursive: true });
  bin = path.join(work, 'bin');
  mkdirSync(bin);
  for (const name of ['docker', 'aws', 'curl', 'sleep']) {
    writeFileSync(path.join(bin, name), FAKE);
    chmodSync(path.join(bin, name), 0o755);
  }
  calls = path.join(work, 'calls');
  writeFileSync(calls, '');
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

function imageEnv(lines: Record<string, string>): void {
  const base = {
    IMAGE_REF: ECR_IMAGE,
    CONTAINER_NAME: 'api',
    PORTS: '8080:8080',
    HEALTH_URL: 'http://127.0.0.1:8080/health'
  };
  const text = Object.entries({ ...base, ...lines })
    .map(([k, v]) => `${k}=${v}`)
    .join('\n');
  writeFileSync(path.join(bundle, 'image.env'), `${text}\n`);
}

function hook(script: string, env: Record<string, string> = {}) {
  const run = spawnSync(path.join(bundle, 'scripts', script), {
    encoding: 'utf8',
    env: { PATH: `${bin}:/usr/bin:/bin`, FAKE_CALLS: calls, LIFECYCLE_EVENT: script, ...env }
  });
  return {
    code: run.status,
    out: `${run.stdout}${run.stderr}`,
    calls: readFileSync(calls, 'utf8').trim().split('\n').filter(Boolean)
  };
}

describe('examples/codedeploy', () => {
  it('has an appspec that passes validation, with every hook script present and executable', async () => {
    imageEnv({});
    const files = await listBundle(bundle);
    const result = validateAppSpec(readFileSync(path.join(bundle, 'appspec.yml'), 'utf8'), toListing(files));
    expect(result.problems).toEqual([]);
    expect(result.hooks.map((h) => h.event)).toEqual([
      'ApplicationStop',
      'AfterInstall',
      'ApplicationStart',
      'ValidateService'
    ]);
  });

  it('is shellcheck-clean and never uses ssh', () => {
    const scripts = readdirSync(path.join(EXAMPLE, 'scripts')).map((f) => path.join('scripts', f));
    const run = spawnSync('shellcheck', ['-x', ...scripts], { cwd: EXAMPLE, encoding: 'utf8' });
    expect(run.stdout + run.stderr).toBe('');
    expect(run.status).toBe(0);
    for (const file of [...scripts, 'appspec.yml', 'image.env.example'])
      expect([file, /\bssh\b|scp /.test(readFileSync(path.join(EXAMPLE, file), 'utf8'))]).toEqual([
        file,
        false
      ]);
  });

  it('logs in to ECR with the instance role and pulls by digest', () => {
    imageEnv({});
    const { code, calls: c } = hook('pull.sh');
    expect(code).toBe(0);
    // The two ends of the login pipe run at once, so their records may come in either order.
    expect(c.slice(0, 3).sort()).toEqual([
      'aws ecr get-login-password --region ap-northeast-2',
      'docker login --username AWS --password-stdin 123456789012.dkr.ecr.ap-northeast-2.amazonaws.com',
      'docker-login-stdin secret-from-ecr-get-login-password'
    ]);
    expect(c.slice(3)).toEqual([`docker pull --quiet ${ECR_IMAGE}`]);
  });

  it('logs in to Docker Hub with a token from SSM', () => {
    imageEnv({
      IMAGE_REF: `acme/api@${DIGEST}`,
      DOCKERHUB_USERNAME: 'acme',
      DOCKERHUB_TOKEN_PARAMETER: '/deploy/dockerhub-token'
    });
    const { code, calls: c } = hook('pull.sh');
    expect(code).toBe(0);
    expect(c.slice(0, 3).sort()).toEqual([
      'aws ssm get-parameter --name /deploy/dockerhub-token --with-decryption --query Parameter.Value --output text',
      'docker login --username acme --password-stdin',
      'docker-login-stdin secret-from-ssm-get-parameter'
    ]);
    expect(c.slice(3)).toEqual([`docker pull --quiet acme/api@${DIGEST}`]);
  });

  it('reads an image.env written with Windows line endings', () => {
    imageEnv({});
    const file = path.join(bundle, 'image.env');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/\n/g, '\r\n'));
    const { code, calls: c } = hook('pull.sh');
    expect(code).toBe(0);
    expect(c.at(-1)).toBe(`docker pull --quiet ${ECR_IMAGE}`);
  });

  it('refuses an image that is not pinned by digest, before touching docker', () => {
    imageEnv({ IMAGE_REF: '123456789012.dkr.ecr.ap-northeast-2.amazonaws.com/api:latest' });
    const { code, out, calls: c } = hook('pull.sh');
    expect(code).toBe(1);
    expect(out).toContain('is not pinned by digest');
    expect(c).toEqual([]);
  });

  it('fails the hook when image.env is missing', () => {
    const { code, out } = hook('start.sh');
    expect(code).toBe(1);
    expect(out).toContain('image.env is missing');
  });

  it('retries a failed pull three times, then fails', () => {
    imageEnv({});
    const { code, calls: c } = hook('pull.sh', { FAKE_PULL_FAIL: '1' });
    expect(code).toBe(1);
    expect(c.filter((l) => l.startsWith('docker pull'))).toHaveLength(3);
  });

  it('stops the running container, and does nothing on a fresh instance', () => {
    imageEnv({});
    expect(hook('stop.sh', { FAKE_CONTAINER_EXISTS: '1' }).calls).toEqual([
      'docker container inspect api',
      'docker stop --time 30 api'
    ]);
    writeFileSync(calls, '');
    const fresh = hook('stop.sh');
    expect(fresh.code).toBe(0);
    expect(fresh.calls).toEqual(['docker container inspect api']);
  });

  it('replaces the running container with the pinned image', () => {
    imageEnv({ PORTS: '80:8080,9090:9090' });
    const { code, calls: c } = hook('start.sh', { FAKE_CONTAINER_EXISTS: '1' });
    expect(code).toBe(0);
    expect(c).toEqual([
      'docker container inspect api',
      'docker rm --force api',
      `docker run --detach --name api --restart unless-stopped --log-opt max-size=10m --publish 80:8080 --publish 9090:9090 ${ECR_IMAGE}`
    ]);
  });

  it('passes ValidateService once the health endpoint answers', () => {
    imageEnv({ HEALTH_TIMEOUT_SECONDS: '10', HEALTH_INTERVAL_SECONDS: '2' });
    const { code, calls: c } = hook('validate.sh', { FAKE_CURL_FAILS: '2' });
    expect(code).toBe(0);
    expect(c.filter((l) => l.startsWith('curl'))).toHaveLength(3);
    expect(c.filter((l) => l.startsWith('sleep'))).toEqual(['sleep 2', 'sleep 2']);
  });

  it('fails ValidateService when the endpoint does not answer within the bound, showing the container log', () => {
    imageEnv({ HEALTH_TIMEOUT_SECONDS: '6', HEALTH_INTERVAL_SECONDS: '2' });
    const { code, out, calls: c } = hook('validate.sh', { FAKE_CURL_FAILS: '100' });
    expect(code).toBe(1);
    expect(c.filter((l) => l.startsWith('curl'))).toHaveLength(3);
    expect(out).toContain('java.lang.IllegalStateException: database is down');
    expect(out).toContain('did not answer within 6s');
  });
});
