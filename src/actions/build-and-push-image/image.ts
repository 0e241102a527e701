/**
 * Image names, pure: where an image lives (Docker Hub, ECR, GHCR, any other registry) and what a valid
 * repository name and tag look like (the distribution spec's grammar).
 */

export type RegistryKind = 'dockerhub' | 'ecr' | 'ghcr' | 'other';

export interface ImageName {
  /** The repository as the user wrote it, lower-cased: `user/app`, `ghcr.io/org/app`. */
  name: string;
  /** The registry host (with port): `docker.io`, `ghcr.io`, `127.0.0.1:5000`. */
  registry: string;
  /** The path inside the registry: `user/app`, `library/nginx` for bare Docker Hub names. */
  path: string;
  kind: RegistryKind;
  /** For ECR: the account and region taken from the host. */
  ecr?: { account: string; region: string };
}

const ECR_HOST = /^(\d{12})\.dkr\.ecr(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$/;
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const HOST =
  /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\[[0-9a-fA-F:]+\])(?::\d{1,5})?$/;

/** The most a tag may hold (distribution spec: `[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}`). */
export const MAX_TAG_LENGTH = 128;

/** Parses an image name without tag or digest; returns an error message (naming the expected form) when invalid. */
export function parseImageName(input: string): ImageName | string {
  const value = input.trim();
  if (/@/.test(value)) return `'${value}' has a digest; give the name only (tags come from the tags input).`;
  const slash = value.indexOf('/');
  const first = slash === -1 ? '' : value.slice(0, slash);
  const hasHost = first !== '' && (first.includes('.') || first.includes(':') || first === 'localhost');
  const registry = hasHost ? first : 'docker.io';
  const rest = hasHost ? value.slice(slash + 1) : value;
  if (/:/.test(rest)) return `'${value}' has a tag; give the name only (tags come from the tags input).`;
  if (hasHost && !HOST.test(registry)) return `'${registry}' is not a valid registry host.`;
  const path = rest.toLowerCase();
  const parts = path.split('/');
  if (path === '' || parts.some((p) => !PATH_COMPONENT.test(p))) {
    return `'${value}' is not a valid image name; expected e.g. user/app, ghcr.io/org/app or 123456789012.dkr.ecr.ap-northeast-2.amazonaws.com/app (letters, digits and . _ - separated by /).`;
  }
  const host = registry.toLowerCase();
  const name = hasHost ? `${host}/${path}` : path;
  const ecr = ECR_HOST.exec(host);
  if (ecr) {
    return {
      name,
      registry: host,
      path,
      kind: 'ecr',
      ecr: { account: ecr[1] as string, region: ecr[2] as string }
    };
  }
  if (host === 'docker.io' || host === 'index.docker.io' || host === 'registry-1.docker.io') {
    return {
      name,
      registry: 'docker.io',
      path: parts.length === 1 ? `library/${path}` : path,
      kind: 'dockerhub'
    };
  }
  return { name, registry: host, path, kind: host === 'ghcr.io' ? 'ghcr' : 'other' };
}

/** True for registries on this machine, which usually speak plain HTTP. */
export function isLoopbackRegistry(registry: string): boolean {
  const host = registry.replace(/:\d+$/, '');
  return host === 'localhost' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
