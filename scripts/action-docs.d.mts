/** Types for scripts/action-docs.mjs (plain Node ESM), so TypeScript tests can import it. */
export interface ActionDocsManifest {
  inputs?: Record<
    string,
    { description?: string; required?: boolean | string; default?: unknown; deprecationMessage?: string }
  >;
  outputs?: Record<string, { description?: string }>;
}
export const KINDS: string[];
export function cell(text: unknown): string;
export function defaultCell(value: unknown): string;
export function table(kind: 'inputs' | 'outputs', manifest: ActionDocsManifest): string;
export function renderReadme(
  readme: string,
  manifest: ActionDocsManifest,
  file?: string
): Promise<{ text: string; missing: string[]; errors: string[] }>;
export function targets(root: string): { readme: string; manifest: string; required: boolean }[];
export function run(options?: {
  root?: string;
  check?: boolean;
}): Promise<{ stale: string[]; problems: string[]; written: string[] }>;
