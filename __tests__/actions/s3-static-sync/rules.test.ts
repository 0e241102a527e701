import { describe, expect, it } from '@jest/globals';
import {
  IMMUTABLE,
  NO_CACHE,
  cacheControlFor,
  checkCacheControl,
  checkContentType,
  compileGlob,
  compileSelection,
  contentTypeFor,
  isContentHashed,
  isHtml,
  parseRules,
  skipReason,
  type Rule
} from '../../../src/actions/s3-static-sync/rules.js';

function rules(text: string, check = checkCacheControl): Rule[] {
  const parsed = parseRules(text, check);
  if (typeof parsed === 'string') throw new Error(parsed);
  return parsed;
}

describe('compileGlob', () => {
  it.each([
    ['*.map', 'app.js.map', true],
    ['*.map', 'js/deep/app.js.map', true],
    ['*.map', 'app.js', false],
    ['assets/**', 'assets/a/b.js', true],
    ['assets/**', 'other/assets/b.js', false],
    ['/index.html', 'index.html', true],
    ['/index.html', 'sub/index.html', false],
    ['index.html', 'sub/index.html', true],
    ['./docs/*.html', 'docs/a.html', true],
    ['*.{js,css}', 'x/y.css', true],
    ['*', '.env', true],
    ['한글/*', '한글/파일.txt', true],
    ['**/*.txt', '한글/파일.txt', true]
  ])('%s matches %s: %s', (glob, file, expected) => {
    expect(compileGlob(glob)(file)).toBe(expected);
  });

  it('rejects an empty glob', () => {
    expect(() => compileGlob('/')).toThrow('empty');
  });
});

describe('parseRules', () => {
  it('parses lines, skipping blanks and comments, with CRLF', () => {
    const parsed = rules('# cache\r\n*.html: no-cache\r\n\r\nassets/**:public, max-age=60\r\n');
    expect(parsed.map((r) => [r.glob, r.value, r.line])).toEqual([
      ['*.html', 'no-cache', 2],
      ['assets/**', 'public, max-age=60', 4]
    ]);
  });

  it('accepts quoted globs and an empty text', () => {
    expect(rules("'*.js': no-store").map((r) => r.glob)).toEqual(['*.js']);
    expect(rules('')).toEqual([]);
  });

  it.each([
    ['no colon', 'index.html no-cache', "line 1 ('index.html no-cache') is not a rule"],
    ['no value', '*.html:', 'needs both a glob and a value'],
    ['no glob', ': no-cache', 'is not a rule'],
    ['bad value', '*.html: max age 60', "'max age 60' is not a Cache-Control value"],
    ['non-ASCII value', '*.html: 캐시', 'visible ASCII only'],
    ['second line', '*.js: no-cache\noops', "line 2 ('oops')"]
  ])('reports %s', (_, text, message) => {
    expect(parseRules(text, checkCacheControl)).toEqual(expect.stringContaining(message));
  });

  it('validates content types', () => {
    expect(checkContentType('text/html; charset=utf-8')).toBeUndefined();
    expect(checkContentType('application/wasm')).toBeUndefined();
    expect(checkContentType('wasm')).toMatch(/not a content type/);
    expect(checkContentType('text/html; charset')).toMatch(/not a content type/);
  });

  it('validates cache-control values', () => {
    for (const ok of [
      'no-cache',
      'public, max-age=31536000, immutable',
      'none',
      'private,max-age=0',
      'no-cache="Set-Cookie"'
    ])
      expect([ok, checkCacheControl(ok)]).toEqual([ok, undefined]);
    for (const bad of ['max-age=', 'a b', 'x;y'])
      expect([bad, typeof checkCacheControl(bad)]).toEqual([bad, 'string']);
  });
});

