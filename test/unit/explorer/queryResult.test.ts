import * as assert from 'assert';
import { createApiClient, type PageResult } from '../../../src/core/api/apiClient';
import type { HttpTransport } from '../../../src/core/api/httpTypes';
import { createUndiciTransport } from '../../../src/core/api/transport';
import { ADA_USER_ID, DEMO_USERS, HOSTILE_USER_ID } from '../../../src/sandbox/demoAccounts';
import { startSandbox, type SandboxHandle } from '../../../src/sandbox/main';
import { hostToWebview, MAX_MESSAGE_CHARS } from '../../../src/shared/protocol';
import { parseRowLines } from '../../../src/shared/rowLines';
import { HistoryStore, MAX_HISTORY, type KeyValueStore } from '../../../src/vscode/explorer/historyStore';
import { QueryResult } from '../../../src/vscode/explorer/queryResult';

class MemoryStore implements KeyValueStore {
  readonly values = new Map<string, unknown>();
  get<T>(key: string): T | undefined {
    return this.values.get(key) as T | undefined;
  }
  async update(key: string, value: unknown): Promise<void> {
    this.values.set(key, JSON.parse(JSON.stringify(value)));
  }
}

suite('explorer: QueryResult over real sandbox responses', () => {
  let sandbox: SandboxHandle;
  let transport: HttpTransport;

  suiteSetup(async () => {
    sandbox = await startSandbox({ port: 0 });
    transport = createUndiciTransport({ origin: sandbox.baseUrl, proxy: 'env', env: {} });
  });
  suiteTeardown(async () => {
    await transport.close();
    await sandbox.close();
  });

  function clientFor(userId: string) {
    const pat = DEMO_USERS.find((u) => u.userId === userId)!.pat;
    return createApiClient({
      transport,
      credentials: { getAccessToken: async () => pat, handleUnauthorized: async () => undefined },
    });
  }

  test('a 10,000-record page leaves in windows of at most one megabyte, record for record', async () => {
    const page = await clientFor(sandbox.users.find((u) => u.name.startsWith('Five'))!.userId).getPage(
      'quantity',
      {
        userId: sandbox.users.find((u) => u.name.startsWith('Five'))!.userId,
        metric: 'heartRate',
        query: { pageSize: 10_000 },
      },
      { keepRaw: true },
    );
    const result = new QueryResult(
      1,
      { route: 'quantity', metric: 'heartRate', params: { pageSize: 10_000 } },
      page,
      'acc',
    );
    assert.strictEqual(result.summary.recordCount, 10_000);
    assert.strictEqual(result.summary.dataKind, 'array');
    assert.ok(!result.summary.envelopeJson.includes('"data"'));
    const collected: unknown[] = [];
    let offset = 0;
    while (offset < result.recordCount) {
      const window = result.rows(offset, 2000);
      assert.ok(window.lines.length <= MAX_MESSAGE_CHARS);
      assert.ok(
        hostToWebview.safeParse({ type: 'getRows/result', requestId: 1, resultId: 1, offset, rowLines: window.lines })
          .success,
      );
      const rows = parseRowLines(window.lines);
      assert.ok(rows.length > 0);
      collected.push(...rows);
      offset += rows.length;
    }
    assert.deepStrictEqual(collected, page.data);
    const raw = result.raw();
    assert.ok(raw.truncated, 'a 1 MB page is cut for the raw view');
    assert.ok(raw.text.length < MAX_MESSAGE_CHARS);
    result.dispose();
  });

  test('a profile is inlined in the envelope; find searches keys and values', async () => {
    const page = await clientFor(ADA_USER_ID).getPage('profile', { userId: ADA_USER_ID });
    const result = new QueryResult(2, { route: 'profile', params: {} }, page, 'acc');
    assert.strictEqual(result.summary.dataKind, 'object');
    assert.ok(
      hostToWebview.safeParse({ type: 'didReceiveResponse', requestId: 1, summary: result.summary, restored: false })
        .success,
    );
    const found = result.find('home_timezone', true);
    assert.deepStrictEqual(found.hits[0], { record: -1, path: ['data', 'home_timezone'] });
  });

  test('hostile records survive as data: every summary and window passes the protocol', async () => {
    const page = await clientFor(HOSTILE_USER_ID).getPage('labs', { userId: HOSTILE_USER_ID, query: {} });
    const result = new QueryResult(3, { route: 'labs', params: {} }, page, 'acc');
    assert.ok(
      hostToWebview.safeParse({ type: 'didReceiveResponse', requestId: 1, summary: result.summary, restored: false })
        .success,
    );
    const window = result.rows(0, 2000);
    assert.deepStrictEqual(parseRowLines(window.lines), page.data);
    const found = result.find('<img', false);
    assert.ok(found.total > 0);
    assert.ok(
      hostToWebview.safeParse({
        type: 'find/result',
        requestId: 1,
        resultId: 3,
        hits: found.hits,
        total: found.total,
        capped: found.capped,
      }).success,
    );
  });
});

