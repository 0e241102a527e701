/**
 * Validates an EC2/on-premises appspec.yml against the bundle it ships in, before anything leaves the
 * runner. Pure: the bundle is given as a listing, so the rules are tested without touching the disk.
 * Every problem carries the line and column it points at (yaml's node ranges through a LineCounter).
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node, type Pair, type YAMLMap } from 'yaml';

export interface BundleEntry {
  type: 'file' | 'dir';
  /** POSIX mode bits (only the permission bits matter). */
  mode: number;
  /** The first bytes of a file (enough for the first line), for shebang and line-ending checks. */
  head?: Buffer;
}

/** The bundle as POSIX paths relative to its root (no leading `./` or `/`), directories included. */
export type BundleListing = ReadonlyMap<string, BundleEntry>;

export interface AppSpecProblem {
  severity: 'error' | 'warning';
  line: number;
  column: number;
  message: string;
}

export interface AppSpecHook {
  event: string;
  location: string;
  timeoutSeconds: number;
  runas?: string;
}

export interface AppSpecResult {
  problems: AppSpecProblem[];
  os?: 'linux' | 'windows';
  hooks: AppSpecHook[];
}

/** Lifecycle events an EC2/on-premises appspec may attach scripts to, in the order the agent runs them. */
export const EC2_HOOKS = [
  'ApplicationStop',
  'BeforeBlockTraffic',
  'AfterBlockTraffic',
  'BeforeInstall',
  'AfterInstall',
  'ApplicationStart',
  'ValidateService',
  'BeforeAllowTraffic',
  'AfterAllowTraffic'
] as const;

/** Events the agent runs itself; scripts cannot be attached to them. */
const RESERVED_EVENTS = new Set([
  'Start',
  'DownloadBundle',
  'Install',
  'BlockTraffic',
  'AllowTraffic',
  'End'
]);
/** Hooks that exist only for ECS or Lambda deployments. */
const OTHER_PLATFORM_HOOKS = new Set(['BeforeAllowTestTraffic', 'AfterAllowTestTraffic']);

const TOP_LEVEL_KEYS = ['version', 'os', 'files', 'permissions', 'hooks', 'file_exists_behavior'];
const FILE_KEYS = ['source', 'destination', 'overwrite'];
const SCRIPT_KEYS = ['location', 'timeout', 'runas'];
const MAX_TIMEOUT = 3600;

/** A bundle path as the agent resolves it: relative to the archive root; `..` escapes are rejected. */
export function bundlePath(location: string): string | undefined {
  const parts: string[] = [];
  for (const part of location.replace(/\\/g, '/').split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') return undefined;
    parts.push(part);
  }
  return parts.join('/');
}

