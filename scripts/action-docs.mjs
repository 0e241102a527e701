#!/usr/bin/env node
// Writes the inputs and outputs tables of every action README from its action.yml (`npm run docs`), or with
// `--check` lists the READMEs whose tables are stale and exits 1 (CI runs this).
//
// The tables live between markers, so the rest of the README is the author's:
//   <!-- action-docs:inputs -->  …  <!-- /action-docs:inputs -->
//   <!-- action-docs:outputs --> …  <!-- /action-docs:outputs -->
// actions/<name>/README.md is generated from actions/<name>/action.yml; markers in the root README.md are
// generated from the root action.yml (the one-step static-site deploy), when both exist.
// Tables are formatted with the repository's Prettier settings, so `npm run format:check` agrees.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';
import { parse } from 'yaml';

const REPOSITORY = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const KINDS = ['inputs', 'outputs'];

/**
 * A table cell from plain description text: pipes escaped, line breaks as <br>, surrounding blank space
 * trimmed; outside `code spans`, `<`, `>` and `*` escaped so GitHub shows them as written (an `<id>` would
 * otherwise vanish as an HTML tag, and `*.map` start emphasis).
 */
export function cell(text) {
  const plain = (part) =>
    part.replace(/\\/g, '\\\\').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\*/g, '\\*');
  return String(text ?? '')
    .trim()
    .replace(/\r\n?/g, '\n')
    .split(/(`+[^`]*?`+)/)
    .map((part, i) => (i % 2 === 1 ? part : plain(part)))
    .join('')
    .replace(/\|/g, '\\|')
    .replace(/\n/g, '<br>');
}

/** A default value as code: `x`, or <code> with <br> when it spans lines; "" for an empty string. */
export function defaultCell(value) {
  if (value === undefined || value === null) return '';
  const text = String(value);
  if (text === '') return '`""`';
  if (/\r|\n/.test(text)) {
    const html = text
      .trim()
      .replace(/\r\n?/g, '\n')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/\|/g, '&#124;')
      .replace(/[*_`[\]\\]/g, (c) => `&#${c.charCodeAt(0)};`)
      .replace(/\n/g, '<br>');
    return `<code>${html}</code>`;
  }
  const fence = text.includes('`') ? '``' : '`';
  const pad = text.includes('`') ? ' ' : '';
  return `${fence}${pad}${text.replace(/\|/g, '\\|')}${pad}${fence}`;
}

const isRequired = (spec) => spec?.required === true || spec?.required === 'true';

/** The Markdown table of an action.yml's inputs or outputs (unformatted). */
export function table(kind, manifest) {
  if (kind === 'inputs') {
    const rows = Object.entries(manifest.inputs ?? {}).map(
      ([name, spec]) =>
        `| \`${name}\` | ${isRequired(spec) ? 'yes' : 'no'} | ${defaultCell(spec?.default)} | ${
          spec?.deprecationMessage ? `**Deprecated:** ${cell(spec.deprecationMessage)} ` : ''
        }${cell(spec?.description)} |`
    );
    if (!rows.length) return '_This action has no inputs._';
    return ['| Input | Required | Default | Description |', '| --- | --- | --- | --- |', ...rows].join('\n');
  }
  const rows = Object.entries(manifest.outputs ?? {}).map(
    ([name, spec]) => `| \`${name}\` | ${cell(spec?.description)} |`
  );
  if (!rows.length) return '_This action has no outputs._';
  return ['| Output | Description |', '| --- | --- |', ...rows].join('\n');
}

const markers = (kind) => [`<!-- action-docs:${kind} -->`, `<!-- /action-docs:${kind} -->`];

/**
 * The README with its tables regenerated from the manifest (pure but for Prettier's formatting).
 * `missing` lists the marker pairs the README lacks; `errors` the malformed ones.
 */
export async function renderReadme(readme, manifest, file = path.join(REPOSITORY, 'README.md')) {
  const options = { ...((await prettier.resolveConfig(file)) ?? {}), parser: 'markdown' };
  const missing = [];
  const errors = [];
  let text = readme;
  for (const kind of KINDS) {
    const [open, close] = markers(kind);
    const start = text.indexOf(open);
    const end = text.indexOf(close);
    if (start === -1 && end === -1) {
      missing.push(kind);
      continue;
    }
    if (start === -1 || end === -1 || end < start || text.indexOf(open, start + 1) !== -1) {
      errors.push(`the ${kind} markers must appear once each, ${open} before ${close}`);
      continue;
    }
    const formatted = (await prettier.format(table(kind, manifest), options)).trimEnd();
    text = `${text.slice(0, start + open.length)}\n\n${formatted}\n\n${text.slice(end)}`;
  }
  return { text, missing, errors };
}

/** The READMEs to generate under a repository root: [{ readme, manifest, required }]. */
export function targets(root) {
  const list = [];
  const actionsDir = path.join(root, 'actions');
  for (const name of existsSync(actionsDir) ? readdirSync(actionsDir).sort() : []) {
    const manifest = path.join(actionsDir, name, 'action.yml');
    if (existsSync(manifest))
      list.push({ readme: path.join(actionsDir, name, 'README.md'), manifest, required: true });
  }
  const rootReadme = path.join(root, 'README.md');
  if (existsSync(rootReadme))
    list.push({ readme: rootReadme, manifest: path.join(root, 'action.yml'), required: false });
  return list;
}

/**
 * Regenerates (or with check: compares) every README under root. Returns { stale, problems, written }, each a
 * list of paths relative to root (problems: "path: message").
 */
export async function run({ root = REPOSITORY, check = false } = {}) {
  const stale = [];
  const problems = [];
  const written = [];
  for (const target of targets(root)) {
    const rel = path.relative(root, target.readme);
    if (!existsSync(target.readme)) {
      problems.push(`${rel}: missing (every action needs a README with its inputs and outputs tables)`);
      continue;
    }
    const before = readFileSync(target.readme, 'utf8');
    if (!existsSync(target.manifest)) {
      if (KINDS.some((kind) => before.includes(markers(kind)[0])))
        problems.push(
          `${rel}: has action-docs markers but ${path.relative(root, target.manifest)} does not exist`
        );
      continue;
    }
    const manifest = parse(readFileSync(target.manifest, 'utf8')) ?? {};
    const { text, missing, errors } = await renderReadme(before, manifest, target.readme);
    for (const error of errors) problems.push(`${rel}: ${error}`);
    if (target.required && missing.length)
      problems.push(`${rel}: no ${missing.map((k) => markers(k).join(' … ')).join(' or ')} markers`);
    if (text === before) continue;
    if (check) stale.push(rel);
    else {
      writeFileSync(target.readme, text);
      written.push(rel);
    }
  }
  return { stale, problems, written };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const check = args.includes('--check');
  const rootArg = args.indexOf('--root');
  const root = rootArg === -1 ? REPOSITORY : path.resolve(args[rootArg + 1] ?? '.');
  const { stale, problems, written } = await run({ root, check });
  for (const file of written) console.log(`updated ${file}`);
  for (const problem of problems) console.error(`action-docs: ${problem}`);
  if (stale.length) {
    console.error(
      `action-docs: the inputs/outputs tables are stale in:\n${stale.map((f) => `  ${f}`).join('\n')}`
    );
    console.error('Run `npm run docs` and commit the result.');
  }
  if (check && !stale.length && !problems.length) console.log('action-docs: every README table is current');
  process.exitCode = stale.length || problems.length ? 1 : 0;
}
