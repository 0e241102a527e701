/**
 * Tag rules and OCI labels, pure: in the spirit of docker/metadata-action, one rule per line.
 *
 *   sha                       sha-1a2b3c4            (sha,format=long → sha-<40 hex>)
 *   branch                    main, feature-Login_Page  (pushes to a branch; not on schedule)
 *   pr                        pr-42                  (pull_request / pull_request_target)
 *   tag                       v1.2.3                 (the git tag, sanitised)
 *   semver={{version}}        1.2.3, 2.0.0-rc.1      ({{major}}, {{minor}}, {{patch}}, {{raw}} too)
 *   latest                    latest                 (pushes to the default branch)
 *   raw=edge                  edge                   ({{branch}} {{tag}} {{sha}} {{pr}} {{date 'YYYYMMDD'}})
 *   schedule                  nightly                (schedule events; schedule=nightly-{{date 'YYYYMMDD'}})
 *
 * Every rule also takes `prefix=`, `suffix=` and `enable=true|false|{{is_default_branch}}`, and the
 * metadata-action spelling `type=semver,pattern={{version}}` / `type=raw,value=edge` / `type=ref,event=branch`.
 */
import { MAX_TAG_LENGTH } from './image.js';
import { PULL_REQUEST_EVENTS, type EventFacts } from './event.js';

export type RuleType = 'sha' | 'branch' | 'pr' | 'tag' | 'semver' | 'latest' | 'raw' | 'schedule';

export interface TagRule {
  type: RuleType;
  /** semver/schedule pattern, raw value, sha format (`short` | `long`). */
  value?: string;
  prefix?: string;
  suffix?: string;
  enable?: string;
}

/** Used when the tags input is empty. */
export const DEFAULT_TAG_RULES: readonly string[] = [
  'branch',
  'pr',
  'semver={{version}}',
  'semver={{major}}.{{minor}}',
  'semver={{major}}',
  'schedule',
  'sha',
  'latest'
];

const TYPES: readonly RuleType[] = ['sha', 'branch', 'pr', 'tag', 'semver', 'latest', 'raw', 'schedule'];
const ATTRIBUTES = new Set(['prefix', 'suffix', 'enable', 'value', 'pattern', 'format', 'event', 'type']);
const AFFIX = /^[A-Za-z0-9._{}' -]*$/;
const ENABLE = new Set(['true', 'false', '{{is_default_branch}}']);

/** Parses one rule; a string is an error message. */
export function parseTagRule(line: string): TagRule | string {
  const items = line.split(',').map((s) => s.trim());
  const attrs = new Map<string, string>();
  let type: string;
  let value: string | undefined;
  const head = items[0] as string;
  const headEq = head.indexOf('=');
  const headKey = headEq === -1 ? head : head.slice(0, headEq);
  const rest = items.slice(1);
  if (headKey === 'type') {
    rest.unshift(head);
    type = '';
  } else {
    type = headKey;
    if (headEq !== -1) value = head.slice(headEq + 1);
  }
  for (const item of rest) {
    const eq = item.indexOf('=');
    if (eq <= 0) return `'${line}': '${item}' is not key=value.`;
    const key = item.slice(0, eq).trim();
    if (!ATTRIBUTES.has(key))
      return `'${line}': unknown attribute '${key}'; expected prefix, suffix, enable, value, pattern, format, event or type.`;
    attrs.set(key, item.slice(eq + 1).trim());
  }
  if (type === '') type = attrs.get('type') ?? '';
  if (type === 'ref') {
    const event = attrs.get('event');
    if (event !== 'branch' && event !== 'tag' && event !== 'pr')
      return `'${line}': type=ref needs event=branch, event=tag or event=pr.`;
    type = event;
  }
  if (type === 'edge') {
    type = 'raw';
    value = value ?? 'edge';
    attrs.set('enable', attrs.get('enable') ?? '{{is_default_branch}}');
  }
  if (!(TYPES as readonly string[]).includes(type))
    return `'${line}': unknown rule '${type}'; expected one of ${TYPES.join(', ')}.`;
  value = value ?? attrs.get('value') ?? attrs.get('pattern') ?? attrs.get('format');
  const rule: TagRule = { type: type as RuleType };
  if (type === 'raw' && !value) return `'${line}': raw needs a value, e.g. raw=edge.`;
  if (type === 'sha' && value !== undefined && value !== 'short' && value !== 'long')
    return `'${line}': sha takes short or long, e.g. sha=long.`;
  if (type === 'semver' && value !== undefined && !/\{\{(version|major|minor|patch|raw)\}\}/.test(value))
    return `'${line}': a semver pattern needs {{version}}, {{major}}, {{minor}}, {{patch}} or {{raw}}.`;
  if (value !== undefined) rule.value = value;
  for (const key of ['prefix', 'suffix'] as const) {
    const affix = attrs.get(key);
    if (affix === undefined) continue;
    if (!AFFIX.test(affix))
      return `'${line}': ${key} '${affix}' may only hold letters, digits, '.', '_' and '-'.`;
    rule[key] = affix;
  }
  const enable = attrs.get('enable');
  if (enable !== undefined) {
    if (!ENABLE.has(enable)) return `'${line}': enable must be true, false or {{is_default_branch}}.`;
    rule.enable = enable;
  }
  return rule;
}

/** Parses every rule (one per line); an error message names the first bad line. */
export function parseTagRules(lines: readonly string[]): TagRule[] | string {
  const rules: TagRule[] = [];
  for (const [index, line] of lines.entries()) {
    const rule = parseTagRule(line);
    if (typeof rule === 'string') return `line ${index + 1}: ${rule}`;
    rules.push(rule);
  }
  return rules;
}

/**
 * Turns any text into a valid tag: runs of characters outside `[A-Za-z0-9_.-]` become one `-`, leading
 * `.`/`-` go (a tag must start with a letter, digit or `_`), and the result is cut at 128 characters.
 * Returns undefined when nothing usable is left.
 */
export function sanitizeTag(text: string): string | undefined {
  const cleaned = text
    .replace(/[^A-Za-z0-9_.-]+/g, '-')
    .replace(/^[.-]+/, '')
    .slice(0, MAX_TAG_LENGTH);
  return cleaned === '' ? undefined : cleaned;
}

export interface SemVer {
  major: number;
  minor: number;
  patch: number;
  prerelease?: string;
  build?: string;
  /** The git tag as written, e.g. `v1.2.3`. */
  raw: string;
}

// The regular expression semver.org recommends, with an optional leading `v`.
const SEMVER =
  /^[vV]?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

export function parseSemver(tag: string): SemVer | undefined {
  const m = SEMVER.exec(tag);
  if (!m) return undefined;
  const version: SemVer = { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]), raw: tag };
  if (m[4] !== undefined) version.prerelease = m[4];
  if (m[5] !== undefined) version.build = m[5];
  return version;
}

