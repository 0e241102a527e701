/**
 * SHA-256 of local files (memory stays flat whatever the size). Hashing a very large site is CPU bound,
 * so above a size threshold it runs on worker threads, one per core (the bench measures both).
 * The worker is inline source so the ncc bundle stays a single file.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
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

/** Files up to this size are read whole, in one blocking call: faster than a stream or four async round trips. */
const WHOLE_READ_MAX = 1024 * 1024;
const CHUNK = 1024 * 1024;

/**
 * Total bytes above which hashing moves to worker threads. On the bench's 147 MiB site one thread took
 * ~0.35 s and two workers gained nothing while adding ~40 MiB RSS, so only really large sites use them.
 */
export const WORKER_THRESHOLD = 256 * 1024 * 1024;

export async function hashFile(absPath: string, sizeHint: number): Promise<HashResult> {
  if (sizeHint <= WHOLE_READ_MAX) {
    const bytes = readFileSync(absPath);
    return { sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.length };
  }
  // One reused buffer: hashing a 1 GB file allocates 1 MiB, not 1,024 chunks for the GC to find.
  const hash = createHash('sha256');
  const buffer = Buffer.allocUnsafe(CHUNK);
  const handle = await open(absPath, 'r');
  let size = 0;
  try {
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, CHUNK, null);
      if (bytesRead === 0) break;
      hash.update(buffer.subarray(0, bytesRead));
      size += bytesRead;
    }
  } finally {
    await handle.close();
  }
  return { sha256: hash.digest('hex'), size };
}

const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const { closeSync, openSync, readFileSync, readSync } = require('node:fs');
parentPort.on('message', async ({ id, absPath, size }) => {
  try {
    if (size <= ${WHOLE_READ_MAX}) {
      const bytes = readFileSync(absPath);
      parentPort.postMessage({ id, sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.length });
      return;
    }
    const hash = createHash('sha256');
    const buffer = Buffer.allocUnsafe(${CHUNK});
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
    let next = 0;
    const lane = async () => {
      while (next < jobs.length) {
        const index = next++;
        const job = jobs[index] as HashJob;
        results[index] = await hashFile(job.absPath, job.size);
        options.onFile?.(job);
      }
    };
    await Promise.all(Array.from({ length: Math.min(8, jobs.length) }, lane));
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
