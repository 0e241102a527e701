import { describe, expect, it } from '@jest/globals';
import { InputError } from '../../../src/core/errors.js';
import { planInvalidation, type PlanInput } from '../../../src/actions/cloudfront-invalidate/plan.js';
import {
  batchPaths,
  covers,
  encodePath,
  normalizeOriginPath,
  normalizeUserPath,
  servedPath
} from '../../../src/actions/cloudfront-invalidate/paths.js';

const range = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i));
const paths = (input: PlanInput) => planInvalidation(input).paths.map((p) => p.path);

/** Every changed key's URL (and index.html's directory URLs) is covered by some planned path. */
function expectCovered(input: PlanInput): void {
  const plan = planInvalidation(input);
  for (const key of input.changed) {
    const urls = [encodePath(key)];
    if (key.endsWith('/index.html')) {
      const dir = encodePath(key.slice(0, -'index.html'.length));
      urls.push(dir);
      if (dir !== '/') urls.push(dir.slice(0, -1));
    }
    for (const url of urls) expect([url, plan.paths.some((p) => covers(p.path, url))]).toEqual([url, true]);
  }
}

describe('planInvalidation', () => {
  const assets = range(40, (i) => `/assets/chunk-${i}.js`);
  const cases: Array<[string, PlanInput, string[]]> = [
    ['nothing changed', { changed: [], maxPaths: 15 }, []],
    ['one file', { changed: ['/about.html'], maxPaths: 15 }, ['/about.html']],
    ['duplicates are one path', { changed: ['/a.css', '/a.css'], maxPaths: 15 }, ['/a.css']],
    ['root index.html is also /', { changed: ['/index.html'], maxPaths: 15 }, ['/', '/index.html']],
    [
      'index.html one level down adds /docs/ and /docs',
      { changed: ['/docs/index.html'], maxPaths: 15 },
      ['/docs', '/docs/', '/docs/index.html']
    ],
    [
      'index.html three levels down',
      { changed: ['/a/b/c/index.html'], maxPaths: 15 },
      ['/a/b/c', '/a/b/c/', '/a/b/c/index.html']
    ],
    [
      'non-ASCII and spaces are percent-encoded',
      { changed: ['/문서/새 파일.html', '/café/menu (1).pdf'], maxPaths: 15 },
      ['/%EB%AC%B8%EC%84%9C/%EC%83%88%20%ED%8C%8C%EC%9D%BC.html', '/caf%C3%A9/menu%20(1).pdf']
    ],
    [
      'sparse changes stay individual while they fit',
      { changed: ['/a/1.js', '/b/2.js', '/c/d/3.js'], maxPaths: 3 },
      ['/a/1.js', '/b/2.js', '/c/d/3.js']
    ],
    [
      'a dense directory collapses when the budget needs it (no listing)',
      { changed: [...assets, '/index.html', '/robots.txt'], maxPaths: 15 },
      ['/', '/assets/*', '/index.html', '/robots.txt']
    ],
    [
      'exactly max-paths individual paths: no wildcard',
      { changed: range(15, (i) => `/f${i}.html`), maxPaths: 15 },
      range(15, (i) => `/f${i}.html`).sort()
    ],
    [
      'max-paths + 1 in one directory: one wildcard (here the root)',
      { changed: range(16, (i) => `/f${i}.html`), maxPaths: 15 },
      ['/*']
    ],
    [
      'max-paths 1 collapses to the deepest common directory',
      { changed: ['/a/b/1.js', '/a/b/c/2.js'], maxPaths: 1 },
      ['/a/b/*']
    ],
    [
      'a whole directory changed collapses even within budget (listing: evicts nothing)',
      {
        changed: ['/img/a.png', '/img/b.png', '/x.html'],
        maxPaths: 15,
        siteKeys: ['/img/a.png', '/img/b.png', '/x.html', '/y.html']
      },
      ['/img/*', '/x.html']
    ],
    [
      'with a listing, the wildcard that evicts least wins',
      {
        changed: ['/a/1', '/a/2', '/b/1', '/b/2'],
        maxPaths: 3,
        siteKeys: ['/a/1', '/a/2', '/a/3', '/b/1', '/b/2', ...range(10, (i) => `/b/old${i}`)]
      },
      ['/a/*', '/b/1', '/b/2']
    ],
    [
      'every file of the site changed: /* evicts nothing',
      {
        changed: ['/index.html', '/a/1.js', '/b/2.js'],
        maxPaths: 15,
        siteKeys: ['/index.html', '/a/1.js', '/b/2.js']
      },
      ['/*']
    ],
    [
      'explicit paths are kept and cover what they match',
      { changed: ['/assets/a.js', '/index.html'], maxPaths: 15, explicit: ['/assets/*'] },
      ['/', '/assets/*', '/index.html']
    ]
  ];
  it.each(cases)('%s', (_name, input, expected) => {
    expect(paths(input)).toEqual(expected);
    expectCovered(input);
    expect(paths(input).length).toBeLessThanOrEqual(input.maxPaths);
  });

  it('explains each path', () => {
    const plan = planInvalidation({ changed: [...assets, '/index.html'], maxPaths: 2 });
    expect(plan.paths.map((p) => `${p.path} ${p.reason}`)).toEqual(['/* covers 41 changed files']);
    const measured = planInvalidation({
      changed: assets,
      maxPaths: 1,
      siteKeys: [...assets, '/assets/old.js', '/index.html']
    });
    expect(measured.paths[0]).toMatchObject({
      path: '/assets/*',
      changed: 40,
      evicts: 1,
      reason: 'covers 40 changed files and evicts 1 unchanged'
    });
    expect(measured.evicts).toBe(1);
  });

  it('index.html at every level of a deep tree, budget forcing collapses', () => {
    const levels = range(6, (i) => `/${range(i, (j) => `l${j}`).join('/')}${i ? '/' : ''}index.html`);
    const input = { changed: levels, maxPaths: 4 };
    expectCovered(input);
    expect(paths(input).length).toBeLessThanOrEqual(4);
    expect(paths({ changed: levels, maxPaths: 100 })).toHaveLength(6 * 3 - 1);
  });

  it('10,000 changed keys in 407 directories: within budget, covered, quickly', () => {
    const keys = range(10_000, (i) => `/d${i % 37}/e${i % 11}/f${i}.js`);
    for (const maxPaths of [1, 15, 3000]) {
      const plan = planInvalidation({ changed: keys, maxPaths });
      expect(plan.paths.length).toBeLessThanOrEqual(maxPaths);
      expect(plan.paths.filter((p) => p.kind === 'wildcard').length).toBeLessThanOrEqual(15);
      expect(plan.batches).toHaveLength(1);
      expectCovered({ changed: keys.slice(0, 500), maxPaths });
    }
  });

  it('10,000 keys in one directory with a listing: /dir/* evicting nothing', () => {
    const keys = range(10_000, (i) => `/static/${i}.js`);
    const plan = planInvalidation({ changed: keys, maxPaths: 3000, siteKeys: [...keys, '/index.html'] });
    expect(plan.paths.map((p) => p.path)).toEqual(['/static/*']);
    expect(plan.evicts).toBe(0);
  });

  it('uses all 3,000 paths of a 3,000 budget before any wildcard; 3,001 needs one', () => {
    const sparse = (n: number) => range(n, (i) => `/d${i % 500}/f${i}.html`);
    expect(
      planInvalidation({ changed: sparse(3000), maxPaths: 3000 }).paths.every((p) => p.kind === 'file')
    ).toBe(true);
    const over = planInvalidation({ changed: sparse(3001), maxPaths: 3000 });
    expect(over.paths.filter((p) => p.kind === 'wildcard')).toHaveLength(1);
    expect(over.paths.length).toBeLessThanOrEqual(3000);
    expect(over.batches).toHaveLength(1);
  });

  it('keeps within 15 wildcards when a larger budget would allow more', () => {
    // 20 directories of 10 files and a budget of 100: 20 wildcards would evict least, but 20 > 15.
    const keys = range(200, (i) => `/d${i % 20}/f${i}.js`);
    const plan = planInvalidation({ changed: keys, maxPaths: 100 });
    const wildcards = plan.paths.filter((p) => p.kind === 'wildcard');
    expect(wildcards.length).toBeLessThanOrEqual(15);
    expect(wildcards.length).toBeGreaterThan(0);
    expect(plan.paths.length).toBeLessThanOrEqual(100);
    expect(plan.batches).toHaveLength(1);
  });

  it('refuses explicit paths beyond the budget, or that leave none for the changes', () => {
    expect(() => planInvalidation({ changed: [], maxPaths: 1, explicit: ['/a', '/b'] })).toThrow(
      new InputError('paths', '2 paths given, more than max-paths (1).')
    );
    expect(() => planInvalidation({ changed: ['/c'], maxPaths: 2, explicit: ['/a', '/b'] })).toThrow(
      "Input 'max-paths': the 2 path(s) given in paths use the whole budget of 2, leaving none for the changed keys"
    );
    // …unless they already cover the changes.
    expect(paths({ changed: ['/b/c'], maxPaths: 2, explicit: ['/a', '/b/*'] })).toEqual(['/a', '/b/*']);
  });

  it('caps max-paths at 3,000', () => {
    expect(planInvalidation({ changed: range(5000, (i) => `/f${i}`), maxPaths: 10_000 }).paths).toEqual([
      expect.objectContaining({ path: '/*' })
    ]);
  });
});

