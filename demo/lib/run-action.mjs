// Runs a bundled action the way the GitHub runner does, from plain Node (the demo cannot import the
// TypeScript runner in src/cli/runner.ts): INPUT_* variables with the action.yml defaults, fresh
// GITHUB_OUTPUT / GITHUB_STEP_SUMMARY / GITHUB_STATE files, then `pre`, `main` and `post` (with the state
// main saved), exactly as src/cli/runner.ts does for the CLI and the integration tests.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';

/** The environment variable GitHub sets for an input. */
export const inputEnvName = (name) => `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;

/** Parses GITHUB_OUTPUT / GITHUB_STATE contents: `name=value` and `name<<DELIMITER … DELIMITER`. */
export function parseCommandFile(text) {
  const result = {};
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line === '') continue;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const value = [];
      for (i++; i < lines.length && lines[i] !== heredoc[2]; i++) value.push(lines[i]);
      result[heredoc[1]] = value.join('\n');
      continue;
    }
    const eq = line.indexOf('=');
    if (eq > 0) result[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return result;
}

export function loadManifest(file) {
  const doc = parse(readFileSync(file, 'utf8')) ?? {};
  return { inputs: doc.inputs ?? {}, outputs: doc.outputs ?? {}, runs: doc.runs ?? {} };
}

function runStep(script, env, cwd, onLine) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const text = { stdout: '', stderr: '' };
    const pending = { stdout: '', stderr: '' };
    const feed = (stream) => (data) => {
      const chunk = data.toString('utf8');
      text[stream] += chunk;
      const parts = (pending[stream] + chunk).split('\n');
      pending[stream] = parts.pop() ?? '';
      for (const line of parts) onLine?.(stream, line);
    };
    child.stdout.on('data', feed('stdout'));
    child.stderr.on('data', feed('stderr'));
    child.on('error', reject);
    child.on('close', (exitCode, signal) => {
      for (const stream of ['stdout', 'stderr']) if (pending[stream]) onLine?.(stream, pending[stream]);
      resolve({ exitCode, signal, ...text });
    });
  });
}

/**
 * A default such as `${{ github.token }}` evaluated as the runner would, from `expressions`
 * ({ 'github.token': … }); an expression the demo does not know becomes the empty string.
 */
export function evaluate(value, expressions) {
  return value.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_, expression) => expressions[expression] ?? '');
}

/**
 * Runs the action described by `actionYml` with `inputs` (as under `with:`), extra `env`, and the values of
 * the expressions its defaults use.
 * Resolves to { exitCode, stdout, stderr, outputs, summary, state, post }.
 */
export async function runAction({ actionYml, inputs = {}, env = {}, expressions = {}, cwd, onLine }) {
  const manifest = loadManifest(actionYml);
  if (!manifest.runs.main) throw new Error(`${actionYml}: runs.main is not set`);
  const dir = path.dirname(path.resolve(actionYml));
  const work = mkdtempSync(path.join(tmpdir(), 'deploy-actions-demo-step-'));
  try {
    const files = {
      GITHUB_OUTPUT: path.join(work, 'output'),
      GITHUB_STEP_SUMMARY: path.join(work, 'summary.md'),
      GITHUB_STATE: path.join(work, 'state'),
      GITHUB_ENV: path.join(work, 'env'),
      GITHUB_PATH: path.join(work, 'path')
    };
    for (const file of Object.values(files)) writeFileSync(file, '');
    const base = {};
    for (const [key, value] of Object.entries({ ...process.env, ...env }))
      if (!key.startsWith('INPUT_') && value !== undefined) base[key] = value;
    for (const [name, spec] of Object.entries(manifest.inputs))
      if (spec?.default !== undefined) base[inputEnvName(name)] = evaluate(String(spec.default), expressions);
    for (const [name, value] of Object.entries(inputs))
      if (value !== undefined) base[inputEnvName(name)] = String(value);
    const stepEnv = { ...base, ...files };
    if (manifest.runs.pre) await runStep(path.join(dir, manifest.runs.pre), stepEnv, cwd, onLine);
    const main = await runStep(path.join(dir, manifest.runs.main), stepEnv, cwd, onLine);
    const state = parseCommandFile(readFileSync(files.GITHUB_STATE, 'utf8'));
    let post;
    if (manifest.runs.post) {
      const stateEnv = Object.fromEntries(Object.entries(state).map(([k, v]) => [`STATE_${k}`, v]));
      post = await runStep(path.join(dir, manifest.runs.post), { ...stepEnv, ...stateEnv }, cwd, onLine);
    }
    return {
      ...main,
      outputs: parseCommandFile(readFileSync(files.GITHUB_OUTPUT, 'utf8')),
      summary: readFileSync(files.GITHUB_STEP_SUMMARY, 'utf8'),
      state,
      post
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