export function validateAppSpec(text: string, bundle: BundleListing): AppSpecResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const problems: AppSpecProblem[] = [];
  const hooks: AppSpecHook[] = [];
  const at = (offset: number): { line: number; column: number } => {
    const pos = lineCounter.linePos(offset);
    return { line: pos.line, column: pos.col };
  };
  const report = (severity: AppSpecProblem['severity'], node: Node | null | undefined, message: string) => {
    const offset = node?.range?.[0] ?? 0;
    problems.push({ severity, ...at(offset), message });
  };
  const error = (node: Node | null | undefined, message: string) => report('error', node, message);

  for (const e of doc.errors) {
    const offset = e.pos[0];
    problems.push({ severity: 'error', ...at(offset), message: e.message.split('\n')[0] as string });
  }
  if (doc.errors.length) return { problems, hooks };

  const root = doc.contents;
  if (!isMap(root)) {
    error(root, 'appspec.yml must be a mapping with version, os, files and hooks.');
    return { problems, hooks };
  }
  const get = (map: YAMLMap, key: string): Pair | undefined =>
    map.items.find((pair) => isScalar(pair.key) && pair.key.value === key) as Pair | undefined;
  const scalarText = (node: unknown): string | undefined =>
    isScalar(node) && node.value !== null && typeof node.value !== 'object' ? String(node.value) : undefined;
  const keyNode = (pair: Pair) => pair.key as Node;
  const valueNode = (pair: Pair) => (pair.value as Node | null) ?? keyNode(pair);

  for (const pair of root.items) {
    const name = scalarText(pair.key);
    if (name !== undefined && !TOP_LEVEL_KEYS.includes(name))
      report(
        'warning',
        keyNode(pair),
        `'${name}' is not an EC2/on-premises appspec key (expected ${TOP_LEVEL_KEYS.join(', ')}); the agent ignores it.`
      );
  }

  // version: 0.0, written as such (YAML reads 0.0 as the number 0, so look at the source text).
  const version = get(root, 'version');
  if (!version) error(root, "'version' is missing; EC2/on-premises deployments need version: 0.0.");
  else {
    const node = valueNode(version);
    const source = node.range ? text.slice(node.range[0], node.range[1]).trim() : '';
    if (!['0.0', "'0.0'", '"0.0"'].includes(source))
      error(node, `'version' is ${source || 'empty'}; EC2/on-premises deployments need version: 0.0.`);
  }

  // os: linux | windows
  let os: AppSpecResult['os'];
  const osPair = get(root, 'os');
  if (!osPair) error(root, "'os' is missing; expected os: linux or os: windows.");
  else {
    const value = scalarText(osPair.value);
    if (value === 'linux' || value === 'windows') os = value;
    else error(valueNode(osPair), `'os' is '${value ?? ''}'; expected linux or windows.`);
  }

  // files: [{ source, destination, overwrite? }]
  const files = get(root, 'files');
  if (files && files.value !== null) {
    if (!isSeq(files.value)) error(valueNode(files), "'files' must be a list of { source, destination }.");
    else
      for (const item of files.value.items as Node[]) {
        if (!isMap(item)) {
          error(item, 'each files entry must be a mapping with source and destination.');
          continue;
        }
        for (const pair of item.items) {
          const key = scalarText(pair.key);
          if (key !== undefined && !FILE_KEYS.includes(key))
            error(keyNode(pair), `unknown key '${key}' in a files entry; expected ${FILE_KEYS.join(', ')}.`);
        }
        const source = get(item, 'source');
        const destination = get(item, 'destination');
        if (!source) error(item, "a files entry has no 'source'.");
        else {
          const value = scalarText(source.value) ?? '';
          const rel = bundlePath(value);
          if (value === '') error(valueNode(source), "'source' is empty; use / for the whole bundle.");
          else if (rel === undefined)
            error(valueNode(source), `'source' ${value} leaves the bundle ('..' is not allowed).`);
          else if (rel !== '' && !bundle.has(rel))
            error(valueNode(source), `'source' ${value} does not exist in the bundle.`);
        }
        if (!destination) error(item, "a files entry has no 'destination'.");
        else {
          const value = scalarText(destination.value) ?? '';
          const absolute = os === 'windows' ? /^[A-Za-z]:[\\/]/.test(value) : value.startsWith('/');
          if (!absolute)
            error(
              valueNode(destination),
              `'destination' '${value}' must be an absolute path on the instance${os === 'windows' ? ' (C:\\…)' : ' (/…)'}.`
            );
        }
      }
  }

  // file_exists_behavior
  const feb = get(root, 'file_exists_behavior');
  if (feb) {
    const value = scalarText(feb.value);
    if (!['DISALLOW', 'OVERWRITE', 'RETAIN'].includes(value ?? ''))
      error(
        valueNode(feb),
        `'file_exists_behavior' is '${value ?? ''}'; expected DISALLOW, OVERWRITE or RETAIN.`
      );
  }

  // permissions: [{ object, … }]
  const permissions = get(root, 'permissions');
  if (permissions && permissions.value !== null) {
    if (!isSeq(permissions.value)) error(valueNode(permissions), "'permissions' must be a list.");
    else
      for (const item of permissions.value.items as Node[]) {
        if (!isMap(item) || !get(item, 'object')) error(item, "each permissions entry needs an 'object'.");
      }
  }

  // hooks: { Event: [{ location, timeout?, runas? }] }
  const hooksPair = get(root, 'hooks');
  if (hooksPair && hooksPair.value !== null) {
    if (!isMap(hooksPair.value))
      error(valueNode(hooksPair), "'hooks' must map lifecycle events to lists of scripts.");
    else
      for (const eventPair of hooksPair.value.items) {
        const event = scalarText(eventPair.key) ?? '';
        if (RESERVED_EVENTS.has(event)) {
          error(
            keyNode(eventPair),
            `'${event}' is run by the CodeDeploy agent itself and cannot have scripts.`
          );
          continue;
        }
        if (!(EC2_HOOKS as readonly string[]).includes(event)) {
          const where = OTHER_PLATFORM_HOOKS.has(event) ? ' (it exists only for ECS and Lambda)' : '';
          error(
            keyNode(eventPair),
            `'${event}' is not an EC2/on-premises lifecycle hook${where}; expected one of ${EC2_HOOKS.join(', ')}.`
          );
          continue;
        }
        if (eventPair.value === null) continue;
        if (!isSeq(eventPair.value)) {
          error(valueNode(eventPair), `'${event}' must be a list of scripts (- location: scripts/….sh).`);
          continue;
        }
        let total = 0;
        for (const script of eventPair.value.items as Node[]) {
          if (!isMap(script)) {
            error(script, `each ${event} script must be a mapping with a location.`);
            continue;
          }
          for (const pair of script.items) {
            const key = scalarText(pair.key);
            if (key !== undefined && !SCRIPT_KEYS.includes(key))
              error(
                keyNode(pair),
                `unknown key '${key}' in a ${event} script; expected ${SCRIPT_KEYS.join(', ')}.`
              );
          }
          const timeoutSeconds = checkTimeout(get(script, 'timeout'), event);
          total += timeoutSeconds;
          const runasPair = get(script, 'runas');
          const runas = runasPair ? scalarText(runasPair.value) : undefined;
          if (runasPair && !runas) error(valueNode(runasPair), `'runas' of a ${event} script is empty.`);
          const locationPair = get(script, 'location');
          if (!locationPair) {
            error(script, `a ${event} script has no 'location'.`);
            continue;
          }
          const location = scalarText(locationPair.value) ?? '';
          const problem = checkScript(location, os, bundle);
          if (problem) error(valueNode(locationPair), `${event} script ${problem}`);
          hooks.push({ event, location, timeoutSeconds, ...(runas ? { runas } : {}) });
        }
        // The agent allows an event one hour in all, whatever the scripts declare; explicit timeouts that
        // add up to more are a deployment that can fail on time alone.
        if (total > MAX_TIMEOUT)
          report(
            'warning',
            keyNode(eventPair),
            `the ${event} scripts' timeouts add up to ${total} s, but CodeDeploy stops a lifecycle event after ${MAX_TIMEOUT} s in all.`
          );
      }
  }
  if (!files && !hooksPair)
    report('warning', root, 'appspec.yml has neither files nor hooks: the deployment would do nothing.');

  function checkTimeout(pair: Pair | undefined, event: string): number {
    if (!pair) return 0; // the agent's default, 3600 s, but not something the author asked for
    const node = pair.value;
    const value = isScalar(node) ? node.value : undefined;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_TIMEOUT) {
      error(
        valueNode(pair),
        `'timeout' of a ${event} script is '${scalarText(node) ?? ''}'; expected whole seconds from 1 to ${MAX_TIMEOUT}.`
      );
      return 0;
    }
    return value;
  }

  return { problems: problems.sort((a, b) => a.line - b.line || a.column - b.column), os, hooks };
}

