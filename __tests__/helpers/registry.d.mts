export const REGISTRY_BINARY: string;
export const MANIFEST_ACCEPT: string;

export class RegistryServer {
  /** `127.0.0.1:<port>`. */
  readonly host: string;
  readonly directory: string;
  /** Starts a registry that accepts `username`/`password` (basic auth, bcrypt htpasswd). */
  static start(username: string, password: string): Promise<RegistryServer>;
  /** HEAD /v2/<name>/manifests/<reference>: the registry's Docker-Content-Digest, or undefined on 404. */
  manifestDigest(name: string, reference: string): Promise<string | undefined>;
  /** The manifest or index (JSON) behind a tag or digest. */
  manifest(
    name: string,
    reference: string
  ): Promise<{
    mediaType?: string;
    manifests?: Array<{ digest: string; platform?: { os?: string; architecture?: string } }>;
    layers?: Array<{ digest: string; size: number }>;
  }>;
  /** A blob's bytes. */
  blob(name: string, digest: string): Promise<Buffer>;
  /** The image config (JSON) behind a tag. */
  imageConfig(
    name: string,
    reference: string
  ): Promise<{ created?: string; config?: { Labels?: Record<string, string> } }>;
  catalog(): Promise<string[]>;
  tags(name: string): Promise<string[]>;
  stop(): Promise<void>;
}
