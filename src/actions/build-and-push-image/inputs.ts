import { validateEndpoint } from '../../core/aws.js';
import {
  booleanInput,
  choiceInput,
  listInput,
  mapInput,
  optionalInput,
  requiredInput
} from '../../core/inputs.js';
import { InputError } from '../../core/errors.js';
import { INPUTS } from './constants.js';
import { PULL_REQUEST_EVENTS, type EventFacts } from './event.js';
import { isLoopbackRegistry, parseImageName, type ImageName } from './image.js';
import { DEFAULT_TAG_RULES, parseTagRules, type TagRule } from './tags.js';
import { maskSecret } from '../../core/secrets.js';

export type CacheMode = 'gha' | 'registry' | 'none';
export type BuilderChoice = 'auto' | 'docker' | 'buildah';
export type Provenance = 'auto' | 'true' | 'false' | 'mode=min' | 'mode=max';

export interface Inputs {
  image: ImageName;
  /** The image input as given, to tell the user when it was lower-cased. */
  imageInput: string;
  context: string;
  file?: string;
  tagRules: TagRule[];
  labels: Map<string, string>;
  buildArgs: Map<string, string>;
  /** Build secrets by id; every value is masked. */
  secrets: Map<string, string>;
  target?: string;
  platforms: string[];
  push: boolean;
  cache: CacheMode;
  cacheRef?: string;
  provenance: Provenance;
  /** `auto` (SOURCE_DATE_EPOCH, else the commit time), `now`, or epoch seconds. */
  sourceDateEpoch: 'auto' | 'now' | number;
  registryUsername?: string;
  registryPassword?: string;
  githubToken?: string;
  builder: BuilderChoice;
  buildahStorageDriver: string;
  buildahIsolation: 'chroot' | 'oci' | 'rootless';
  tlsVerify: boolean;
  awsRegion?: string;
  endpointUrl?: string;
}

const PLATFORM = /^[a-z0-9]+\/[a-z0-9_]+(?:\/[a-z0-9]+)?$/;
const IDENTIFIER = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;
const CACHE_REF = /^[a-z0-9.:[\]/_-]+(?::[A-Za-z0-9_][A-Za-z0-9._-]{0,127})?$/;

/** GitHub expands `${{ github.token }}`; a local runner passes the default through unexpanded. */
function unexpanded(value: string | undefined): string | undefined {
  return value !== undefined && /^\$\{\{.*\}\}$/.test(value) ? undefined : value;
}

