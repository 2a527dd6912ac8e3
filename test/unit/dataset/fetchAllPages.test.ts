import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { ApiClient } from '../../../src/core/api/apiClient';
import { exportToPath } from '../../../src/core/dataset/exportToPath';
import { planFetchAll, type FetchAllOutcome } from '../../../src/core/dataset/fetchAll';
import {
  fetchAllPages,
  oldestRecordLookup,
  planFetchAllRun,
  type FetchAllPagesOptions,
  type FetchAllSettings,
} from '../../../src/core/dataset/fetchAllPages';
import { ResultStore } from '../../../src/core/dataset/resultStore';
import { QueryResult } from '../../../src/vscode/explorer/queryResult';
import { pagedApi } from '../../support/servers/pagedApi';
import { parseNdjson } from '../../support/ndjson';
import type { TestServer } from '../../support/servers/testServer';
import {
  connectSandbox,
  connectTestServer,
  newestDays,
  referenceRecords,
  sandboxUser,
  withSandbox,
  type SandboxConnection,
  type TestServerConnection,
} from '../support/localApi';

/**
 * The panel's vscode-free path against the real sandbox: first page through `getPage` (raw kept, as
 * the panel asks), a `QueryResult`, then `fetchAllPages` and `exportToPath` (which the panel's
 * `runFetchAll` and `exportToFile` wrap, and the benchmarks call).
 */

const PAGE_SIZE = 2_000;

