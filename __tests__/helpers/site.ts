/** Build folders for the static-site tests (s3-static-sync and the root action). */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export type SiteFiles = Record<string, string | Buffer>;

/** A fresh folder under `parent` with these files (every call a new folder, as a fresh CI build is). */
export function writeSite(parent: string, files: SiteFiles): string {
  const dir = mkdtempSync(path.join(parent, 'site-'));
  for (const [rel, content] of Object.entries(files)) {
    const file = path.join(dir, rel);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
  return dir;
}
