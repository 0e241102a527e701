/**
 * Runs a bundled action the way the GitHub runner does: INPUT_* variables (with action.yml defaults),
 * GITHUB_OUTPUT / GITHUB_STEP_SUMMARY / GITHUB_STATE files, `pre`, `main`, then `post` with the saved state.
 * Used by the `deploy-actions` CLI, the integration tests and the demo.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inputEnvName, loadManifest } from './manifest.js';

export interface RunOptions {
  /** Path of the action.yml to run. */
  actionYml: string;
  /** Inputs by name, as given under `with:`. */
  inputs?: Record<string, string | number | boolean | undefined>;
  /** Extra environment (merged over the current one, minus any INPUT_* already set). */
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Called for each line the action prints, as it prints it. */
  onLine?: (stream: 'stdout' | 'stderr', line: string) => void;
  /** Run the `post:` step after main (default true), as GitHub does. */
  runPost?: boolean;
  /** The node binary (default: the one running this code). */
  node?: string;
  /** Signal to send to main after it started (tests of cancellation); see `cancelWhen`. */
  cancelWhen?: (line: string) => boolean;
  /**
   * Values of the `${{ … }}` expressions action.yml defaults use (e.g. `{ 'github.token': '…' }`). When given,
   * defaults are evaluated as the runner would, unknown expressions becoming ''; when absent they pass as written.
   */
  expressions?: Record<string, string>;
}

/** Evaluates the `${{ name }}` expressions in an action.yml default from `expressions`; unknown ones become ''. */
export function evaluateDefault(value: string, expressions: Record<string, string>): string {
  return value.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_, expression: string) => expressions[expression] ?? '');
}

export interface StepResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunResult extends StepResult {
  outputs: Record<string, string>;
  summary: string;
  state: Record<string, string>;
  post?: StepResult;
}

/** Parses GITHUB_OUTPUT / GITHUB_STATE file contents (`name=value` and `name<<DELIM … DELIM`). */
export function parseCommandFile(text: string): Record<string, string> {
  const result: Record<string, string> = {};
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line === '') continue;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name, delimiter] = heredoc as unknown as [string, string, string];
      const value: string[] = [];
      for (i++; i < lines.length && lines[i] !== delimiter; i++) value.push(lines[i] as string);
      result[name] = value.join('\n');
      continue;
    }
    const eq = line.indexOf('=');
    if (eq > 0) result[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return result;
}

function runStep(
  script: string,
  env: NodeJS.ProcessEnv,
  options: Pick<RunOptions, 'cwd' | 'onLine' | 'node' | 'cancelWhen'>
): Promise<StepResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(options.node ?? process.execPath, [script], {
      cwd: options.cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe']
    });
    const chunks = { stdout: '', stderr: '' };
    const pending = { stdout: '', stderr: '' };
    let cancelled = false;
    const feed = (stream: 'stdout' | 'stderr', data: Buffer) => {
      const text = data.toString('utf8');
      chunks[stream] += text;
      pending[stream] += text;
      const parts = pending[stream].split('\n');
      pending[stream] = parts.pop() ?? '';
      for (const line of parts) {
        options.onLine?.(stream, line);
        if (!cancelled && options.cancelWhen?.(line)) {
          cancelled = true;
          child.kill('SIGINT');
        }
      }
    };
    child.stdout.on('data', (d: Buffer) => feed('stdout', d));
    child.stderr.on('data', (d: Buffer) => feed('stderr', d));
    child.on('error', reject);
    child.on('close', (exitCode, signal) => {
      for (const stream of ['stdout', 'stderr'] as const)
        if (pending[stream]) options.onLine?.(stream, pending[stream]);
      resolve({ exitCode, signal, stdout: chunks.stdout, stderr: chunks.stderr });
    });
  });
}

/** Runs one action end to end and returns its exit code, outputs, summary and state. */
export async function runBundledAction(options: RunOptions): Promise<RunResult> {
  const manifest = loadManifest(options.actionYml);
  if (!manifest.runs.main)
    throw new Error(`${options.actionYml}: runs.main is not set (not a JavaScript action)`);
  const dir = path.dirname(path.resolve(options.actionYml));
  const work = mkdtempSync(path.join(tmpdir(), 'deploy-actions-run-'));
  try {
    const files = {
      GITHUB_OUTPUT: path.join(work, 'output'),
      GITHUB_STEP_SUMMARY: path.join(work, 'summary.md'),
      GITHUB_STATE: path.join(work, 'state'),
      GITHUB_ENV: path.join(work, 'env'),
      GITHUB_PATH: path.join(work, 'path')
    };
    for (const file of Object.values(files)) writeFileSync(file, '');
    const base: NodeJS.ProcessEnv = {};
    for (const [key, value] of Object.entries({ ...process.env, ...options.env })) {
      if (!key.startsWith('INPUT_')) base[key] = value;
    }
    for (const [name, spec] of Object.entries(manifest.inputs)) {
      if (spec.default === undefined) continue;
      const value = String(spec.default);
      base[inputEnvName(name)] = options.expressions ? evaluateDefault(value, options.expressions) : value;
    }
    for (const [name, value] of Object.entries(options.inputs ?? {})) {
      if (value !== undefined) base[inputEnvName(name)] = String(value);
    }
    const env = { ...base, ...files };
    const stepOptions = { cwd: options.cwd, onLine: options.onLine, node: options.node };
    if (manifest.runs.pre) await runStep(path.join(dir, manifest.runs.pre), env, stepOptions);
    const main = await runStep(path.join(dir, manifest.runs.main), env, {
      ...stepOptions,
      cancelWhen: options.cancelWhen
    });
    const state = parseCommandFile(readFileSync(files.GITHUB_STATE, 'utf8'));
    let post: StepResult | undefined;
    if (manifest.runs.post && options.runPost !== false) {
      const stateEnv: NodeJS.ProcessEnv = {};
      for (const [key, value] of Object.entries(state)) stateEnv[`STATE_${key}`] = value;
      post = await runStep(path.join(dir, manifest.runs.post), { ...env, ...stateEnv }, stepOptions);
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
