#!/usr/bin/env node
// A `docker` stand-in for the build-and-push-image tests: put a link named `docker` to this file first on PATH.
// It appends one JSON line per call to $FAKE_DOCKER_LOG ({ args, stdin, dockerConfig, configJson, env }) and
//   info             prints a server version (exit $FAKE_DOCKER_INFO_EXIT, default 0)
//   login            reads the password from stdin, refuses it unless it equals $FAKE_DOCKER_PASSWORD (when set),
//                    and stores base64 user:password under auths in $DOCKER_CONFIG/config.json, as docker does
//   buildx build     prints BuildKit-style progress and writes --metadata-file as buildx does; the digest is
//                    sha256 of the tag list, so one set of tags always gives one digest; with
//                    FAKE_DOCKER_BUILD_HANG=1 it prints `#3 [2/3] RUN hang` and waits until its stdin closes
//                    (its parent died), for tests of a cancelled build; with FAKE_DOCKER_NO_CACHE_EXPORT=1 it
//                    refuses --cache-to the way buildx's default docker driver does
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const args = process.argv.slice(2);
const log = process.env.FAKE_DOCKER_LOG;

function readStdin() {
  try {
    return readFileSync(0, 'utf8');
  } catch {
    return '';
  }
}

function record(entry) {
  if (log) appendFileSync(log, `${JSON.stringify(entry)}\n`);
}

function option(name) {
  const index = args.indexOf(name);
  return index === -1 ? undefined : args[index + 1];
}

function all(name) {
  return args.flatMap((arg, i) => (arg === name ? [args[i + 1]] : []));
}

const dockerConfig = process.env.DOCKER_CONFIG;
const command = args[0];

if (command === 'info') {
  record({ args });
  process.stdout.write('28.2.2\n');
  process.exit(Number(process.env.FAKE_DOCKER_INFO_EXIT ?? 0));
}

if (command === 'login') {
  const stdin = readStdin().replace(/\n$/, '');
  const username = option('--username');
  const server = args[args.length - 1];
  record({ args, stdin, dockerConfig });
  if (process.env.FAKE_DOCKER_PASSWORD !== undefined && stdin !== process.env.FAKE_DOCKER_PASSWORD) {
    process.stderr.write(
      `Error response from daemon: Get "https://${server}/v2/": unauthorized: authentication required\n`
    );
    process.exit(1);
  }
  const file = path.join(dockerConfig ?? '.', 'config.json');
  const config = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
  config.auths = {
    ...config.auths,
    [server]: { auth: Buffer.from(`${username}:${stdin}`).toString('base64') }
  };
  writeFileSync(file, JSON.stringify(config, null, '\t'));
  process.stdout.write('Login Succeeded\n');
  process.exit(0);
}

if (command === 'buildx' && args[1] === 'build') {
  const secretEnv = {};
  for (const secret of all('--secret')) {
    const env = /env=([^,]+)/.exec(secret)?.[1];
    if (env) secretEnv[env] = process.env[env] ?? null;
  }
  const configFile = dockerConfig ? path.join(dockerConfig, 'config.json') : undefined;
  const configJson =
    configFile && existsSync(configFile) ? JSON.parse(readFileSync(configFile, 'utf8')) : undefined;
  record({ args, dockerConfig, configJson, env: secretEnv });
  if (process.env.FAKE_DOCKER_NO_CACHE_EXPORT === '1' && args.includes('--cache-to')) {
    process.stderr.write(
      'ERROR: failed to build: Cache export is not supported for the docker driver.\n' +
        'Switch to a different driver, or turn on the containerd image store, and try again.\n'
    );
    process.exit(1);
  } else if (process.env.FAKE_DOCKER_BUILD_HANG === '1') {
    process.stderr.write('#3 [2/3] RUN hang\n');
    process.stdin.on('end', () => process.exit(130));
    process.stdin.on('error', () => process.exit(130));
    process.stdin.resume();
  } else {
    finishBuild();
  }
} else {
  record({ args });
  process.stderr.write(`fake docker: unsupported command ${args.join(' ')}\n`);
  process.exit(2);
}

function finishBuild() {
  const tags = all('--tag');
  const digest = `sha256:${createHash('sha256').update(tags.join('\n')).digest('hex')}`;
  const config = `sha256:${createHash('sha256')
    .update(`config\n${tags.join('\n')}`)
    .digest('hex')}`;
  process.stderr.write('#1 [internal] load build definition from Dockerfile\n#1 DONE 0.0s\n');
  process.stderr.write('#5 [2/3] COPY hello.txt /hello.txt\n#5 CACHED\n\n#6 [3/3] RUN true\n#6 CACHED\n');
  const metadataFile = option('--metadata-file');
  const metadata = { 'buildx.build.ref': 'builder/builder0/abc123', 'containerimage.config.digest': config };
  if (args.includes('--push')) {
    Object.assign(metadata, {
      'containerimage.descriptor': {
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        digest,
        size: 1234
      },
      'containerimage.digest': digest,
      'image.name': tags.join(',')
    });
    process.stderr.write(`#8 pushing manifest for ${tags[0]}@${digest} done\n`);
  }
  if (metadataFile) writeFileSync(metadataFile, JSON.stringify(metadata, null, 2));
  process.exit(Number(process.env.FAKE_DOCKER_BUILD_EXIT ?? 0));
}
