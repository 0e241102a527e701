/**
 * The workflow checks CI runs on top of actionlint (which cannot read our actions' action.yml files):
 *  - checkActionUsage: every `with:` key given to one of our actions is one of its inputs, every required
 *    input is given, and every `steps.<id>.outputs.<name>` read from one of our steps is one of its outputs;
 *  - checkPwnRequest: no workflow triggered by pull_request_target or workflow_run checks out or runs the
 *    pull request's code;
 *  - findSsh: no ssh, scp, sftp, rsync over ssh or port 22 in a workflow, script or example.
 * Each is pure (text in, problems out) so a test can prove it fails on a bad sample. The I/O (which files)
 * lives in the tests.
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';

export interface Problem {
  file: string;
  line: number;
  message: string;
}

export const format = (p: Problem): string => `${p.file}:${p.line}: ${p.message}`;

/** What the checks need to know about one of our actions (from its action.yml). */
export interface ActionSpec {
  inputs: Record<string, { required?: boolean | string; default?: unknown }>;
  outputs: Record<string, unknown>;
}

/** Our actions by name; the root action.yml is under ROOT_ACTION. */
export type ActionCatalog = Record<string, ActionSpec>;
export const ROOT_ACTION = '.';

/** The repositories whose `uses:` references are ours (the placeholder users replace when they fork). */
export const OUR_REPOSITORIES = ['OWNER/REPO'];

/**
 * The action a `uses:` value points at, if it is one of ours: `OWNER/REPO/actions/<name>@ref`,
 * `./actions/<name>`, `OWNER/REPO@ref` or `./` (the root action). Undefined for anything else.
 */
export function ourAction(
  uses: string,
  repositories: readonly string[] = OUR_REPOSITORIES
): string | undefined {
  const local = /^\.\/?(?:actions\/([^/@\s]+))?\/?$/.exec(uses.trim());
  if (local) return local[1] ?? ROOT_ACTION;
  const remote = /^([^/@\s]+\/[^/@\s]+)(?:\/actions\/([^/@\s]+))?@\S+$/.exec(uses.trim());
  if (remote && repositories.includes(remote[1] as string)) return remote[2] ?? ROOT_ACTION;
  return undefined;
}

const isRequired = (spec: ActionSpec['inputs'][string]): boolean =>
  (spec.required === true || spec.required === 'true') && (spec.default === undefined || spec.default === '');

interface Located {
  value: unknown;
  line: number;
}

function lineOf(node: Node | null | undefined, counter: LineCounter): number {
  const start = node?.range?.[0];
  return start === undefined ? 1 : counter.linePos(start).line;
}

/** The key/value pairs of a YAML mapping node, with the line each key is on. */
function entries(node: unknown, counter: LineCounter): Map<string, Located & { node: unknown }> {
  const result = new Map<string, Located & { node: unknown }>();
  if (!isMap(node)) return result;
  for (const pair of node.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
    const value = pair.value as Node | null;
    result.set(key, {
      value: isScalar(value) ? value.value : value,
      node: value,
      line: lineOf(pair.key as Node, counter)
    });
  }
  return result;
}

/** Every string inside a YAML node (keys and values), for expression scanning. */
function strings(node: unknown, out: string[] = []): string[] {
  if (isScalar(node)) {
    if (typeof node.value === 'string') out.push(node.value);
  } else if (isMap(node)) {
    for (const pair of node.items) {
      strings(pair.key, out);
      strings(pair.value, out);
    }
  } else if (isSeq(node)) {
    for (const item of node.items) strings(item, out);
  }
  return out;
}

/** The step lists of a document: a workflow's jobs, an action.yml's composite steps, or bare snippets. */
function stepLists(root: unknown, counter: LineCounter): { scope: unknown; steps: unknown[] }[] {
  const top = entries(root, counter);
  const lists: { scope: unknown; steps: unknown[] }[] = [];
  const jobs = top.get('jobs')?.node;
  if (isMap(jobs)) {
    for (const pair of jobs.items) {
      const job = entries(pair.value, counter);
      const steps = job.get('steps')?.node;
      if (isSeq(steps)) lists.push({ scope: pair.value, steps: steps.items });
    }
  }
  const runsSteps = entries(top.get('runs')?.node, counter).get('steps')?.node;
  if (isSeq(runsSteps)) lists.push({ scope: runsSteps, steps: runsSteps.items });
  const ownSteps = top.get('steps')?.node;
  if (isSeq(ownSteps)) lists.push({ scope: root, steps: ownSteps.items });
  if (isSeq(root)) lists.push({ scope: root, steps: root.items });
  if (isMap(root) && top.has('uses')) lists.push({ scope: root, steps: [root] });
  return lists;
}