describe('isContentHashed', () => {
  it.each([
    ['static/js/main.3f2a1b4c.js', true],
    ['assets/index-D8qZ2xYv.js', true],
    ['assets/index-BfGkLaQe.css', true],
    ['app.8f9e2d1c7b6a5f4e3d2c.css', true],
    ['static/js/main.3f2a1b4c.js.map', true],
    ['_next/static/chunks/pages/index.js', true],
    ['docs/_next/static/x.js', true],
    ['_app/immutable/entry/start.js', true],
    ['jquery-validation.js', false],
    ['main.bundle.js', false],
    ['main.js', false],
    ['favicon.ico', false],
    ['robots.txt', false],
    ['manifest.webmanifest', false],
    ['service-worker.js', false],
    ['deadbeefcafe.js', false],
    ['readme.abcdefgh.txt', false],
    ['', false]
  ])('%s → %s', (file, expected) => {
    expect(isContentHashed(file)).toBe(expected);
  });
});

describe('cacheControlFor', () => {
  const custom = rules('*.json: public, max-age=60\nlegacy/**: none');
  it.each([
    ['index.html', NO_CACHE],
    ['sub/page.HTM', NO_CACHE],
    ['assets/index-D8qZ2xYv.js', IMMUTABLE],
    ['robots.txt', NO_CACHE],
    ['data.json', 'public, max-age=60'],
    ['legacy/old.js', undefined],
    ['assets/logo-1a2b3c4d.png', IMMUTABLE]
  ])('%s → %s', (file, expected) => {
    expect(cacheControlFor(custom, file)).toBe(expected);
  });

  it('first match wins', () => {
    const ordered = rules('*.html: max-age=1\nindex.html: max-age=2');
    expect(cacheControlFor(ordered, 'index.html')).toBe('max-age=1');
  });

  it('never makes HTML immutable by default, even with a hash-like name', () => {
    expect(cacheControlFor([], 'page.3f2a1b4c.html')).toBe(NO_CACHE);
  });
});

describe('contentTypeFor', () => {
  const overrides = rules('*.wasm.br: application/wasm\nfeed: application/rss+xml', checkContentType);
  it.each([
    ['index.html', 'text/html; charset=utf-8'],
    ['a/app.js', 'text/javascript; charset=utf-8'],
    ['style.css', 'text/css; charset=utf-8'],
    ['data.json', 'application/json; charset=utf-8'],
    ['logo.svg', 'image/svg+xml'],
    ['font.woff2', 'font/woff2'],
    ['한글/파일.txt', 'text/plain; charset=utf-8'],
    ['IMAGE.PNG', 'image/png'],
    ['LICENSE', 'application/octet-stream'],
    ['.hidden', 'application/octet-stream'],
    ['x.unknownext', 'application/octet-stream'],
    ['app.wasm.br', 'application/wasm'],
    ['feed', 'application/rss+xml']
  ])('%s → %s', (file, expected) => {
    expect(contentTypeFor(overrides, file)).toBe(expected);
  });
});

describe('skipReason', () => {
  const plain = compileSelection([], [], false);
  const hiddenToo = compileSelection([], [], true);
  const filtered = compileSelection(['*.html', 'assets/**'], ['*.map', 'assets/private/**'], false);
  it.each([
    [plain, 'index.html', undefined],
    [plain, '.env', 'hidden'],
    [plain, 'a/.DS_Store', 'hidden'],
    [plain, '.cache/x.js', 'hidden'],
    [plain, '.git/config', 'git'],
    [plain, 'sub/.git/HEAD', 'git'],
    [plain, '.well-known/assetlinks.json', undefined],
    [plain, '.well-known/.secret', 'hidden'],
    [plain, 'a/.well-known/x', 'hidden'],
    [hiddenToo, '.env', undefined],
    [hiddenToo, '.git/config', 'git'],
    [hiddenToo, '.git', 'git'],
    [filtered, 'index.html', undefined],
    [filtered, 'assets/app.js', undefined],
    [filtered, 'assets/app.js.map', 'excluded'],
    [filtered, 'assets/private/key.txt', 'excluded'],
    [filtered, 'robots.txt', 'not-included']
  ])('%#: %s', (selection, file, expected) => {
    expect(skipReason(file, selection)).toBe(expected);
  });

  it('knows HTML entry points', () => {
    expect([isHtml('a.html'), isHtml('A.HTM'), isHtml('a.html.map'), isHtml('xhtml.js')]).toEqual([
      true,
      true,
      false,
      false
    ]);
  });
});
