import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Writable } from 'stream';
import fc from 'fast-check';
import type { ApiClient } from '../../../src/core/api/apiClient';
import { RECORD_SCHEMAS } from '../../../src/core/api/schemas';
import { arraySchemaOf, DEEP_RECORD_MESSAGE } from '../../../src/core/api/validation';
import type { RouteId } from '../../../src/core/routes';
import {
  MAX_SHOWN_DEPTH,
  nestedDeeperThan,
  stringifyJson,
  stringifyWithoutRecursion,
} from '../../../src/core/dataset/deepJson';
import { exportResult, type ExportFormat } from '../../../src/core/dataset/exportResult';
import { fetchAllPages } from '../../../src/core/dataset/fetchAllPages';
import { ResultStore } from '../../../src/core/dataset/resultStore';
import { searchResult } from '../../../src/core/dataset/search';
import { MAX_FLATTEN_DEPTH } from '../../../src/core/export/flatten';
import { QueryResult } from '../../../src/vscode/explorer/queryResult';
import { JsonTreeModel, MAX_DEPTH } from '../../../src/webview/jsonTreeModel';
import { cellValue, ColumnSet } from '../../../src/webview/tableModel';
import { nestedArrayText, nestedObjectText, pageText, quantityRecordWith } from '../../support/servers/deepNesting';
import type { TestServer } from '../../support/servers/testServer';
import { connectTestServer, type TestServerConnection } from '../support/localApi';

const USER = '123e4567-e89b-12d3-a456-426614174000';
const DEPTH = 100_000;

/** Ordinary quantity records as the API sends them (text). */
function plainRecords(count: number, firstMinute: number): string[] {
  return Array.from({ length: count }, (_, i) => {
    const at = new Date(Date.UTC(2024, 0, 1, 0, firstMinute + i)).toISOString().replace('.000', '');
    return `{"value":${70 + i},"unit":"count/min","start_date":"${at}","end_date":"${at}"}`;
  });
}

const DEEP_OBJECT = quantityRecordWith(nestedObjectText(DEPTH, 'k', '"needle"'), 1);
const DEEP_ARRAY = quantityRecordWith(nestedArrayText(DEPTH), 2);
/** Row 0 ordinary, rows 1 and 2 nested 100,000 deep, row 3 ordinary. */
const PAGE_RECORDS = [...plainRecords(1, 0), DEEP_OBJECT, DEEP_ARRAY, ...plainRecords(1, 3)];

function collector(): { stream: Writable; text(): string } {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(Buffer.from(chunk));
      callback();
    },
  });
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

async function exported(store: ResultStore, format: ExportFormat): Promise<string> {
  const out = collector();
  const outcome = await exportResult(store, out.stream, { format });
  assert.strictEqual(outcome.complete, true);
  assert.strictEqual(outcome.records, store.count);
  return out.text();
}

/** The fields of one CSV line (RFC 4180 quoting), enough for these rows. */
function csvFields(line: string): string[] {
  const fields: string[] = [];
  let at = 0;
  while (at <= line.length) {
    if (line[at] === '"') {
      let end = at + 1;
      let text = '';
      for (;;) {
        const quote = line.indexOf('"', end);
        text += line.slice(end, quote);
        if (line[quote + 1] === '"') {
          text += '"';
          end = quote + 2;
        } else {
          end = quote + 1;
          break;
        }
      }
      fields.push(text);
      at = end + 1;
    } else {
      const comma = line.indexOf(',', at);
      const end = comma === -1 ? line.length : comma;
      fields.push(line.slice(at, end));
      at = end + 1;
    }
  }
  return fields;
}

