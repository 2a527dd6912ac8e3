import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { ApiClient, PageResult } from '../../../src/core/api/apiClient';
import { paginate } from '../../../src/core/api/pagination';
import { exportResult, type ExportFormat } from '../../../src/core/dataset/exportResult';
import { fetchAll, planFetchAll, type FetchAllProgress, type OpenPages } from '../../../src/core/dataset/fetchAll';
import { ResultStore } from '../../../src/core/dataset/resultStore';
import { searchResult } from '../../../src/core/dataset/search';
import type { SandboxHandle, SandboxUserInfo } from '../../../src/sandbox/types';
import { parseCsv } from '../../support/csv';
import type { SandboxConnection } from '../support/localApi';
import { connectSandbox, newestDays, referenceRecords, sandboxUser, withSandbox } from '../support/localApi';
import { parseNdjson } from '../../support/ndjson';

/**
 * Fetch-all and export against the real sandbox over HTTP: the five-year heart-rate user (a
 * 20-day window of it, to keep the tier fast; the whole five years run in the benchmarks),
 * Ada's sleep with stage lists, and a small daily limit for the quota cases.
 */

const PAGE_SIZE = 2_000;

/** Independent flattening for the expected CSV cells: nested objects dotted, arrays as JSON text. */
function flatten(record: unknown, prefix = '', out: Record<string, string> = {}): Record<string, string> {
  for (const [key, value] of Object.entries(record as Record<string, unknown>)) {
    const column = prefix ? `${prefix}.${key}` : key;
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) flatten(value, column, out);
    else out[column] = value === null ? '' : Array.isArray(value) ? JSON.stringify(value) : String(value);
  }
  return out;
}

