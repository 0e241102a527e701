import { describe, expect, it } from '@jest/globals';
import type { EventFacts } from '../../../src/actions/build-and-push-image/event.js';
import {
  computeLabels,
  computeTags,
  DEFAULT_TAG_RULES,
  parseSemver,
  parseTagRule,
  parseTagRules,
  sanitizeTag,
  type TagRule
} from '../../../src/actions/build-and-push-image/tags.js';

const SHA = '0123456789abcdef0123456789abcdef01234567';
const NOW = new Date('2026-03-04T05:06:07Z');

function facts(eventName: string, ref: string, extra: Partial<EventFacts> = {}): EventFacts {
  return {
    eventName,
    ref,
    sha: SHA,
    defaultBranch: 'main',
    repository: 'acme/api',
    serverUrl: 'https://github.com',
    ...extra
  };
}

function rules(lines: readonly string[]): TagRule[] {
  const parsed = parseTagRules(lines);
  if (typeof parsed === 'string') throw new Error(parsed);
  return parsed;
}

const defaults = rules(DEFAULT_TAG_RULES);

describe('default tag rules, by event', () => {
  it.each([
    ['push to main', facts('push', 'refs/heads/main'), ['main', 'sha-0123456', 'latest']],
    ['push to dev', facts('push', 'refs/heads/dev'), ['dev', 'sha-0123456']],
    ['pull request', facts('pull_request', 'refs/pull/42/merge', { prNumber: 42 }), ['pr-42', 'sha-0123456']],
    [
      'pull_request_target',
      facts('pull_request_target', 'refs/heads/main', { prNumber: 7 }),
      ['pr-7', 'sha-0123456']
    ],
    ['tag v1.2.3', facts('push', 'refs/tags/v1.2.3'), ['1.2.3', '1.2', '1', 'sha-0123456']],
    ['tag v2.0.0-rc.1', facts('push', 'refs/tags/v2.0.0-rc.1'), ['2.0.0-rc.1', 'sha-0123456']],
    ['tag v0.3.1 (no bare 0 tag)', facts('push', 'refs/tags/v0.3.1'), ['0.3.1', '0.3', 'sha-0123456']],
    [
      'tag 1.0.0+build.5 (+ is not allowed in tags)',
      facts('push', 'refs/tags/1.0.0+build.5'),
      ['1.0.0-build.5', '1.0', '1', 'sha-0123456']
    ],
    ['tag that is not semver', facts('push', 'refs/tags/release-7'), ['sha-0123456']],
    ['schedule on main', facts('schedule', 'refs/heads/main'), ['nightly', 'sha-0123456']],
    [
      'workflow_dispatch on main',
      facts('workflow_dispatch', 'refs/heads/main'),
      ['main', 'sha-0123456', 'latest']
    ],
    [
      'feature branch that needs sanitising',
      facts('push', 'refs/heads/feature/Login_Page'),
      ['feature-Login_Page', 'sha-0123456']
    ],
    [
      'default branch unknown: no latest',
      facts('push', 'refs/heads/main', { defaultBranch: undefined }),
      ['main', 'sha-0123456']
    ],
    ['no sha', facts('push', 'refs/heads/dev', { sha: '' }), ['dev']]
  ])('%s', (_name, event, expected) => {
    expect(computeTags(defaults, event, NOW)).toEqual({ tags: expected, warnings: [] });
  });
});

