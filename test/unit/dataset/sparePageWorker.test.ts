import * as assert from 'assert';
import { subscribe, unsubscribe } from 'diagnostics_channel';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { fetchAllPages } from '../../../src/core/dataset/fetchAllPages';
import { ResultStore } from '../../../src/core/dataset/resultStore';
import { PAGE_WORKER_CHANNEL, type PageWorker, type PageWorkerStats } from '../../../src/core/worker/pageWorker';
import { SparePageWorker, type PageWorkerSource } from '../../../src/core/worker/sparePageWorker';
import { waitFor } from '../../support/waitFor';
import { connectSandbox, newestFiveYearHeartRate } from '../support/localApi';
import { buildPageWorker } from '../support/pageWorkerBundle';

/**
 * Fetch All's page worker started ahead (docs/performance.md, B4): warmed when a first page with
 * more after it is shown, it has loaded by the time the run starts, so every request of the run goes
 * from the worker and no page is received on the main thread; a spare nobody takes is closed.
 */

suite('dataset: a page worker started ahead of Fetch All', function () {
  this.timeout(60_000);
  let tmp: string;
  let script: string;
  const closed: PageWorkerStats[] = [];
  const onClosed = (stats: unknown): void => void closed.push(stats as PageWorkerStats);

  suiteSetup(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'spare-page-worker-'));
    script = await buildPageWorker(tmp);
    subscribe(PAGE_WORKER_CHANNEL, onClosed);
  });
  suiteTeardown(() => {
    unsubscribe(PAGE_WORKER_CHANNEL, onClosed);
    fs.rmSync(tmp, { recursive: true, force: true });
  });
  setup(() => {
    closed.length = 0;
  });

  test('warmed and loaded before the run, the worker sends every request; a worker started with the run does not', async () => {
    const connection = await connectSandbox();
    try {
      const { client, params } = await newestFiveYearHeartRate(connection, 3, 500);
      const run = async (source: PageWorkerSource) => {
        let taken: PageWorker | undefined;
        const store = new ResultStore();
        // undici announces each request it creates on this thread's channel; the worker's are on its own.
        let sentHere = 0;
        const onRequest = (): void => void sentHere++;
        subscribe('undici:request:create', onRequest);
        const outcome = await fetchAllPages({
          client,
          routeId: 'quantity',
          params,
          store,
          settings: { maxPages: 1000, concurrency: 3, quotaReserve: 0 },
          spendReserve: false,
          pageWorker: { take: () => (taken = source.take()) },
        }).finally(() => unsubscribe('undici:request:create', onRequest));
        assert.strictEqual(outcome.reason, 'complete', outcome.message);
        assert.ok(outcome.pages >= 8, `${outcome.pages} pages`);
        assert.ok(taken, 'the run took its worker from the source');
        const stats = taken.stats();
        assert.strictEqual(stats.running, false, 'the run closed its worker');
        store.dispose();
        return { outcome, stats, sentHere };
      };

      const spare = new SparePageWorker({ script });
      spare.warm();
      assert.strictEqual(await spare.loaded(), true, 'the spare loaded');
      const ahead = await run(spare);
      assert.strictEqual(spare.waiting, false, 'the run took the spare');
      assert.strictEqual(ahead.stats.pages, ahead.outcome.pages, 'the worker read every page');
      assert.strictEqual(ahead.sentHere, 0, 'no request went from this thread');
      assert.ok(ahead.stats.requests >= ahead.outcome.requests, 'every request went from the worker');

      const cold = new SparePageWorker({ script });
      const started = await run(cold);
      assert.strictEqual(started.outcome.pages, ahead.outcome.pages);
      assert.ok(started.sentHere > 0, 'the first requests went from this thread while the worker loaded');
      spare.dispose();
      cold.dispose();
    } finally {
      await connection.close();
    }
  });

  test('a spare nobody takes is closed after its idle time; warming again restarts the wait, not the worker', async () => {
    const spare = new SparePageWorker({ script }, 1_000);
    spare.warm();
    assert.strictEqual(await spare.loaded(), true);
    await new Promise((resolve) => setTimeout(resolve, 500));
    spare.warm();
    await new Promise((resolve) => setTimeout(resolve, 700));
    assert.strictEqual(spare.waiting, true, 'the second warm() restarted the idle time');
    assert.strictEqual(closed.length, 0, 'one worker, not closed and started again');
    await waitFor('the idle spare closed', () => !spare.waiting && closed.length === 1, 5_000);
    assert.deepStrictEqual(closed, [{ pages: 0, requests: 0, peakHeapBytes: 0, running: false }]);
    spare.dispose();
  });

  test('disposed, the spare is closed and warming starts none; take() still gives a worker of its own', async () => {
    const spare = new SparePageWorker({ script });
    spare.warm();
    spare.dispose();
    assert.strictEqual(spare.waiting, false);
    await waitFor('the spare closed', () => closed.length === 1, 5_000);
    spare.warm();
    assert.strictEqual(spare.waiting, false, 'a disposed source starts no spare');
    const own = spare.take();
    assert.strictEqual(await own.ready, true);
    await own.close();
  });
});
