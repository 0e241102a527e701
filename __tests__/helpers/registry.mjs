/**
 * A real container registry for integration tests and benchmarks (plain Node ESM, so bench/ can use it): Debian's `docker-registry` (distribution 2.8) on
 * 127.0.0.1, filesystem storage in a temporary directory, htpasswd (bcrypt) auth. start() resolves when the
 * registry logs that it listens; stop() kills it and removes its storage.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';

export const REGISTRY_BINARY = '/usr/bin/docker-registry';

/** The manifest media types a client accepts (without them the registry may convert or refuse). */
export const MANIFEST_ACCEPT = [
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.list.v2+json'
].join(', ');

/** @returns {Promise<number>} */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export class RegistryServer {
  /** @param {import('node:child_process').ChildProcess} child @param {string} host @param {string} directory @param {string} authorization */
  constructor(child, host, directory, authorization) {
    this.child = child;
    this.host = host;
    this.directory = directory;
    this.authorization = authorization;
  }

  /** Starts a registry that accepts `username`/`password` (basic auth, bcrypt htpasswd). */
  static async start(username, password) {
    const directory = mkdtempSync(path.join(tmpdir(), 'registry-'));
    const htpasswd = execFileSync('htpasswd', ['-Bbn', username, password], { encoding: 'utf8' });
    writeFileSync(path.join(directory, 'htpasswd'), htpasswd);
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      const config = [
        'version: 0.1',
        'log:',
        '  level: info',
        '  accesslog: { disabled: true }',
        'storage:',
        `  filesystem: { rootdirectory: ${path.join(directory, 'data')} }`,
        '  delete: { enabled: true }',
        'http:',
        `  addr: 127.0.0.1:${port}`,
        'auth:',
        `  htpasswd: { realm: test-registry, path: ${path.join(directory, 'htpasswd')} }`,
        ''
      ].join('\n');
      const configFile = path.join(directory, 'config.yml');
      writeFileSync(configFile, config);
      const child = spawn(REGISTRY_BINARY, ['serve', configFile], { stdio: ['ignore', 'pipe', 'pipe'] });
      const started = await new Promise((resolve) => {
        const lines = createInterface({ input: child.stderr });
        child.stdout.resume();
        lines.on('line', (line) => {
          if (/listening on/.test(line)) resolve(true);
          if (/address already in use/.test(line)) resolve(false);
        });
        child.once('exit', () => resolve(false));
      });
      if (started) {
        const authorization = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
        return new RegistryServer(child, `127.0.0.1:${port}`, directory, authorization);
      }
      child.kill('SIGKILL');
      if (attempt >= 3) throw new Error('docker-registry did not start');
    }
  }

  async request(pathname, init = {}) {
    return fetch(`http://${this.host}${pathname}`, {
      ...init,
      headers: { authorization: this.authorization, ...init.headers }
    });
  }

  /** HEAD /v2/<name>/manifests/<reference>: the registry's Docker-Content-Digest, or undefined on 404. */
  async manifestDigest(name, reference) {
    const response = await this.request(`/v2/${name}/manifests/${reference}`, {
      method: 'HEAD',
      headers: { accept: MANIFEST_ACCEPT }
    });
    if (response.status === 404) return undefined;
    if (!response.ok) throw new Error(`HEAD manifest ${name}:${reference}: ${response.status}`);
    return response.headers.get('docker-content-digest') ?? undefined;
  }

  /** The manifest or index (JSON) behind a tag or digest. */
  async manifest(name, reference) {
    return (
      await this.request(`/v2/${name}/manifests/${reference}`, { headers: { accept: MANIFEST_ACCEPT } })
    ).json();
  }

  /** A blob's bytes. */
  async blob(name, digest) {
    const response = await this.request(`/v2/${name}/blobs/${digest}`);
    if (!response.ok) throw new Error(`GET blob ${name}@${digest}: ${response.status}`);
    return Buffer.from(await response.arrayBuffer());
  }

  /** The image config (JSON) behind a tag. */
  async imageConfig(name, reference) {
    const manifest = await this.manifest(name, reference);
    return (await this.request(`/v2/${name}/blobs/${manifest.config.digest}`)).json();
  }

  /** GET /v2/_catalog. */
  async catalog() {
    const body = await (await this.request('/v2/_catalog')).json();
    return body.repositories ?? [];
  }

  /** GET /v2/<name>/tags/list (empty when the repository does not exist). */
  async tags(name) {
    const response = await this.request(`/v2/${name}/tags/list`);
    if (response.status === 404) return [];
    const body = await response.json();
    return (body.tags ?? []).sort();
  }

  async stop() {
    if (this.child.exitCode === null) {
      const exited = new Promise((resolve) => this.child.once('exit', resolve));
      this.child.kill('SIGTERM');
      await exited;
    }
    rmSync(this.directory, { recursive: true, force: true });
  }
}
