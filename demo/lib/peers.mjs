// The peers the demo deploys to, all on 127.0.0.1 and all stopped by close(): the real S3-compatible
// server (s3rver), the CloudFront, CodeDeploy and Discord stand-ins from __tests__/fakes/, a real registry
// (Debian docker-registry with htpasswd auth) when docker-registry and buildah are installed, and MariaDB or
// PostgreSQL when one answers. Each start function resolves to a peer or to { missing: reason }.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';

/** Credentials s3rver accepts; the stand-ins accept anything SigV4-signed. */
export const AWS_ENV = {
  AWS_ACCESS_KEY_ID: 'S3RVER',
  AWS_SECRET_ACCESS_KEY: 'S3RVER',
  AWS_REGION: 'us-east-1',
  AWS_EC2_METADATA_DISABLED: 'true'
};

/** Resolves when `child` prints a line matching `pattern` (on stdout or stderr); rejects if it exits first. */
function waitForLine(child, pattern, what) {
  return new Promise((resolve, reject) => {
    const onLine = (line) => {
      const match = pattern.exec(line);
      if (match) resolve(match);
    };
    createInterface({ input: child.stdout }).on('line', onLine);
    createInterface({ input: child.stderr }).on('line', onLine);
    child.once('exit', (code) => reject(new Error(`${what} exited (${code}) before it was ready`)));
    child.once('error', reject);
  });
}

async function stopChild(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/** s3rver in a child process (as the tests start it), with the buckets created. */
export async function startS3(root, buckets) {
  const directory = mkdtempSync(path.join(tmpdir(), 'deploy-actions-demo-s3-'));
  const child = spawn(
    process.execPath,
    ['--openssl-legacy-provider', path.join(root, '__tests__', 'fakes', 's3-server.mjs'), directory, '0'],
    { stdio: ['ignore', 'pipe', 'pipe'] }
  );
  const [, port] = await waitForLine(child, /"port":(\d+)/, 's3rver');
  const endpoint = `http://127.0.0.1:${port}`;
  // The demo's own S3 client (to create buckets and list them) runs on Node 20 too: no support warning.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const { S3Client, CreateBucketCommand, ListObjectsV2Command } = await import('@aws-sdk/client-s3');
  const client = new S3Client({
    endpoint,
    region: AWS_ENV.AWS_REGION,
    forcePathStyle: true,
    credentials: { accessKeyId: AWS_ENV.AWS_ACCESS_KEY_ID, secretAccessKey: AWS_ENV.AWS_SECRET_ACCESS_KEY },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED'
  });
  for (const bucket of buckets) await client.send(new CreateBucketCommand({ Bucket: bucket }));
  return {
    name: 'S3',
    kind: 'real S3-compatible server (s3rver)',
    endpoint,
    /** Every key in a bucket, sorted. */
    async keys(bucket) {
      const keys = [];
      let token;
      do {
        const page = await client.send(
          new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token })
        );
        keys.push(...(page.Contents ?? []).map((o) => o.Key));
        token = page.NextContinuationToken;
      } while (token);
      return keys.sort();
    },
    async requests() {
      return (await fetch(`${endpoint}/__control/requests`)).json();
    },
    async close() {
      client.destroy();
      await stopChild(child);
      rmSync(directory, { recursive: true, force: true });
    }
  };
}

/** A stand-in from __tests__/fakes/, or { missing } when that file has not landed yet. */
async function fake(root, file, exportName) {
  const url = pathToFileURL(path.join(root, '__tests__', 'fakes', file)).href;
  if (!existsSync(new URL(url))) return { missing: `__tests__/fakes/${file} is not in this checkout` };
  const module = await import(url);
  if (typeof module[exportName] !== 'function')
    return { missing: `__tests__/fakes/${file} has no ${exportName}()` };
  return { module };
}

export async function startCloudFront(root, distributionId) {
  const { module, missing } = await fake(root, 'cloudfront-server.mjs', 'startCloudFrontServer');
  if (missing) return { missing };
  // Invalidations complete on the first status poll after creation, so the demo's wait is short but real.
  const server = await module.startCloudFrontServer({
    distributions: [{ id: distributionId, aliases: ['www.example.com'] }],
    config: { completeAfterPolls: 1 }
  });
  return {
    name: 'CloudFront',
    kind: 'stand-in (REST-XML 2020-05-31)',
    server,
    endpoint: server.endpoint,
    close: () => server.close()
  };
}

export async function startCodeDeploy(root) {
  const { module, missing } = await fake(root, 'codedeploy-server.mjs', 'startCodeDeployServer');
  if (missing) return { missing };
  const server = await module.startCodeDeployServer({ advance: 'poll' });
  // Application web-app, group production: two instances rolled out one at a time, auto-rollback on failure.
  module.demoScenario(server);
  return {
    name: 'CodeDeploy',
    kind: 'stand-in (JSON 1.1, two-instance rollout)',
    server,
    endpoint: server.endpoint,
    close: () => server.close()
  };
}

