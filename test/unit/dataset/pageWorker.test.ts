import * as assert from 'assert';
import { subscribe, unsubscribe } from 'diagnostics_channel';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { freeBodyBuffers, releaseBodyBuffers, takeBodyBuffer } from '../../../src/core/api/bodyBuffers';
import { scanListHead } from '../../../src/core/api/envelopeScan';
import { RecordChunks } from '../../../src/core/api/recordChunks';
import { fetchAllPages } from '../../../src/core/dataset/fetchAllPages';
import { ResultStore } from '../../../src/core/dataset/resultStore';
import {
  openPageWorker,
  PAGE_WORKER_CHANNEL,
  type PageWorker,
  type PageWorkerStats,
} from '../../../src/core/worker/pageWorker';
import type { Logger } from '../../../src/core/ports';
import { waitFor } from '../../support/waitFor';
import { connectSandbox, newestFiveYearHeartRate } from '../support/localApi';
import { buildPageWorker } from '../support/pageWorkerBundle';

/**
 * Fetch All's page worker against the main-thread path it replaces: the same pages through
 * `RecordChunks.take` + `ResultStore.append` on this thread, and through the worker's column chunks
 * + `ResultStore.appendChunk`, must leave the stores identical (records, columns, dictionaries,
 * fallback rows, warnings, counts, errors). The worker is built from the sources for this suite.
 */

const PAGINATION = '{"current_page":2,"has_more":true,"next_page":null,"prev_page":null}';

/** A page as the API sends it, in a buffer of its own (as the transport's joined chunks are). */
function pageBody(records: readonly unknown[] | string): Buffer {
  const data = typeof records === 'string' ? records : records.map((r) => JSON.stringify(r)).join(',');
  const text = `{"pagination":${PAGINATION},"data":[${data}]}`;
  return Buffer.from(new Uint8Array(Buffer.from(text, 'utf8')).buffer);
}

function chunksOf(body: Buffer, chunkBytes: number): RecordChunks {
  const head = scanListHead(body);
  assert.ok(head, 'the head scan declined the page');
  return new RecordChunks(body, head, 'quantity', '/q', chunkBytes);
}

/** What fetchAll does on the main thread with a chunked page. */
function appendInThread(store: ResultStore, chunks: RecordChunks, bytes: number): void {
  let first = true;
  while (!chunks.done) {
    store.append(chunks.take(), first ? bytes : 0);
    first = false;
  }
}

function heartRate(n: number, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const at = new Date(Date.UTC(2024, 0, 1) + n * 60_000).toISOString().slice(0, 19) + 'Z';
  return { value: 60 + (n % 40), unit: 'count/min', start_date: at, end_date: at, source: 'Apple Watch', ...overrides };
}

/** Everything a store holds, column by column. */
function snapshot(store: ResultStore): unknown {
  const columns = store.columns;
  const rows: string[] = [];
  store.forEachJson(0, store.count, (_row, json) => rows.push(json));
  return {
    stats: store.stats(),
    columnar: store.columnarRecordCount,
    fallbackRows: Array.from(store.fallbackRowIndexes.data.subarray(0, store.fallbackRowIndexes.length)),
    leaves: columns?.leaves.map((leaf) => ({
      path: leaf.path,
      kind: leaf.kind,
      timeLayout: leaf.timeLayout,
      timeBase: leaf.timeBase,
      timeUnit: leaf.timeUnit,
      dictionary: leaf.dictionary,
      arrayType: leaf.numbers.data.constructor.name,
      capacity: leaf.numbers.data.length,
      numbers: Array.from(leaf.numbers.data.subarray(0, leaf.length)),
      nulls: leaf.nulls ? Array.from(leaf.nulls) : undefined,
    })),
    rows,
  };
}

interface PageOutcome {
  readonly error: { code: unknown; message: string } | undefined;
  readonly count: number;
  readonly warnings: unknown;
}

async function settle(run: () => Promise<unknown> | void, chunks: RecordChunks): Promise<PageOutcome> {
  let error: PageOutcome['error'];
  try {
    await run();
  } catch (err) {
    error = { code: (err as { code?: unknown }).code, message: (err as Error).message };
  }
  return { error, count: chunks.count, warnings: error ? undefined : chunks.warnings() };
}

/** The pages through both paths, one after another into one store each; both stores and every page's outcome must match. */
async function assertSameBothWays(worker: PageWorker, pages: readonly Buffer[], chunkBytes = 2_000): Promise<void> {
  const inThread = new ResultStore();
  const offThread = new ResultStore();
  for (const [i, body] of pages.entries()) {
    const a = chunksOf(Buffer.from(body), chunkBytes);
    const b = chunksOf(Buffer.from(new Uint8Array(body).buffer), chunkBytes);
    const expected = await settle(() => appendInThread(inThread, a, body.length), a);
    let handled = false;
    const actual = await settle(async () => {
      handled = await worker.append(offThread, b, body.length);
    }, b);
    assert.ok(handled || actual.error, `page ${i + 1} was not taken by the worker`);
    assert.deepStrictEqual(actual, expected, `page ${i + 1}: outcome`);
    assert.deepStrictEqual(snapshot(offThread), snapshot(inThread), `page ${i + 1}: the stores differ`);
  }
  inThread.dispose();
  offThread.dispose();
}

