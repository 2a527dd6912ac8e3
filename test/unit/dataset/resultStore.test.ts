import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import fc from 'fast-check';
import { cleanupStaleSpills } from '../../../src/core/dataset/fallbackRecords';
import { ResultStore } from '../../../src/core/dataset/resultStore';

function heartRate(i: number): Record<string, unknown> {
  const start = Date.UTC(2021, 0, 1) + i * 60_000;
  return {
    start_date: new Date(start).toISOString().slice(0, 19) + 'Z',
    end_date: new Date(start + 60_000).toISOString().slice(0, 19) + 'Z',
    value: 50 + ((i * 7) % 130),
    unit: 'count/min',
    source: i % 3 === 0 ? 'Apple Watch' : null,
  };
}

function roundTrip(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value));
}

suite('dataset: ResultStore', () => {
  let tmp: string;
  setup(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'result-store-'));
  });
  teardown(() => {
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  test('regular records are stored in columns and come back identical', () => {
    const store = new ResultStore();
    const records = Array.from({ length: 5000 }, (_, i) => heartRate(i));
    store.append(records.slice(0, 2000));
    store.append(records.slice(2000));
    assert.strictEqual(store.count, 5000);
    assert.strictEqual(store.stats().columnarRecords, 5000);
    for (const i of [0, 1, 2, 1999, 2000, 4999]) assert.deepStrictEqual(store.getRecord(i), records[i]);
    assert.strictEqual(store.getRecordJson(7), JSON.stringify(records[7]));
    store.dispose();
  });

  test('columnar storage stays far below the JSON size', () => {
    const store = new ResultStore();
    let jsonBytes = 0;
    for (let page = 0; page < 10; page++) {
      const records = Array.from({ length: 10_000 }, (_, i) => heartRate(page * 10_000 + i));
      const text = JSON.stringify(records);
      jsonBytes += text.length;
      store.append(JSON.parse(text) as unknown[], text);
    }
    store.seal();
    const stats = store.stats();
    assert.strictEqual(stats.jsonBytes, jsonBytes);
    assert.ok(
      stats.retainedBytes < 0.3 * jsonBytes,
      `${stats.retainedBytes} bytes retained for ${jsonBytes} JSON bytes`,
    );
    store.dispose();
  });

  test('a store reserved for its records never copies a column to grow, and sealing it keeps the columns as they are', () => {
    const store = new ResultStore();
    const pages = Array.from({ length: 5 }, (_, page) =>
      Array.from({ length: 2_000 }, (_, i) => heartRate(page * 2_000 + i)),
    );
    store.append(pages[0]!);
    store.reserve(10_000);
    const backing = () => (store.columns?.leaves ?? []).map((leaf) => leaf.numbers.data);
    const reserved = backing();
    for (const page of pages.slice(1)) store.append(page);
    store.seal();
    const after = backing();
    reserved.forEach((data, i) => assert.strictEqual(after[i], data, `column ${i} was copied`));
    for (const i of [0, 1_999, 2_000, 9_999])
      assert.deepStrictEqual(store.getRecord(i), pages[Math.floor(i / 2_000)]![i % 2_000]);
    store.dispose();
  });

  test('sealing drops a large spare capacity (a plan that expected far more records than came)', () => {
    const store = new ResultStore();
    const records = Array.from({ length: 1_000 }, (_, i) => heartRate(i));
    store.append(records);
    store.reserve(100_000);
    const reservedBytes = store.stats().retainedBytes;
    store.seal();
    assert.ok(
      store.stats().retainedBytes < reservedBytes / 10,
      `${store.stats().retainedBytes} bytes retained after sealing, ${reservedBytes} reserved`,
    );
    assert.deepStrictEqual(store.getRecord(999), records[999]);
    store.dispose();
  });

  test('irregular records (arrays, other keys, __proto__, deep nesting) go to the spilled fallback intact', () => {
    const store = new ResultStore({ spillDirectory: tmp });
    const deep: Record<string, unknown> = {};
    let cursor = deep;
    for (let d = 0; d < 200; d++) {
      const next: Record<string, unknown> = {};
      cursor.child = next;
      cursor = next;
    }
    const hostile = JSON.parse(
      '{"__proto__":{"polluted":true},"constructor":"<img src=x onerror=alert(1)>","value":1}',
    ) as unknown;
    const records: unknown[] = [
      heartRate(0),
      { start_date: '2024-01-01T00:00:00Z', stages: [{ stage: 'asleepDeep', start: 1, end: 2 }] },
      hostile,
      heartRate(1),
      deep,
      'a bare string',
      [1, 2, 3],
      { ...heartRate(2), extra: 'unknown field kept' },
      heartRate(3),
    ];
    store.append(records);
    assert.strictEqual(store.count, records.length);
    assert.strictEqual(store.stats().columnarRecords, 3);
    const spill = store.stats().spillFile as string;
    assert.ok(fs.existsSync(spill));
    records.forEach((r, i) => assert.deepStrictEqual(store.getRecord(i), roundTrip(r), `row ${i}`));
    const back = store.getRecord(2) as Record<string, unknown>;
    assert.strictEqual(Object.getPrototypeOf(back), Object.prototype);
    assert.ok(Object.prototype.hasOwnProperty.call(back, '__proto__'));
    assert.strictEqual(({} as Record<string, unknown>).polluted, undefined);
    const window = store.getRows(0, records.length);
    assert.deepStrictEqual(JSON.parse(window.json), records.map(roundTrip));
    store.dispose();
    assert.ok(!fs.existsSync(spill), 'spill file deleted on dispose');
    assert.throws(() => store.getRecord(0), /closed/);
  });

  test('appendRange stores exactly the records of the range, columnar and fallback alike', () => {
    const records: unknown[] = [
      { value: 1, unit: 'count/min' },
      { value: 2, unit: 'count/min' },
      { value: 3, unit: 'count/min' },
      { value: [4], unit: 'count/min' },
      { value: 5, unit: 'count/min' },
      { value: 6, unit: 'count/min' },
    ];
    const store = new ResultStore();
    store.appendRange(records, 1, 5, 100);
    store.appendRange(records, 5, 5);
    assert.strictEqual(store.count, 4);
    assert.deepStrictEqual(JSON.parse(store.getRows(0, 10).json), records.slice(1, 5));
    assert.strictEqual(store.stats().fallbackRecords, 1);
    assert.strictEqual(store.stats().jsonBytes, 100);
    store.dispose();
  });

  test('getRows respects the byte limit and always returns at least one row', () => {
    const store = new ResultStore();
    store.append(Array.from({ length: 1000 }, (_, i) => heartRate(i)));
    const window = store.getRows(10, 1000, 2000);
    assert.ok(window.json.length <= 2000);
    assert.ok(window.count > 5 && window.count < 1000);
    assert.deepStrictEqual(
      JSON.parse(window.json),
      Array.from({ length: window.count }, (_, i) => heartRate(10 + i)),
    );
    const big = new ResultStore();
    big.append([{ text: 'x'.repeat(5000) }]);
    assert.strictEqual(big.getRows(0, 10, 100).count, 1);
    assert.strictEqual(store.getRows(995, 100).count, 5);
    assert.throws(() => store.getRows(-1, 5), RangeError);
    store.dispose();
    big.dispose();
  });

  test('a timestamp column that meets free text becomes a string column without loss', () => {
    const store = new ResultStore();
    const records = [
      { at: '2024-01-01T00:00:00Z', n: 1 },
      { at: null, n: 2 },
      { at: '2024-01-01T00:00:01.500Z', n: 3 },
      { at: 'yesterday', n: 4.5 },
      { at: '2024-02-30T00:00:00Z', n: -0.25 },
    ];
    store.append(records);
    assert.strictEqual(store.stats().columnarRecords, records.length);
    records.forEach((r, i) => assert.deepStrictEqual(store.getRecord(i), r));
    store.dispose();
  });

  test('any JSON records round-trip (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.jsonValue(), { maxLength: 30 }),
        fc.array(
          fc.record({
            a: fc.integer(),
            b: fc.option(fc.string()),
            c: fc.record({ d: fc.boolean(), e: fc.double({ noNaN: true, noDefaultInfinity: true }) }),
          }),
          { maxLength: 30 },
        ),
        (odd, regular) => {
          const store = new ResultStore();
          const records = [...regular, ...odd, ...regular];
          store.append(records.slice(0, 7));
          store.append(records.slice(7));
          const expected = records.map(roundTrip);
          assert.deepStrictEqual(JSON.parse(store.getRows(0, records.length, Infinity).json), expected);
          const streamed: unknown[] = [];
          store.forEachJson(3, records.length, (_row, json) => streamed.push(JSON.parse(json)));
          assert.deepStrictEqual(streamed, expected.slice(3));
          store.dispose();
        },
      ),
      { numRuns: 150 },
    );
  });

  test('cleanupStaleSpills deletes files of dead processes only', () => {
    const live = new ResultStore({ spillDirectory: tmp });
    live.append([[1]]);
    const dead = path.join(tmp, 'result-999999999-abcdef.ndjson');
    fs.writeFileSync(dead, '{}\n');
    fs.writeFileSync(path.join(tmp, 'unrelated.txt'), 'keep');
    assert.strictEqual(cleanupStaleSpills(tmp), 1);
    assert.ok(!fs.existsSync(dead));
    assert.ok(fs.existsSync(live.stats().spillFile as string));
    assert.ok(fs.existsSync(path.join(tmp, 'unrelated.txt')));
    live.dispose();
  });
});
