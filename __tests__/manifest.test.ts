/**
 * Every action.yml agrees with its code: the inputs it declares are exactly the ones its inputs.ts reads,
 * the outputs likewise, and `runs.main` points at a bundle that exists and starts under plain node.
 */
import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { isRequired, listActions } from '../src/cli/manifest.js';
import { ROOT } from './helpers/paths.js';

const actions = listActions(ROOT);

/** src/actions/<entry> behind an action.yml's runs.main (../../dist/<entry>/index.js). */
function entryOf(file: string, main: string): string {
  return path.basename(path.dirname(path.resolve(path.dirname(file), main)));
}

/** What a bundle must do when started with no inputs at all. */
const NO_INPUT_EXPECTATIONS: Record<string, { code: number; line: RegExp }> = {
  'discord-notify': { code: 0, line: /^::notice::.*no webhook-url/m },
  'cloudfront-invalidate': { code: 1, line: /^::error::Input 'distribution-id'/m },
  'flyway-migrate': { code: 1, line: /^::error::Input 'url'/m }
};

it('finds the six actions', () => {
  expect(actions.map((a) => a.name)).toEqual(
    expect.arrayContaining([
      'build-and-push-image',
      'codedeploy-trigger',
      's3-static-sync',
      'cloudfront-invalidate',
      'discord-notify',
      'flyway-migrate'
    ])
  );
});

describe.each(actions.map((a) => [a.name, a] as const))('%s', (name, action) => {
  const { manifest, file } = action;
  const main = manifest.runs.main ?? '';
  const entry = entryOf(file, main);
  const srcDir = path.join(ROOT, 'src', 'actions', entry);

  it('has a name, a one-line description and branding', () => {
    expect(manifest.name).not.toBe('');
    expect(manifest.description).not.toBe('');
    expect(manifest.description).not.toContain('\n');
    expect(manifest.branding?.icon).toBeTruthy();
    expect(manifest.branding?.color).toBeTruthy();
  });

  it('runs on node24 from a bundle that exists', () => {
    expect(manifest.runs.using).toBe('node24');
    expect(main).toMatch(/dist\/[^/]+\/index\.js$/);
    expect(existsSync(path.resolve(path.dirname(file), main))).toBe(true);
    if (manifest.runs.post)
      expect(existsSync(path.resolve(path.dirname(file), manifest.runs.post))).toBe(true);
  });

  it('describes every input and output', () => {
    for (const [input, spec] of Object.entries(manifest.inputs)) {
      expect([input, typeof spec.description]).toEqual([input, 'string']);
      expect([input, isRequired(spec) && spec.default !== undefined]).toEqual([input, false]);
    }
    for (const [output, spec] of Object.entries(manifest.outputs))
      expect([output, typeof spec.description]).toEqual([output, 'string']);
  });

  it('declares exactly the inputs and outputs its constants name', async () => {
    const constants = (await import(pathToFileURL(path.join(srcDir, 'constants.ts')).href)) as {
      INPUTS: Record<string, string>;
      OUTPUTS: Record<string, string>;
    };
    expect(Object.keys(manifest.inputs).sort()).toEqual(Object.values(constants.INPUTS).sort());
    expect(Object.keys(manifest.outputs).sort()).toEqual(Object.values(constants.OUTPUTS).sort());
  });

  it('reads every declared input in inputs.ts, and only through the constants', () => {
    const inputsTs = readFileSync(path.join(srcDir, 'inputs.ts'), 'utf8');
    const constantsTs = readFileSync(path.join(srcDir, 'constants.ts'), 'utf8');
    const inputsBlock = /export const INPUTS = \{([\s\S]*?)\}/.exec(constantsTs)?.[1] ?? '';
    const keys = [...inputsBlock.matchAll(/^\s*(?:'[^']+'|"[^"]+"|[A-Za-z0-9_]+)\s*:/gm)].map((m) =>
      m[0].replace(/[:\s'"]/g, '')
    );
    const unread = keys.filter((key) => !new RegExp(`INPUTS\\.${key}\\b`).test(inputsTs));
    expect(unread).toEqual([]);
    for (const source of readdirSync(srcDir).filter((f) => f.endsWith('.ts'))) {
      const text = readFileSync(path.join(srcDir, source), 'utf8');
      expect([source, /\b(?:core\.)?getInput\(/.test(text) && source !== 'inputs.ts']).toEqual([
        source,
        false
      ]);
      expect([
        source,
        /(?:required|optional|boolean|integer|duration|list|map|json|choice)Input\(\s*['"]/.test(text)
      ]).toEqual([source, false]);
    }
  });

  it('starts under plain node and names a missing required input', () => {
    const env: NodeJS.ProcessEnv = {};
    for (const [key, value] of Object.entries(process.env))
      if (!key.startsWith('INPUT_') && !key.startsWith('GITHUB_')) env[key] = value;
    const run = spawnSync(process.execPath, [path.resolve(path.dirname(file), main)], {
      encoding: 'utf8',
      env,
      timeout: 30_000
    });
    const required = Object.entries(manifest.inputs)
      .filter(([, spec]) => isRequired(spec))
      .map(([input]) => input);
    const expected = NO_INPUT_EXPECTATIONS[name] ?? {
      code: 1,
      line: new RegExp(`^::error::Input '(${required.join('|') || '(none)'})'`, 'm')
    };
    expect({ code: run.status, stderr: run.stderr }).toEqual({ code: expected.code, stderr: '' });
    expect(run.stdout).toMatch(expected.line);
  });
});