/** Reads and validates every input once. `facts` decides the default of `push` (false on pull requests). */
export function getInputs(facts: EventFacts): Inputs {
  const imageText = requiredInput(INPUTS.image);
  const image = parseImageName(imageText);
  if (typeof image === 'string') throw new InputError(INPUTS.image, image);

  const tagLines = listInput(INPUTS.tags);
  const tagRules = parseTagRules(tagLines.length ? tagLines : DEFAULT_TAG_RULES);
  if (typeof tagRules === 'string') {
    throw new InputError(INPUTS.tags, `${tagRules} See the tags rules in the action's README.`);
  }

  const labels = mapInput(INPUTS.labels);
  const buildArgs = mapInput(INPUTS.buildArgs);
  const secrets = mapInput(INPUTS.secrets, { secret: true });
  for (const id of secrets.keys()) {
    if (!IDENTIFIER.test(id))
      throw new InputError(
        INPUTS.secrets,
        `secret id '${id}' may only hold letters, digits, '_', '.' and '-'.`
      );
  }

  const target = optionalInput(INPUTS.target);
  if (target !== undefined && !IDENTIFIER.test(target))
    throw new InputError(INPUTS.target, `'${target}' is not a build stage name.`);

  const platforms = listInput(INPUTS.platforms, { commas: true });
  for (const platform of platforms) {
    if (!PLATFORM.test(platform))
      throw new InputError(
        INPUTS.platforms,
        `'${platform}' is not a platform; expected os/arch[/variant], e.g. linux/amd64, linux/arm64.`
      );
  }

  const push = booleanInput(INPUTS.push, !PULL_REQUEST_EVENTS.has(facts.eventName));
  const cache = choiceInput<CacheMode>(INPUTS.cache, ['gha', 'registry', 'none'], 'none');
  const cacheRef = optionalInput(INPUTS.cacheRef);
  if (cacheRef !== undefined && !CACHE_REF.test(cacheRef))
    throw new InputError(
      INPUTS.cacheRef,
      `'${cacheRef}' is not an image reference; expected e.g. ghcr.io/org/app:buildcache.`
    );

  const provenance = choiceInput<Provenance>(
    INPUTS.provenance,
    ['auto', 'true', 'false', 'mode=min', 'mode=max'],
    'auto'
  );

  const epochText = optionalInput(INPUTS.sourceDateEpoch) ?? 'auto';
  let sourceDateEpoch: Inputs['sourceDateEpoch'];
  if (epochText === 'auto' || epochText === 'now') sourceDateEpoch = epochText;
  else if (/^\d{1,12}$/.test(epochText)) sourceDateEpoch = Number(epochText);
  else
    throw new InputError(
      INPUTS.sourceDateEpoch,
      `'${epochText}' is not allowed; expected auto, now or Unix seconds (e.g. 1700000000).`
    );

  const registryUsername = optionalInput(INPUTS.registryUsername);
  const registryPassword = optionalInput(INPUTS.registryPassword, { secret: true });
  if ((registryUsername === undefined) !== (registryPassword === undefined)) {
    const missing = registryUsername === undefined ? INPUTS.registryUsername : INPUTS.registryPassword;
    throw new InputError(
      missing,
      `is required when ${missing === INPUTS.registryUsername ? INPUTS.registryPassword : INPUTS.registryUsername} is given.`
    );
  }
  const githubToken = unexpanded(optionalInput(INPUTS.githubToken));
  maskSecret(githubToken);

  const builder = choiceInput<BuilderChoice>(INPUTS.builder, ['auto', 'docker', 'buildah'], 'auto');
  const buildahStorageDriver = optionalInput(INPUTS.buildahStorageDriver) ?? 'vfs';
  if (!/^[a-z0-9]+$/.test(buildahStorageDriver))
    throw new InputError(
      INPUTS.buildahStorageDriver,
      `'${buildahStorageDriver}' is not a storage driver; expected e.g. vfs or overlay.`
    );
  const buildahIsolation = choiceInput(
    INPUTS.buildahIsolation,
    ['chroot', 'oci', 'rootless'] as const,
    'chroot'
  );

  const tls = choiceInput(INPUTS.tlsVerify, ['auto', 'true', 'false'] as const, 'auto');
  const tlsVerify = tls === 'auto' ? !isLoopbackRegistry(image.registry) : tls === 'true';

  const awsRegion = optionalInput(INPUTS.awsRegion);
  if (awsRegion !== undefined && !/^[a-z]{2}(?:-[a-z]+)+-\d$/.test(awsRegion))
    throw new InputError(
      INPUTS.awsRegion,
      `'${awsRegion}' is not an AWS region; expected e.g. ap-northeast-2.`
    );
  const endpointUrl = validateEndpoint(INPUTS.endpointUrl, optionalInput(INPUTS.endpointUrl));

  return {
    image,
    imageInput: imageText.trim(),
    context: optionalInput(INPUTS.context) ?? '.',
    file: optionalInput(INPUTS.file),
    tagRules,
    labels,
    buildArgs,
    secrets,
    target,
    platforms,
    push,
    cache,
    cacheRef,
    provenance,
    sourceDateEpoch,
    registryUsername,
    registryPassword,
    githubToken,
    builder,
    buildahStorageDriver,
    buildahIsolation,
    tlsVerify,
    awsRegion,
    endpointUrl
  };
}
