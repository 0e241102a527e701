/**
 * The path planner (pure): from the keys that changed to the invalidation paths that cover every one of
 * them within a budget of `maxPaths`, throwing as few unchanged objects out of the edge caches as possible.
 *
 * The site is a tree of directories. Every changed key is a URL to invalidate (an `index.html` adds its
 * directory URLs: `/docs/index.html` → `/docs/` and `/docs`; `/index.html` → `/`). Each URL is covered
 * either by its own path (one path, evicts nothing else) or by a wildcard `/dir/*` on one of its
 * directories (one path for all of them, evicts every unchanged object below `dir`). A tree knapsack
 * finds, exactly, the cover with
 *   1. the fewest unchanged objects evicted, then
 *   2. the fewest paths, then
 *   3. the fewest wildcards (CloudFront allows only 15 in progress),
 * among all covers with at most `maxPaths` paths.
 *
 * Unchanged objects are counted from `siteKeys` (every key the site serves) when given. Without it they
 * are unknown, and every wildcard is assumed to evict the same unknown number of objects per directory it
 * spans: the planner then keeps individual paths while they fit and otherwise collapses the fewest,
 * deepest directories that hold the most changes.
 */
import { InputError } from '../../core/errors.js';
import { batchPaths, covers, encodePath, isWildcard } from './paths.js';
import { MAX_FILE_PATHS_PER_REQUEST, MAX_WILDCARDS_PER_REQUEST } from './paths.js';

export interface PlanInput {
  /** Changed keys as the distribution serves them: `/`-rooted, decoded, origin path already removed. */
  changed: readonly string[];
  /** The most paths to submit in this deployment. */
  maxPaths: number;
  /** Every key the site serves (same form), to count what a wildcard evicts; undefined when unknown. */
  siteKeys?: readonly string[];
  /** User-given paths (already encoded): submitted as they are, and count towards `maxPaths`. */
  explicit?: readonly string[];
}

export type PathKind = 'file' | 'directory-url' | 'wildcard' | 'explicit';

export interface PlannedPath {
  /** The encoded invalidation path. */
  path: string;
  kind: PathKind;
  /** Changed objects it covers. */
  changed: number;
  /** Unchanged objects it evicts; undefined when unknown (no site listing). */
  evicts: number | undefined;
  /** Why it is in the plan, for the log and summary. */
  reason: string;
}

export interface Plan {
  paths: PlannedPath[];
  /** The paths split into requests of ≤ 3,000 paths and ≤ 15 wildcards. */
  batches: string[][];
  /** Distinct changed keys. */
  changedCount: number;
  /** Unchanged objects evicted in total; undefined when unknown. */
  evicts: number | undefined;
  /** Whether unchanged objects were counted from a site listing. */
  measured: boolean;
}

/** The budget the planner never exceeds, whatever `maxPaths` says. */
export const MAX_PATHS_LIMIT = MAX_FILE_PATHS_PER_REQUEST;

interface Dir {
  /** The encoded directory path with a trailing slash: `/`, `/docs/`. */
  prefix: string;
  children: Map<string, Dir>;
  /** Encoded URLs directly in this directory that must be invalidated, with what they stand for. */
  targets: Map<string, { kind: 'file' | 'directory-url'; key: string }>;
  /** Changed keys anywhere below. */
  changed: number;
  /** Unchanged site objects anywhere below (0 when unknown). */
  unchanged: number;
  /** Directories in this subtree, itself included. */
  dirs: number;
  /** Targets in this subtree. */
  targetCount: number;
  // Filled by solve():
  best?: Float64Array;
  merged?: Float64Array[];
  useWildcard?: Uint8Array;
}

const INF = Number.POSITIVE_INFINITY;
/** Values are `evicted · SCALE + wildcards`, so one sum orders by evictions, then wildcards. */
const SCALE = 8192;

function newDir(prefix: string): Dir {
  return {
    prefix,
    children: new Map(),
    targets: new Map(),
    changed: 0,
    unchanged: 0,
    dirs: 1,
    targetCount: 0
  };
}

function splitKey(key: string): { dirs: string[]; name: string } {
  const parts = key.split('/').slice(1);
  const name = parts.pop() ?? '';
  return { dirs: parts, name };
}

function descend(root: Dir, dirs: readonly string[]): Dir[] {
  const chain = [root];
  let node = root;
  for (const segment of dirs) {
    let child = node.children.get(segment);
    if (!child) {
      child = newDir(`${node.prefix}${encodePath(segment)}/`);
      node.children.set(segment, child);
    }
    chain.push(child);
    node = child;
  }
  return chain;
}

