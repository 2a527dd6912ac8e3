import { channel } from 'diagnostics_channel';
import * as fs from 'fs';
import * as path from 'path';
import { Worker } from 'worker_threads';
import { giveBackBodyBuffer, releaseBodyBuffers } from '../api/bodyBuffers';
import { ApiError, cancelledError } from '../api/errors';
import type { HttpRequest, HttpResponse, HttpTransport, KeptBody, TransportRunner } from '../api/httpTypes';
import { RecordChunks } from '../api/recordChunks';
import type { UndiciTransportSpec } from '../api/transport';
import type { ChunkedRecords } from '../dataset/fetchAll';
import type { ResultStore } from '../dataset/resultStore';
import { silentLogger, type Logger } from '../ports';
import { shapeStateOf } from './columnChunk';
import type { FetchJob, FetchReply, KeptHead, PageReply, WorkerJob, WorkerReply } from './messages';
import { fromWorkerError } from './workerErrors';

/**
 * Fetch All's page worker, seen from the main thread (docs/performance.md, B4): the worker sends the
 * page requests (`transportFor`: a copy of the origin's undici transport there) and keeps each list
 * body it receives; handed a page (`append`), it parses, checks and stores its records in column
 * chunks, and here the chunks are only appended to the result. A page received on this thread goes to
 * the worker as bytes (transferred). The extension host's main thread, which every extension shares,
 * stays free while five years of pages are read. If the worker cannot start, the log says so and
 * pages are requested and taken on this thread as before.
 */

export interface PageWorkerOptions {
  /** The worker's bundle; by default `pageWorker.js` beside this code (dist/), or the checkout's dist/. */
  readonly script?: string;
  /** Where a worker that cannot start is reported; by default a process warning (the extension host's log), once. */
  readonly logger?: Logger;
}

export interface PageWorkerStats {
  readonly pages: number;
  /** Requests the worker sent (those sent before it was ready went from the main thread). */
  readonly requests: number;
  /** Largest heap the worker reported after a chunk, in bytes. */
  readonly peakHeapBytes: number;
  /** The worker thread has not exited. */
  readonly running: boolean;
}

export interface PageWorker extends TransportRunner {
  /** True once the worker has loaded and takes requests and pages; false when it could not start or was closed first. */
  readonly ready: Promise<boolean>;
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
const EMPTY = Buffer.alloc(0);

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
  onReply(reply: PageReply): void;
  onStopped(error: Error): void;
}

/** A fetch sent to the worker, or a kept body asked for: what its reply settles. */
interface Pending {
  onReply(reply: FetchReply): void;
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
  let requests = 0;
  let peakHeapBytes = 0;
  let running = false;
  /** Fetches and kept bodies asked for, by id. */
  const pending = new Map<number, Pending>();
  /** Pages and fetches in progress: only these keep the process alive. */
  let busy = 0;
  const hold = (): void => {
    if (busy++ === 0) worker?.ref();
  };
  const letGo = (): void => {
    if (--busy === 0) worker?.unref();
  };

  const unavailable = (why: string): void => {
    logger.warn(`Fetch All Pages reads pages on the main thread: the page worker could not start (${why}).`);
  };

