/**
 * The README table generator (scripts/action-docs.mjs) on a fixture repository: exact output, escaping,
 * check mode, and the command's exit codes.
 */
import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { cell, defaultCell, renderReadme, run, table } from '../../scripts/action-docs.mjs';
import { ROOT } from '../helpers/paths.js';

const FIXTURE = path.join(ROOT, '__tests__', 'scripts', 'fixtures', 'action-docs');
const SCRIPT = path.join(ROOT, 'scripts', 'action-docs.mjs');

/** A writable copy of the fixture repository, with the repository's Prettier settings. */
function copyFixture(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'action-docs-'));
  cpSync(FIXTURE, dir, { recursive: true });
  cpSync(path.join(ROOT, '.prettierrc.json'), path.join(dir, '.prettierrc.json'));
  return dir;
}

const cli = (root: string, ...args: string[]) =>
  spawnSync(process.execPath, [SCRIPT, '--root', root, ...args], { encoding: 'utf8' });

describe('cells', () => {
  it.each([
    ['plain', 'plain'],
    ['', ''],
    [undefined, ''],
    ['a | b', 'a \\| b'],
    ['two\nlines', 'two<br>lines'],
    ['crlf\r\nlines\rand cr', 'crlf<br>lines<br>and cr'],
    ['  trailing newline\n', 'trailing newline'],
    ['back\\slash', 'back\\\\slash'],
    ['한국어 🚀', '한국어 🚀'],
    ['webhooks/<id>/<token>', 'webhooks/&lt;id&gt;/&lt;token&gt;'],
    ['`webhooks/<id>` stays code', '`webhooks/<id>` stays code'],
    ['e.g. *.map', 'e.g. \\*.map'],
    ['`a|b` in code', '`a\\|b` in code']
  ])('description %j → %j', (input, expected) => {
    expect(cell(input)).toBe(expected);
  });

  it.each([
    [undefined, ''],
    ['', '`""`'],
    ['16', '`16`'],
    [true, '`true`'],
    ['a|b', '`a\\|b`'],
    ['has `tick`', '`` has `tick` ``'],
    [
      '*.html: no-cache\nassets/**: max-age=1',
      '<code>&#42;.html: no-cache<br>assets/&#42;&#42;: max-age=1</code>'
    ],
    ['<b> & co', '`<b> & co`']
  ])('default %j → %j', (input, expected) => {
    expect(defaultCell(input)).toBe(expected);
  });

  it('says so when an action has no inputs or outputs', () => {
    expect(table('inputs', {})).toBe('_This action has no inputs._');
    expect(table('outputs', { outputs: {} })).toBe('_This action has no outputs._');
  });
});

describe('renderReadme', () => {
  it('rewrites only what is between the markers, formatted as Prettier formats it', async () => {
    const readme = readFileSync(path.join(FIXTURE, 'actions', 'demo', 'README.md'), 'utf8');
    const { parse } = await import('yaml');
    const manifest = parse(readFileSync(path.join(FIXTURE, 'actions', 'demo', 'action.yml'), 'utf8'));
    const { text, missing, errors } = await renderReadme(readme, manifest, path.join(ROOT, 'README.md'));
    expect(text).toBe(readFileSync(path.join(FIXTURE, 'README.expected.md'), 'utf8'));
    expect({ missing, errors }).toEqual({ missing: [], errors: [] });
    // Idempotent: a second pass changes nothing.
    expect((await renderReadme(text, manifest, path.join(ROOT, 'README.md'))).text).toBe(text);
  });

  it('reports missing and malformed markers', async () => {
    const manifest = { inputs: { a: { description: 'x' } } };
    expect(await renderReadme('no markers', manifest)).toEqual({
      text: 'no markers',
      missing: ['inputs', 'outputs'],
      errors: []
    });
    const swapped = '<!-- /action-docs:inputs -->\n<!-- action-docs:inputs -->\n';
    const result = await renderReadme(swapped, manifest);
    expect(result.errors).toEqual([
      'the inputs markers must appear once each, <!-- action-docs:inputs --> before <!-- /action-docs:inputs -->'
    ]);
    expect(result.text).toBe(swapped);
  });
});

describe('npm run docs', () => {
  it('--check lists the stale README and the one without markers, exits 1, and writes nothing', () => {
    const root = copyFixture();
    try {
      const before = readFileSync(path.join(root, 'actions', 'demo', 'README.md'), 'utf8');
      const result = cli(root, '--check');
      expect(result.status).toBe(1);
      expect(result.stderr).toContain('stale in:\n  actions/demo/README.md\n');
      expect(result.stderr).toContain('actions/bare/README.md: no <!-- action-docs:inputs -->');
      expect(readFileSync(path.join(root, 'actions', 'demo', 'README.md'), 'utf8')).toBe(before);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('writes the tables, after which --check passes', async () => {
    const root = copyFixture();
    try {
      writeFileSync(
        path.join(root, 'actions', 'bare', 'README.md'),
        '# bare\n\n<!-- action-docs:inputs -->\n<!-- /action-docs:inputs -->\n\n<!-- action-docs:outputs -->\n<!-- /action-docs:outputs -->\n'
      );
      const write = cli(root);
      expect(write.status).toBe(0);
      expect(write.stdout).toBe('updated actions/bare/README.md\nupdated actions/demo/README.md\n');
      expect(readFileSync(path.join(root, 'actions', 'demo', 'README.md'), 'utf8')).toBe(
        readFileSync(path.join(FIXTURE, 'README.expected.md'), 'utf8')
      );
      expect(readFileSync(path.join(root, 'actions', 'bare', 'README.md'), 'utf8')).toContain(
        '_This action has no inputs._'
      );
      const check = cli(root, '--check');
      expect({ status: check.status, stdout: check.stdout, stderr: check.stderr }).toEqual({
        status: 0,
        stdout: 'action-docs: every README table is current\n',
        stderr: ''
      });
      expect(await run({ root, check: true })).toEqual({ stale: [], problems: [], written: [] });
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('flags root README markers without a root action.yml', async () => {
    const root = copyFixture();
    try {
      writeFileSync(
        path.join(root, 'README.md'),
        '# x\n\n<!-- action-docs:inputs -->\n<!-- /action-docs:inputs -->\n'
      );
      const { problems } = await run({ root, check: true });
      expect(problems).toContain('README.md: has action-docs markers but action.yml does not exist');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
