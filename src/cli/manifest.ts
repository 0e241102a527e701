/** Reads action.yml files: the runner, the manifest test and the docs generator share this. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

export interface ManifestInput {
  description?: string;
  required?: boolean | string;
  default?: string | number | boolean;
  deprecationMessage?: string;
}

export interface Manifest {
  name: string;
  description: string;
  inputs: Record<string, ManifestInput>;
  outputs: Record<string, { description?: string; value?: string }>;
  runs: { using: string; main?: string; pre?: string; post?: string; 'post-if'?: string; steps?: unknown[] };
  branding?: { icon?: string; color?: string };
}

export interface ActionRef {
  /** The name users give the runner: the folder under actions/, or `static-site` for the root action. */
  name: string;
  /** Absolute path of action.yml. */
  file: string;
  manifest: Manifest;
}

/** The name the local runner uses for the repository's root action.yml. */
export const ROOT_ACTION = 'static-site';

export function loadManifest(file: string): Manifest {
  const doc = parse(readFileSync(file, 'utf8')) as Partial<Manifest> | null;
  if (!doc || typeof doc !== 'object') throw new Error(`${file}: not a YAML mapping`);
  return {
    name: doc.name ?? '',
    description: doc.description ?? '',
    inputs: doc.inputs ?? {},
    outputs: doc.outputs ?? {},
    runs: doc.runs ?? { using: '' },
    branding: doc.branding
  };
}

/** Every action in the repository rooted at `root`, sorted by name. */
export function listActions(root: string): ActionRef[] {
  const refs: ActionRef[] = [];
  const dir = path.join(root, 'actions');
  for (const name of existsSync(dir) ? readdirSync(dir).sort() : []) {
    const file = path.join(dir, name, 'action.yml');
    if (existsSync(file)) refs.push({ name, file, manifest: loadManifest(file) });
  }
  const rootFile = path.join(root, 'action.yml');
  if (existsSync(rootFile))
    refs.push({ name: ROOT_ACTION, file: rootFile, manifest: loadManifest(rootFile) });
  return refs;
}

export function isRequired(input: ManifestInput): boolean {
  return input.required === true || input.required === 'true';
}

/** The environment variable GitHub sets for an input: INPUT_ + name with spaces as `_`, upper-cased. */
export function inputEnvName(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}
