// The two pipelines of workflows/deploy-frontend.yml and workflows/deploy-backend.yml, step for step, with
// the same outputs feeding the same inputs, run on this machine against local peers (see peers.mjs).
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Job } from './job.mjs';
import { buildSite } from './site.mjs';

export const SITE_BUCKET = 'www.example.com';
export const REVISION_BUCKET = 'acme-codedeploy-revisions';
export const DISTRIBUTION_ID = 'E2DEMO0EXAMPLE';
export const CODEDEPLOY_APPLICATION = 'web-app';
export const CODEDEPLOY_GROUP = 'production';
export const IMAGE_NAME = 'acme/api';
export const REGISTRY_USER = 'demo';

/** The two front-end releases the demo ships: the second changes the theme colour and the release banner. */
export const FRONTEND_RELEASES = [
  { release: 1, color: '#222222' },
  { release: 2, color: '#0a3d62' }
];

/** A commit id per release, stable from run to run (the tags and caller references derive from it). */
export const commitOf = (label) => createHash('sha1').update(`acme/shop ${label}`).digest('hex');

/** The GitHub context a push to main gives the steps (what the actions read from the environment). */
export function githubEnv({ work, workflow, job, sha, runId, message }) {
  const eventPath = path.join(work, `event-${runId}.json`);
  writeFileSync(
    eventPath,
    JSON.stringify({
      ref: 'refs/heads/main',
      after: sha,
      repository: {
        full_name: 'acme/shop',
        default_branch: 'main',
        html_url: 'https://github.com/acme/shop'
      },
      head_commit: { id: sha, message, author: { name: 'Demo', username: 'demo' } },
      sender: { login: 'demo' }
    })
  );
  return {
    GITHUB_EVENT_NAME: 'push',
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_REF: 'refs/heads/main',
    GITHUB_REF_NAME: 'main',
    GITHUB_REF_TYPE: 'branch',
    GITHUB_SHA: sha,
    GITHUB_REPOSITORY: 'acme/shop',
    GITHUB_REPOSITORY_OWNER: 'acme',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_API_URL: 'https://api.github.com',
    GITHUB_ACTOR: 'demo',
    GITHUB_WORKFLOW: workflow,
    GITHUB_JOB: job,
    GITHUB_RUN_ID: String(runId),
    GITHUB_RUN_NUMBER: String(runId % 1000),
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_WORKSPACE: work,
    RUNNER_TEMP: path.join(work, 'runner-temp'),
    RUNNER_OS: 'Linux'
  };
}

/** What a stand-in's absence means for the steps that need it. */
const missingPeer = (peer, what) => (peer?.missing ? `${what} is not available: ${peer.missing}` : undefined);

/**
 * workflows/deploy-frontend.yml, job deploy: build → s3-static-sync → cloudfront-invalidate (fed by the
 * sync's changed-paths) → discord-notify (if: always()).
 */
export async function frontendJob(ctx, { release, color }) {
  const { root, work, peers } = ctx;
  const sha = commitOf(`frontend release ${release}`);
  const job = new Job(`Front end, release ${release}`, {
    ...ctx.jobContext,
    env: {
      ...ctx.baseEnv,
      ...githubEnv({
        work,
        workflow: 'Deploy frontend',
        job: 'deploy',
        sha,
        runId: 1000 + release,
        message: `Front end release ${release}`
      }),
      ...peers.discord?.env
    }
  });
  mkdirSync(job.context.env.RUNNER_TEMP, { recursive: true });
  const site = path.join(work, `site-${release}`);

  await job.run({
    id: 'build',
    name: 'Build the site (npm run build)',
    run: async () => {
      const files = buildSite(path.join(root, 'demo', 'app', 'frontend'), site, { release, color });
      return { outputs: { files: JSON.stringify(files) } };
    }
  });
  const s3Missing = missingPeer(peers.s3, 'the S3-compatible server');
  await job.uses({
    id: 'sync',
    name: 'Sync the site to S3',
    action: 's3-static-sync',
    pending: s3Missing,
    with: {
      source: site,
      bucket: SITE_BUCKET,
      delete: 'true',
      'endpoint-url': peers.s3?.endpoint,
      'force-path-style': 'true'
    }
  });
  await job.uses({
    id: 'invalidate',
    name: 'Invalidate what changed',
    action: 'cloudfront-invalidate',
    needs: ['sync'],
    pending: missingPeer(peers.cloudfront, 'the CloudFront stand-in'),
    with: {
      'distribution-id': DISTRIBUTION_ID,
      'changed-paths': job.output('sync', 'changed-paths'),
      'endpoint-url': peers.cloudfront?.endpoint
    }
  });
  await job.uses({
    id: 'notify',
    name: 'Report the outcome',
    action: 'discord-notify',
    always: true,
    pending: missingPeer(peers.discord, 'the Discord stand-in'),
    with: {
      'webhook-url': peers.discord?.webhookUrl,
      status: 'auto',
      'job-status': job.status,
      title: 'Front end → production',
      url: 'https://www.example.com',
      fields: [
        `Uploaded=${job.output('sync', 'uploaded')}`,
        `Invalidation=${job.output('invalidate', 'invalidation-id')} ${job.output('invalidate', 'status')}`
      ].join('\n')
    }
  });
  job.finishedAt = Date.now();
  return job;
}

/**
 * workflows/deploy-backend.yml, job deploy: discord-notify "Deploying…" → build-and-push-image →
 * flyway-migrate → the image digest pinned into the CodeDeploy bundle → codedeploy-trigger → discord-notify
 * editing the first message to the outcome (if: always()).
 */
