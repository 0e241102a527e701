// The whole demo: start the peers, run the front-end pipeline for two releases and the back-end pipeline,
// read back what the peers now hold, write the report, and stop everything it started (also on failure).
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { masker } from './job.mjs';
import {
  AWS_ENV,
  startCloudFront,
  startCodeDeploy,
  startDatabase,
  startDiscord,
  startRegistry,
  startS3
} from './peers.mjs';
import {
  backendJob,
  DISTRIBUTION_ID,
  FRONTEND_RELEASES,
  frontendJob,
  IMAGE_NAME,
  REGISTRY_USER,
  REVISION_BUCKET,
  SITE_BUCKET
} from './pipelines.mjs';
import { PEER_NAMES, renderReport } from './report.mjs';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * The report as Prettier formats Markdown (aligned tables; and `npm run format:check` stays green with a
 * report in the tree), or as it is where Prettier is not installed.
 */
async function formatMarkdown(text) {
  try {
    const prettier = await import('prettier');
    return await prettier.format(text, { parser: 'markdown', printWidth: 110 });
  } catch {
    return text;
  }
}

/** Closes every started peer, in parallel, never throwing. */
async function closeAll(peers) {
  await Promise.all(
    Object.values(peers)
      .filter((peer) => peer && typeof peer.close === 'function')
      .map((peer) => peer.close().catch(() => undefined))
  );
}

/** What the peers hold after the run, for the report and the test. */
async function collectState(peers, jobs) {
  const state = {};
  if (!peers.s3?.missing) {
    state.site = await peers.s3.keys(SITE_BUCKET);
    state.revisions = await peers.s3.keys(REVISION_BUCKET);
  }
  if (peers.cloudfront && !peers.cloudfront.missing)
    state.invalidations = peers.cloudfront.server.invalidations();
  if (peers.codedeploy && !peers.codedeploy.missing) {
    const { server } = peers.codedeploy;
    state.deployments = server.deployments().map((d) => server.deployment(d.deploymentId) ?? d);
  }
  if (peers.discord && !peers.discord.missing) state.messages = peers.discord.server.messages();
  if (peers.registry && !peers.registry.missing) {
    const image = jobs.find((j) => j.name === 'Back end')?.output('image', 'image-ref') ?? '';
    state.registry = { image, served: await peers.registry.digest(IMAGE_NAME, 'main') };
  }
  if (peers.database && !peers.database.missing)
    state.history = await peers.database.history().catch(() => []);
  return state;
}

/**
 * Runs the demo. Options: root (the repository), log (a line printer), reportFile (where the Markdown
 * report goes; default demo/report.md), verbose (print every action's log lines), without (peers to leave
 * out, e.g. ['registry', 'database'], to see the fallbacks).
 */
export async function runDemo({
  root = ROOT,
  log = console.log,
  reportFile,
  verbose = false,
  without = []
} = {}) {
  const startedAt = Date.now();
  const work = mkdtempSync(path.join(tmpdir(), 'deploy-actions-demo-'));
  const registryPassword = randomBytes(12).toString('hex');
  const peers = {};
  try {
    log('Starting the peers on 127.0.0.1…');
    const started = await Promise.all([
      startS3(root, [SITE_BUCKET, REVISION_BUCKET]).catch((error) => ({ missing: error.message })),
      startCloudFront(root, DISTRIBUTION_ID).catch((error) => ({ missing: error.message })),
      startCodeDeploy(root).catch((error) => ({ missing: error.message })),
      startDiscord(root).catch((error) => ({ missing: error.message })),
      startRegistry(REGISTRY_USER, registryPassword).catch((error) => ({ missing: error.message })),
      startDatabase(`deploy_actions_demo_${process.pid}_${Date.now().toString(36)}`).catch((error) => ({
        missing: error.message
      }))
    ]);
    [peers.s3, peers.cloudfront, peers.codedeploy, peers.discord, peers.registry, peers.database] = started;
    // --without registry,database: run as a machine without them would (the database address then is one
    // nobody listens on, so the dry run meets what it would meet there).
    for (const key of without) {
      if (!(key in peers)) throw new Error(`--without: no peer '${key}' (${Object.keys(peers).join(', ')})`);
      await peers[key].close?.();
      peers[key] = {
        missing: 'left out with --without',
        ...(key === 'database' ? { url: 'jdbc:mysql://127.0.0.1:9/acme_shop' } : {})
      };
    }
    const labels = PEER_NAMES;
    for (const [key, peer] of Object.entries(peers))
      log(
        `  ${labels[key].padEnd(10)} ${peer.missing ? `not available: ${peer.missing}` : `${peer.kind} ${peer.endpoint ?? peer.host ?? peer.url ?? ''}`}`
      );

    const secrets = [
      registryPassword,
      peers.discord?.webhookUrl,
      peers.discord?.server?.webhook?.token
    ].filter(Boolean);
    const mask = masker(secrets);
    // buildah keeps its images in a private storage under the work directory, removed at the end.
    const storage = path.join(work, 'buildah');
    mkdirSync(storage, { recursive: true });
    writeFileSync(
      path.join(storage, 'storage.conf'),
      `[storage]\ndriver = "vfs"\ngraphroot = "${storage}/graph"\nrunroot = "${storage}/run"\n`
    );
    const ctx = {
      root,
      work,
      peers,
      registryPassword,
      baseEnv: { ...AWS_ENV, AWS_DEFAULT_REGION: AWS_ENV.AWS_REGION, GITHUB_ACTIONS: '', RUNNER_DEBUG: '' },
      buildahEnv: { CONTAINERS_STORAGE_CONF: path.join(storage, 'storage.conf') },
      jobContext: { root, log: (line) => log(mask(line)), mask, verbose, expressions: { 'github.token': '' } }
    };

    const jobs = [];
    for (const release of FRONTEND_RELEASES) jobs.push(await frontendJob(ctx, release));
    jobs.push(await backendJob(ctx));

    const state = await collectState(peers, jobs);
    const steps = jobs.flatMap((job) => job.steps.map((step) => ({ job: job.name, ...step })));
    const result = {
      ok: jobs.every((job) => job.status === 'success'),
      complete: !steps.some((step) => step.status === 'pending'),
      durationMs: Date.now() - startedAt,
      jobs,
      steps,
      pending: steps.filter((step) => step.status === 'pending'),
      peers: Object.fromEntries(
        Object.entries(peers).map(([key, peer]) => [
          key,
          peer.missing
            ? { missing: peer.missing }
            : { kind: peer.kind, address: peer.endpoint ?? peer.host ?? peer.url }
        ])
      ),
      state
    };
    result.report = await formatMarkdown(mask(renderReport(result)));
    const file = reportFile ?? path.join(root, 'demo', 'report.md');
    writeFileSync(file, result.report);
    result.reportFile = file;
    return result;
  } finally {
    await closeAll(peers);
    rmSync(work, { recursive: true, force: true });
  }
}
