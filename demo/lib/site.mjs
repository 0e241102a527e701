// The demo front end's "npm run build": content-hashed asset names (app.3f2c1a9b.js), HTML rewritten to
// point at them, the release number and theme colour baked in, so two releases differ as real builds do.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const ASSETS = ['src/style.css', 'src/app.js', 'src/logo.svg'];
const PAGES = ['index.html', 'about/index.html'];

/** Builds `source` into `out` (emptied first); returns the list of files written, relative to out. */
export function buildSite(source, out, { release, color }) {
  rmSync(out, { recursive: true, force: true });
  const written = [];
  const renamed = {};
  for (const file of ASSETS) {
    const text = readFileSync(path.join(source, file), 'utf8').replaceAll('__COLOR__', color);
    const ext = path.extname(file);
    const hash = createHash('sha256').update(text).digest('hex').slice(0, 8);
    const name = `assets/${path.basename(file, ext)}.${hash}${ext}`;
    renamed[`/assets/${path.basename(file)}`] = `/${name}`;
    mkdirSync(path.join(out, 'assets'), { recursive: true });
    writeFileSync(path.join(out, name), text);
    written.push(name);
  }
  for (const page of PAGES) {
    let html = readFileSync(path.join(source, page), 'utf8').replaceAll('__RELEASE__', String(release));
    for (const [from, to] of Object.entries(renamed)) html = html.replaceAll(from, to);
    mkdirSync(path.dirname(path.join(out, page)), { recursive: true });
    writeFileSync(path.join(out, page), html);
    written.push(page);
  }
  return written.sort();
}
