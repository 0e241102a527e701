import * as core from '@actions/core';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, InputError } from '../../core/errors.js';
import { actionsLogger, type Logger } from '../../core/logger.js';
import { writeSummary } from '../../core/summary.js';
import { stopwatch } from '../../core/time.js';
import { BuildahBuilder, chooseBuilder, DockerBuilder, type Builder } from './builders.js';
import { createConfigDir, removeConfigDir } from './config-dir.js';
import { INPUTS, OUTPUTS, STATE } from './constants.js';
import type { RegistryCredentials } from './ecr.js';
import { eventFactsFromEnv } from './event.js';
import { exec, type Exec } from './exec.js';
import { getInputs, type Inputs } from './inputs.js';
import { imageRefs, secretEnvName, type BuildPlan } from './plan.js';
import { buildSummary } from './summary.js';
import { computeLabels, computeTags } from './tags.js';

/** Fails before any side effect when the context or Dockerfile is missing. */
function checkContext(inputs: Inputs): void {
  const context = path.resolve(inputs.context);
  if (!existsSync(context) || !statSync(context).isDirectory())
    throw new InputError(INPUTS.context, `'${inputs.context}' is not a directory (resolved to ${context}).`);
  if (inputs.file !== undefined) {
    if (!existsSync(inputs.file))
      throw new InputError(
        INPUTS.file,
        `'${inputs.file}' does not exist (paths are relative to the working directory).`
      );
  } else if (!['Dockerfile', 'Containerfile'].some((name) => existsSync(path.join(context, name)))) {
    throw new InputError(
      INPUTS.file,
      `not given, and '${inputs.context}' has no Dockerfile or Containerfile.`
    );
  }
}

/** `auto`: SOURCE_DATE_EPOCH, else the time of the context's last commit, else now (undefined). */
export async function resolveEpoch(
  value: Inputs['sourceDateEpoch'],
  context: string,
  run: Exec,
  env = process.env
): Promise<{ epoch?: number; from: string }> {
  if (typeof value === 'number') return { epoch: value, from: 'the source-date-epoch input' };
  if (value === 'now') return { from: 'now (source-date-epoch: now)' };
  if (env.SOURCE_DATE_EPOCH && /^\d{1,12}$/.test(env.SOURCE_DATE_EPOCH))
    return { epoch: Number(env.SOURCE_DATE_EPOCH), from: 'SOURCE_DATE_EPOCH' };
  const git = await run('git', ['-C', context, 'log', '-1', '--format=%ct'], { silent: true });
  const seconds = git.stdout.trim();
  if (git.code === 0 && /^\d+$/.test(seconds)) return { epoch: Number(seconds), from: 'the last commit' };
  return { from: 'now (no SOURCE_DATE_EPOCH and the context is not in a git checkout)' };
}

/** Who logs in where: explicit credentials, then ECR through the SDK, then GHCR with the GitHub token. */
async function credentialsFor(inputs: Inputs, logger: Logger): Promise<RegistryCredentials | undefined> {
  const { image } = inputs;
  if (inputs.registryUsername !== undefined && inputs.registryPassword !== undefined) {
    return {
      registry: image.registry,
      username: inputs.registryUsername,
      password: inputs.registryPassword,
      source: `${INPUTS.registryUsername}/${INPUTS.registryPassword}`
    };
  }
  if (image.kind === 'ecr' && image.ecr) {
    // Loaded only for ECR images: the AWS SDK is most of the bundle and every other run would pay its start-up.
    const { ecrCredentials } = await import('./ecr.js');
    return ecrCredentials({
      registry: image.registry,
      region: inputs.awsRegion ?? image.ecr.region,
      endpoint: inputs.endpointUrl
    });
  }
  if (image.kind === 'ghcr' && inputs.githubToken) {
    return {
      registry: image.registry,
      username: process.env.GITHUB_ACTOR || 'x-access-token',
      password: inputs.githubToken,
      source: `${INPUTS.githubToken} (needs permissions: packages: write)`
    };
  }
  logger.info(
    `No credentials for ${image.registry}: using whatever login the runner already has (e.g. from docker/login-action).`
  );
  return undefined;
}