/** Why a hook script cannot run on the instance, or undefined when it can. */
function checkScript(location: string, os: AppSpecResult['os'], bundle: BundleListing): string | undefined {
  if (location === '') return "has an empty 'location'.";
  const rel = bundlePath(location);
  if (rel === undefined) return `${location} leaves the bundle ('..' is not allowed).`;
  const entry = bundle.get(rel);
  if (!entry) return `${location} does not exist in the bundle.`;
  if (entry.type !== 'file') return `${location} is a directory, not a script.`;
  if (os === 'windows') return undefined;
  if ((entry.mode & 0o111) === 0)
    return `${location} is not executable; run chmod +x ${rel} and commit it (git update-index --chmod=+x ${rel}).`;
  const head = entry.head;
  if (head && head.length > 0) {
    const isElf = head[0] === 0x7f && head.subarray(1, 4).toString('latin1') === 'ELF';
    if (!isElf) {
      if (head.subarray(0, 2).toString('latin1') !== '#!')
        return `${location} has no #! line; the agent executes it directly, so start it with #!/bin/bash.`;
      const newline = head.indexOf(0x0a);
      if (newline > 0 && head[newline - 1] === 0x0d)
        return `${location} has Windows line endings (CRLF); the #! line would fail with 'bad interpreter'. Convert it to LF.`;
    }
  }
  return undefined;
}
