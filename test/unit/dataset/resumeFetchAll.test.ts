import * as assert from 'assert';
import type { ApiClient } from '../../../src/core/api/apiClient';
import { fetchAll, type FetchedPage, type PageSource } from '../../../src/core/dataset/fetchAll';
import { fetchAllPages, type FetchAllSettings } from '../../../src/core/dataset/fetchAllPages';
import { addRun, describeRuns, EMPTY_RUN_LOG } from '../../../src/core/dataset/fetchRuns';
import { ResultStore } from '../../../src/core/dataset/resultStore';
import { QueryResult } from '../../../src/vscode/explorer/queryResult';
import { pageSourceOf } from '../support/pageSource';
import { connectSandbox, newestDays, referenceRecords, sandboxUser, type SandboxConnection } from '../support/localApi';

/**
 * Resuming a fetch of all pages: a run that stopped (cancel, the quota, halfway through a page) goes
 * on from the page it needs, into the same store, and the store ends with exactly the records of an
 * uninterrupted fetch, each once.
 */

const PAGE_SIZE = 2_000;

/** Pages of numbered records, served in order from `fromPage` (the shape `paginate` hands out). */
function numberedPages(total: number, pageSize: number) {
  const pageCount = Math.ceil(total / pageSize);
  const page = (n: number): FetchedPage => {
    const data = Array.from({ length: Math.min(pageSize, total - (n - 1) * pageSize) }, (_, i) => ({
      id: (n - 1) * pageSize + i,
    }));
    return { data, bytes: 10, pagination: { has_more: n < pageCount, current_page: n } };
  };
  return (args: { fromPage: number; signal: AbortSignal }): PageSource =>
    pageSourceOf(
      async function* (counted) {
        for (let n = args.fromPage; n <= pageCount && !args.signal.aborted; n++) {
          counted();
          yield page(n);
        }
      },
      (requests) => ({
        reason: args.signal.aborted ? 'cancelled' : 'complete',
        partial: args.signal.aborted,
        requests,
        message: '',
      }),
    );
}

/** A store that aborts `controller` once it holds `after` records (a cancel halfway through a page). */
class AbortingStore extends ResultStore {
  constructor(
    private readonly _after: number,
    private readonly _controller: AbortController,
  ) {
    super();
  }

  override appendRange(records: readonly unknown[], from: number, to: number, pageJson?: number): void {
    super.appendRange(records, from, to, pageJson);
    if (this.count >= this._after) this._controller.abort();
  }
}

suite('dataset: resuming a fetch of all pages', function () {
  this.timeout(60_000);

  test('a cancel halfway through a page resumes at that page without storing its first records twice', async () => {
    const controller = new AbortController();
    const store = new AbortingStore(2_550, controller);
    const openPages = numberedPages(5_000, 1_000);
    const first = await fetchAll({ store, openPages, quotaReserve: 0, signal: controller.signal, appendBatch: 100 });
    assert.strictEqual(first.reason, 'cancelled');
    assert.ok(store.count > 2_000 && store.count < 3_000, `stopped inside page 3 (${store.count} records)`);
    assert.deepStrictEqual(first.resume, { page: 3, skipRecords: store.count - 2_000 });
    const log = addRun(EMPTY_RUN_LOG, first);

    const second = await fetchAll({ store, openPages, quotaReserve: 0, resumeFrom: first.resume, appendBatch: 100 });
    assert.strictEqual(second.reason, 'complete', second.message);
    assert.strictEqual(second.fromPage, 3);
    assert.strictEqual(second.resume, undefined);
    const ids = (JSON.parse(store.getRows(0, store.count, Infinity).json) as { id: number }[]).map((r) => r.id);
    assert.deepStrictEqual(
      ids,
      Array.from({ length: 5_000 }, (_, i) => i),
    );
    const after = addRun(log, second);
    assert.strictEqual(after.resume, undefined);
    assert.match(describeRuns(after), /^Pages 1–2: run 1 \(cancelled\); pages 3–5: run 2\.$/);
    store.dispose();
  });

  suite('against the sandbox', () => {
    let connection: SandboxConnection;
    let client: ApiClient;
    let userId: string;
    let pat: string;
    let window: Record<string, string>;
    const settings: FetchAllSettings = { maxPages: 1000, concurrency: 3, quotaReserve: 0 };

    suiteSetup(async () => {
      connection = await connectSandbox();
      ({ userId, pat } = sandboxUser(connection.sandbox, 'five'));
      client = connection.client(pat);
      // Ten days at the end of the five years: 14,400 records, 8 pages of 2,000.
      window = await newestDays(client, userId, 10);
    });
    suiteTeardown(() => connection.close());

    test('cancelled after three pages, resumed: every record once, in order, and the log says which run brought which pages', async () => {
      const params = { userId, metric: 'heartRate', query: { ...window, pageSize: PAGE_SIZE } };
      const page = await client.getPage('quantity', params, { keepRaw: true });
      const result = new QueryResult(1, { route: 'quantity', metric: 'heartRate', params: params.query }, page, 'a');
      const store = result.store as ResultStore;
      const controller = new AbortController();
      const stopped = await fetchAllPages({
        client,
        routeId: 'quantity',
        params,
        store,
        firstPage: result.firstPage,
        settings,
        spendReserve: false,
        signal: controller.signal,
        onProgress: (p) => {
          if (p.pages === 3) controller.abort();
        },
      });
      assert.strictEqual(stopped.reason, 'cancelled');
      assert.deepStrictEqual(stopped.resume, { page: 4, skipRecords: 0 });
      let log = addRun(EMPTY_RUN_LOG, stopped);
      const resumed = await fetchAllPages({
        client,
        routeId: 'quantity',
        params,
        store,
        resumeFrom: log.resume!,
        settings,
        spendReserve: false,
      });
      assert.strictEqual(resumed.reason, 'complete', resumed.message);
      log = addRun(log, resumed);
      const expected = await referenceRecords(
        connection.sandbox,
        pat,
        `/api/v1/quantity/${userId}/heartRate`,
        window,
        PAGE_SIZE,
      );
      assert.strictEqual(store.count, expected.length);
      assert.deepStrictEqual(JSON.parse(store.getRows(0, store.count, Infinity).json), expected);
      const pages = Math.ceil(expected.length / PAGE_SIZE);
      assert.strictEqual(describeRuns(log), `Pages 1–3: run 1 (cancelled); pages 4–${pages}: run 2.`);
      result.dispose();
    });
  });
});
