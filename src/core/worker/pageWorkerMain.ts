import { getHeapStatistics } from 'v8';
import { parentPort } from 'worker_threads';
import { ApiError } from '../api/errors';
import { RecordChunks } from '../api/recordChunks';
import { ChunkEncoder } from './columnChunk';
import type { PageJob, WorkerError, WorkerReply } from './messages';

/**
 * The page worker (`dist/pageWorker.js`, docs/performance.md, B4): takes one page's bytes at a time
 * and does what `fetchAll` did on the main thread: takes its records a chunk at a time (strict
 * UTF-8, JSON.parse, the route's zod check, the bytes after the records), stores each chunk in
 * columns, and sends the columns back with their buffers transferred.
 */

const port = parentPort;
if (!port) throw new Error('The page worker runs only as a worker thread.');

function reply(message: WorkerReply, transfer: ArrayBuffer[] = []): void {
  port!.postMessage(message, transfer);
}

function errorOf(err: unknown): WorkerError {
  if (err instanceof ApiError) return { code: err.code, message: err.message, route: err.route };
  return { code: undefined, message: err instanceof Error ? err.message : String(err), route: undefined };
}

function heapUsed(): number {
  return getHeapStatistics().used_heap_size;
}

function run(job: PageJob): void {
  const { page } = job;
  const records = new RecordChunks(
    Buffer.from(page.buffer, 0, page.byteLength),
    { dataOpen: page.dataOpen },
    page.routeId,
    page.routeLabel,
    page.chunkBytes,
  );
  const encoder = new ChunkEncoder(job.state);
  try {
    while (!records.done) {
      const { chunk, transfer } = encoder.encode(records.take());
      reply({ type: 'chunk', id: job.id, chunk, heapUsed: heapUsed() }, transfer);
    }
    // The page's buffer goes back to the main thread, which reads a later body into it.
    reply({ type: 'done', id: job.id, warnings: records.warnings(), heapUsed: heapUsed(), buffer: page.buffer }, [
      page.buffer,
    ]);
  } catch (err) {
    reply({ type: 'failed', id: job.id, error: errorOf(err), heapUsed: heapUsed(), buffer: page.buffer }, [
      page.buffer,
    ]);
  }
}

port.on('message', (job: PageJob) => run(job));
reply({ type: 'ready' });