describe('encodePath', () => {
  it.each([
    ['/plain/file-1_2.3.js', '/plain/file-1_2.3.js'],
    ['/a b', '/a%20b'],
    ['/한', '/%ED%95%9C'],
    ['/100%.html', '/100%25.html'],
    ['/q?x=1', '/q%3Fx=1'],
    ['/star*name', '/star%2Aname'],
    ['/crlf\r\n', '/crlf%0D%0A'],
    ['/unsafe<>"#{}|\\^~[]`', '/unsafe%3C%3E%22%23%7B%7D%7C%5C%5E%7E%5B%5D%60'],
    ['/emoji😀', '/emoji%F0%9F%98%80']
  ])('%j → %s', (raw, encoded) => expect(encodePath(raw)).toBe(encoded));
});

describe('normalizeUserPath', () => {
  it.each([
    ['/*', { path: '/*' }],
    ['/docs/*', { path: '/docs/*' }],
    ['/images/image*', { path: '/images/image*' }],
    ['/already%20encoded', { path: '/already%20encoded' }],
    ['/new file', { path: '/new%20file' }],
    ['/50%', { path: '/50%25' }],
    ['docs/*', { error: "'docs/*' does not start with '/'" }],
    ['/a*/b', { error: "'/a*/b' has a '*' that is not the last character" }]
  ])('%s', (text, expected) => expect(normalizeUserPath(text)).toEqual(expected));
});

