import { getHeapStatistics } from 'v8';
import { parentPort } from 'worker_threads';
import { giveBackBodyBuffer, isBodyBuffer, POOLED_BODY_MIN_BYTES } from '../api/bodyBuffers';
import { scanListHead } from '../api/envelopeScan';
import type { HttpTransport } from '../api/httpTypes';
import { RecordChunks } from '../api/recordChunks';
import { createUndiciTransport } from '../api/transport';
import { ChunkEncoder } from './columnChunk';
import type { FetchJob, PageJob, WorkerJob, WorkerReply } from './messages';
import { toWorkerError } from './workerErrors';

/**
 * The page worker (`dist/pageWorker.js`, docs/performance.md, B4). It sends Fetch All's page
 * requests with its own copy of the API origin's undici transport, so the sockets' reads (a megabyte
 * of buffers a page) happen on this thread, not on the extension host's: a 200's list body stays
 * here, and only its head goes to the main thread. When the page is handed back to it, it does what
 * `fetchAll` did on the main thread: takes its records a chunk at a time (strict UTF-8, JSON.parse,
 * the route's zod check, the bytes after the records), stores each chunk in columns, and sends the
 * columns back with their buffers transferred.
 */

const port = parentPort;
if (!port) throw new Error('The page worker runs only as a worker thread.');

/** The first bytes of a kept body the main thread gets, where `has_more` is looked for. */
const START_BYTES = 1024;

const transports = new Map<string, HttpTransport>();
const inFlight = new Map<number, AbortController>();
/** Bodies received here and not yet read, by fetch id. */
const kept = new Map<number, Buffer>();

function reply(message: WorkerReply, transfer: ArrayBuffer[] = []): void {
  port!.postMessage(message, transfer);
}

function heapUsed(): number {
  return getHeapStatistics().used_heap_size;
}

/** A copy of `bytes` in an ArrayBuffer of their own, to be transferred. */
function ownCopy(bytes: Uint8Array): ArrayBuffer {
  const copy = new Uint8Array(bytes.length);
  copy.set(bytes);
  return copy.buffer;
}

/** Lets a body go; its buffer, when it is one of the pool's, serves a later body. */
function forget(body: Buffer): void {
  if (isBodyBuffer(body.buffer)) giveBackBodyBuffer(body.buffer);
}

function transportFor(job: FetchJob): HttpTransport {
  const key = JSON.stringify(job.spec);
  let transport = transports.get(key);
  if (!transport) {
    transport = createUndiciTransport(job.spec);
    transports.set(key, transport);
  }
  return transport;
}

async function fetchPage(job: FetchJob): Promise<void> {
  const controller = new AbortController();
  inFlight.set(job.id, controller);
  try {
    const response = await transportFor(job).send({
      method: job.method,
      url: new URL(job.url),
      headers: job.headers,
      signal: controller.signal,
    });
    const { status, headers, body } = response;
    const head = status === 200 && body.length >= POOLED_BODY_MIN_BYTES ? scanListHead(body) : undefined;
    if (head) {
      kept.set(job.id, body);
      reply({
        type: 'response',
        id: job.id,
        status,
        headers,
        body: {
          byteLength: body.length,
          start: ownCopy(body.subarray(0, START_BYTES)),
          dataOpen: head.dataOpen,
          provisionalEnvelope: ownCopy(head.provisionalEnvelope),
        },
      });
      return;
    }
    const whole = ownCopy(body);
    forget(body);
    reply({ type: 'response', id: job.id, status, headers, body: whole }, [whole]);
  } catch (err) {
    reply({ type: 'fetchFailed', id: job.id, error: toWorkerError(err) });
  } finally {
    inFlight.delete(job.id);
  }
}

async function readPage(job: PageJob): Promise<void> {
  const { page } = job;
  const body =
    page.keptBody !== undefined ? kept.get(page.keptBody) : page.buffer && Buffer.from(page.buffer, 0, page.byteLength);
  if (page.keptBody !== undefined) kept.delete(page.keptBody);
  // The buffer that came with the page goes back with it; a kept body's stays here for a later body.
  const giveBack = (): { buffer: ArrayBuffer | undefined; transfer: ArrayBuffer[] } => {
    if (page.buffer) return { buffer: page.buffer, transfer: [page.buffer] };
    if (body) forget(body);
    return { buffer: undefined, transfer: [] };
  };
  if (!body) {
    const { buffer, transfer } = giveBack();
    const error = { code: undefined, message: 'The page worker no longer has this page.', route: page.routeLabel };
    reply({ type: 'failed', id: job.id, error, heapUsed: heapUsed(), buffer }, transfer);
    return;
  }
  const records = new RecordChunks(body, { dataOpen: page.dataOpen }, page.routeId, page.routeLabel, page.chunkBytes);
  const encoder = new ChunkEncoder(job.state);
  try {
    while (!records.done) {
      const { chunk, transfer } = encoder.encode(records.take());
      reply({ type: 'chunk', id: job.id, chunk, heapUsed: heapUsed() }, transfer);
      // The sockets' reads of the next pages come in between two chunks, not after the whole page.
      await new Promise((resolve) => setImmediate(resolve));
    }
    const { buffer, transfer } = giveBack();
    reply({ type: 'done', id: job.id, warnings: records.warnings(), heapUsed: heapUsed(), buffer }, transfer);
  } catch (err) {
    const { buffer, transfer } = giveBack();
    reply({ type: 'failed', id: job.id, error: toWorkerError(err), heapUsed: heapUsed(), buffer }, transfer);
  }
}

port.on('message', (job: WorkerJob) => {
  switch (job.type) {
    case 'page':
      void readPage(job);
      return;
    case 'fetch':
      void fetchPage(job);
      return;
    case 'abort':
      inFlight.get(job.id)?.abort();
      return;
    case 'take': {
      const body = kept.get(job.id);
      kept.delete(job.id);
      if (!body) {
        const error = { code: undefined, message: 'The page worker no longer has this page.', route: undefined };
        reply({ type: 'fetchFailed', id: job.id, error });
        return;
      }
      const whole = ownCopy(body);
      forget(body);
      reply({ type: 'taken', id: job.id, body: whole }, [whole]);
      return;
    }
    case 'drop': {
      const body = kept.get(job.id);
      kept.delete(job.id);
      if (body) forget(body);
      return;
    }
  }
});
reply({ type: 'ready' });
