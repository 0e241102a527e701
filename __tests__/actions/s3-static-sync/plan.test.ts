import { describe, expect, it } from '@jest/globals';
import { emptyManifest, type Manifest } from '../../../src/actions/s3-static-sync/manifest.js';
import {
  checkMaxDelete,
  deleteLimit,
  parseMaxDelete,
  planSync,
  uploadReason,
  type LocalFile,
  type RemoteObject
} from '../../../src/actions/s3-static-sync/plan.js';
import { compileSelection } from '../../../src/actions/s3-static-sync/rules.js';

const PREFIX = 'site/';
const MANIFEST_KEY = 'site/.s3-static-sync/manifest.json';

function file(relPath: string, sha256 = `sha-${relPath}`, size = 10, meta = 'm1'): LocalFile {
  return {
    relPath,
    key: PREFIX + relPath,
    absPath: `/src/${relPath}`,
    size,
    sha256,
    meta,
    contentType: 'x/y'
  };
}

/** A manifest and listing in which `files` were synced as they are now. */
function synced(files: LocalFile[]): { manifest: Manifest; remote: Map<string, RemoteObject> } {
  const manifest = emptyManifest();
  const remote = new Map<string, RemoteObject>();
  for (const f of files) {
    manifest.files[f.relPath] = { sha256: f.sha256, size: f.size, etag: `"etag-${f.relPath}"`, meta: f.meta };
    remote.set(f.key, { etag: `"etag-${f.relPath}"`, size: f.size });
  }
  remote.set(MANIFEST_KEY, { etag: '"m"', size: 100 });
  return { manifest, remote };
}

const options = (extra: Partial<Parameters<typeof planSync>[3]> = {}) => ({
  prefix: PREFIX,
  delete: true,
  selection: compileSelection([], [], false),
  manifestKey: MANIFEST_KEY,
  ...extra
});

describe('uploadReason', () => {
  const f = file('a.js');
  const { manifest, remote } = synced([f]);
  const listed = remote.get(f.key);
  it.each([
    ['unchanged', f, listed, manifest, undefined],
    ['missing remotely', f, undefined, manifest, 'new'],
    ['not in the manifest', f, listed, emptyManifest(), 'unrecorded'],
    ['new bytes, same size', file('a.js', 'other'), listed, manifest, 'content'],
    ['new size', file('a.js', 'sha-a.js', 11), { etag: listed?.etag ?? null, size: 10 }, manifest, 'content'],
    ['new metadata', file('a.js', 'sha-a.js', 10, 'm2'), listed, manifest, 'metadata'],
    ['ETag changed behind our back', f, { etag: '"someone-else"', size: 10 }, manifest, 'changed-remotely'],
    [
      'size changed behind our back',
      f,
      { etag: listed?.etag ?? null, size: 99 },
      manifest,
      'changed-remotely'
    ]
  ] as Array<[string, LocalFile, RemoteObject | undefined, Manifest, string | undefined]>)(
    '%s',
    (_, local, remoteObject, m, expected) => {
      expect(uploadReason(local, remoteObject, m)).toBe(expected);
    }
  );

  it('never trusts an entry recorded without an ETag', () => {
    const m = emptyManifest();
    m.files['a.js'] = { sha256: f.sha256, size: 10, etag: null, meta: f.meta };
    expect(uploadReason(f, { etag: null, size: 10 }, m)).toBe('changed-remotely');
  });
});