function addTarget(dir: Dir, url: string, kind: 'file' | 'directory-url', key: string): void {
  if (!dir.targets.has(url) || kind === 'file') dir.targets.set(url, { kind, key });
}

/** Min-plus convolution of two "at most k paths" tables, cut at `limit`. */
function convolve(a: Float64Array, b: Float64Array, limit: number): Float64Array {
  const size = Math.min(limit, a.length - 1 + b.length - 1) + 1;
  const out = new Float64Array(size).fill(INF);
  for (let i = 0; i < a.length; i++) {
    const ai = a[i] as number;
    if (ai === INF) continue;
    for (let j = 0; j < b.length && i + j < size; j++) {
      const v = ai + (b[j] as number);
      if (v < (out[i + j] as number)) out[i + j] = v;
    }
  }
  for (let k = 1; k < size; k++)
    if ((out[k - 1] as number) < (out[k] as number)) out[k] = out[k - 1] as number;
  return out;
}

/** Fills `best[k]`: the least value covering every target below `dir` with at most k paths. */
function solve(dir: Dir, limit: number, wildcardCost: (dir: Dir) => number): Float64Array {
  let acc: Float64Array = new Float64Array([0]);
  dir.merged = [];
  for (const child of dir.children.values()) {
    acc = convolve(acc, solve(child, limit, wildcardCost), limit);
    dir.merged.push(acc);
  }
  const direct = dir.targets.size;
  const size = Math.min(limit, dir.targetCount) + 1;
  const best = new Float64Array(size).fill(INF);
  const useWildcard = new Uint8Array(size);
  const wildcard = wildcardCost(dir) * SCALE + 1;
  for (let k = 0; k < size; k++) {
    const rest = k - direct;
    const none = rest >= 0 ? ((acc[Math.min(rest, acc.length - 1)] as number) ?? INF) : INF;
    best[k] = none;
    if (k >= 1 && wildcard < none) {
      best[k] = wildcard;
      useWildcard[k] = 1;
    }
  }
  dir.best = best;
  dir.useWildcard = useWildcard;
  return best;
}

interface Choice {
  wildcards: Dir[];
  individual: Dir[];
}

/** Walks the tables back down to the choices that reach `best[k]`. */
function reconstruct(dir: Dir, k: number, choice: Choice): void {
  const best = dir.best as Float64Array;
  const kk = Math.min(k, best.length - 1);
  if ((dir.useWildcard as Uint8Array)[kk]) {
    choice.wildcards.push(dir);
    return;
  }
  if (dir.targets.size) choice.individual.push(dir);
  let rest = kk - dir.targets.size;
  const children = [...dir.children.values()];
  const merged = dir.merged as Float64Array[];
  let target = best[kk] as number;
  for (let i = children.length - 1; i >= 0; i--) {
    const child = children[i] as Dir;
    const childBest = child.best as Float64Array;
    const before = i > 0 ? (merged[i - 1] as Float64Array) : new Float64Array([0]);
    let found = -1;
    for (let j = 0; j <= rest && j < childBest.length; j++) {
      const b = before[Math.min(rest - j, before.length - 1)] as number;
      if (b + (childBest[j] as number) === target) {
        found = j;
        break;
      }
    }
    if (found < 0) throw new Error(`planner: no split found under ${dir.prefix}`);
    reconstruct(child, found, choice);
    target -= childBest[found] as number;
    rest -= found;
  }
}

/**
 * The cover of every target with at most `budget` paths that evicts the least (each wildcard costing
 * `price` on top of what it evicts), then uses the fewest paths, then the fewest wildcards.
 */