suite('dataset: fetchAllPages and exportToPath (the panel path without VS Code)', function () {
  this.timeout(60_000);
  let connection: SandboxConnection;
  let client: ApiClient;
  let userId: string;
  let pat: string;
  let window: Record<string, string>;
  let tmp: string;
  const settings: FetchAllSettings = { maxPages: 1000, concurrency: 3, quotaReserve: 10 };

  /** The window's records as the sandbox serves them, read independently of the client under test. */
  const reference = (): Promise<unknown[]> =>
    referenceRecords(connection.sandbox, pat, `/api/v1/quantity/${userId}/heartRate`, window, PAGE_SIZE);

  interface FirstResult {
    readonly result: QueryResult;
    readonly store: ResultStore;
    readonly params: { userId: string; metric: string; query: Record<string, string | number> };
  }

  /** What `QueryPanel._run` does: the first page with its raw text, held by a QueryResult. */
  async function firstResult(from: { client?: ApiClient; spillDirectory?: string } = {}): Promise<FirstResult> {
    const params = { userId, metric: 'heartRate', query: { ...window, pageSize: PAGE_SIZE } };
    const page = await (from.client ?? client).getPage('quantity', params, { keepRaw: true });
    const result = new QueryResult(
      1,
      { route: 'quantity', metric: 'heartRate', params: params.query },
      page,
      'account',
      from.spillDirectory,
    );
    return { result, store: result.store as ResultStore, params };
  }

  /** What the panel's `runFetchAll` does after the first page; `run` adds a plan, a signal, progress, other settings. */
  const fetchTheRest = (
    { result, store, params }: FirstResult,
    run: Partial<FetchAllPagesOptions> = {},
  ): Promise<FetchAllOutcome> =>
    fetchAllPages({
      client,
      routeId: 'quantity',
      params,
      store,
      firstPage: result.firstPage,
      settings,
      spendReserve: false,
      ...run,
    });

  suiteSetup(async () => {
    connection = await connectSandbox();
    ({ userId, pat } = sandboxUser(connection.sandbox, 'five'));
    client = connection.client(pat);
    // Ten days at the end of the five years: 14,400 records, 8 pages of 2,000.
    window = await newestDays(client, userId, 10);
  });
  suiteTeardown(() => connection.close());
  setup(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fetch-all-pages-'));
  });
  teardown(() => fs.rmSync(tmp, { recursive: true, force: true }));

  test('continues after the first page of a QueryResult and holds exactly what the sandbox serves', async () => {
    const first = await firstResult({ spillDirectory: tmp });
    const { result, store, params } = first;
    assert.strictEqual(store.count, PAGE_SIZE);
    const plan = planFetchAll(result.planningPage(), params.query, settings.quotaReserve);
    const pagesSeen: number[] = [];
    const outcome = await fetchTheRest(first, { plan, onProgress: (p) => pagesSeen.push(p.pages) });
    const expected = await reference();
    assert.strictEqual(outcome.reason, 'complete', outcome.message);
    assert.strictEqual(outcome.partial, false);
    assert.strictEqual(outcome.pages, Math.ceil(expected.length / PAGE_SIZE));
    // The first page was not asked again, and the look-ahead asked no page past the last.
    assert.strictEqual(outcome.requests, outcome.pages - 1);
    assert.deepStrictEqual(
      pagesSeen,
      Array.from({ length: outcome.pages }, (_, i) => i + 1),
    );
    assert.strictEqual(result.recordCount, expected.length);
    assert.deepStrictEqual(JSON.parse(store.getRows(0, store.count, Infinity).json), expected);
    result.dispose();
  });

  test("with the panel's plan, the store reserves room for every record the plan expects before the pages come in", async () => {
    const first = await firstResult();
    const { result, store, params } = first;
    const reserved: number[] = [];
    const reserve = store.reserve.bind(store);
    store.reserve = (records: number) => {
      reserved.push(records);
      reserve(records);
    };
    const plan = await planFetchAllRun(result.planningPage(), params.query, settings, () => Promise.resolve(undefined));
    assert.strictEqual(plan.basis, 'time-span');
    const outcome = await fetchTheRest(first, { plan });
    assert.strictEqual(outcome.reason, 'complete', outcome.message);
    const expected = (await reference()).length;
    assert.strictEqual(reserved.length, 1, 'reserved once, after the first page');
    assert.ok(
      reserved[0]! >= expected && reserved[0]! <= expected + PAGE_SIZE,
      `reserved ${reserved[0]} for ${expected} records`,
    );
    assert.strictEqual(store.count, expected);
    result.dispose();
  });

  test('an open range, newest first: the plan looks up the oldest record and estimates the requests; past the page limit it says so', async () => {
    const params = { userId, metric: 'heartRate', query: { pageSize: 10_000 } };
    const first = await client.getPage('quantity', params);
    assert.strictEqual(
      planFetchAll(first, params.query, 10).basis,
      'unknown',
      'without the lookup nothing bounds the range',
    );
    const oldest = await oldestRecordLookup(client, 'quantity', params)();
    assert.ok(oldest !== undefined);
    const plan = planFetchAll(first, params.query, 10, undefined, { oldestRecordMs: oldest, maxPages: 100 });
    // Five years of per-minute records: 263 pages of 10,000, so 262 after the first.
    assert.strictEqual(plan.basis, 'time-span');
    assert.ok(Math.abs(plan.remainingRequests! - 262) <= 3, `estimated ${plan.remainingRequests} more requests`);
    assert.match(plan.summary, /down to the oldest record, of \d{4}-\d{2}-\d{2}, found with one extra request/);
    assert.match(plan.summary, /more than the limit of 100 pages a run fetches/);
    // The panel's and notebooks' own planning does the same lookup.
    const run = await planFetchAllRun(first, params.query, { ...settings, maxPages: 100 }, () =>
      Promise.resolve(oldest),
    );
    assert.deepStrictEqual(run.remainingRequests, plan.remainingRequests);
  });

  test('the page cap and the quota reserve come from the settings', async () => {
    const capped = await firstResult();
    const outcome = await fetchTheRest(capped, { settings: { ...settings, maxPages: 2 } });
    assert.strictEqual(outcome.reason, 'page_cap');
    assert.ok(outcome.partial);
    assert.strictEqual(outcome.pages, 3);
    capped.result.dispose();

    await withSandbox({ dailyLimit: 6 }, async (limited) => {
      const limitedClient = limited.client(pat);
      const first = await firstResult({ client: limitedClient });
      // 5 requests left after the first page, 2 kept in reserve: 3 more pages.
      const outcome = await fetchTheRest(first, { client: limitedClient, settings: { ...settings, quotaReserve: 2 } });
      assert.strictEqual(outcome.reason, 'quota');
      assert.strictEqual(outcome.pages, 4);
      assert.match(outcome.message, /to keep today's last 2 requests in reserve/);
      first.result.dispose();
    });
  });

  test('a store that fails mid-way stops the run at once, with the page asked ahead aborted', async () => {
    const first = await firstResult();
    const { store } = first;
    const outcome = await fetchTheRest(first, {
      // The panel closing the result while pages still come in.
      onProgress: (p) => {
        if (p.pages === 3) store.dispose();
      },
    });
    assert.strictEqual(outcome.reason, 'error');
    assert.ok(outcome.partial);
    assert.strictEqual(outcome.pages, 3);
    assert.match(
      outcome.message,
      /^Stopped after 3 pages: the result could not be stored \(This result was closed\)\. The data is partial\.$/,
    );
    // Pages 2–4 plus at most the look-ahead window (concurrency − 1 on the network and 2 answered
    // pages held), which was aborted: no page after it was asked.
    assert.ok(outcome.requests <= 3 + (settings.concurrency - 1) + 2, `${outcome.requests} requests`);
  });

  test('cancel through the signal leaves whole pages only', async () => {
    const first = await firstResult();
    const { result, store } = first;
    const controller = new AbortController();
    const outcome = await fetchTheRest(first, {
      signal: controller.signal,
      onProgress: (p) => {
        if (p.pages === 4) controller.abort();
      },
    });
    assert.strictEqual(outcome.reason, 'cancelled');
    assert.strictEqual(store.count, 4 * PAGE_SIZE);
    result.dispose();
  });

  test('exportToPath writes the whole file, and deletes it on cancel and on a write error', async () => {
    const first = await firstResult();
    const { result, store } = first;
    await fetchTheRest(first);
    const expected = await reference();

    const file = path.join(tmp, 'all.ndjson');
    const reported: number[] = [];
    const done = await exportToPath(store, 'ndjson', file, { onProgress: (p) => reported.push(p.records) });
    assert.ok(done.complete);
    assert.strictEqual(done.records, expected.length);
    assert.strictEqual(reported[reported.length - 1], expected.length);
    const text = fs.readFileSync(file, 'utf8');
    assert.strictEqual(done.bytes, Buffer.byteLength(text));
    assert.deepStrictEqual(parseNdjson(text), expected);

    const cancelled = path.join(tmp, 'cancelled.csv');
    const controller = new AbortController();
    controller.abort();
    const outcome = await exportToPath(store, 'csv', cancelled, { signal: controller.signal });
    assert.strictEqual(outcome.complete, false);
    assert.strictEqual(fs.existsSync(cancelled), false);

    const unwritable = path.join(tmp, 'no-such-folder', 'out.json');
    await assert.rejects(exportToPath(store, 'json', unwritable), /does not exist/);
    assert.strictEqual(fs.existsSync(unwritable), false);
    result.dispose();
  });
});