/** Parses YAML keeping line positions; `invalid` is the first syntax error as a problem. */
function load(file: string, text: string) {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, uniqueKeys: false });
  const error = doc.errors[0];
  const invalid: Problem | undefined = error
    ? {
        file,
        line: error.linePos?.[0]?.line ?? 1,
        message: `not valid YAML: ${error.message.split('\n')[0]}`
      }
    : undefined;
  return { doc, counter, invalid };
}

/**
 * Checks every step that uses one of our actions in a workflow, action.yml or snippet. `offset` shifts
 * line numbers (for snippets inside Markdown).
 */
export function checkActionUsage(
  file: string,
  text: string,
  catalog: ActionCatalog,
  options: { repositories?: readonly string[]; offset?: number } = {}
): Problem[] {
  const { doc, counter, invalid } = load(file, text);
  if (invalid) return [{ ...invalid, line: invalid.line + (options.offset ?? 0) }];
  const offset = options.offset ?? 0;
  const problems: Problem[] = [];
  const report = (line: number, message: string) => problems.push({ file, line: line + offset, message });
  for (const { scope, steps } of stepLists(doc.contents, counter)) {
    const outputsById = new Map<string, { name: string; spec: ActionSpec }>();
    for (const step of steps) {
      const fields = entries(step, counter);
      const uses = fields.get('uses');
      if (!uses || typeof uses.value !== 'string') continue;
      const name = ourAction(uses.value, options.repositories);
      if (name === undefined) continue;
      const label = name === ROOT_ACTION ? 'the root action' : name;
      const spec = catalog[name];
      if (!spec) {
        report(
          uses.line,
          `'${uses.value}' is not one of our actions (${Object.keys(catalog).sort().join(', ')})`
        );
        continue;
      }
      const withNode = fields.get('with');
      const given = entries(withNode?.node, counter);
      for (const [key, { line }] of given) {
        if (!(key in spec.inputs)) {
          const known = Object.keys(spec.inputs).sort().join(', ');
          report(line, `'${key}' is not an input of ${label}; its inputs are: ${known}`);
        }
      }
      // A documentation snippet may elide its inputs on purpose (`with:` holding only `# …`); then only
      // the keys it does give are checked.
      const range = (step as Node).range;
      const elided =
        given.size === 0 && range != null && /#\s*(?:…|\.\.\.)/.test(text.slice(range[0], range[2]));
      for (const [input, inputSpec] of Object.entries(spec.inputs)) {
        if (isRequired(inputSpec) && !given.has(input) && !elided)
          report(withNode?.line ?? uses.line, `${label} requires input '${input}', which is not given`);
      }
      const id = fields.get('id')?.value;
      if (typeof id === 'string') outputsById.set(id, { name: label, spec });
    }
    // Reads of our steps' outputs, anywhere in the job (step ids are scoped to a job).
    if (!outputsById.size) continue;
    for (const value of strings(scope)) {
      for (const match of value.matchAll(/\bsteps\.([\w-]+)\.outputs\.([\w-]+)/g)) {
        const [, id, output] = match as unknown as [string, string, string];
        const step = outputsById.get(id);
        if (step && !(output in step.spec.outputs)) {
          const line = text.split('\n').findIndex((l) => l.includes(match[0])) + 1;
          const known = Object.keys(step.spec.outputs).sort().join(', ');
          report(
            line || 1,
            `step '${id}' (${step.name}) has no output '${output}'; its outputs are: ${known}`
          );
        }
      }
    }
  }
  return problems;
}

/** The YAML fenced code blocks of a Markdown file, with the line each starts on (0-based offset). */
export function yamlBlocks(markdown: string): { text: string; offset: number }[] {
  const blocks: { text: string; offset: number }[] = [];
  const lines = markdown.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*ya?ml\b/i.exec(lines[i] as string);
    if (!open) continue;
    const fence = open[2] as string;
    const start = i + 1;
    let end = start;
    while (end < lines.length && !(lines[end] as string).trim().startsWith(fence)) end++;
    blocks.push({ text: lines.slice(start, end).join('\n'), offset: start });
    i = end;
  }
  return blocks;
}

// ---------------------------------------------------------------------------------------------------
// Workflow hygiene: least permissions, OIDC instead of keys, pinned third-party actions, one deployment
// per environment at a time.

const PINNED_SHA = /@[0-9a-f]{40}$/;
const VERSION_COMMENT = /#\s*v?\d+(?:\.\d+)*/;

