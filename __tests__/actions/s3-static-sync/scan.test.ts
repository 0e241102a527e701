/** The walk and the hashing against a real temporary folder: links, hidden files, loops, unreadable entries. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { hashFiles } from '../../../src/actions/s3-static-sync/hash.js';
import { compileSelection } from '../../../src/actions/s3-static-sync/rules.js';
import { scanSource } from '../../../src/actions/s3-static-sync/scan.js';

let dir: string;
let source: string;

function write(rel: string, content: string | Buffer): void {
  const file = path.join(source, rel);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, content);
}

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 's3-static-sync-scan-'));
  source = path.join(dir, 'dist');
  write('index.html', '<h1>hi</h1>');
  write('assets/app.js', 'x');
  write('한글/파일.txt', '안녕');
  write('.env', 'SECRET=1');
  write('.git/config', '[core]');
  write('.cache/big.js', 'x');
  write('.well-known/security.txt', 'Contact: x');
  write('js/app.js.map', '{}');
  writeFileSync(path.join(dir, 'outside.txt'), 'not public');
  symlinkSync(path.join(source, 'assets', 'app.js'), path.join(source, 'alias.js'));
  symlinkSync(path.join(source, 'assets'), path.join(source, 'static'));
  symlinkSync('..', path.join(source, 'assets', 'loop'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('scanSource', () => {
  it('publishes files and links inside source, skips hidden and .git, follows no loop', () => {
    const scan = scanSource(source, compileSelection([], ['*.map'], false));
    expect(scan.files.map((f) => f.relPath).sort()).toEqual(
      [
        '.well-known/security.txt',
        'alias.js',
        'assets/app.js',
        'index.html',
        'static/app.js',
        '한글/파일.txt'
      ].sort()
    );
    expect(scan.hidden.sort()).toEqual(['.cache/', '.env']);
    expect(scan.excluded).toBe(1);
    expect(scan.outside).toEqual([]);
    expect(scan.unreadable).toEqual([]);
  });

  it('publishes hidden files with include-hidden, but never .git', () => {
    const scan = scanSource(source, compileSelection([], [], true));
    const paths = scan.files.map((f) => f.relPath);
    expect(paths).toEqual(expect.arrayContaining(['.env', '.cache/big.js']));
    expect(paths.filter((p) => p.includes('.git/'))).toEqual([]);
  });

  it('names links that leave source and entries it cannot read', () => {
    const other = mkdtempSync(path.join(tmpdir(), 's3-static-sync-scan-bad-'));
    try {
      writeFileSync(path.join(other, 'ok.txt'), 'ok');
      symlinkSync(path.join(dir, 'outside.txt'), path.join(other, 'leak.txt'));
      symlinkSync(dir, path.join(other, 'up'));
      symlinkSync(path.join(other, 'missing'), path.join(other, 'dangling.txt'));
      const scan = scanSource(other, compileSelection([], [], false));
      expect(scan.files.map((f) => f.relPath)).toEqual(['ok.txt']);
      expect(scan.outside.map((o) => o.split(' -> ')[0])).toEqual(['leak.txt', 'up']);
      expect(scan.unreadable).toEqual(['dangling.txt (a link to nothing)']);
      // An excluded file link that leaves source is not published, so it is not an error.
      const excluded = scanSource(other, compileSelection([], ['leak.txt', 'dangling.txt'], false));
      expect([excluded.outside.map((o) => o.split(' -> ')[0]), excluded.unreadable]).toEqual([['up'], []]);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });
});

describe('hashFiles', () => {
  const sha = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

  it.each([0, 2])('hashes empty, small and multi-chunk files with %d worker threads', async (workers) => {
    const big = Buffer.alloc(3 * 1024 * 1024 + 7, 'ab');
    write('big.bin', big);
    write('empty.txt', '');
    const jobs = ['index.html', 'big.bin', 'empty.txt', '한글/파일.txt'].map((rel) => ({
      absPath: path.join(source, rel),
      size: rel === 'big.bin' ? big.length : 10
    }));
    const seen: string[] = [];
    const results = await hashFiles(jobs, { workers, onFile: (job) => seen.push(job.absPath) });
    expect(results).toEqual([
      { sha256: sha('<h1>hi</h1>'), size: 11 },
      { sha256: sha(big), size: big.length },
      { sha256: sha(''), size: 0 },
      { sha256: sha('안녕'), size: Buffer.byteLength('안녕') }
    ]);
    expect(seen.sort()).toEqual(jobs.map((j) => j.absPath).sort());
  });

  it('hands the event loop back while hashing on this thread, so the listing is read meanwhile', async () => {
    const jobs = [0, 1, 2].map((i) => {
      write(`chunky-${i}.bin`, Buffer.alloc(6 * 1024 * 1024, i));
      return { absPath: path.join(source, `chunky-${i}.bin`), size: 6 * 1024 * 1024 };
    });
    let turns = 0;
    let hashing = true;
    const spin = () => {
      if (!hashing) return;
      turns++;
      setImmediate(spin);
    };
    setImmediate(spin);
    await hashFiles(jobs, { workers: 0 });
    hashing = false;
    // 18 MiB with a turn every 4 MiB: at least 4 turns; hashing without yielding would allow none.
    expect(turns).toBeGreaterThanOrEqual(4);
  });

  it.each([0, 2])('rejects naming the file it cannot read (%d workers)', async (workers) => {
    const missing = path.join(source, 'vanished.js');
    await expect(hashFiles([{ absPath: missing, size: 1 }], { workers })).rejects.toMatchObject({
      code: 'ENOENT',
      path: missing
    });
  });
});