function semverTag(pattern: string, v: SemVer): string | undefined {
  const full = pattern.includes('{{version}}') || pattern.includes('{{raw}}');
  // Like metadata-action: a prerelease only gets the patterns that keep its full version, and 0.x never
  // moves a bare {{major}} tag (0 is not a compatibility promise).
  if (v.prerelease !== undefined && !full) return undefined;
  if (!full && !pattern.includes('{{minor}}') && !pattern.includes('{{patch}}') && v.major === 0)
    return undefined;
  const version = `${v.major}.${v.minor}.${v.patch}${v.prerelease ? `-${v.prerelease}` : ''}${v.build ? `+${v.build}` : ''}`;
  return pattern
    .replace(/\{\{version\}\}/g, version)
    .replace(/\{\{raw\}\}/g, v.raw)
    .replace(/\{\{major\}\}/g, String(v.major))
    .replace(/\{\{minor\}\}/g, String(v.minor))
    .replace(/\{\{patch\}\}/g, String(v.patch));
}

function formatDate(format: string, now: Date): string {
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return format
    .replace(/YYYY/g, String(now.getUTCFullYear()))
    .replace(/MM/g, pad(now.getUTCMonth() + 1))
    .replace(/DD/g, pad(now.getUTCDate()))
    .replace(/HH/g, pad(now.getUTCHours()))
    .replace(/mm/g, pad(now.getUTCMinutes()))
    .replace(/ss/g, pad(now.getUTCSeconds()));
}

/** What the event means for tagging. */
export interface RefFacts {
  branch?: string;
  gitTag?: string;
  isPr: boolean;
  isSchedule: boolean;
  isDefaultBranch: boolean;
}

export function refFacts(facts: EventFacts): RefFacts {
  const branch = facts.ref.startsWith('refs/heads/') ? facts.ref.slice('refs/heads/'.length) : undefined;
  const gitTag = facts.ref.startsWith('refs/tags/') ? facts.ref.slice('refs/tags/'.length) : undefined;
  const isPr = PULL_REQUEST_EVENTS.has(facts.eventName);
  return {
    branch: isPr ? undefined : branch,
    gitTag,
    isPr,
    isSchedule: facts.eventName === 'schedule',
    isDefaultBranch: !isPr && branch !== undefined && branch === facts.defaultBranch
  };
}