describe('rules', () => {
  it.each([
    [['sha=long'], facts('push', 'refs/heads/dev'), [`sha-${SHA}`]],
    [['type=sha,format=long,prefix='], facts('push', 'refs/heads/dev'), [SHA]],
    [['sha,prefix=git-,suffix=-amd64'], facts('push', 'refs/heads/dev'), ['git-0123456-amd64']],
    [['tag'], facts('push', 'refs/tags/v1.2.3'), ['v1.2.3']],
    [['tag'], facts('push', 'refs/heads/main'), []],
    [['semver={{raw}}'], facts('push', 'refs/tags/v1.2.3'), ['v1.2.3']],
    [['semver={{major}}.{{minor}}.{{patch}}'], facts('push', 'refs/tags/V10.20.30'), ['10.20.30']],
    [['type=semver,pattern=v{{major}}'], facts('push', 'refs/tags/v3.1.0'), ['v3']],
    [['semver={{major}}.{{minor}}'], facts('push', 'refs/tags/v2.0.0-rc.1'), []],
    [['type=ref,event=branch'], facts('push', 'refs/heads/dev'), ['dev']],
    [['type=ref,event=pr'], facts('pull_request', 'refs/pull/9/merge', { prNumber: 9 }), ['pr-9']],
    [['type=ref,event=tag'], facts('push', 'refs/tags/v1.0.0'), ['v1.0.0']],
    [['raw=edge'], facts('pull_request', 'refs/pull/9/merge', { prNumber: 9 }), ['edge']],
    [['type=raw,value=stable,enable={{is_default_branch}}'], facts('push', 'refs/heads/main'), ['stable']],
    [['type=raw,value=stable,enable={{is_default_branch}}'], facts('push', 'refs/heads/dev'), []],
    [['raw=never,enable=false'], facts('push', 'refs/heads/main'), []],
    [['type=edge'], facts('push', 'refs/heads/main'), ['edge']],
    [['type=edge'], facts('push', 'refs/heads/dev'), []],
    [['raw={{branch}}-{{sha}}'], facts('push', 'refs/heads/dev'), ['dev-0123456']],
    [["raw=build-{{date 'YYYYMMDD-HHmmss'}}"], facts('push', 'refs/heads/dev'), ['build-20260304-050607']],
    [["schedule=nightly-{{date 'YYYYMMDD'}}"], facts('schedule', 'refs/heads/main'), ['nightly-20260304']],
    [['branch'], facts('schedule', 'refs/heads/main'), []],
    [['latest'], facts('schedule', 'refs/heads/main'), []],
    [['latest'], facts('pull_request', 'refs/heads/main', { prNumber: 1 }), []],
    [['branch', 'raw=dev'], facts('push', 'refs/heads/dev'), ['dev']]
  ])('%j on %j', (lines, event, expected) => {
    expect(computeTags(rules(lines), event, NOW).tags).toEqual(expected);
  });

  it.each([
    ['', "unknown rule ''"],
    ['nonsense', "unknown rule 'nonsense'"],
    ['raw', 'raw needs a value'],
    ['raw=', 'raw needs a value'],
    ['sha=medium', 'sha takes short or long'],
    ['semver=v1', 'a semver pattern needs'],
    ['type=ref', 'type=ref needs event=branch'],
    ['branch,colour=blue', "unknown attribute 'colour'"],
    ['branch,prefix', "'prefix' is not key=value"],
    ['branch,prefix=a/b', "prefix 'a/b' may only hold"],
    ['branch,enable=yes', 'enable must be true, false or {{is_default_branch}}']
  ])('rejects %j', (line, message) => {
    const parsed = parseTagRule(line);
    expect(typeof parsed).toBe('string');
    expect(parsed).toContain(message);
  });

  it('names the line of the first bad rule', () => {
    expect(parseTagRules(['sha', 'branch', 'bogus'])).toMatch(/^line 3: 'bogus'/);
  });

  it('lists a tag once when two rules agree', () => {
    expect(computeTags(rules(['sha', 'raw=sha-{{sha}}']), facts('push', 'refs/heads/dev'), NOW).tags).toEqual(
      ['sha-0123456']
    );
  });

  it('warns about, and skips, a rule that leaves nothing usable', () => {
    const result = computeTags(rules(['branch']), facts('push', 'refs/heads/---'), NOW);
    expect(result.tags).toEqual([]);
    expect(result.warnings).toEqual([expect.stringContaining("Tag rule 'branch' gave '---'")]);
  });
});

