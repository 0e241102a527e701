/**
 * The two builders behind one interface: `docker buildx build` (needs a daemon) and `buildah` (needs none).
 * Both log in through a temporary config directory, build with the same tags and labels, push, and report
 * the pushed manifest digest.
 */
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { tail, type Exec, type ExecResult } from './exec.js';
import {
  buildahBudArgs,
  buildahLoginArgs,
  buildahPushArgs,
  buildahLocalName,
  dockerBuildArgs,
  dockerLoginArgs,
  type BuildPlan
} from './plan.js';

export type BuilderName = 'docker' | 'buildah';

export interface BuildResult {
  /** The pushed manifest (or index) digest; undefined when nothing was pushed. */
  digest?: string;
  /** Image size in bytes when the builder tells (buildah: the layers as stored locally, uncompressed). */
  size?: number;
  /** Steps answered from cache, when the builder says. */
  cacheHits?: number;
}

export interface Builder {
  readonly name: BuilderName;
  login(registry: string, username: string, password: string): Promise<void>;
  build(plan: BuildPlan, secretEnv: NodeJS.ProcessEnv): Promise<BuildResult>;
}

export interface BuilderContext {
  exec: Exec;
  logger: Logger;
  /** The temporary directory holding the registry credentials (DOCKER_CONFIG / the buildah auth file). */
  configDir: string;
}

const SHA256 = /^sha256:[0-9a-f]{64}$/;

function fail(what: string, result: ExecResult): never {
  throw new ConfigError(`${what} failed (exit code ${result.code}):\n${tail(result)}`);
}

/** Counts steps answered from cache in a builder's output. */
export function countCacheHits(builder: BuilderName, output: string): number {
  const pattern = builder === 'docker' ? /^#\d+ CACHED\s*$/gm : /^--> Using cache /gm;
  return output.match(pattern)?.length ?? 0;
}

/** True when a failed build's output says the cache export broke (and the image itself was fine). */
export function isCacheExportFailure(output: string): boolean {
  return /(?:cache[- ]to|export(?:ing)? (?:the )?cache|cache export|pushing cache|exporting to cache)/i.test(
    output
  );
}

/**
 * Runs a build; when it fails while exporting the cache (buildah fails the whole build on a cache push
 * error; buildx's default docker driver refuses cache export outright), warns and builds again without
 * exporting. A cache problem must never fail a good build.
 */
async function buildWithCacheFallback(
  plan: BuildPlan,
  logger: Logger,
  build: (withCacheExport: boolean) => Promise<ExecResult>
): Promise<ExecResult> {
  const result = await build(true);
  if (result.code === 0 || plan.cache === 'none') return result;
  if (!isCacheExportFailure(`${result.stdout}\n${result.stderr}`)) return result;
  logger.warning(`Exporting the build cache failed; building again without exporting it.\n${tail(result)}`);
  return build(false);
}

export class DockerBuilder implements Builder {
  readonly name = 'docker' as const;
  constructor(private readonly ctx: BuilderContext) {}

  private env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
    return { ...process.env, ...extra, DOCKER_CONFIG: this.ctx.configDir };
  }

  async login(registry: string, username: string, password: string): Promise<void> {
    const result = await this.ctx.exec('docker', dockerLoginArgs(registry, username), {
      env: this.env(),
      input: password
    });
    if (result.code !== 0) fail(`Logging in to ${registry} as ${username}`, result);
  }

  async build(plan: BuildPlan, secretEnv: NodeJS.ProcessEnv): Promise<BuildResult> {
    const metadataFile = path.join(this.ctx.configDir, 'metadata.json');
    const result = await buildWithCacheFallback(plan, this.ctx.logger, (withCacheExport) =>
      this.ctx.exec('docker', dockerBuildArgs(plan, metadataFile, withCacheExport), {
        env: this.env(secretEnv)
      })
    );
    if (result.code !== 0) fail('docker buildx build', result);
    let metadata: Record<string, unknown> = {};
    try {
      metadata = JSON.parse(await readFile(metadataFile, 'utf8')) as Record<string, unknown>;
    } catch (error) {
      if (plan.push)
        throw new ConfigError(`docker buildx build wrote no readable metadata file: ${String(error)}`);
    }
    const digest = metadata['containerimage.digest'];
    if (plan.push && (typeof digest !== 'string' || !SHA256.test(digest)))
      throw new ConfigError(
        `docker buildx build pushed, but its metadata has no containerimage.digest (got ${JSON.stringify(digest)}).`
      );
    return {
      digest: plan.push ? (digest as string) : undefined,
      cacheHits: countCacheHits('docker', `${result.stdout}\n${result.stderr}`)
    };
  }
}

export interface BuildahSettings {
  storageDriver: string;
  isolation: string;
}