/** Flags a workflow that grants default permissions, uses AWS keys, pins loosely or can race deployments. */
export function checkWorkflowPolicy(
  file: string,
  text: string,
  repositories: readonly string[] = OUR_REPOSITORIES
): Problem[] {
  const { doc, counter, invalid } = load(file, text);
  if (invalid) return [invalid];
  const lines = text.split(/\r?\n/);
  const problems: Problem[] = [];
  const report = (line: number, message: string) => problems.push({ file, line, message });
  const top = entries(doc.contents, counter);
  if (!top.has('permissions'))
    report(
      1,
      'no top-level permissions: the token gets the repository default; grant the least the jobs need'
    );
  const topPermissions = JSON.stringify(doc.toJS()?.permissions ?? {});
  const jobs = top.get('jobs')?.node;
  if (!isMap(jobs)) return problems;
  for (const pair of jobs.items) {
    const jobName = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
    const job = entries(pair.value, counter);
    const jobLine = lineOf(pair.key as Node, counter);
    const jobJson = JSON.stringify((pair.value as Node & { toJSON(): unknown }).toJSON?.() ?? {});
    let assumesRole = false;
    const steps = job.get('steps')?.node;
    for (const step of isSeq(steps) ? steps.items : []) {
      const fields = entries(step, counter);
      const uses = fields.get('uses');
      if (!uses || typeof uses.value !== 'string') continue;
      const raw = lines[uses.line - 1] ?? '';
      const ref = uses.value;
      if (ref.startsWith('./') || ref.startsWith('docker://')) continue;
      if (ourAction(ref, repositories) !== undefined) {
        if (!raw.includes('#'))
          report(uses.line, `'${ref}': add a comment saying how to pin it (@<sha> # v1.x.y)`);
        continue;
      }
      if (!PINNED_SHA.test(ref) || !VERSION_COMMENT.test(raw))
        report(
          uses.line,
          `'${ref}' is not pinned by full commit SHA with a version comment (@<40 hex> # v1.2.3)`
        );
      if (/^aws-actions\/configure-aws-credentials@/.test(ref)) {
        assumesRole = true;
        const given = entries(fields.get('with')?.node, counter);
        if (given.has('aws-access-key-id') || given.has('aws-secret-access-key'))
          report(uses.line, 'long-lived AWS keys: assume a role through OIDC (role-to-assume) instead');
        else if (!given.has('role-to-assume'))
          report(uses.line, 'configure-aws-credentials without role-to-assume');
      }
    }
    if (/AWS_SECRET_ACCESS_KEY/.test(jobJson))
      report(jobLine, `job '${jobName}' sets AWS_SECRET_ACCESS_KEY: use OIDC (role-to-assume) instead`);
    if (assumesRole) {
      if (!/"id-token":"write"/.test(jobJson) && !/"id-token":"write"/.test(topPermissions))
        report(
          jobLine,
          `job '${jobName}' assumes an AWS role but does not grant permissions: id-token: write`
        );
      if (!job.has('concurrency') && !top.has('concurrency'))
        report(
          jobLine,
          `job '${jobName}' deploys without concurrency: two runs could race on one environment`
        );
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------------
// Pwn requests: pull_request_target and workflow_run run with the base repository's secrets and a
// write token. Combined with checking out or running the pull request's code, a fork can steal them.

const PR_CODE_REFS =
  /github\.event\.pull_request\.head\.(?:sha|ref)|github\.head_ref|github\.event\.workflow_run\.head_(?:sha|branch)|github\.event\.workflow_run\.pull_requests|refs\/pull\//;
const RUNS_PR_CODE =
  /\bgh\s+pr\s+checkout\b|\bgit\s+(?:fetch|checkout|switch|pull)\b[^\n]*(?:pull\/|\$\{\{\s*github\.(?:head_ref|event\.pull_request\.head|event\.workflow_run\.head))/;
const ARTIFACT_FROM_RUN = /actions\/download-artifact@|dawidd6\/action-download-artifact@/;

function triggers(on: unknown): string[] {
  if (typeof on === 'string') return [on];
  if (Array.isArray(on)) return on.map(String);
  if (on && typeof on === 'object') return Object.keys(on);
  return [];
}

/** Flags a workflow that combines pull_request_target or workflow_run with the pull request's code. */
export function checkPwnRequest(file: string, text: string): Problem[] {
  const { doc, counter, invalid } = load(file, text);
  if (invalid) return [invalid];
  const json = doc.toJS() as { on?: unknown; true?: unknown } | null;
  const on = triggers(json?.on ?? json?.true);
  const privileged = on.filter((t) => t === 'pull_request_target' || t === 'workflow_run');
  if (!privileged.length) return [];
  const problems: Problem[] = [];
  const trigger = privileged.join(' and ');
  for (const { steps } of stepLists(doc.contents, counter)) {
    for (const step of steps) {
      const fields = entries(step, counter);
      const uses = fields.get('uses');
      const body = strings(step).join('\n');
      const line = lineOf(step as Node, counter);
      const checkout = typeof uses?.value === 'string' && /^actions\/checkout@/.test(uses.value);
      if (checkout && PR_CODE_REFS.test(body)) {
        problems.push({
          file,
          line,
          message: `${trigger} with a checkout of the pull request's code (pwn request)`
        });
      } else if (RUNS_PR_CODE.test(body)) {
        problems.push({
          file,
          line,
          message: `${trigger} with a step that fetches the pull request's code (pwn request)`
        });
      } else if (
        privileged.includes('workflow_run') &&
        typeof uses?.value === 'string' &&
        ARTIFACT_FROM_RUN.test(uses.value) &&
        /github\.event\.workflow_run\.id|run-id/.test(body)
      ) {
        problems.push({
          file,
          line,
          message: `${trigger} downloading the triggering run's artifacts (built from the pull request's code)`
        });
      }
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------------
// No SSH. Usage, not mentions: a command in command position, an ssh action or secret, rsync to a remote
// shell, or port 22 opened. Prose ("no SSH anywhere") does not match.

const SSH_COMMANDS = 'ssh|scp|sftp|sshpass|ssh-keyscan|ssh-add|ssh-agent|ssh-copy-id|ssh-keygen';

export const SSH_PATTERNS: { name: string; pattern: RegExp }[] = [
  {
    name: 'an ssh/scp/sftp command',
    pattern: new RegExp(
      String.raw`(?:^\s*(?:-\s+)?(?:run:\s*)?|[;&|(\x60]\s*|\$\(\s*|\b(?:then|do|else|sudo|exec|xargs|env|time|nohup|command)\s+)(?:${SSH_COMMANDS})(?=\s|$|;|\))`
    )
  },
  {
    name: 'an ssh/scp/sftp command in a string',
    pattern: new RegExp(String.raw`(['"\x60])(?:${SSH_COMMANDS})(?:\1|\s)`)
  },
  {
    name: 'rsync over ssh',
    pattern: /\brsync\b.*(?:-e\s*['"]?ssh\b|--rsh\b|\s[\w.-]+@[\w.-]+:|\s[a-z][\w-]*(?:\.[\w-]+)+:[~/\w])/i
  },
  { name: 'an SSH action', pattern: /\buses:\s*['"]?[\w.-]+\/[\w./-]*(?:ssh|scp|sftp|rsync)[\w./-]*@/i },
  { name: 'an SSH key or setting', pattern: /^\s*(?:-\s+)?['"]?[\w-]*ssh[\w-]*['"]?\s*:(?:\s|$)/i },
  { name: 'an SSH secret', pattern: /\bsecrets\.[\w]*ssh[\w]*/i },
  {
    name: 'port 22',
    pattern:
      /\b(?:port|fromport|toport|from_port|to_port|portrange|port_range)['"]?\s*[:=]\s*['"]?22\b(?![\d.])|--port[ =]22\b|\b22\/tcp\b|\btcp\/22\b|(?:localhost|\b\d{1,3}(?:\.\d{1,3}){3}|\b[a-z][\w-]*(?:\.[\w-]+)+):22\b(?![\d:.])/i
  }
];

/** The lines of a file the ssh check reads: all of them, or in Markdown only the fenced code blocks. */
function scannedLines(file: string, text: string): { line: number; text: string }[] {
  const lines = text.split(/\r?\n/).map((t, i) => ({ line: i + 1, text: t }));
  if (!/\.(?:md|markdown)$/i.test(file)) return lines;
  const code: { line: number; text: string }[] = [];
  let fence: string | undefined;
  for (const entry of lines) {
    const marker = /^\s*(`{3,}|~{3,})/.exec(entry.text);
    if (marker) {
      if (fence === undefined) fence = marker[1];
      else if (entry.text.trim().startsWith(fence as string)) fence = undefined;
      continue;
    }
    if (fence !== undefined) code.push(entry);
  }
  return code;
}

/** JavaScript/TypeScript regular-expression literals, which may spell `ssh` to look for it, not to run it. */
const REGEX_LITERAL = /(^|[=(,:[!&|?{};]\s*)\/(?![*/])(?:\\.|\[(?:\\.|[^\]\n])*\]|[^/\n\\[])+\/[a-z]*/g;

export const withoutRegexLiterals = (line: string): string => line.replace(REGEX_LITERAL, '$1/…/');

/** Every line of a workflow, script or example (Markdown: its code blocks) that uses SSH or port 22. */
export function findSsh(file: string, text: string): Problem[] {
  const problems: Problem[] = [];
  const code = /\.(?:[cm]?[jt]s)$/.test(file);
  for (const { line, text: raw } of scannedLines(file, text)) {
    const content = code ? withoutRegexLiterals(raw) : raw;
    for (const { name, pattern } of SSH_PATTERNS) {
      if (pattern.test(content)) {
        problems.push({ file, line, message: `${name}: ${raw.trim().slice(0, 160)}` });
        break;
      }
    }
  }
  return problems;
}