export async function main(logger: Logger = actionsLogger): Promise<void> {
  const facts = eventFactsFromEnv();
  const inputs = getInputs(facts);
  checkContext(inputs);
  if (/[A-Z]/.test(inputs.imageInput)) {
    // Typical with ghcr.io/${{ github.repository }}: registries accept lower-case repository names only.
    logger.notice(
      `Image '${inputs.imageInput}' is pushed as '${inputs.image.name}': repository names must be lower case.`
    );
  }

  const epoch = await resolveEpoch(inputs.sourceDateEpoch, inputs.context, exec);
  const now = new Date();
  const created = epoch.epoch !== undefined ? new Date(epoch.epoch * 1000) : now;
  const { tags, warnings } = computeTags(inputs.tagRules, facts, now);
  for (const warning of warnings) logger.warning(warning);
  if (tags.length === 0 && inputs.push) {
    throw new ConfigError(
      `No tag rule applies to this event (${facts.eventName || 'unknown event'} on ${facts.ref || 'no ref'}); add one to the '${INPUTS.tags}' input, e.g. raw=latest or sha.`
    );
  }
  const refs = imageRefs(inputs.image, tags);
  const labels = computeLabels(facts, inputs.image.path, tags, created, inputs.labels);

  const secretEnv: NodeJS.ProcessEnv = {};
  const secrets = [...inputs.secrets.entries()].map(([id, value], index) => {
    secretEnv[secretEnvName(index)] = value;
    return { id, env: secretEnvName(index) };
  });
  const plan: BuildPlan = {
    image: inputs.image,
    refs,
    context: inputs.context,
    file: inputs.file,
    labels,
    buildArgs: [...inputs.buildArgs.entries()],
    secrets,
    target: inputs.target,
    platforms: inputs.platforms,
    push: inputs.push,
    cache: inputs.cache,
    cacheRef: inputs.cacheRef,
    provenance: inputs.provenance,
    sourceDateEpoch: epoch.epoch,
    tlsVerify: inputs.tlsVerify
  };

  const chosen = await chooseBuilder(inputs.builder, exec, logger);
  logger.info(`Builder: ${chosen.name} (${chosen.reason}).`);
  const notes: string[] = [];
  if (chosen.name === 'buildah') {
    logger.info(
      `buildah storage driver ${inputs.buildahStorageDriver}, isolation ${inputs.buildahIsolation}.`
    );
    if (plan.cache === 'gha') {
      logger.warning(
        "cache: gha needs docker buildx; buildah cannot use GitHub's cache, so this build runs without a cache."
      );
      plan.cache = 'none';
    }
    if (plan.provenance !== 'auto' && plan.provenance !== 'false')
      logger.warning(
        'provenance: buildah does not create provenance attestations; the image is pushed without one.'
      );
  }
  if (!inputs.tlsVerify)
    logger.info(`TLS verification is off for ${inputs.image.registry} (${INPUTS.tlsVerify}).`);
  logger.info(
    `Timestamps: ${epoch.epoch !== undefined ? `${created.toISOString()} from ${epoch.from}` : epoch.from}.`
  );

  const needsLogin = plan.push || plan.cache === 'registry';
  const credentials = needsLogin ? await credentialsFor(inputs, logger) : undefined;
  const configDir = createConfigDir({ registries: credentials ? [credentials.registry] : [] });
  core.saveState(STATE.configDir, configDir);
  try {
    const context = { exec, logger, configDir };
    const builder: Builder =
      chosen.name === 'docker'
        ? new DockerBuilder(context)
        : new BuildahBuilder(
            context,
            { storageDriver: inputs.buildahStorageDriver, isolation: inputs.buildahIsolation },
            inputs.tlsVerify
          );
    if (credentials) {
      await logger.group(`Logging in to ${credentials.registry}`, async () => {
        await builder.login(credentials.registry, credentials.username, credentials.password);
        logger.info(
          `Logged in to ${credentials.registry} as ${credentials.username} with ${credentials.source}.`
        );
      });
    }

    const elapsed = stopwatch();
    const title = plan.push
      ? `Building and pushing ${refs.join(', ')}`
      : `Building ${inputs.image.name} (push: false)`;
    const result = await logger.group(title, () => builder.build(plan, secretEnv));
    const buildMs = elapsed();

    const imageRef = result.digest ? `${inputs.image.name}@${result.digest}` : undefined;
    core.setOutput(OUTPUTS.digest, result.digest ?? '');
    core.setOutput(OUTPUTS.imageRef, imageRef ?? '');
    core.setOutput(OUTPUTS.tags, JSON.stringify(refs));
    core.setOutput(OUTPUTS.labels, JSON.stringify(labels));
    core.setOutput(OUTPUTS.builder, chosen.name);
    if (imageRef) logger.info(`Pushed ${imageRef}`);
    if (!plan.push)
      notes.push('push is false (the default on pull requests): the image was built but not pushed.');
    if (epoch.epoch === undefined)
      notes.push('Timestamps are the build time, so rebuilding the same commit gives a new digest.');

    await writeSummary(
      buildSummary({
        image: inputs.image.name,
        builder: chosen.name,
        builderReason: chosen.reason,
        refs,
        pushed: plan.push,
        digest: result.digest,
        imageRef,
        size: result.size,
        buildMs,
        cacheHits: result.cacheHits,
        cache: plan.cache,
        login: credentials ? `${credentials.registry} with ${credentials.source}` : undefined,
        labels,
        notes
      }),
      logger
    );
  } finally {
    removeConfigDir(configDir);
  }
}
