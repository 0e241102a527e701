/**
 * The `deploy-actions` command: runs any bundled action outside GitHub (a laptop, Jenkins, GitLab CI)
 * with the same inputs and validation, then prints its outputs and job summary.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, TerminalRenderer } from './args.js';
import { isRequired, listActions, type ActionRef } from './manifest.js';
import { runBundledAction } from './runner.js';

/** The repository root: dist/cli/index.js lives two levels below it. */
export function packageRoot(): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
}

function usage(actions: ActionRef[]): string {
  const width = Math.max(...actions.map((a) => a.name.length));
  return [
    'Usage: deploy-actions <action> [--<input> <value> ...] [--raw]',
    '       deploy-actions <action> --help',
    '',
    'Runs a deploy-actions action outside GitHub Actions with the same inputs and validation.',
    'AWS credentials come from the usual chain (environment, profile, SSO).',
    '',
    'Actions:',
    ...actions.map((a) => `  ${a.name.padEnd(width)}  ${a.manifest.description}`),
    ''
  ].join('\n');
}

function actionHelp(action: ActionRef): string {
  const lines = [`${action.name}: ${action.manifest.description}`, '', 'Inputs:'];
  for (const [name, spec] of Object.entries(action.manifest.inputs)) {
    const flags = [
      isRequired(spec) ? 'required' : undefined,
      spec.default !== undefined && spec.default !== '' ? `default: ${spec.default}` : undefined
    ]
      .filter(Boolean)
      .join(', ');
    lines.push(`  --${name}${flags ? ` (${flags})` : ''}`);
    if (spec.description) lines.push(`      ${spec.description.trim().replace(/\s*\n\s*/g, ' ')}`);
  }
  lines.push('', 'Outputs:');
  for (const [name, spec] of Object.entries(action.manifest.outputs))
    lines.push(`  ${name}: ${spec.description ?? ''}`);
  return `${lines.join('\n')}\n`;
}

export async function cli(argv: string[]): Promise<number> {
  const actions = listActions(packageRoot());
  let args;
  try {
    args = parseArgs(argv);
  } catch (error) {
    process.stderr.write(`deploy-actions: ${(error as Error).message}\n`);
    return 2;
  }
  if (!args.action) {
    process.stdout.write(usage(actions));
    return args.help ? 0 : 2;
  }
  const action = actions.find((a) => a.name === args.action);
  if (!action) {
    process.stderr.write(`deploy-actions: unknown action '${args.action}'\n\n${usage(actions)}`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(actionHelp(action));
    return 0;
  }
  const unknown = Object.keys(args.inputs).filter((name) => !(name in action.manifest.inputs));
  if (unknown.length) {
    process.stderr.write(
      `deploy-actions: ${action.name} has no input ${unknown.map((u) => `--${u}`).join(', ')}; see deploy-actions ${action.name} --help\n`
    );
    return 2;
  }
  const renderer = new TerminalRenderer(process.env.RUNNER_DEBUG === '1');
  const print = (stream: 'stdout' | 'stderr', line: string) => {
    const rendered = args.raw ? line : renderer.render(line);
    if (rendered !== undefined)
      (stream === 'stdout' ? process.stdout : process.stderr).write(`${rendered}\n`);
  };
  const result = await runBundledAction({
    actionYml: action.file,
    inputs: args.inputs,
    env: { GITHUB_ACTIONS: process.env.GITHUB_ACTIONS ?? '' },
    onLine: print
  });
  const outputs = Object.entries(result.outputs);
  if (outputs.length) {
    process.stdout.write('\nOutputs:\n');
    for (const [name, value] of outputs) process.stdout.write(renderer.mask(`  ${name}=${value}\n`));
  }
  if (result.summary.trim()) process.stdout.write(`\nSummary:\n${renderer.mask(result.summary)}\n`);
  if (result.post && result.post.exitCode !== 0) return result.post.exitCode ?? 1;
  return result.exitCode ?? 1;
}
