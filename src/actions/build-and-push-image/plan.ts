/**
 * What to build, pure: the plan both builders share, and the exact command lines each one runs.
 * Nothing here touches the system, so every input combination is tested as an argument list.
 */
import type { ImageName } from './image.js';
import type { Inputs } from './inputs.js';

/** The inputs that pass straight into the plan. */
type PlanInputs =
  | 'image'
  | 'context'
  | 'file'
  | 'target'
  | 'platforms'
  | 'push'
  | 'cache'
  | 'cacheRef'
  | 'provenance'
  | 'tlsVerify';

export interface BuildPlan extends Pick<Inputs, PlanInputs> {
  /** Full references, `registry/path:tag`, in tag order. */
  refs: string[];
  labels: Record<string, string>;
  buildArgs: Array<[string, string]>;
  /** Build secret ids with the environment variable that carries each value to the builder. */
  secrets: Array<{ id: string; env: string }>;
  /** Unix seconds for reproducible timestamps; undefined means "now". */
  sourceDateEpoch?: number;
}

/** The environment variable that carries build secret number `index` (values never go on a command line). */
export function secretEnvName(index: number): string {
  return `DEPLOY_ACTIONS_BUILD_SECRET_${index}`;
}

/** `registry/path:tag` for every tag (Docker Hub names keep their short form, as docker prints them). */
export function imageRefs(image: ImageName, tags: readonly string[]): string[] {
  return tags.map((tag) => `${image.name}:${tag}`);
}

/** A fully qualified reference for buildah, which would otherwise read `user/app` as `localhost/user/app`. */
export function qualifiedRef(image: ImageName, tag: string): string {
  return `${image.registry}/${image.path}:${tag}`;
}

/** The cache scope for GitHub's cache: one per image, so two images in one repository do not evict each other. */
function ghaScope(image: ImageName): string {
  return image.path.replace(/[^A-Za-z0-9_.-]/g, '-');
}

function dockerCache(plan: BuildPlan, withCacheExport: boolean): string[] {
  if (plan.cache === 'gha') {
    const scope = ghaScope(plan.image);
    const from = ['--cache-from', `type=gha,scope=${scope}`];
    return withCacheExport
      ? [...from, '--cache-to', `type=gha,scope=${scope},mode=max,ignore-error=true`]
      : from;
  }
  if (plan.cache === 'registry') {
    const ref = plan.cacheRef ?? `${plan.image.name}:buildcache`;
    // ECR rejects buildx's default cache manifest; it accepts the cache as an OCI image manifest.
    const ecr = plan.image.kind === 'ecr' ? ',image-manifest=true,oci-mediatypes=true' : '';
    const from = ['--cache-from', `type=registry,ref=${ref}`];
    return withCacheExport
      ? [...from, '--cache-to', `type=registry,ref=${ref},mode=max,ignore-error=true${ecr}`]
      : from;
  }
  return [];
}

/** The provenance flag: off for ECR unless asked (keeps a single-platform push a single manifest). */
export function provenanceFlag(plan: Pick<BuildPlan, 'provenance' | 'image'>): string | undefined {
  switch (plan.provenance) {
    case 'auto':
      return plan.image.kind === 'ecr' ? '--provenance=false' : undefined;
    case 'true':
    case 'false':
    case 'mode=min':
    case 'mode=max':
      return `--provenance=${plan.provenance}`;
  }
}

/** `docker buildx build …` arguments (without the `docker` itself). */
export function dockerBuildArgs(plan: BuildPlan, metadataFile: string, withCacheExport = true): string[] {
  const args = ['buildx', 'build'];
  if (plan.file) args.push('--file', plan.file);
  for (const ref of plan.refs) args.push('--tag', ref);
  for (const [key, value] of Object.entries(plan.labels)) args.push('--label', `${key}=${value}`);
  for (const [key, value] of plan.buildArgs) args.push('--build-arg', `${key}=${value}`);
  if (plan.sourceDateEpoch !== undefined && !plan.buildArgs.some(([k]) => k === 'SOURCE_DATE_EPOCH'))
    args.push('--build-arg', `SOURCE_DATE_EPOCH=${plan.sourceDateEpoch}`);
  for (const secret of plan.secrets) args.push('--secret', `id=${secret.id},env=${secret.env}`);
  if (plan.target) args.push('--target', plan.target);
  if (plan.platforms.length) args.push('--platform', plan.platforms.join(','));
  args.push(...dockerCache(plan, withCacheExport));
  const provenance = provenanceFlag(plan);
  if (provenance) args.push(provenance);
  if (plan.push) args.push('--push');
  args.push('--metadata-file', metadataFile, plan.context);
  return args;
}