  const stopped = (error: Error): void => {
    worker = undefined;
    if (!started) unavailable(error.message);
    current?.onStopped(error);
    for (const waiting of [...pending.values()]) waiting.onStopped(error);
    pending.clear();
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
      } else if (reply.type === 'response' || reply.type === 'fetchFailed' || reply.type === 'taken') {
        const waiting = pending.get(reply.id);
        pending.delete(reply.id);
        if (waiting) waiting.onReply(reply);
        // A kept body nobody waits for (its request was cancelled) is let go there.
        else if (reply.type === 'response' && !(reply.body instanceof ArrayBuffer))
          send({ type: 'drop', id: reply.id });
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

  const send = (job: WorkerJob): void => {
    worker?.postMessage(job);
  };

  const post = (job: WorkerJob & { type: 'page' }): void => {
    const moved = job.page.buffer;
    if (!moved) {
      worker!.postMessage(job);
      return;
    }
    try {
      worker!.postMessage(job, [moved]);
    } catch {
      // A buffer that cannot be moved (a pooled one) is copied once, and the copy moved.
      const buffer = moved.slice(0);
      worker!.postMessage({ ...job, page: { ...job.page, buffer } }, [buffer]);
    }
  };

  const runner: TransportRunner = { transportFor: (spec, here) => workerTransport(spec, here) };

  /** Asks the worker for a body it kept; it keeps it no more. */
  const takeKept = (id: number): Promise<Buffer> =>
    new Promise<Buffer>((resolve, reject) => {
      if (!worker) {
        reject(new Error('The page worker stopped before the page was read.'));
        return;
      }
      hold();
      pending.set(id, {
        onReply: (reply) => {
          letGo();
          if (reply.type === 'taken') resolve(Buffer.from(reply.body));
          else if (reply.type === 'fetchFailed') reject(fromWorkerError(reply.error));
          else reject(new Error('The page worker answered out of turn.'));
        },
        onStopped: (error) => {
          letGo();
          reject(new Error(`The page worker stopped: ${error.message}`));
        },
      });
      send({ type: 'take', id });
    });

  const keptBody = (id: number, head: KeptHead): KeptBody => ({
    keeper: runner,
    id,
    byteLength: head.byteLength,
    start: Buffer.from(head.start),
    head: { dataOpen: head.dataOpen, provisionalEnvelope: Buffer.from(head.provisionalEnvelope) },
    take: () => takeKept(id),
    drop: () => send({ type: 'drop', id }),
  });

  const sendThere = (spec: UndiciTransportSpec, request: HttpRequest): Promise<HttpResponse> => {
    const route = request.url.pathname;
    if (request.signal?.aborted) return Promise.reject(cancelledError({ route }));
    const id = nextId++;
    return new Promise<HttpResponse>((resolve, reject) => {
      const finish = (): void => {
        request.signal?.removeEventListener('abort', onAbort);
        letGo();
      };
      const onAbort = (): void => {
        pending.delete(id);
        finish();
        send({ type: 'abort', id });
        reject(cancelledError({ route }));
      };
      request.signal?.addEventListener('abort', onAbort, { once: true });
      hold();
      requests++;
      pending.set(id, {
        onReply: (reply) => {
          finish();
          if (reply.type === 'fetchFailed') reject(fromWorkerError(reply.error));
          else if (reply.type !== 'response') reject(new Error('The page worker answered out of turn.'));
          else if (reply.body instanceof ArrayBuffer)
            resolve({ status: reply.status, headers: reply.headers, body: Buffer.from(reply.body) });
          else resolve({ status: reply.status, headers: reply.headers, body: EMPTY, kept: keptBody(id, reply.body) });
        },
        onStopped: (error) => {
          finish();
          reject(new Error(`The page worker stopped: ${error.message}`));
        },
      });
      const job: FetchJob = {
        type: 'fetch',
        id,
        spec,
        method: request.method,
        url: request.url.href,
        headers: { ...request.headers },
      };
      send(job);
    });
  };

  /**
   * The worker's copy of a transport. Until the worker is ready (it loads while the first requests
   * go out), and if it never is, `here` sends.
   */
  const workerTransport = (spec: UndiciTransportSpec, here: HttpTransport): HttpTransport => ({
    origin: here.origin,
    send: (request) => {
      if (!started || !worker) return here.send(request);
      // Bodies are sent only by the token endpoint, which does not come here; the worker sends none.
      if (request.body !== undefined) return here.send(request);
      return sendThere(spec, request);
    },
    close: async () => {},
  });

  return {
    ready,
    async append(store, records, bytes, signal) {
      if (!(records instanceof RecordChunks) || !(await ready) || !worker) return false;
      if (signal?.aborted) return true;
      const page = records.handOver(runner);
      if (!page) return false;
      const id = nextId++;
      return new Promise<boolean>((resolve, reject) => {
        let first = true;
        const finish = (): void => {
          current = undefined;
          signal?.removeEventListener('abort', onAbort);
          letGo();
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
            if (reply.id !== id) return;
            peakHeapBytes = Math.max(peakHeapBytes, reply.heapUsed);
            if (reply.type !== 'chunk' && reply.buffer) giveBackBodyBuffer(reply.buffer);
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
                const error = fromWorkerError(reply.error);
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
        hold();
        post({ type: 'page', id, page, state: shapeStateOf(store.columns) });
      });
    },
    transportFor: runner.transportFor,
    stats: () => ({ pages, requests, peakHeapBytes, running }),
    async close() {
      const w = worker;
      worker = undefined;
      const closed = new Error('it was closed');
      current?.onStopped(closed);
      for (const waiting of [...pending.values()]) waiting.onStopped(closed);
      pending.clear();
      releaseBodyBuffers();
      const stats: PageWorkerStats = { pages, requests, peakHeapBytes, running: false };
      const published = channel(PAGE_WORKER_CHANNEL);
      if (published.hasSubscribers) published.publish(stats);
      // `started` stays as it was: a worker closed before it was ready is not a failure to start.
      started = true;
      await w?.terminate();
    },
  };
}
