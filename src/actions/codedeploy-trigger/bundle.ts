/**
 * Reads a bundle directory and zips it deterministically with yazl: entries sorted by path, one fixed
 * timestamp, modes normalised to 0755/0644 by the owner's exec bit, no extra fields. The same tree gives
 * the same bytes on any machine and any checkout time, so its SHA-256 names the S3 object.
 *
 * yazl (the zip writer of yauzl's author) is chosen over archiver/adm-zip because it streams, lets every
 * entry's mtime and mode be set explicitly, and writes nothing time- or host-dependent on its own.
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { open, readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import yazl from 'yazl';
import { ConfigError } from '../../core/errors.js';
import type { BundleEntry, BundleListing } from './appspec.js';

/** DOS timestamps are local time; building the date from local parts makes it the same in every time zone. */
export const FIXED_MTIME = new Date(1980, 0, 1, 0, 0, 0);
const FILE_MODE_EXEC = 0o100755;
const FILE_MODE = 0o100644;
const DIR_MODE = 0o040755;
const HEAD_BYTES = 256;

/**
 * Files that are compressed already (archives, images, fonts): deflating them again costs time and gains
 * nothing, so they are stored. A Spring Boot fat jar is the usual bulk of a bundle.
 */
const STORED_EXTENSIONS = new Set([
  '.jar',
  '.war',
  '.ear',
  '.zip',
  '.gz',
  '.tgz',
  '.bz2',
  '.xz',
  '.zst',
  '.7z',
  '.png',
  '.jpg',
  '.jpeg',
  '.gif',
  '.webp',
  '.avif',
  '.woff',
  '.woff2',
  '.mp4',
  '.webm',
  '.br'
]);

/** Whether an entry is deflated (everything but already-compressed formats, by extension). */
export function shouldCompress(file: string): boolean {
  return !STORED_EXTENSIONS.has(path.extname(file).toLowerCase());
}

export interface BundleFile extends BundleEntry {
  /** POSIX path inside the bundle. */
  path: string;
  /** Where it is on disk. */
  absolute: string;
  size: number;
}

/** Every file and directory under `root`, sorted by path; symlinks are followed (as `zip -r` does). */
export async function listBundle(root: string): Promise<BundleFile[]> {
  const result: BundleFile[] = [];
  const seen = new Set<string>();
  async function walk(dir: string, rel: string): Promise<void> {
    const real = await realpath(dir);
    if (seen.has(real)) throw new ConfigError(`The bundle has a symlink loop at ${rel || '.'}.`);
    seen.add(real);
    const names = (await readdir(dir)).sort();
    for (const name of names) {
      const absolute = path.join(dir, name);
      const relPath = rel ? `${rel}/${name}` : name;
      let info;
      try {
        info = await stat(absolute);
      } catch {
        throw new ConfigError(`The bundle entry ${relPath} is a broken symlink or unreadable.`);
      }
      if (info.isDirectory()) {
        result.push({ path: relPath, absolute, type: 'dir', mode: info.mode, size: 0 });
        await walk(absolute, relPath);
      } else if (info.isFile()) {
        const entry: BundleFile = { path: relPath, absolute, type: 'file', mode: info.mode, size: info.size };
        if (info.mode & 0o111) entry.head = await readHead(absolute);
        result.push(entry);
      }
    }
    seen.delete(real);
  }
  await walk(root, '');
  return result.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

async function readHead(file: string): Promise<Buffer> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, HEAD_BYTES, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

export function toListing(files: readonly BundleFile[]): BundleListing {
  return new Map(files.map((f) => [f.path, f]));
}

/** The zip mode of an entry: 0755 when the owner may execute it, 0644 otherwise. */
export function zipMode(entry: Pick<BundleEntry, 'type' | 'mode'>): number {
  if (entry.type === 'dir') return DIR_MODE;
  return entry.mode & 0o100 ? FILE_MODE_EXEC : FILE_MODE;
}

export interface ZipResult {
  file: string;
  size: number;
  sha256: string;
  entries: number;
}

/** Zips `files` (from listBundle) into `out`, hashing the archive as it is written. */
export async function zipBundle(files: readonly BundleFile[], out: string): Promise<ZipResult> {
  const zip = new yazl.ZipFile();
  for (const entry of files) {
    const options = { mtime: FIXED_MTIME, mode: zipMode(entry), forceDosTimestamp: true };
    if (entry.type === 'dir') zip.addEmptyDirectory(entry.path, options);
    else
      zip.addFile(entry.absolute, entry.path, {
        ...options,
        compressionLevel: shouldCompress(entry.path) ? 6 : 0
      });
  }
  zip.end();
  const hash = createHash('sha256');
  let size = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      size += chunk.length;
      done(null, chunk);
    }
  });
  await pipeline(zip.outputStream, tap, createWriteStream(out));
  const written = await stat(out);
  if (written.size !== size) throw new Error(`zip size mismatch: wrote ${written.size}, hashed ${size}`);
  return { file: out, size, sha256: hash.digest('hex'), entries: files.length };
}