/** Checks every way a deeply nested result leaves the store; none may throw. */
async function checkStoreOfPage(store: ResultStore, records: readonly string[]): Promise<void> {
  assert.strictEqual(store.count, records.length);
  assert.strictEqual(
    store.getRows(0, records.length, Number.MAX_SAFE_INTEGER).json,
    `[${records.join(',')}]`,
    "the records' text, as sent",
  );
  assert.strictEqual(store.getRecordJson(1), DEEP_OBJECT);
  assert.strictEqual(store.getRows(2, 1).json, `[${DEEP_ARRAY}]`);

  // Search: the text clause walks with its own stack and finds the needle at the bottom.
  const needle = await searchResult(store, 'needle');
  assert.deepStrictEqual([...needle.hits], [1]);
  const byValue = await searchResult(store, 'value >= 62');
  assert.deepStrictEqual(
    [...byValue.hits],
    records
      .map((text, row) => ((JSON.parse(text) as { value: number }).value >= 62 ? row : -1))
      .filter((row) => row >= 0),
  );

  // JSON and NDJSON exports write the stored text as is.
  assert.strictEqual(await exported(store, 'json'), `[\n${records.join(',\n')}\n]\n`);
  assert.strictEqual(await exported(store, 'ndjson'), `${records.join('\n')}\n`);

  // CSV splits the first levels into dotted columns and keeps the rest of the record as JSON text.
  const csv = (await exported(store, 'csv')).split('\r\n');
  const fieldsOfLine = (line: number): string[] => csvFields(csv[line] ?? assert.fail(`the CSV has no line ${line}`));
  const header = fieldsOfLine(0);
  const deepColumn = header.findIndex((c) => c.startsWith('extra.k'));
  const deepColumnName = header[deepColumn] ?? assert.fail(`no extra.k… column in ${header.join(',')}`);
  assert.ok(deepColumn > 0, header.join(','));
  assert.strictEqual(deepColumnName.split('.').length, MAX_FLATTEN_DEPTH, 'the column names stop at the flatten depth');
  const rest =
    fieldsOfLine(1 + records.indexOf(DEEP_OBJECT))[deepColumn] ?? assert.fail('the deep record has no such cell');
  assert.strictEqual(
    deepColumnName.split('.').length - 1 + rest.split('{').length - 1,
    DEPTH,
    'every level is in the file',
  );
  assert.ok(rest.endsWith(`"needle"${'}'.repeat(DEPTH - MAX_FLATTEN_DEPTH + 1)}`));
  const arrayCell = fieldsOfLine(1 + records.indexOf(DEEP_ARRAY))[header.indexOf('extra')];
  assert.strictEqual(arrayCell, nestedArrayText(DEPTH));
}

