/**
 * SHA-256 of local files (memory stays flat whatever the size). Hashing a very large site is CPU bound,
 * so above a size threshold it runs on worker threads, one per core (the bench measures both).
 * The worker is inline source so the ncc bundle stays a single file.
 */
import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

export interface HashJob {
  absPath: string;
  size: number;
}

export interface HashResult {
  sha256: string;
  /** Bytes actually read, which is what gets uploaded. */
  size: number;
}

const CHUNK = 1024 * 1024;

/** Hashing on this thread hands the event loop back after this many bytes, so the listing's replies are read meanwhile. */
const YIELD_EVERY = 4 * 1024 * 1024;

/**
 * Total bytes above which hashing moves to worker threads. On the bench's 147 MiB site one thread took
 * ~0.25 s, overlapped with the listing, and one or two workers made no run faster (the local S3 server
 * needs the other core) while adding ~5-15 MiB RSS, so only really large sites use them.
 */
export const WORKER_THRESHOLD = 256 * 1024 * 1024;

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Hashes one file with blocking reads into `buffer` (one buffer for every file: hashing a 2,000-file site
 * allocates 1 MiB, not 147 MiB of short-lived copies). `onChunk` may return a promise to pause between
 * chunks (the caller uses it to let other work run).
 */
export async function hashFile(
  absPath: string,
  buffer: Buffer = Buffer.allocUnsafe(CHUNK),
  onChunk?: (bytes: number) => Promise<void> | undefined
): Promise<HashResult> {
  const hash = createHash('sha256');
  const fd = openSync(absPath, 'r');
  let size = 0;
  try {
    for (;;) {
      const bytesRead = readSync(fd, buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      hash.update(buffer.subarray(0, bytesRead));
      size += bytesRead;
      const pause = onChunk?.(bytesRead);
      if (pause) await pause;
    }
  } finally {
    closeSync(fd);
  }
  return { sha256: hash.digest('hex'), size };
}

const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const { closeSync, openSync, readSync } = require('node:fs');
const buffer = Buffer.allocUnsafe(${CHUNK});
parentPort.on('message', ({ id, absPath }) => {
  try {
    const hash = createHash('sha256');
    const fd = openSync(absPath, 'r');
    let read = 0;
    try {
      for (;;) {
        const n = readSync(fd, buffer, 0, buffer.length, null);
        if (n === 0) break;
        hash.update(buffer.subarray(0, n));
        read += n;
      }
    } finally {
      closeSync(fd);
    }
    parentPort.postMessage({ id, sha256: hash.digest('hex'), size: read });
  } catch (error) {
    parentPort.postMessage({ id, error: { code: error.code, message: error.message } });
  }
});
`;

interface WorkerReply {
  id: number;
  sha256?: string;
  size?: number;
  error?: { code?: string; message: string };
}

function toError(reply: NonNullable<WorkerReply['error']>): NodeJS.ErrnoException {
  const error: NodeJS.ErrnoException = new Error(reply.message);
  if (reply.code) error.code = reply.code;
  return error;
}

export interface HashOptions {
  /** Worker threads to use; 0 hashes on this thread. Default: by total size and core count. */
  workers?: number;
  /** Called after each file. */
  onFile?: (job: HashJob) => void;
}

export function defaultWorkers(totalBytes: number): number {
  const cores = availableParallelism();
  return totalBytes >= WORKER_THRESHOLD && cores > 1 ? Math.min(cores, 4) : 0;
}

/** Hashes every job; results are in job order. Rejects with the first file that cannot be read. */
export async function hashFiles(jobs: readonly HashJob[], options: HashOptions = {}): Promise<HashResult[]> {
  const total = jobs.reduce((sum, job) => sum + job.size, 0);
  // One file cannot be split across threads: hash it here and save starting a worker.
  const workers = jobs.length < 2 ? 0 : Math.min(options.workers ?? defaultWorkers(total), jobs.length);
  const results: HashResult[] = new Array(jobs.length);
  if (workers === 0) {
    const buffer = Buffer.allocUnsafe(CHUNK);
    let sinceYield = 0;
    const onChunk = (bytes: number) => {
      sinceYield += bytes;
      if (sinceYield < YIELD_EVERY) return undefined;
      sinceYield = 0;
      return yieldToEventLoop();
    };
    for (const [index, job] of jobs.entries()) {
      results[index] = await hashFile(job.absPath, buffer, onChunk);
      options.onFile?.(job);
    }
    return results;
  }
  // Largest first so one big file does not finish last on one thread.
  const order = jobs.map((_, i) => i).sort((a, b) => (jobs[b] as HashJob).size - (jobs[a] as HashJob).size);
  const pool = Array.from({ length: workers }, () => new Worker(WORKER_SOURCE, { eval: true }));
  try {
    let next = 0;
    await Promise.all(
      pool.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            // Two jobs in flight per worker keep its disk reads and hashing overlapped.
            let inFlight = 0;
            let failed = false;
            const send = () => {
              while (!failed && inFlight < 2 && next < order.length) {
                const id = order[next++] as number;
                const job = jobs[id] as HashJob;
                inFlight++;
                worker.postMessage({ id, absPath: job.absPath, size: job.size });
              }
              if (inFlight === 0) resolve();
            };
            worker.on('message', (reply: WorkerReply) => {
              inFlight--;
              if (reply.error) {
                failed = true;
                const error = toError(reply.error) as NodeJS.ErrnoException & { path?: string };
                error.path = (jobs[reply.id] as HashJob).absPath;
                reject(error);
                return;
              }
              results[reply.id] = { sha256: reply.sha256 as string, size: reply.size as number };
              options.onFile?.(jobs[reply.id] as HashJob);
              send();
            });
            worker.on('error', reject);
            send();
          })
      )
    );
  } finally {
    await Promise.all(pool.map((worker) => worker.terminate()));
  }
  return results;
}
