/**
 * Runs the builder CLIs with @actions/exec: output streams to the log as it comes, the command line is
 * echoed (it never holds a secret: passwords go in on stdin, build secrets through the environment).
 */
import { getExecOutput } from '@actions/exec';

export interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface ExecOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Written to stdin (e.g. a password for `login --password-stdin`). */
  input?: string;
  /** Do not echo the command or its output (probes such as `docker info`). */
  silent?: boolean;
}

/** The function the builders call; tests of argument lists never need it. */
export type Exec = (command: string, args: string[], options?: ExecOptions) => Promise<ExecResult>;

export const exec: Exec = async (command, args, options = {}) => {
  try {
    const result = await getExecOutput(command, args, {
      ignoreReturnCode: true,
      silent: options.silent ?? false,
      cwd: options.cwd,
      env: options.env
        ? (Object.fromEntries(Object.entries(options.env).filter(([, v]) => v !== undefined)) as Record<
            string,
            string
          >)
        : undefined,
      input: options.input !== undefined ? Buffer.from(options.input) : undefined
    });
    return { code: result.exitCode, stdout: result.stdout, stderr: result.stderr };
  } catch (error) {
    // Not found on PATH, not executable: report like a failed command.
    return { code: 127, stdout: '', stderr: error instanceof Error ? error.message : String(error) };
  }
};

/** The last few non-empty lines a failed command wrote to stderr (else stdout), for an error message. */
export function tail(result: ExecResult, lines = 5): string {
  const pick = (text: string) =>
    text
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter(Boolean);
  const err = pick(result.stderr);
  return (err.length ? err : pick(result.stdout)).slice(-lines).join('\n');
}