function cover(root: Dir, budget: number, evicted: (dir: Dir) => number, price: number): Choice {
  const best = solve(root, budget, (dir) => evicted(dir) + price);
  const least = Math.floor(Math.min(...best) / SCALE);
  let k = 0;
  while (Math.floor((best[k] as number) / SCALE) !== least) k++;
  const choice: Choice = { wildcards: [], individual: [] };
  reconstruct(root, k, choice);
  return choice;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Plans the invalidation paths for a deployment. */
export function planInvalidation(input: PlanInput): Plan {
  const maxPaths = Math.min(input.maxPaths, MAX_PATHS_LIMIT);
  if (!Number.isInteger(maxPaths) || maxPaths < 1) throw new Error('planInvalidation: maxPaths must be ≥ 1');
  const explicit = [...new Set(input.explicit ?? [])];
  if (explicit.length > maxPaths)
    throw new InputError('paths', `${explicit.length} paths given, more than max-paths (${maxPaths}).`);
  const measured = input.siteKeys !== undefined;
  const changedKeys = [...new Set(input.changed)];

  // The tree of what must be invalidated; targets an explicit path already covers are left out.
  const root = newDir('/');
  const coveredByExplicit = (url: string) => explicit.some((p) => covers(p, url));
  const changedSet = new Set(changedKeys);
  for (const key of changedKeys) {
    const { dirs, name } = splitKey(key);
    const chain = descend(root, dirs);
    const dir = chain[chain.length - 1] as Dir;
    for (const node of chain) node.changed++;
    const url = `${dir.prefix}${encodePath(name)}`;
    if (!coveredByExplicit(url)) addTarget(dir, url, 'file', key);
    if (name === 'index.html') {
      if (!coveredByExplicit(dir.prefix)) addTarget(dir, dir.prefix, 'directory-url', key);
      const parent = chain[chain.length - 2];
      const bare = dir.prefix.slice(0, -1);
      if (parent && !coveredByExplicit(bare)) addTarget(parent, bare, 'directory-url', key);
    }
  }
  for (const key of new Set(input.siteKeys ?? [])) {
    if (changedSet.has(key)) continue;
    // An object in a directory without changes only matters to the wildcards above it.
    for (const node of ancestorsOf(root, splitKey(key).dirs)) node.unchanged++;
  }
  const count = (dir: Dir): void => {
    dir.targetCount = dir.targets.size;
    for (const child of dir.children.values()) {
      count(child);
      dir.targetCount += child.targetCount;
      dir.dirs += child.dirs;
    }
  };
  count(root);

  const budget = maxPaths - explicit.length;
  const planned: PlannedPath[] = explicit.map((path) => ({
    path,
    kind: 'explicit',
    changed: changedKeys.filter((key) => covers(path, encodePath(key))).length,
    evicts: undefined,
    reason: 'given in paths'
  }));
  if (root.targetCount > 0) {
    if (budget < 1)
      throw new InputError(
        'max-paths',
        `the ${explicit.length} path(s) given in paths use the whole budget of ${maxPaths}, leaving none for the changed keys; raise max-paths or give fewer paths.`
      );
    const evicted = measured ? (dir: Dir) => dir.unchanged : (dir: Dir) => dir.dirs;
    const wildcardRoom = Math.max(
      1,
      MAX_WILDCARDS_PER_REQUEST - planned.filter((p) => isWildcard(p.path)).length
    );
    let choice = cover(root, budget, evicted, 0);
    if (choice.wildcards.length > wildcardRoom) {
      // More wildcards than may be in progress at once would queue requests behind each other: charge
      // each wildcard a price λ, the least that brings them within one request (a Lagrangian relaxation;
      // at λ above any possible eviction the plan needs at most one wildcard, `/*`).
      let lo = 0;
      let hi = evicted(root) + 1;
      choice = cover(root, budget, evicted, hi);
      while (hi - lo > 1) {
        const mid = Math.floor((lo + hi) / 2);
        const attempt = cover(root, budget, evicted, mid);
        if (attempt.wildcards.length <= wildcardRoom) [hi, choice] = [mid, attempt];
        else lo = mid;
      }
    }
    for (const dir of choice.wildcards) {
      const evicts = measured ? dir.unchanged : undefined;
      planned.push({
        path: `${dir.prefix}*`,
        kind: 'wildcard',
        changed: dir.changed,
        evicts,
        reason:
          `covers ${plural(dir.changed, 'changed file')}` +
          (evicts === undefined
            ? ''
            : evicts === 0
              ? ', every object below it changed'
              : ` and evicts ${evicts} unchanged`)
      });
    }
    for (const dir of choice.individual) {
      for (const [url, target] of dir.targets) {
        planned.push({
          path: url,
          kind: target.kind,
          changed: target.kind === 'file' ? 1 : 0,
          evicts: 0,
          reason: target.kind === 'file' ? 'changed' : `directory URL of ${encodePath(target.key)}`
        });
      }
    }
  }
  planned.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const evicts = measured ? planned.reduce((sum, p) => sum + (p.evicts ?? 0), 0) : undefined;
  return {
    paths: planned,
    batches: batchPaths(planned.map((p) => p.path)),
    changedCount: changedKeys.length,
    evicts,
    measured
  };
}

/** The existing directories on a key's way down, for a key whose own directory has no changes. */
function ancestorsOf(root: Dir, dirs: readonly string[]): Dir[] {
  const chain = [root];
  let node = root;
  for (const segment of dirs) {
    const child = node.children.get(segment);
    if (!child) break;
    chain.push(child);
    node = child;
  }
  return chain;
}

/** One line per planned path for the log: `/assets/* covers 312 changed files`. */
export function describePlan(plan: Plan): string[] {
  return plan.paths.map((p) => `${p.path} ${p.reason}`);
}