export async function startDiscord(root) {
  const { module, missing } = await fake(root, 'discord-server.mjs', 'startDiscordServer');
  if (missing) return { missing };
  const server = await module.startDiscordServer();
  return {
    name: 'Discord',
    kind: 'stand-in (webhook API)',
    server,
    webhookUrl: server.webhookUrl,
    env: { DEPLOY_ACTIONS_DISCORD_API_BASE: server.apiBase },
    close: () => server.close()
  };
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const which = (command) => {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter).concat(['/usr/sbin', '/usr/bin'])) {
    if (dir && existsSync(path.join(dir, command))) return path.join(dir, command);
  }
  return undefined;
};

/** Debian's docker-registry with htpasswd auth, when it and buildah are installed. */
export async function startRegistry(username, password) {
  const registry = which('docker-registry');
  const buildah = which('buildah');
  const htpasswd = which('htpasswd');
  if (!registry || !buildah || !htpasswd)
    return {
      missing: `needs docker-registry, buildah and htpasswd (missing: ${[!registry && 'docker-registry', !buildah && 'buildah', !htpasswd && 'htpasswd'].filter(Boolean).join(', ')})`
    };
  const directory = mkdtempSync(path.join(tmpdir(), 'deploy-actions-demo-registry-'));
  writeFileSync(
    path.join(directory, 'htpasswd'),
    execFileSync(htpasswd, ['-Bbn', username, password], { encoding: 'utf8' })
  );
  for (let attempt = 1; attempt <= 3; attempt++) {
    const port = await freePort();
    const config = path.join(directory, 'config.yml');
    writeFileSync(
      config,
      [
        'version: 0.1',
        'log: { level: info, accesslog: { disabled: true } }',
        `storage: { filesystem: { rootdirectory: ${path.join(directory, 'data')} } }`,
        `http: { addr: 127.0.0.1:${port} }`,
        `auth: { htpasswd: { realm: demo, path: ${path.join(directory, 'htpasswd')} } }`,
        ''
      ].join('\n')
    );
    const child = spawn(registry, ['serve', config], { stdio: ['ignore', 'pipe', 'pipe'] });
    const ready = await waitForLine(child, /listening on|address already in use/, 'docker-registry').catch(
      () => ['']
    );
    if (/listening on/.test(ready[0])) {
      const host = `127.0.0.1:${port}`;
      const authorization = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
      return {
        name: 'Registry',
        kind: 'real registry (docker-registry) + buildah',
        host,
        /** The digest the registry serves for name:reference. */
        async digest(name, reference) {
          const response = await fetch(`http://${host}/v2/${name}/manifests/${reference}`, {
            method: 'HEAD',
            headers: {
              authorization,
              accept:
                'application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json'
            }
          });
          return response.ok ? response.headers.get('docker-content-digest') : undefined;
        },
        async close() {
          await stopChild(child);
          rmSync(directory, { recursive: true, force: true });
        }
      };
    }
    await stopChild(child);
  }
  rmSync(directory, { recursive: true, force: true });
  return { missing: 'docker-registry did not start' };
}

/**
 * A fresh database on MariaDB (root, no password) or else PostgreSQL (postgres, trust) on 127.0.0.1, dropped
 * by close(); { missing } when neither answers.
 */
export async function startDatabase(name) {
  const reasons = [];
  let connection;
  try {
    const mysql = (await import('mysql2/promise')).default;
    connection = await mysql.createConnection({
      host: '127.0.0.1',
      port: 3306,
      user: 'root',
      password: '',
      connectTimeout: 2000
    });
    await connection.query(`CREATE DATABASE \`${name}\``);
    const [[version]] = await connection.query('SELECT VERSION() AS v');
    return {
      name: 'Database',
      kind: `MariaDB/MySQL ${version.v}`,
      url: `jdbc:mariadb://127.0.0.1:3306/${name}`,
      user: 'root',
      password: '',
      async history() {
        const [rows] = await connection.query(
          `SELECT version, description, success FROM \`${name}\`.flyway_schema_history ORDER BY installed_rank`
        );
        return rows;
      },
      async close() {
        await connection.query(`DROP DATABASE IF EXISTS \`${name}\``);
        await connection.end();
      }
    };
  } catch (error) {
    reasons.push(`MariaDB on 127.0.0.1:3306: ${error.code ?? error.message}`);
    await connection?.end().catch(() => undefined);
  }
  let admin;
  let db;
  try {
    const pg = (await import('pg')).default;
    admin = new pg.Client({
      host: '127.0.0.1',
      port: 5432,
      user: 'postgres',
      database: 'postgres',
      connectionTimeoutMillis: 2000
    });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
    const { rows } = await admin.query('SHOW server_version');
    db = new pg.Client({ host: '127.0.0.1', port: 5432, user: 'postgres', database: name });
    await db.connect();
    return {
      name: 'Database',
      kind: `PostgreSQL ${rows[0].server_version}`,
      url: `jdbc:postgresql://127.0.0.1:5432/${name}`,
      user: 'postgres',
      password: '',
      async history() {
        return (
          await db.query(
            'SELECT version, description, success FROM flyway_schema_history ORDER BY installed_rank'
          )
        ).rows;
      },
      async close() {
        await db.end();
        await admin.query(`DROP DATABASE IF EXISTS "${name}"`);
        await admin.end();
      }
    };
  } catch (error) {
    reasons.push(`PostgreSQL on 127.0.0.1:5432: ${error.code ?? error.message}`);
    await db?.end().catch(() => undefined);
    await admin?.end().catch(() => undefined);
  }
  return { missing: `no database answered (${reasons.join('; ')})` };
}