suite('dataset: fetchAllPages parses each page a chunk at a time', () => {
  let local: TestServerConnection;
  let server: TestServer;
  let client: ApiClient;
  const settings: FetchAllSettings = { maxPages: 1000, concurrency: 3, quotaReserve: 0 };
  const params = { userId: '123e4567-e89b-12d3-a456-426614174000', metric: 'heartRate', query: { pageSize: 2_500 } };

  setup(async () => {
    local = await connectTestServer({ deadlineMs: 5000 });
    ({ server, client } = local);
  });
  teardown(() => local.close());

  test('pages of 2,500 records arrive as chunks and are stored whole, in order', async () => {
    const paged = pagedApi({ totalPages: 4, pageSize: 2_500 });
    server.handle(paged.handler);
    const store = new ResultStore();
    const outcome = await fetchAllPages({ client, routeId: 'quantity', params, store, settings, spendReserve: false });
    assert.strictEqual(outcome.reason, 'complete', outcome.message);
    assert.strictEqual(store.count, 10_000);
    const rows = JSON.parse(store.getRows(2_499, 2).json) as Array<{ value: number }>;
    assert.deepStrictEqual(
      rows.map((r) => r.value),
      [1000 + 2_499, 2000],
      'the last record of page 1, then the first of page 2',
    );
  });

  test('schema drift in fetched pages is reported once each page is stored, with its page number', async () => {
    const paged = pagedApi({
      totalPages: 4,
      pageSize: 2_500,
      rewriteBody: (page, body) => (page === 3 ? body.replace('"value":3001,', '"value":"3001",') : body),
    });
    server.handle(paged.handler);
    const store = new ResultStore();
    const reported: Array<{ page: number | undefined; firstRow: number; lines: string[]; storedThen: number }> = [];
    const outcome = await fetchAllPages({
      client,
      routeId: 'quantity',
      params,
      store,
      settings,
      spendReserve: false,
      onWarnings: (warnings, where) =>
        reported.push({ ...where, lines: warnings.map((w) => `${w.path}: ${w.message}`), storedThen: store.count }),
    });
    assert.strictEqual(outcome.reason, 'complete', outcome.message);
    assert.deepStrictEqual(reported, [
      { page: 3, firstRow: 5_000, lines: ['data[1].value: expected number, got string'], storedThen: 7_500 },
    ]);
  });

  test('a page whose records turn out not to be JSON ends the run as partial, keeping every record read before it', async () => {
    // Page 3's structure is sound (the scan accepts it) but one number inside a record is not.
    const paged = pagedApi({
      totalPages: 5,
      pageSize: 2_500,
      rewriteBody: (page, body) => (page === 3 ? body.replace('"value":3001,', '"value":30.0.1,') : body),
    });
    server.handle(paged.handler);
    const store = new ResultStore();
    const outcome = await fetchAllPages({ client, routeId: 'quantity', params, store, settings, spendReserve: false });
    assert.strictEqual(outcome.reason, 'error');
    assert.strictEqual(outcome.partial, true);
    assert.match(
      outcome.message,
      /^Stopped at page 3: Not valid JSON.*The 5,000 records before it are kept; the data is partial\.$/,
    );
    assert.strictEqual(store.count, 5_000, 'pages 1 and 2; the chunk of page 3 with the fault is not stored');
  });
});