suite('dataset: fetch all and export against the sandbox', function () {
  this.timeout(60_000);
  let connection: SandboxConnection;
  let sandbox: SandboxHandle;
  let fiveYear: SandboxUserInfo;
  let ada: SandboxUserInfo;
  let tmp: string;
  let window: Record<string, string>;

  const clientFor = (user: SandboxUserInfo): ApiClient => connection.client(user.pat);
  /** The records as the sandbox serves them, read independently of the client under test. */
  const reference = (user: SandboxUserInfo, route: string, query: Record<string, string>): Promise<unknown[]> =>
    referenceRecords(sandbox, user.pat, route, query, PAGE_SIZE);
  const opener =
    (
      client: ApiClient,
      user: SandboxUserInfo,
      query: Record<string, string | number | boolean>,
      concurrency = 2,
    ): OpenPages =>
    ({ fromPage, quotaReserve, signal }) =>
      paginate(
        client,
        'quantity',
        { userId: user.userId, metric: 'heartRate', query: { ...query, page: fromPage } },
        { signal, quotaReserve, concurrency, maxPages: 500 },
      );

  suiteSetup(async () => {
    connection = await connectSandbox();
    ({ sandbox } = connection);
    fiveYear = sandboxUser(sandbox, 'five');
    ada = sandboxUser(sandbox, 'ada');
    // A 20-day window at the end of the five years: 28,800 records, 15 pages of 2,000.
    window = await newestDays(clientFor(fiveYear), fiveYear.userId, 20);
  });
  suiteTeardown(() => connection.close());
  setup(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fetch-all-'));
    sandbox.setFaults(undefined);
  });
  teardown(() => fs.rmSync(tmp, { recursive: true, force: true }));

  test('plans, fetches every page with progress, and holds exactly what the sandbox serves', async () => {
    const client = clientFor(fiveYear);
    const query = { ...window, pageSize: PAGE_SIZE };
    const first = (await client.getPage('quantity', {
      userId: fiveYear.userId,
      metric: 'heartRate',
      query: { ...query, page: 1 },
    })) as PageResult<unknown[]>;
    const plan = planFetchAll(first, query, 10);
    const expected = await reference(fiveYear, `/api/v1/quantity/${fiveYear.userId}/heartRate`, window);
    const pagesNeeded = Math.ceil(expected.length / PAGE_SIZE);
    assert.strictEqual(plan.basis, 'time-span');
    assert.ok(
      Math.abs((plan.remainingRequests as number) - (pagesNeeded - 1)) <= 1,
      `plan ${plan.remainingRequests}, needed ${pagesNeeded - 1}`,
    );
    assert.ok(plan.quotaShare !== undefined && plan.quotaShare > 0 && plan.quotaShare < 0.01);
    assert.ok(plan.fitsBeforeReserve);
    assert.match(plan.summary, /About \d+ more requests, .* of the [\d,]+ requests left today\./);

    const store = new ResultStore({ spillDirectory: tmp });
    const progress: FetchAllProgress[] = [];
    const outcome = await fetchAll({
      store,
      firstPage: first,
      plan,
      openPages: opener(client, fiveYear, query),
      quotaReserve: 10,
      onProgress: (p) => progress.push(p),
    });
    assert.strictEqual(outcome.reason, 'complete', outcome.message);
    assert.strictEqual(outcome.partial, false);
    assert.strictEqual(outcome.pages, pagesNeeded);
    assert.strictEqual(store.count, expected.length);
    assert.deepStrictEqual(JSON.parse(store.getRows(0, expected.length, Infinity).json), expected);
    assert.deepStrictEqual(
      progress.map((p) => p.pages),
      Array.from({ length: pagesNeeded }, (_, i) => i + 1),
    );
    assert.ok(progress.every((p) => p.expectedPages === (plan.remainingRequests as number) + 1));
    const lastProgress = progress.at(-1);
    assert.ok(lastProgress && lastProgress.records === expected.length && lastProgress.recordsPerSecond > 0);
    assert.strictEqual(store.stats().columnarRecords, expected.length);

    for (const format of ['json', 'ndjson', 'csv'] as ExportFormat[]) {
      const file = path.join(tmp, `export.${format}`);
      const reported: number[] = [];
      const result = await exportResult(store, fs.createWriteStream(file), {
        format,
        onProgress: (p) => reported.push(p.records),
      });
      assert.ok(result.complete && result.records === expected.length);
      assert.strictEqual(reported[reported.length - 1], expected.length);
      const text = fs.readFileSync(file, 'utf8');
      assert.strictEqual(result.bytes, Buffer.byteLength(text));
      if (format === 'json') assert.deepStrictEqual(JSON.parse(text), expected);
      if (format === 'ndjson') assert.deepStrictEqual(parseNdjson(text), expected);
      if (format === 'csv') {
        const [header = [], ...rows] = parseCsv(text);
        assert.deepStrictEqual(header, ['value', 'unit', 'start_date', 'end_date']);
        assert.deepStrictEqual(
          rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]]))),
          expected.map((r) => flatten(r)),
        );
      }
    }
    store.dispose();
  });

  test('sleep sessions with stage lists (irregular records) export record for record', async () => {
    const client = clientFor(ada);
    const query = { include_stages: true, include_metrics: true, pageSize: 200, startDate: '2000-01-01' };
    const store = new ResultStore({ spillDirectory: tmp });
    const open: OpenPages = ({ fromPage, quotaReserve, signal }) =>
      paginate(client, 'sleep', { userId: ada.userId, query: { ...query, page: fromPage } }, { signal, quotaReserve });
    const outcome = await fetchAll({ store, openPages: open, quotaReserve: 0 });
    assert.strictEqual(outcome.reason, 'complete', outcome.message);
    const expected = await reference(ada, `/api/v1/sleep/${ada.userId}`, {
      include_stages: 'true',
      include_metrics: 'true',
      startDate: '2000-01-01',
    });
    assert.ok(expected.length > 300);
    assert.strictEqual(store.stats().fallbackRecords, expected.length);
    const file = path.join(tmp, 'sleep.csv');
    await exportResult(store, fs.createWriteStream(file), { format: 'csv' });
    const [header = [], ...rows] = parseCsv(fs.readFileSync(file, 'utf8'));
    assert.ok(header.includes('stages') && header.includes('metrics.efficiency'));
    assert.deepStrictEqual(
      rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]]))),
      expected.map((r) => flatten(r)),
    );
    const ndjson = path.join(tmp, 'sleep.ndjson');
    await exportResult(store, fs.createWriteStream(ndjson), { format: 'ndjson' });
    assert.deepStrictEqual(parseNdjson(fs.readFileSync(ndjson, 'utf8')), expected);
    store.dispose();
  });

  test("the hostile user's records (markup, __proto__ keys, deep nesting) are stored, searched and exported intact", async () => {
    const hostileUser = sandboxUser(sandbox, 'hostile');
    const client = clientFor(hostileUser);
    for (const [routeId, route, metric] of [
      ['quantity', `/api/v1/quantity/${hostileUser.userId}/heartRate`, 'heartRate'],
      ['sleep', `/api/v1/sleep/${hostileUser.userId}`, undefined],
    ] as const) {
      const store = new ResultStore({ spillDirectory: tmp });
      const open: OpenPages = ({ fromPage, quotaReserve, signal }) =>
        paginate(
          client,
          routeId,
          { userId: hostileUser.userId, ...(metric ? { metric } : {}), query: { page: fromPage, pageSize: PAGE_SIZE } },
          { signal, quotaReserve },
        );
      const outcome = await fetchAll({ store, openPages: open, quotaReserve: 0 });
      assert.strictEqual(outcome.reason, 'complete', outcome.message);
      const expected = await reference(hostileUser, route, {});
      assert.ok(expected.length > 0);
      assert.strictEqual(store.count, expected.length);
      const file = path.join(tmp, `${routeId}.ndjson`);
      await exportResult(store, fs.createWriteStream(file), { format: 'ndjson' });
      assert.deepStrictEqual(parseNdjson(fs.readFileSync(file, 'utf8')), expected);
      assert.strictEqual(({} as Record<string, unknown>).polluted, undefined);
      const hits = await searchResult(store, 'script');
      const naive = expected
        .map((r, i) => (JSON.stringify(r).toLowerCase().includes('script') ? i : -1))
        .filter((i) => i >= 0);
      assert.ok(hits.hits.every((row) => naive.includes(row)));
      store.dispose();
    }
  });

  test('cancel halfway leaves a partial result of whole pages', async () => {
    const client = clientFor(fiveYear);
    const store = new ResultStore();
    const controller = new AbortController();
    const outcome = await fetchAll({
      store,
      openPages: opener(client, fiveYear, { ...window, pageSize: PAGE_SIZE }),
      quotaReserve: 0,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.pages === 4) controller.abort();
      },
    });
    assert.strictEqual(outcome.reason, 'cancelled');
    assert.strictEqual(outcome.partial, true);
    assert.match(outcome.message, /Cancelled after 4 pages, 8,000 records; the data is partial\./);
    assert.strictEqual(store.count, 4 * PAGE_SIZE);
    const expected = await reference(fiveYear, `/api/v1/quantity/${fiveYear.userId}/heartRate`, window);
    assert.deepStrictEqual(JSON.parse(store.getRows(0, store.count, Infinity).json), expected.slice(0, store.count));
    store.dispose();
  });

  test('stops before the quota reserve, and spends it only when the user agreed', async () => {
    await withSandbox({ dailyLimit: 8 }, async (limited) => {
      const user = sandboxUser(limited.sandbox, 'five');
      const client = limited.client(user.pat);
      const query = { ...window, pageSize: PAGE_SIZE };
      const first = (await client.getPage('quantity', {
        userId: user.userId,
        metric: 'heartRate',
        query: { ...query, page: 1 },
      })) as PageResult<unknown[]>;
      const plan = planFetchAll(first, query, 3);
      assert.strictEqual(plan.quotaRemaining, 7);
      assert.strictEqual(plan.fitsBeforeReserve, false);
      assert.match(plan.summary, /last 3 requests kept in reserve/);

      const store = new ResultStore();
      const outcome = await fetchAll({
        store,
        firstPage: first,
        plan,
        openPages: opener(client, user, query, 1),
        quotaReserve: 3,
      });
      assert.strictEqual(outcome.reason, 'quota');
      assert.ok(outcome.partial);
      assert.match(
        outcome.message,
        /Stopped after 5 pages, 10,000 records to keep today's last 3 requests in reserve; the data is partial\./,
      );
      assert.strictEqual(outcome.pages, 5);
      assert.strictEqual(store.count, 5 * PAGE_SIZE);

      // The user agrees: the reserve is spent too, up to the last request of the day.
      const more = new ResultStore();
      const agreed = await fetchAll({
        store: more,
        openPages: opener(client, user, { ...query }, 1),
        quotaReserve: 3,
        spendReserve: true,
      });
      assert.strictEqual(agreed.reason, 'quota');
      assert.strictEqual(agreed.pages, 3);
      store.dispose();
      more.dispose();
    });
  });

  test('quota spent mid-way by another client ends in a clear partial result (checked, or a 429)', async () => {
    await withSandbox({ dailyLimit: 10 }, async (limited) => {
      const user = sandboxUser(limited.sandbox, 'five');
      const query = { ...window, pageSize: PAGE_SIZE };

      // While pages come in, another window of the same user spends requests: the run sees the
      // remaining count fall in each response and stops when the quota is gone, either checked
      // before a request or told by the 429 of the request it had already sent ahead.
      const client = limited.client(user.pat);
      const other = limited.client(user.pat);
      const store = new ResultStore();
      let spending: Promise<unknown> | undefined;
      const outcome = await fetchAll({
        store,
        openPages: opener(client, user, query, 1),
        quotaReserve: 0,
        onProgress: (p) => {
          if (p.pages === 2)
            spending ??= (async () => {
              for (let i = 0; i < 4; i++) await other.quantity(user.userId, 'heartRate', { pageSize: 1 });
            })();
        },
      });
      await spending;
      assert.strictEqual(outcome.reason, 'quota');
      assert.ok(outcome.partial);
      assert.match(
        outcome.message,
        /^(Stopped after \d+ pages, [\d,]+ records: today's request quota is used up|Today's request quota ran out after \d+ pages, [\d,]+ records); the data is partial\.$/,
      );
      assert.strictEqual(store.count, outcome.pages * PAGE_SIZE);
      assert.strictEqual(outcome.pages + 4, 10);
      store.dispose();

      // A run whose view of the quota is stale meets the 429 of an exhausted quota instead.
      await withSandbox({ dailyLimit: 4 }, async (tomorrow) => {
        const staleClient = tomorrow.client(user.pat);
        const spender = tomorrow.client(user.pat);
        const first = (await staleClient.getPage('quantity', {
          userId: user.userId,
          metric: 'heartRate',
          query: { ...query, page: 1 },
        })) as PageResult<unknown[]>;
        for (let i = 0; i < 3; i++) await spender.quantity(user.userId, 'heartRate', { pageSize: 1 });
        const partial = new ResultStore();
        const stale = await fetchAll({
          store: partial,
          firstPage: first,
          openPages: opener(staleClient, user, query, 1),
          quotaReserve: 0,
        });
        assert.strictEqual(stale.reason, 'quota');
        assert.ok(stale.partial && stale.error);
        assert.strictEqual(
          stale.message,
          "Today's request quota ran out after 1 page, 2,000 records; the data is partial.",
        );
        assert.strictEqual(partial.count, PAGE_SIZE);
        partial.dispose();
      });
    });
  });
});