/** `docker login` arguments; the password goes in on stdin. */
export function dockerLoginArgs(registry: string, username: string): string[] {
  return ['login', '--username', username, '--password-stdin', registry];
}

export interface BuildahOptions {
  storageDriver: string;
  isolation: string;
  authFile: string;
}

/** Global flags every buildah command gets. */
function buildahGlobal(options: Pick<BuildahOptions, 'storageDriver'>): string[] {
  return ['--storage-driver', options.storageDriver];
}

/** The local name buildah builds to: a manifest list for several platforms, else the first tag. */
export function buildahLocalName(plan: BuildPlan): string {
  const first = plan.refs[0] ?? `${plan.image.name}:build`;
  const tag = first.slice(first.lastIndexOf(':') + 1);
  return qualifiedRef(plan.image, tag);
}

/** The repository buildah uses as a layer cache (`--cache-from/--cache-to` take a repository, no tag). */
export function buildahCacheRepo(plan: BuildPlan): string {
  if (!plan.cacheRef) return `${plan.image.registry}/${plan.image.path}-buildcache`;
  const slash = plan.cacheRef.lastIndexOf('/');
  const colon = plan.cacheRef.lastIndexOf(':');
  return colon > slash ? plan.cacheRef.slice(0, colon) : plan.cacheRef;
}

/** `buildah bud …` arguments. */
export function buildahBudArgs(plan: BuildPlan, options: BuildahOptions, withCacheExport = true): string[] {
  const args = [...buildahGlobal(options), 'bud', '--isolation', options.isolation, '--format', 'oci'];
  // No io.buildah.version label: the digest should not change with the buildah release.
  args.push('--identity-label=false');
  args.push('--authfile', options.authFile, `--tls-verify=${plan.tlsVerify}`);
  if (plan.file) args.push('--file', plan.file);
  const multi = plan.platforms.length > 1;
  if (multi) args.push('--manifest', buildahLocalName(plan));
  else
    for (const ref of plan.refs) {
      const tag = ref.slice(ref.lastIndexOf(':') + 1);
      args.push('--tag', qualifiedRef(plan.image, tag));
    }
  for (const [key, value] of Object.entries(plan.labels)) args.push('--label', `${key}=${value}`);
  for (const [key, value] of plan.buildArgs) args.push('--build-arg', `${key}=${value}`);
  if (plan.sourceDateEpoch !== undefined) args.push('--timestamp', String(plan.sourceDateEpoch));
  for (const secret of plan.secrets) args.push('--secret', `id=${secret.id},env=${secret.env}`);
  if (plan.target) args.push('--target', plan.target);
  if (plan.platforms.length) args.push('--platform', plan.platforms.join(','));
  if (plan.cache === 'registry') {
    const repo = buildahCacheRepo(plan);
    args.push('--layers', '--cache-from', repo);
    if (withCacheExport) args.push('--cache-to', repo);
  }
  args.push(plan.context);
  return args;
}

/** `buildah push` (or `buildah manifest push --all` for several platforms) of one tag. */
export function buildahPushArgs(
  plan: BuildPlan,
  options: Pick<BuildahOptions, 'storageDriver' | 'authFile'>,
  ref: string,
  digestFile: string
): string[] {
  const tag = ref.slice(ref.lastIndexOf(':') + 1);
  const destination = `docker://${qualifiedRef(plan.image, tag)}`;
  const common = [
    '--authfile',
    options.authFile,
    `--tls-verify=${plan.tlsVerify}`,
    '--digestfile',
    digestFile
  ];
  if (plan.platforms.length > 1)
    return [
      ...buildahGlobal(options),
      'manifest',
      'push',
      '--all',
      ...common,
      buildahLocalName(plan),
      destination
    ];
  return [...buildahGlobal(options), 'push', ...common, qualifiedRef(plan.image, tag), destination];
}

/** `buildah login` arguments; the password goes in on stdin. */
export function buildahLoginArgs(
  registry: string,
  username: string,
  authFile: string,
  tlsVerify: boolean
): string[] {
  return [
    'login',
    '--authfile',
    authFile,
    `--tls-verify=${tlsVerify}`,
    '--username',
    username,
    '--password-stdin',
    registry
  ];
}
