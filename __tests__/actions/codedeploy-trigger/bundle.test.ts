/** Deterministic zips: same tree, different mtimes → the same bytes; exec bits survive; symlinks followed. */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import yauzl from 'yauzl';
import { listBundle, zipBundle, zipMode } from '../../../src/actions/codedeploy-trigger/bundle.js';

let work: string;
beforeEach(() => {
  work = mkdtempSync(path.join(tmpdir(), 'codedeploy-zip-'));
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

/** Writes the same tree under `root`, with every mtime set to `mtime`, files created in `order`. */
function tree(root: string, mtime: Date, order: 'forward' | 'reverse'): void {
  const files: Array<[string, string, number]> = [
    ['appspec.yml', 'version: 0.0\nos: linux\n', 0o644],
    ['scripts/start.sh', '#!/bin/bash\necho start\n', 0o755],
    ['scripts/validate.sh', '#!/bin/bash\nexit 0\n', 0o700],
    ['app/설정.json', '{"ok":true}\r\n', 0o640],
    ['app/big.bin', 'x'.repeat(200_000), 0o644],
    ['app/api.jar', 'PK\x03\x04'.repeat(1000), 0o644]
  ];
  for (const [name, body, mode] of order === 'forward' ? files : [...files].reverse()) {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    writeFileSync(path.join(root, name), body);
    chmodSync(path.join(root, name), mode);
  }
  mkdirSync(path.join(root, 'logs'));
  for (const name of [
    'appspec.yml',
    'scripts/start.sh',
    'scripts/validate.sh',
    'app/설정.json',
    'app/big.bin',
    'app/api.jar',
    'app',
    'scripts',
    'logs'
  ])
    utimesSync(path.join(root, name), mtime, mtime);
}

interface Entry {
  name: string;
  method: number;
  mode: number;
  date: number;
  time: number;
}

function entries(file: string): Promise<Entry[]> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true }, (error, zip) => {
      if (error || !zip) return reject(error);
      const found: Entry[] = [];
      zip.on('entry', (e: yauzl.Entry) => {
        found.push({
          name: e.fileName,
          method: e.compressionMethod,
          mode: e.externalFileAttributes >>> 16,
          date: e.lastModFileDate,
          time: e.lastModFileTime
        });
        zip.readEntry();
      });
      zip.on('end', () => resolve(found));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

describe('zipBundle', () => {
  it('gives byte-identical archives for the same tree with different mtimes and creation order', async () => {
    const a = path.join(work, 'a');
    const b = path.join(work, 'b');
    tree(a, new Date('2020-01-02T03:04:05Z'), 'forward');
    tree(b, new Date('2026-11-21T23:59:58Z'), 'reverse');
    const zipA = await zipBundle(await listBundle(a), path.join(work, 'a.zip'));
    const zipB = await zipBundle(await listBundle(b), path.join(work, 'b.zip'));
    expect(zipA.sha256).toBe(zipB.sha256);
    expect(readFileSync(zipA.file).equals(readFileSync(zipB.file))).toBe(true);
    expect(zipA.size).toBe(readFileSync(zipA.file).length);
    expect(zipA.entries).toBe(9);
  });

  it('changes the hash when content or an exec bit changes', async () => {
    tree(work + '/t', new Date(), 'forward');
    const first = await zipBundle(await listBundle(work + '/t'), path.join(work, '1.zip'));
    chmodSync(path.join(work, 't', 'appspec.yml'), 0o755);
    const second = await zipBundle(await listBundle(work + '/t'), path.join(work, '2.zip'));
    writeFileSync(path.join(work, 't', 'appspec.yml'), 'version: 0.0\nos: windows\n');
    const third = await zipBundle(await listBundle(work + '/t'), path.join(work, '3.zip'));
    expect(new Set([first.sha256, second.sha256, third.sha256]).size).toBe(3);
  });

  it('stores sorted entries, one fixed timestamp, and 0755/0644 modes (yauzl and unzip -Z agree)', async () => {
    tree(work + '/t', new Date(), 'forward');
    const zip = await zipBundle(await listBundle(work + '/t'), path.join(work, 't.zip'));
    const found = await entries(zip.file);
    expect(found.map((e) => e.name)).toEqual(
      [
        'app/',
        'app/api.jar',
        'app/big.bin',
        'app/설정.json',
        'appspec.yml',
        'logs/',
        'scripts/',
        'scripts/start.sh',
        'scripts/validate.sh'
      ].sort()
    );
    const modes = Object.fromEntries(found.map((e) => [e.name, (e.mode & 0o777).toString(8)]));
    expect(modes['scripts/start.sh']).toBe('755');
    expect(modes['scripts/validate.sh']).toBe('755');
    expect(modes['appspec.yml']).toBe('644');
    expect(modes['app/설정.json']).toBe('644');
    expect(modes['logs/']).toBe('755');
    // Deflated, except formats that are compressed already (a jar is a zip).
    const methods = Object.fromEntries(found.map((e) => [e.name, e.method]));
    expect([methods['app/big.bin'], methods['appspec.yml'], methods['app/api.jar']]).toEqual([8, 8, 0]);
    expect(new Set(found.map((e) => `${e.date}/${e.time}`))).toEqual(
      new Set([`${(0 << 9) | (1 << 5) | 1}/0`])
    );
    const listing = spawnSync('unzip', ['-Z', zip.file], { encoding: 'utf8' });
    expect(listing.status).toBe(0);
    expect(listing.stdout).toMatch(/^-rwxr-xr-x .* 80-Jan-01 00:00 scripts\/start\.sh$/m);
    expect(listing.stdout).toMatch(/^-rw-r--r-- .* 80-Jan-01 00:00 appspec\.yml$/m);
    const test = spawnSync('unzip', ['-tq', zip.file], { encoding: 'utf8' });
    expect(test.stdout).toContain('No errors detected');
  });

  it('zips an empty directory to a valid, empty archive', async () => {
    mkdirSync(path.join(work, 'empty'));
    const zip = await zipBundle(await listBundle(path.join(work, 'empty')), path.join(work, 'e.zip'));
    expect(zip.entries).toBe(0);
    expect(await entries(zip.file)).toEqual([]);
  });

  it('follows symlinks, and names a broken one', async () => {
    const root = path.join(work, 's');
    mkdirSync(root);
    writeFileSync(path.join(work, 'outside.sh'), '#!/bin/bash\n');
    chmodSync(path.join(work, 'outside.sh'), 0o755);
    symlinkSync(path.join(work, 'outside.sh'), path.join(root, 'linked.sh'));
    const files = await listBundle(root);
    expect(files.map((f) => [f.path, f.type, zipMode(f).toString(8)])).toEqual([
      ['linked.sh', 'file', '100755']
    ]);
    expect(files[0]?.head?.toString()).toBe('#!/bin/bash\n');
    symlinkSync(path.join(work, 'nowhere'), path.join(root, 'broken'));
    await expect(listBundle(root)).rejects.toThrow(
      'The bundle entry broken is a broken symlink or unreadable.'
    );
  });

  it('names a symlink loop', async () => {
    const root = path.join(work, 'loop');
    mkdirSync(path.join(root, 'a'), { recursive: true });
    symlinkSync(root, path.join(root, 'a', 'up'));
    await expect(listBundle(root)).rejects.toThrow('symlink loop at a/up');
  });
});