describe('planSync', () => {
  it('plans nothing when nothing changed, whatever the mtimes', () => {
    const files = [file('index.html'), file('a.js'), file('한글/파일.txt')];
    const { manifest, remote } = synced(files);
    const plan = planSync(files, remote, manifest, options());
    expect(plan).toEqual({ assets: [], html: [], unchanged: files, deletes: [], remoteCount: 3 });
  });

  it('uploads assets (largest first) apart from HTML, and deletes what is gone', () => {
    const old = [file('index.html'), file('old.js'), file('keep.css')];
    const { manifest, remote } = synced(old);
    const now = [
      file('index.html', 'new-html'),
      file('keep.css'),
      file('small.js', 's', 1),
      file('big.bin', 'b', 1000),
      file('about/index.htm', 'h')
    ];
    const plan = planSync(now, remote, manifest, options());
    expect(plan.assets.map((u) => [u.file.relPath, u.reason])).toEqual([
      ['big.bin', 'new'],
      ['small.js', 'new']
    ]);
    expect(plan.html.map((u) => [u.file.relPath, u.reason])).toEqual([
      ['about/index.htm', 'new'],
      ['index.html', 'content']
    ]);
    expect(plan.unchanged.map((f) => f.relPath)).toEqual(['keep.css']);
    expect(plan.deletes).toEqual(['site/old.js']);
    expect(plan.remoteCount).toBe(3);
  });

  it('deletes nothing without delete, and never the manifest, folders or unmanaged keys', () => {
    const { manifest, remote } = synced([file('a.js')]);
    remote.set('site/', { etag: null, size: 0 });
    remote.set('site/.env', { etag: null, size: 1 });
    remote.set('site/.git/config', { etag: null, size: 1 });
    remote.set('site/maps/a.js.map', { etag: null, size: 1 });
    remote.set('site/gone.js', { etag: null, size: 1 });
    remote.set('elsewhere/x.js', { etag: null, size: 1 });
    const selection = compileSelection([], ['*.map'], false);
    expect(planSync([], remote, manifest, options({ selection })).deletes).toEqual([
      'site/a.js',
      'site/gone.js'
    ]);
    expect(planSync([], remote, manifest, options({ selection, delete: false })).deletes).toEqual([]);
  });

  it('sorts keys by code unit, including non-ASCII', () => {
    const { manifest, remote } = synced([]);
    for (const k of ['site/한.js', 'site/b.js', 'site/A.js']) remote.set(k, { etag: null, size: 1 });
    expect(planSync([], remote, manifest, options()).deletes).toEqual([
      'site/A.js',
      'site/b.js',
      'site/한.js'
    ]);
  });
});

describe('max-delete', () => {
  it.each([
    ['0', { count: 0 }],
    ['100', { count: 100 }],
    ['25%', { share: 0.25 }],
    ['12.5 %', { share: 0.125 }],
    ['100%', { share: 1 }],
    ['101%', undefined],
    ['-1', undefined],
    ['ten', undefined],
    ['', undefined],
    ['1.5', undefined]
  ])('parses %j', (text, expected) => {
    expect(parseMaxDelete(text)).toEqual(expected);
  });

  it.each([
    [{ count: 3 }, 100, 3],
    [{ share: 0.5 }, 10, 5],
    [{ share: 0.5 }, 3, 1],
    [{ share: 1 }, 7, 7],
    [{ share: 0.5 }, 0, 0]
  ])('limit of %j over %d objects is %d', (max, count, expected) => {
    expect(deleteLimit(max, count)).toBe(expected);
  });

  function planDeleting(n: number, remoteCount: number) {
    return {
      assets: [],
      html: [],
      unchanged: [],
      deletes: Array.from({ length: n }, (_, i) => `k${i}`),
      remoteCount
    };
  }

  it('allows the limit and refuses limit + 1', () => {
    expect(checkMaxDelete(planDeleting(3, 10), { count: 3 }, '3')).toBeUndefined();
    expect(checkMaxDelete(planDeleting(4, 10), { count: 3 }, '3')).toBe(
      "would delete 4 of 10 objects (40%), more than max-delete '3' allows (3). Nothing was changed. If this is intended, raise max-delete (e.g. '4' or '100%'); otherwise check source and prefix."
    );
    expect(checkMaxDelete(planDeleting(5, 10), { share: 0.5 }, '50%')).toBeUndefined();
    expect(checkMaxDelete(planDeleting(6, 10), { share: 0.5 }, '50%')).toMatch(/6 of 10 objects \(60%\)/);
    expect(checkMaxDelete(planDeleting(0, 0), { count: 0 }, '0')).toBeUndefined();
  });
});