describe('sanitizeTag', () => {
  it.each([
    ['feature/Login_Page', 'feature-Login_Page'],
    ['main', 'main'],
    ['a', 'a'],
    ['', undefined],
    ['///', undefined],
    ['.hidden', 'hidden'],
    ['-dash', 'dash'],
    ['_under', '_under'],
    ['v1.2.3', 'v1.2.3'],
    ['fix/로그인-버그', 'fix---'],
    ['feat/ümlaut café', 'feat-mlaut-caf-'],
    ['dependabot/npm_and_yarn/@types/node-20.1', 'dependabot-npm_and_yarn-types-node-20.1'],
    ['with space\r\nand crlf', 'with-space-and-crlf']
  ])('%j → %j', (input, expected) => {
    const tag = sanitizeTag(input);
    expect(tag).toBe(expected);
    // The distribution spec's tag grammar.
    if (tag !== undefined) expect(tag).toMatch(/^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/);
  });

  it('keeps 128 characters and cuts the 129th', () => {
    expect(sanitizeTag('a'.repeat(128))).toBe('a'.repeat(128));
    expect(sanitizeTag('a'.repeat(129))).toBe('a'.repeat(128));
    expect(sanitizeTag(`feature/${'x'.repeat(200)}`)?.length).toBe(128);
  });

  it('cuts a long branch tag after its prefix and suffix are applied', () => {
    const branch = `feature/${'y'.repeat(130)}`;
    const [tag] = computeTags(rules(['branch,prefix=br-']), facts('push', `refs/heads/${branch}`), NOW).tags;
    expect(tag).toBe(`br-feature-${'y'.repeat(117)}`);
    expect(tag).toHaveLength(128);
  });
});

describe('parseSemver', () => {
  it.each([
    ['v1.2.3', { major: 1, minor: 2, patch: 3, raw: 'v1.2.3' }],
    ['1.2.3', { major: 1, minor: 2, patch: 3, raw: '1.2.3' }],
    ['v2.0.0-rc.1', { major: 2, minor: 0, patch: 0, prerelease: 'rc.1', raw: 'v2.0.0-rc.1' }],
    ['1.0.0+build.5', { major: 1, minor: 0, patch: 0, build: 'build.5', raw: '1.0.0+build.5' }],
    ['v1.2', undefined],
    ['v01.2.3', undefined],
    ['release-1.2.3', undefined],
    ['', undefined]
  ])('%j', (tag, expected) => {
    expect(parseSemver(tag)).toEqual(expected);
  });
});

describe('computeLabels', () => {
  const created = new Date('2023-11-14T22:13:20Z');

  it('generates the OCI labels from the event', () => {
    expect(
      computeLabels(
        facts('push', 'refs/tags/v1.2.3'),
        'acme/api',
        ['1.2.3', '1.2', 'latest'],
        created,
        new Map()
      )
    ).toEqual({
      'org.opencontainers.image.created': '2023-11-14T22:13:20.000Z',
      'org.opencontainers.image.revision': SHA,
      'org.opencontainers.image.source': 'https://github.com/acme/api',
      'org.opencontainers.image.url': 'https://github.com/acme/api',
      'org.opencontainers.image.title': 'api',
      'org.opencontainers.image.version': '1.2.3'
    });
  });

  it('lets the user override, add and remove labels; version skips latest', () => {
    const user = new Map([
      ['org.opencontainers.image.title', 'Orders API'],
      ['org.opencontainers.image.url', ''],
      ['com.example.team', 'backend']
    ]);
    const labels = computeLabels(
      facts('push', 'refs/heads/main'),
      'acme/api',
      ['latest', 'main'],
      created,
      user
    );
    expect(labels['org.opencontainers.image.title']).toBe('Orders API');
    expect(labels).not.toHaveProperty('org.opencontainers.image.url');
    expect(labels['com.example.team']).toBe('backend');
    expect(labels['org.opencontainers.image.version']).toBe('main');
  });

  it('falls back to the image name for the title and leaves out what it does not know', () => {
    const event = facts('push', 'refs/heads/dev', { repository: undefined, sha: '' });
    expect(computeLabels(event, 'team/orders', [], created, new Map())).toEqual({
      'org.opencontainers.image.created': '2023-11-14T22:13:20.000Z',
      'org.opencontainers.image.title': 'orders'
    });
  });
});