describe('origin path', () => {
  it.each([
    ['', ''],
    ['/', ''],
    ['site', '/site'],
    ['/site/', '/site'],
    ['/a/b', '/a/b']
  ])('normalizes %j to %j', (text, expected) => expect(normalizeOriginPath(text)).toBe(expected));
  it.each([
    ['/site/index.html', '/site', '/index.html'],
    ['site/a.js', '/site', '/a.js'],
    ['/sites/a.js', '/site', undefined],
    ['/a.js', '', '/a.js'],
    ['a.js', '', '/a.js']
  ])('serves %s under %j as %s', (key, origin, expected) => expect(servedPath(key, origin)).toBe(expected));
});

describe('batchPaths', () => {
  const files = (n: number) => range(n, (i) => `/f${i}`);
  const wild = (n: number) => range(n, (i) => `/w${i}/*`);
  it.each([
    ['none', [], []],
    ['3,000 files: one request', files(3000), [3000]],
    ['3,001 files: two', files(3001), [3000, 1]],
    ['15 wildcards: one', wild(15), [15]],
    ['16 wildcards: two', wild(16), [15, 1]],
    ['15 wildcards and 2,985 files: one', [...wild(15), ...files(2985)], [3000]],
    ['15 wildcards and 2,986 files: two', [...wild(15), ...files(2986)], [3000, 1]]
  ])('%s', (_name, input, sizes) => {
    const batches = batchPaths(input);
    expect(batches.map((b) => b.length)).toEqual(sizes);
    for (const batch of batches) expect(batch.filter((p) => p.endsWith('*')).length).toBeLessThanOrEqual(15);
    expect(batches.flat().sort()).toEqual([...input].sort());
  });
});
