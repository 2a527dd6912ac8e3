import { channel } from 'diagnostics_channel';
import * as fs from 'fs';
import * as path from 'path';
import { Worker } from 'worker_threads';
import { giveBackBodyBuffer, releaseBodyBuffers } from '../api/bodyBuffers';
import { ApiError, type ApiErrorCode } from '../api/errors';
import { RecordChunks } from '../api/recordChunks';
import type { ChunkedRecords } from '../dataset/fetchAll';
import type { ResultStore } from '../dataset/resultStore';
import { silentLogger, type Logger } from '../ports';
import { shapeStateOf } from './columnChunk';
import type { PageJob, WorkerReply } from './messages';

/**
 * Fetch All's page worker, seen from the main thread (docs/performance.md, B4): a page's bytes go
 * to a worker thread (transferred), which parses, checks and stores its records in column chunks;
 * here the chunks are only appended to the result. The extension host's main thread, which every
 * extension shares, stays free while five years of pages are read. If the worker cannot start, the
 * log says so and pages are taken on this thread as before.
 */

export interface PageWorkerOptions {
  /** The worker's bundle; by default `pageWorker.js` beside this code (dist/), or the checkout's dist/. */
  readonly script?: string;
  /** Where a worker that cannot start is reported; by default a process warning (the extension host's log), once. */
  readonly logger?: Logger;
}

export interface PageWorkerStats {
  readonly pages: number;
  /** Largest heap the worker reported after a chunk, in bytes. */
  readonly peakHeapBytes: number;
  /** The worker thread has not exited. */
  readonly running: boolean;
}

export interface PageWorker {
  /**
   * Has the worker take `records` (the page's `bytes` attributed to its first chunk) and appends
   * each chunk to `store` as it comes, as `store.append(records.take())` in a loop would; rejects
   * with the page's error after appending the chunks before it. Resolves false, having done
   * nothing, when there is no worker (the caller takes the records itself). Once `signal` aborts,
   * the worker is stopped at once and nothing more is appended.
   */
  append(store: ResultStore, records: ChunkedRecords, bytes: number, signal?: AbortSignal): Promise<boolean>;
  stats(): PageWorkerStats;
  /** Stops the worker; its figures go to the `PAGE_WORKER_CHANNEL` diagnostics channel. */
  close(): Promise<void>;
}

/** `diagnostics_channel` name on which a closed page worker publishes its `PageWorkerStats` (benchmarks). */
export const PAGE_WORKER_CHANNEL = 'onetwentyone.pageWorker';

const WORKER_BUNDLE = 'pageWorker.js';

function defaultScript(): string | undefined {
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    for (const candidate of [path.join(dir, WORKER_BUNDLE), path.join(dir, 'dist', WORKER_BUNDLE)])
      if (fs.existsSync(candidate)) return candidate;
    dir = path.dirname(dir);
  }
  return undefined;
}

let warnedOnce = false;

/** Node prints process warnings to stderr, which the extension host writes to its log. */
const processWarningLogger: Logger = {
  ...silentLogger,
  warn: (message) => {
    if (warnedOnce) return;
    warnedOnce = true;
    process.emitWarning(message);
  },
};

interface Job {
  readonly id: number;
  onReply(reply: WorkerReply): void;
  onStopped(error: Error): void;
}

/** Starts the worker now (it loads while the first pages are requested). */
export function openPageWorker(options: PageWorkerOptions = {}): PageWorker {
  const logger = options.logger ?? processWarningLogger;
  let worker: Worker | undefined;
  let started = false;
  let current: Job | undefined;
  let nextId = 1;
  let pages = 0;
  let peakHeapBytes = 0;
  let running = false;

  const unavailable = (why: string): void => {
    logger.warn(`Fetch All Pages reads pages on the main thread: the page worker could not start (${why}).`);
  };

  const stopped = (error: Error): void => {
    worker = undefined;
    if (!started) unavailable(error.message);
    current?.onStopped(error);
  };

  const ready = new Promise<boolean>((resolve) => {
    const script = options.script ?? defaultScript();
    if (!script) {
      unavailable(`${WORKER_BUNDLE} was not found`);
      resolve(false);
      return;
    }
    try {
      worker = new Worker(script);
    } catch (err) {
      unavailable(err instanceof Error ? err.message : String(err));
      resolve(false);
      return;
    }
    running = true;
    // Only a page in progress keeps the process alive.
    worker.unref();
    worker.on('message', (reply: WorkerReply) => {
      if (reply.type === 'ready') {
        started = true;
        resolve(true);
      } else {
        current?.onReply(reply);
      }
    });
    worker.on('error', (err) => {
      stopped(err);
      resolve(false);
    });
    worker.on('exit', (code) => {
      running = false;
      stopped(new Error(`it exited with code ${code}`));
      resolve(false);
    });
  });

  const terminate = (): void => {
    const w = worker;
    worker = undefined;
    void w?.terminate();
  };

  const post = (job: PageJob): void => {
    try {
      worker!.postMessage(job, [job.page.buffer]);
    } catch {
      // A buffer that cannot be moved (a pooled one) is copied once, and the copy moved.
      const buffer = job.page.buffer.slice(0);
      worker!.postMessage({ ...job, page: { ...job.page, buffer } }, [buffer]);
    }
  };

  return {
    async append(store, records, bytes, signal) {
      if (!(records instanceof RecordChunks) || !(await ready) || !worker) return false;
      if (signal?.aborted) return true;
      const page = records.handOver();
      if (!page) return false;
      const id = nextId++;
      const running = worker;
      return new Promise<boolean>((resolve, reject) => {
        let first = true;
        const finish = (): void => {
          current = undefined;
          signal?.removeEventListener('abort', onAbort);
          running.unref();
        };
        const onAbort = (): void => {
          finish();
          terminate();
          resolve(true);
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        current = {
          id,
          onReply: (reply) => {
            if (reply.type === 'ready' || reply.id !== id) return;
            peakHeapBytes = Math.max(peakHeapBytes, reply.heapUsed);
            if (reply.type !== 'chunk') giveBackBodyBuffer(reply.buffer);
            try {
              if (reply.type === 'chunk') {
                records.tookElsewhere(reply.chunk.records);
                store.appendChunk(reply.chunk, first ? bytes : 0);
                first = false;
              } else if (reply.type === 'done') {
                records.finishedElsewhere(reply.warnings);
                pages++;
                finish();
                resolve(true);
              } else {
                const { code, message, route } = reply.error;
                const error =
                  code === undefined ? new Error(message) : new ApiError(code as ApiErrorCode, message, { route });
                if (error instanceof ApiError) records.failedElsewhere(error);
                throw error;
              }
            } catch (err) {
              finish();
              reject(err instanceof Error ? err : new Error(String(err)));
            }
          },
          onStopped: (error) => {
            finish();
            reject(new Error(`The page worker stopped: ${error.message}`));
          },
        };
        running.ref();
        post({ type: 'page', id, page, state: shapeStateOf(store.columns) });
      });
    },
    stats: () => ({ pages, peakHeapBytes, running }),
    async close() {
      const w = worker;
      worker = undefined;
      current?.onStopped(new Error('it was closed'));
      releaseBodyBuffers();
      const stats: PageWorkerStats = { pages, peakHeapBytes, running: false };
      const published = channel(PAGE_WORKER_CHANNEL);
      if (published.hasSubscribers) published.publish(stats);
      // `started` stays as it was: a worker closed before it was ready is not a failure to start.
      started = true;
      await w?.terminate();
    },
  };
}