export class BuildahBuilder implements Builder {
  readonly name = 'buildah' as const;
  constructor(
    private readonly ctx: BuilderContext,
    private readonly settings: BuildahSettings,
    private readonly tlsVerify: boolean
  ) {}

  get authFile(): string {
    return path.join(this.ctx.configDir, 'auth.json');
  }

  private env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
    return { ...process.env, ...extra, REGISTRY_AUTH_FILE: this.authFile };
  }

  async login(registry: string, username: string, password: string): Promise<void> {
    const result = await this.ctx.exec(
      'buildah',
      buildahLoginArgs(registry, username, this.authFile, this.tlsVerify),
      {
        env: this.env(),
        input: password
      }
    );
    if (result.code !== 0) fail(`Logging in to ${registry} as ${username}`, result);
  }

  async build(plan: BuildPlan, secretEnv: NodeJS.ProcessEnv): Promise<BuildResult> {
    const options = { ...this.settings, authFile: this.authFile };
    if (plan.platforms.length > 1) {
      // A manifest list left by an earlier run would gain this run's images next to the old ones.
      await this.ctx.exec(
        'buildah',
        ['--storage-driver', options.storageDriver, 'manifest', 'rm', buildahLocalName(plan)],
        {
          env: this.env(),
          silent: true
        }
      );
    }
    const result = await buildWithCacheFallback(plan, this.ctx.logger, (withCacheExport) =>
      this.ctx.exec('buildah', buildahBudArgs(plan, options, withCacheExport), { env: this.env(secretEnv) })
    );
    if (result.code !== 0) fail('buildah bud', result);
    const cacheHits = countCacheHits('buildah', `${result.stdout}\n${result.stderr}`);
    const size = await this.size(plan, options.storageDriver);
    if (!plan.push) return { size, cacheHits };

    const digests: string[] = [];
    for (const [index, ref] of plan.refs.entries()) {
      const digestFile = path.join(this.ctx.configDir, `digest-${index}`);
      const pushed = await this.ctx.exec('buildah', buildahPushArgs(plan, options, ref, digestFile), {
        env: this.env()
      });
      if (pushed.code !== 0) fail(`buildah push ${ref}`, pushed);
      const digest = (await readFile(digestFile, 'utf8')).trim();
      await rm(digestFile, { force: true });
      if (!SHA256.test(digest))
        throw new ConfigError(`buildah push ${ref} wrote no digest (got '${digest}').`);
      digests.push(digest);
    }
    const distinct = [...new Set(digests)];
    if (distinct.length > 1)
      this.ctx.logger.warning(
        `The tags were pushed with different digests (${distinct.join(', ')}); the first is the output.`
      );
    return { digest: digests[0], size, cacheHits };
  }

  /** Layer and config sizes from the image's manifest in local storage (single platform only). */
  private async size(plan: BuildPlan, storageDriver: string): Promise<number | undefined> {
    if (plan.platforms.length > 1) return undefined;
    const result = await this.ctx.exec(
      'buildah',
      [
        '--storage-driver',
        storageDriver,
        'inspect',
        '--type',
        'image',
        '--format',
        '{{.Manifest}}',
        buildahLocalName(plan)
      ],
      { env: this.env(), silent: true }
    );
    if (result.code !== 0) return undefined;
    return manifestSize(result.stdout);
  }
}

/** Sums the config and layer sizes an image manifest lists; undefined when it is not one. */
export function manifestSize(manifestJson: string): number | undefined {
  try {
    const manifest = JSON.parse(manifestJson) as {
      config?: { size?: number };
      layers?: Array<{ size?: number }>;
    };
    if (!Array.isArray(manifest.layers)) return undefined;
    return manifest.layers.reduce((sum, layer) => sum + (layer.size ?? 0), manifest.config?.size ?? 0);
  } catch {
    return undefined;
  }
}

/** `auto`: docker when a daemon answers `docker info`, else buildah when installed. */
export async function chooseBuilder(
  choice: 'auto' | BuilderName,
  exec: Exec,
  logger: Logger
): Promise<{ name: BuilderName; reason: string }> {
  if (choice !== 'auto') return { name: choice, reason: 'chosen by the builder input' };
  const docker = await exec('docker', ['info', '--format', '{{.ServerVersion}}'], { silent: true });
  if (docker.code === 0)
    return {
      name: 'docker',
      reason: `a Docker daemon answered (server ${docker.stdout.trim() || 'unknown'})`
    };
  logger.debug(`docker info: exit ${docker.code}: ${tail(docker, 2)}`);
  const buildah = await exec('buildah', ['--version'], { silent: true });
  if (buildah.code === 0)
    return { name: 'buildah', reason: `no Docker daemon answered; ${buildah.stdout.trim()}` };
  throw new ConfigError(
    "Input 'builder' is auto, but no Docker daemon answered `docker info` and buildah is not installed. Install buildah (apt-get install buildah) or run on a host with Docker."
  );
}