function expand(template: string, facts: EventFacts, ref: RefFacts, now: Date): string {
  return template
    .replace(/\{\{branch\}\}/g, ref.branch ?? '')
    .replace(/\{\{tag\}\}/g, ref.gitTag ?? '')
    .replace(/\{\{sha\}\}/g, facts.sha.slice(0, 7))
    .replace(/\{\{pr\}\}/g, facts.prNumber !== undefined ? String(facts.prNumber) : '')
    .replace(/\{\{date '([^']*)'\}\}/g, (_m, format: string) => formatDate(format, now));
}

/** The tag a rule yields for this event before prefix/suffix, or undefined when the rule does not apply. */
function ruleValue(rule: TagRule, facts: EventFacts, ref: RefFacts, now: Date): string | undefined {
  switch (rule.type) {
    case 'sha':
      if (!facts.sha) return undefined;
      return rule.value === 'long' ? facts.sha : facts.sha.slice(0, 7);
    case 'branch':
      return ref.isSchedule ? undefined : ref.branch;
    case 'pr':
      return ref.isPr && facts.prNumber !== undefined ? String(facts.prNumber) : undefined;
    case 'tag':
      return ref.gitTag;
    case 'semver': {
      const v = ref.gitTag !== undefined ? parseSemver(ref.gitTag) : undefined;
      return v ? semverTag(rule.value ?? '{{version}}', v) : undefined;
    }
    case 'latest':
      return ref.isDefaultBranch && !ref.isSchedule ? 'latest' : undefined;
    case 'raw':
      return expand(rule.value ?? '', facts, ref, now);
    case 'schedule':
      return ref.isSchedule ? expand(rule.value ?? 'nightly', facts, ref, now) : undefined;
  }
}

const DEFAULT_PREFIX: Partial<Record<RuleType, string>> = { sha: 'sha-', pr: 'pr-' };

export interface TagResult {
  /** Tags in rule order, each once. */
  tags: string[];
  /** Rules that yielded something unusable (an empty tag after sanitising). */
  warnings: string[];
}

/** Applies the rules to one event. */
export function computeTags(rules: readonly TagRule[], facts: EventFacts, now: Date): TagResult {
  const ref = refFacts(facts);
  const tags: string[] = [];
  const warnings: string[] = [];
  for (const rule of rules) {
    if (rule.enable === 'false') continue;
    if (rule.enable === '{{is_default_branch}}' && !ref.isDefaultBranch) continue;
    const value = ruleValue(rule, facts, ref, now);
    if (value === undefined) continue;
    const prefix = expand(rule.prefix ?? DEFAULT_PREFIX[rule.type] ?? '', facts, ref, now);
    const suffix = expand(rule.suffix ?? '', facts, ref, now);
    const tag = sanitizeTag(`${prefix}${value}${suffix}`);
    if (tag === undefined) {
      warnings.push(
        `Tag rule '${rule.type}' gave '${prefix}${value}${suffix}', which has no usable characters; skipped.`
      );
      continue;
    }
    if (!tags.includes(tag)) tags.push(tag);
  }
  return { tags, warnings };
}

export const OCI = {
  created: 'org.opencontainers.image.created',
  revision: 'org.opencontainers.image.revision',
  source: 'org.opencontainers.image.source',
  url: 'org.opencontainers.image.url',
  title: 'org.opencontainers.image.title',
  version: 'org.opencontainers.image.version'
} as const;

/**
 * The generated OCI labels with the user's labels merged over them; a user label with an empty value
 * removes that label. `version` is the first tag that is not `latest` (the semver version on a tag push).
 */
export function computeLabels(
  facts: EventFacts,
  imagePath: string,
  tags: readonly string[],
  created: Date,
  userLabels: ReadonlyMap<string, string>
): Record<string, string> {
  const labels: Record<string, string> = {};
  labels[OCI.created] = created.toISOString();
  if (facts.sha) labels[OCI.revision] = facts.sha;
  if (facts.repository) {
    labels[OCI.source] = `${facts.serverUrl}/${facts.repository}`;
    labels[OCI.url] = `${facts.serverUrl}/${facts.repository}`;
  }
  labels[OCI.title] = (facts.repository ?? imagePath).split('/').pop() as string;
  const version = tags.find((t) => t !== 'latest');
  if (version) labels[OCI.version] = version;
  for (const [key, value] of userLabels) {
    if (value === '') delete labels[key];
    else labels[key] = value;
  }
  return labels;
}