/** A first page as the API client returns it, with the fields a test is about. */
function pageOf(route: 'sleep' | 'quantity', path: string, fields: Record<string, unknown>): PageResult {
  const base = { route, status: 200, durationMs: 1, bytes: 10, attempts: 1, warnings: [] };
  return { ...base, url: `http://127.0.0.1:1/api/v1/${path}`, ...fields } as unknown as PageResult;
}

suite('explorer: QueryResult guards', () => {
  test('an enormous envelope is replaced by a note, so the summary still passes the protocol', () => {
    const page = pageOf('sleep', 'sleep/u', {
      pagination: { current_page: 1, has_more: false, next_page: null, prev_page: null, junk: 'x'.repeat(200_000) },
      data: [{ a: 1 }],
    });
    const result = new QueryResult(9, { route: 'sleep', params: {} }, page, 'acc');
    assert.ok(result.summary.envelopeJson.includes('see the raw view'));
    assert.ok(
      hostToWebview.safeParse({ type: 'didReceiveResponse', requestId: 1, summary: result.summary, restored: false })
        .success,
    );
    assert.ok(result.raw().text.includes('junk'));
  });

  test("drift in pages Fetch All Pages added joins the first page's warnings, one line per drift with the records counted", () => {
    const page = pageOf('quantity', 'quantity/u/heartRate', {
      warnings: [{ path: 'data[0].unit', message: 'expected string, got number', count: 2 }],
      pagination: { current_page: 1, has_more: true, next_page: '/x?page=2', prev_page: null },
      data: [{ value: 1 }, { value: 2 }],
    });
    const result = new QueryResult(10, { route: 'quantity', metric: 'heartRate', params: {} }, page, 'acc');
    assert.strictEqual(result.summary.warnings.length, 1);
    result.addFetchedWarnings([{ path: 'data[1200].value', message: 'expected number, got string', count: 100 }], {
      page: 3,
      firstRow: 20_000,
    });
    result.addFetchedWarnings(
      [
        { path: 'data[5].value', message: 'expected number, got string', count: 1 },
        { path: 'pagination.has_more', message: 'expected boolean, got string', count: 1 },
      ],
      { page: 7, firstRow: 60_000 },
    );
    assert.deepStrictEqual(result.summary.warnings, [
      { path: 'data[0].unit', message: 'expected string, got number (2 records)' },
      { path: 'data[21200].value', message: 'expected number, got string (101 records, first on page 3)' },
      { path: 'pagination.has_more', message: 'expected boolean, got string (on page 7)' },
    ]);
    for (let i = 0; i < 600; i++)
      result.addFetchedWarnings([{ path: `data[0].field${i}`, message: 'missing (expected string)', count: 1 }], {
        page: 9,
        firstRow: 80_000,
      });
    assert.strictEqual(result.summary.warnings.length, 500, "capped at the protocol's limit");
    assert.ok(
      hostToWebview.safeParse({ type: 'didReceiveResponse', requestId: 1, summary: result.summary, restored: false })
        .success,
    );
  });
});

suite('explorer: HistoryStore', () => {
  test('keeps only the request shape, newest first, capped', async () => {
    const store = new MemoryStore();
    const history = new HistoryStore(store, () => 1_700_000_000_000);
    for (let i = 0; i < MAX_HISTORY + 5; i++) {
      await history.add({
        query: { route: 'sleep', params: { page: i + 1 } },
        accountId: 'a',
        accountLabel: 'Ada',
        status: 200,
        recordCount: 3,
        durationMs: 12,
      });
    }
    const entries = history.history();
    assert.strictEqual(entries.length, MAX_HISTORY);
    assert.strictEqual(entries[0]!.query.params.page, MAX_HISTORY + 5);
  });

  test('a stray token or data field never reaches storage', async () => {
    const store = new MemoryStore();
    const history = new HistoryStore(store);
    const sneaky = {
      query: { route: 'sleep', params: {} },
      status: 200,
      recordCount: 1,
      durationMs: 1,
      token: 'sbx_pat_secret',
      data: [{ heart: 1 }],
    };
    await history.add(sneaky as unknown as Parameters<HistoryStore['add']>[0]);
    const stored = JSON.stringify([...store.values.values()]);
    assert.ok(!stored.includes('sbx_pat_secret'));
    assert.ok(!stored.includes('heart'));
  });

  test('entries of an unknown shape in globalState are dropped, not trusted', () => {
    const store = new MemoryStore();
    store.values.set('onetwentyone.explorer.history.v1', [{ nonsense: true }, 'x', null]);
    assert.deepStrictEqual(new HistoryStore(store).history(), []);
  });

  test('saved queries are kept and removed', async () => {
    const store = new MemoryStore();
    const history = new HistoryStore(store);
    const saved = await history.save('Steps this week', { route: 'quantity', metric: 'stepCount', params: {} }, 'a');
    assert.deepStrictEqual(
      history.saved().map((s) => s.id),
      [saved.id],
    );
    await history.removeSaved(saved.id);
    assert.deepStrictEqual(history.saved(), []);
  });
});