suite('records nested 100,000 levels deep from a hostile server', () => {
  let local: TestServerConnection;
  let server: TestServer;
  let client: ApiClient;
  let spill: string;

  setup(async () => {
    local = await connectTestServer({ deadlineMs: 20_000 });
    ({ server, client } = local);
    spill = fs.mkdtempSync(path.join(os.tmpdir(), 'deep-'));
  });
  teardown(async () => {
    await local.close();
    fs.rmSync(spill, { recursive: true, force: true });
  });

  test("V8 parses the page; the page's warnings name the nesting; the panel's result keeps, shows, searches and exports it", async () => {
    const body = pageText(PAGE_RECORDS);
    server.handle((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    });
    const page = await client.getPage('quantity', { userId: USER, metric: 'heartRate', query: {} }, { keepRaw: true });
    assert.strictEqual((page.data as unknown[]).length, 4);
    assert.deepStrictEqual(page.warnings, [{ path: 'data[1]', message: DEEP_RECORD_MESSAGE, count: 2 }]);
    assert.match(DEEP_RECORD_MESSAGE, new RegExp(`nested deeper than ${MAX_SHOWN_DEPTH} levels`));

    const result = new QueryResult(1, { route: 'quantity', metric: 'heartRate', params: {} }, page, 'acc', spill);
    try {
      assert.deepStrictEqual(result.summary.warnings, [
        { path: 'data[1]', message: `${DEEP_RECORD_MESSAGE} (2 records)` },
      ]);
      assert.strictEqual(result.rows(0, 4).lines, PAGE_RECORDS.join('\n'));
      assert.strictEqual(result.raw().text, body);
      assert.strictEqual((result.planningPage().data as unknown[]).length, 4);
      const found = result.find('needle', false);
      assert.ok(
        found.hits.every((hit) => hit.path.length <= MAX_SHOWN_DEPTH + 2),
        'hits only where the tree can show them',
      );
      await checkStoreOfPage(result.store!, PAGE_RECORDS);
    } finally {
      result.dispose();
    }
  });

  test('Fetch All Pages stores a deep page in chunks, spilled to disk, and reports the nesting with its page', async () => {
    const first = plainRecords(3, 10);
    server.handle((req, res) => {
      const url = new URL(req.url ?? '/', server.origin);
      const pageNumber = Number(url.searchParams.get('page') ?? '1');
      url.searchParams.set('page', '2');
      const body = pageNumber === 1 ? pageText(first, 1, `${url.pathname}${url.search}`) : pageText(PAGE_RECORDS, 2);
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    });
    const store = new ResultStore({ spillDirectory: spill });
    const reported: string[] = [];
    try {
      const outcome = await fetchAllPages({
        client,
        routeId: 'quantity',
        params: { userId: USER, metric: 'heartRate', query: { pageSize: 4 } },
        store,
        settings: { maxPages: 10, concurrency: 2, quotaReserve: 0 },
        spendReserve: false,
        onWarnings: (warnings, where) =>
          reported.push(...warnings.map((w) => `page ${where.page}: ${w.path}: ${w.message} ×${w.count}`)),
      });
      assert.strictEqual(outcome.reason, 'complete', outcome.message);
      assert.deepStrictEqual(reported, [`page 2: data[1]: ${DEEP_RECORD_MESSAGE} ×2`]);
      const all = [...first, ...PAGE_RECORDS];
      assert.strictEqual(store.getRows(0, all.length, Number.MAX_SAFE_INTEGER).json, `[${all.join(',')}]`);
    } finally {
      store.dispose();
    }
  });

  test('a profile nested 100,000 levels deep is served like a one-record list, with the warning, and its raw text kept', async () => {
    const profile = `{"user_id":"${USER}","created_at":"2022-01-01T00:00:00Z","home_timezone":"UTC","scopes":[],"extra":${nestedArrayText(DEPTH)}}`;
    const body = `{"data":${profile}}`;
    server.handle((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    });
    const page = await client.getPage('profile', { userId: USER }, { keepRaw: true });
    assert.deepStrictEqual(page.warnings, [{ path: 'data', message: DEEP_RECORD_MESSAGE, count: 1 }]);
    const result = new QueryResult(2, { route: 'profile', params: {} }, page, 'acc');
    try {
      assert.strictEqual(result.summary.dataKind, 'array', 'too long to inline in the summary');
      assert.strictEqual(result.rows(0, 1).lines, profile);
      assert.strictEqual(result.fullRaw(), body);
      assert.doesNotThrow(() => result.find('1', false));
    } finally {
      result.dispose();
    }
  });

  test('a result of only deep records (no regular row at all) is stored, searched and exported', async () => {
    const store = new ResultStore();
    try {
      store.append([JSON.parse(DEEP_OBJECT), JSON.parse(DEEP_ARRAY)]);
      assert.strictEqual(store.getRows(0, 2).json, `[${DEEP_OBJECT},${DEEP_ARRAY}]`);
      assert.deepStrictEqual([...(await searchResult(store, 'needle')).hits], [0]);
      assert.strictEqual(await exported(store, 'ndjson'), `${DEEP_OBJECT}\n${DEEP_ARRAY}\n`);
      assert.strictEqual((await exported(store, 'csv')).split('\r\n').length, 4);
    } finally {
      store.dispose();
    }
  });
});