suite('dataset: the page worker (Fetch All off the main thread)', function () {
  this.timeout(60_000);
  let script: string;
  let tmp: string;
  let worker: PageWorker;

  suiteSetup(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'page-worker-'));
    script = await buildPageWorker(tmp);
  });
  suiteTeardown(() => fs.rmSync(tmp, { recursive: true, force: true }));
  setup(() => {
    worker = openPageWorker({ script });
  });
  teardown(() => worker.close());

  test('regular pages: the same records, columns and counts as on the main thread', async () => {
    const pages = [0, 1, 2].map((p) => pageBody(Array.from({ length: 500 }, (_, i) => heartRate(p * 500 + i))));
    await assertSameBothWays(worker, pages);
    assert.strictEqual(worker.stats().pages, 3);
    assert.ok(worker.stats().peakHeapBytes > 0, 'the worker reports its heap');
  });

  test('string numbers, nulls, a time column turned into text, other shapes and other sources: the same warnings and fallback rows', async () => {
    const first = Array.from({ length: 300 }, (_, i) =>
      heartRate(i, i % 50 === 7 ? { value: String(60 + i) } : i % 61 === 3 ? { source: null } : {}),
    );
    const second = Array.from({ length: 300 }, (_, i) =>
      heartRate(300 + i, {
        ...(i === 120 ? { start_date: 'yesterday' } : {}),
        ...(i % 90 === 5 ? { source: `Watch ${i}` } : {}),
        ...(i === 200 ? { extra: [1, 2] } : {}),
      }),
    );
    const third = Array.from({ length: 200 }, (_, i) =>
      i % 2 ? heartRate(600 + i) : { value: i, nested: { a: 'x' } },
    );
    await assertSameBothWays(worker, [pageBody(first), pageBody(second), pageBody(third)]);
  });

  test('a store whose first records are irregular, and an empty page: the same as on the main thread', async () => {
    const irregular = [[1, 2], 'text', null, ...Array.from({ length: 50 }, (_, i) => heartRate(i, { value: null }))];
    await assertSameBothWays(worker, [pageBody(irregular), pageBody([]), pageBody([heartRate(99)])], 200);
  });

  test('invalid pages fail with the same error after storing the same records before the fault', async () => {
    const good = Array.from({ length: 200 }, (_, i) => JSON.stringify(heartRate(i))).join(',');
    await assertSameBothWays(worker, [pageBody(`${good},{"value":1,,}`)], 1_000);
    const own = (bytes: Buffer): Buffer => Buffer.from(new Uint8Array(bytes).buffer);
    const notUtf8 = Buffer.concat([
      Buffer.from(`{"pagination":${PAGINATION},"data":[${good},{"value":"`),
      Buffer.from([0xc3, 0x28]),
      Buffer.from('"}]}'),
    ]);
    await assertSameBothWays(worker, [own(notUtf8)], 1_000);
    const repeated = Buffer.from(`{"pagination":${PAGINATION},"data":[${good}],"data":[]}`);
    await assertSameBothWays(worker, [own(repeated)], 1_000);
  });

  test("a page's own buffer is transferred to the worker, not copied; a pooled one is copied and left intact", async () => {
    const body = pageBody([heartRate(1), heartRate(2)]);
    const source = body.buffer;
    assert.strictEqual(source.byteLength, body.length);
    const store = new ResultStore();
    assert.strictEqual(await worker.append(store, chunksOf(body, 100), body.length), true);
    assert.strictEqual(source.byteLength, 0, 'the source ArrayBuffer is detached');
    assert.strictEqual(store.count, 2);

    const pooled = Buffer.from(`{"pagination":${PAGINATION},"data":[${JSON.stringify(heartRate(3))}]}`);
    assert.ok(pooled.buffer.byteLength > pooled.length, 'a slice of the pool');
    const before = pooled.toString();
    assert.strictEqual(await worker.append(store, chunksOf(pooled, 100), pooled.length), true);
    assert.strictEqual(pooled.toString(), before);
    assert.strictEqual(store.count, 3);
    store.dispose();
  });

  test('a body buffer goes to the worker as it is and comes back, and the next body is read into it', async () => {
    releaseBodyBuffers();
    const pages = [0, 1].map((p) => pageBody(Array.from({ length: 2_000 }, (_, i) => heartRate(p * 2_000 + i))));
    const store = new ResultStore();
    for (const [p, page] of pages.entries()) {
      const body = takeBodyBuffer(page.length);
      assert.strictEqual(
        freeBodyBuffers(),
        0,
        p === 0 ? 'none free before the first page' : 'the given-back one taken',
      );
      page.copy(body);
      const source = body.buffer;
      assert.ok(source.byteLength > body.length, 'a body buffer is rounded up: the page fills part of it');
      assert.strictEqual(await worker.append(store, chunksOf(body, 16_384), body.length), true);
      assert.strictEqual(source.byteLength, 0, 'moved to the worker, not copied');
      assert.strictEqual(freeBodyBuffers(), 1, 'the worker gave it back');
    }
    const inThread = new ResultStore();
    for (const page of pages) appendInThread(inThread, chunksOf(page, 16_384), page.length);
    assert.deepStrictEqual(snapshot(store), snapshot(inThread));
    releaseBodyBuffers();
    assert.strictEqual(freeBodyBuffers(), 0);
    store.dispose();
    inThread.dispose();
  });

  test('an abort while the worker is busy ends the page at once and stops the worker', async () => {
    const big = pageBody(Array.from({ length: 200_000 }, (_, i) => heartRate(i)));
    const store = new ResultStore();
    const controller = new AbortController();
    // The worker is ready before the page goes: then the abort lands while it parses.
    assert.strictEqual(await worker.append(store, chunksOf(pageBody([heartRate(0)]), 100), 10), true);
    const appended = worker.append(store, chunksOf(big, 100_000), big.length, controller.signal);
    await waitFor('the first chunk of the big page', () => store.count > 1, 10_000);
    controller.abort();
    assert.strictEqual(await appended, true);
    const countAtAbort = store.count;
    assert.ok(countAtAbort < 200_001, 'the page was not read to its end');
    await waitFor('the worker thread to exit', () => !worker.stats().running, 5_000);
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.strictEqual(store.count, countAtAbort, 'nothing is appended after the abort');
    store.dispose();
  });

  test('Fetch All Pages over HTTP from the sandbox: the page worker fills the store as the main thread does, page for page', async () => {
    const connection = await connectSandbox();
    try {
      const { client, params } = await newestFiveYearHeartRate(connection, 3, 1_000);
      const fetchInto = async (pageWorker: false | { script: string }) => {
        const store = new ResultStore();
        const warned: unknown[] = [];
        const outcome = await fetchAllPages({
          client,
          routeId: 'quantity',
          params,
          store,
          settings: { maxPages: 1000, concurrency: 3, quotaReserve: 0 },
          spendReserve: false,
          onWarnings: (warnings, where) => warned.push({ warnings, where }),
          pageWorker,
        });
        return { store, warned, outcome };
      };
      const closed: PageWorkerStats[] = [];
      const onClosed = (stats: unknown): void => void closed.push(stats as PageWorkerStats);
      subscribe(PAGE_WORKER_CHANNEL, onClosed);
      const offThread = await fetchInto({ script });
      unsubscribe(PAGE_WORKER_CHANNEL, onClosed);
      const inThread = await fetchInto(false);
      assert.strictEqual(offThread.outcome.reason, 'complete', offThread.outcome.message);
      assert.ok(offThread.outcome.pages >= 4, `${offThread.outcome.pages} pages`);
      assert.deepStrictEqual(
        closed.map((stats) => stats.pages),
        [offThread.outcome.pages],
        'the worker read every page of the run',
      );
      // Requests and time depend on how the look-ahead raced the pages; the rest must be equal.
      const comparable = (outcome: typeof offThread.outcome): unknown => ({ ...outcome, elapsedMs: 0, requests: 0 });
      assert.deepStrictEqual(comparable(offThread.outcome), comparable(inThread.outcome));
      assert.deepStrictEqual(offThread.warned, inThread.warned);
      assert.deepStrictEqual(snapshot(offThread.store), snapshot(inThread.store));
    } finally {
      await connection.close();
    }
  });

  test('a worker that cannot start says so in the log, and the caller reads the page itself', async () => {
    const warnings: string[] = [];
    const logger: Logger = {
      trace: () => undefined,
      debug: () => undefined,
      info: () => undefined,
      warn: (message) => warnings.push(message),
      error: () => undefined,
    };
    const broken = openPageWorker({ script: path.join(tmp, 'missing.js'), logger });
    const body = pageBody([heartRate(1)]);
    const chunks = chunksOf(body, 100);
    assert.strictEqual(await broken.append(new ResultStore(), chunks, body.length), false);
    assert.strictEqual(body.buffer.byteLength, body.length, 'the bytes stay here');
    assert.deepStrictEqual(chunks.take().length, 1);
    await broken.close();
    assert.strictEqual(warnings.length, 1);
    assert.match(warnings[0]!, /page worker could not start/);
  });
});