export async function backendJob(ctx) {
  const { root, work, peers } = ctx;
  const sha = commitOf('backend');
  const job = new Job('Back end', {
    ...ctx.jobContext,
    env: {
      ...ctx.baseEnv,
      ...githubEnv({
        work,
        workflow: 'Deploy backend',
        job: 'deploy',
        sha,
        runId: 2001,
        message: 'Add order status'
      }),
      ...peers.discord?.env
    }
  });
  mkdirSync(job.context.env.RUNNER_TEMP, { recursive: true });
  const discordMissing = missingPeer(peers.discord, 'the Discord stand-in');

  await job.uses({
    id: 'announce',
    name: 'Announce the deployment',
    action: 'discord-notify',
    pending: discordMissing,
    with: { 'webhook-url': peers.discord?.webhookUrl, status: 'started', title: 'API → production' }
  });
  job.skip(
    { id: 'jar', name: 'Build the jar (./gradlew bootJar)' },
    'no JVM in the demo: the image is built from demo/app/backend'
  );

  // build-and-push-image: buildah into the local registry, or skipped with a stand-in reference.
  if (peers.registry?.missing) {
    const digest = `sha256:${createHash('sha256').update('acme-shop-api demo image').digest('hex')}`;
    const record = job.skip(
      { id: 'image', name: 'Build and push the image', action: 'build-and-push-image' },
      `${peers.registry.missing}; the chain continues with the placeholder ${IMAGE_NAME}@${digest.slice(0, 19)}…`
    );
    record.outputs = { 'image-ref': `${IMAGE_NAME}@${digest}`, digest };
  } else {
    await job.uses({
      id: 'image',
      name: 'Build and push the image',
      action: 'build-and-push-image',
      env: ctx.buildahEnv,
      with: {
        image: `${peers.registry.host}/${IMAGE_NAME}`,
        context: path.join(root, 'demo', 'app', 'backend'),
        builder: 'buildah',
        'registry-username': REGISTRY_USER,
        'registry-password': ctx.registryPassword
      }
    });
  }

  // flyway-migrate: a real database when one answers, else a dry run against an address nobody listens on.
  const db = peers.database;
  const locations = `filesystem:${path.join(root, 'demo', 'app', 'backend', 'db', 'migration')}`;
  await job.uses({
    id: 'migrate',
    name: db?.missing ? 'Migrate the database (dry run: no database answered)' : 'Migrate the database',
    action: 'flyway-migrate',
    // flyway-migrate's dry run reads the schema history, so it too needs a database: without one the step
    // is reported as skipped with the action's own explanation, and the chain goes on.
    excuse: (record) =>
      db?.missing && record.annotations.some((a) => /connect/i.test(a.text))
        ? `${db.missing}; the dry run needs a connection too: ${record.annotations[0]?.text.split('. ')[0]}`
        : undefined,
    with: db?.missing
      ? {
          url: db.url ?? 'jdbc:mysql://127.0.0.1:3306/acme_shop',
          user: 'root',
          locations,
          'dry-run': 'true',
          'connect-retries': '0'
        }
      : { url: db.url, user: db.user, password: db.password || undefined, locations }
  });

  const bundleSource = path.join(root, 'examples', 'codedeploy');
  const bundle = path.join(job.context.env.RUNNER_TEMP, 'codedeploy-bundle');
  await job.run({
    id: 'pin',
    name: 'Pin the image digest in the CodeDeploy bundle',
    needs: ['image'],
    pending: existsSync(path.join(bundleSource, 'appspec.yml'))
      ? undefined
      : 'examples/codedeploy/appspec.yml is not in this checkout (it comes with codedeploy-trigger)',
    run: async () => {
      const imageRef = job.output('image', 'image-ref');
      if (!imageRef) throw new Error('the image step gave no image-ref');
      cpSync(bundleSource, bundle, { recursive: true });
      writeFileSync(path.join(bundle, 'image.env'), `IMAGE_REF=${imageRef}\n`);
      return { outputs: { bundle, 'image-ref': imageRef }, notes: [`image.env: IMAGE_REF=${imageRef}`] };
    }
  });
  await job.uses({
    id: 'deploy',
    name: 'Deploy through CodeDeploy',
    action: 'codedeploy-trigger',
    needs: ['pin'],
    pending:
      missingPeer(peers.codedeploy, 'the CodeDeploy stand-in') ??
      missingPeer(peers.s3, 'the S3-compatible server'),
    env: { AWS_ENDPOINT_URL_S3: peers.s3?.endpoint, DEPLOY_ACTIONS_CODEDEPLOY_POLL_MS: '50' },
    with: {
      application: CODEDEPLOY_APPLICATION,
      'deployment-group': CODEDEPLOY_GROUP,
      bundle,
      's3-bucket': REVISION_BUCKET,
      'endpoint-url': peers.codedeploy?.endpoint
    }
  });
  await job.uses({
    id: 'outcome',
    name: 'Report the outcome (edits the first message)',
    action: 'discord-notify',
    always: true,
    pending: discordMissing,
    with: {
      'webhook-url': peers.discord?.webhookUrl,
      'message-id': job.output('announce', 'message-id'),
      status: 'auto',
      'job-status': job.status,
      title: 'API → production',
      url: job.output('deploy', 'console-url'),
      fields: [
        `Image=${job.output('image', 'image-ref')}`,
        `Schema=${job.output('migrate', 'schema-version')} (${job.output('migrate', 'applied')} applied)`,
        `Deployment=${job.output('deploy', 'deployment-id')} ${job.output('deploy', 'status')}`
      ].join('\n')
    }
  });
  job.finishedAt = Date.now();
  return job;
}