suite('deep nesting elsewhere on the data path', () => {
  test('the route schemas do not descend into what they do not name, whatever its depth', () => {
    const deepObject = JSON.parse(nestedObjectText(DEPTH)) as unknown;
    const deepArray = JSON.parse(nestedArrayText(DEPTH)) as unknown;
    const at = '2024-01-01T00:00:00Z';
    const id = '123e4567-e89b-12d3-a456-426614174000';
    const records: Record<RouteId, Record<string, unknown>> = {
      quantity: { value: deepArray, start_date: at, unknown: deepObject },
      sleep: { id, start_date: at, end_date: at, stages: deepArray, metrics: deepObject, unknown: deepArray },
      workout: { id, type: 'run', start_date: at, end_date: at, distance: deepObject, unknown: deepObject },
      supplements: { id, details: deepObject, logs: deepArray },
      medications: { id, details: { name: deepArray }, logs: [deepObject] },
      labs: { display_name: deepObject, unknown: deepArray },
      profile: { user_id: id, created_at: at, home_timezone: deepArray, scopes: deepArray, extra: deepObject },
    };
    for (const [route, record] of Object.entries(records) as [RouteId, Record<string, unknown>][]) {
      assert.doesNotThrow(() => RECORD_SCHEMAS[route].safeParse(record), route);
      const checked = arraySchemaOf(route).safeParse([record]);
      assert.ok(!checked.success, route);
      assert.ok(
        checked.error.issues.some((issue) => issue.message === DEEP_RECORD_MESSAGE && issue.path.join() === '0'),
        route,
      );
    }
  });

  test('the webview tree shows a deep record down to its depth limit, then a "too deep" row; the table stays flat', () => {
    const record = JSON.parse(DEEP_OBJECT) as Record<string, unknown>;
    const model = new JsonTreeModel({}, 'data', { length: 1, get: () => record });
    const segments: (string | number)[] = ['data', 0, 'extra'];
    assert.ok(model.setExpanded(['data'], true));
    assert.ok(model.setExpanded(['data', 0], true));
    while (model.setExpanded(segments, true)) segments.push('k');
    const last = model.rowAt(model.indexOf(segments)!)!;
    assert.strictEqual(last.kind, 'tooDeep');
    assert.strictEqual(last.expandable, false);
    assert.strictEqual(last.depth, MAX_DEPTH);
    assert.strictEqual(MAX_DEPTH, MAX_SHOWN_DEPTH, 'the warning names the depth where the tree stops');
    assert.strictEqual(model.rowCount, 2 + 5 + (MAX_DEPTH - 2));
    assert.strictEqual(model.rows(0, model.rowCount).length, model.rowCount);
    const columns = new ColumnSet();
    columns.addFrom(record);
    assert.ok(columns.columns.length <= 8, columns.columns.join());
    assert.strictEqual(typeof cellValue(record, columns.columns.at(-1) ?? ''), 'object');
  });

  test('stringifyWithoutRecursion writes what JSON.stringify writes', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => stringifyWithoutRecursion(value) === JSON.stringify(value)),
      { numRuns: 300 },
    );
    const odd = {
      a: undefined,
      b: [undefined, () => 1, NaN, -0, Infinity],
      c: new Date(0),
      '\u2028"k': { toJSON: (key: string) => `key ${key}` },
      d: {},
    };
    assert.strictEqual(stringifyWithoutRecursion(odd), JSON.stringify(odd));
    for (const scalar of [undefined, null, 'x', 1.5, true])
      assert.strictEqual(stringifyWithoutRecursion(scalar), JSON.stringify(scalar));
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    assert.throws(() => stringifyWithoutRecursion(cyclic), TypeError);
    assert.strictEqual(stringifyJson(JSON.parse(DEEP_ARRAY)), DEEP_ARRAY);
  });

  test('nestedDeeperThan counts the value itself as level 1', () => {
    assert.strictEqual(nestedDeeperThan({ a: 1 }, 1), false);
    assert.strictEqual(nestedDeeperThan({ a: [1] }, 1), true);
    assert.strictEqual(nestedDeeperThan(JSON.parse(nestedArrayText(MAX_SHOWN_DEPTH)), MAX_SHOWN_DEPTH), false);
    assert.strictEqual(nestedDeeperThan(JSON.parse(nestedArrayText(MAX_SHOWN_DEPTH + 1)), MAX_SHOWN_DEPTH), true);
    assert.strictEqual(nestedDeeperThan('text', 0), false);
  });
});
