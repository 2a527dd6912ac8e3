import * as assert from 'assert';
import fc from 'fast-check';
import { ResultStore } from '../../../src/core/dataset/resultStore';
import { parseRowLines, rowLinesWindow, splitRowLines, type RecordTexts } from '../../../src/shared/rowLines';
import { CHUNK_SIZE, RecordCache } from '../../../src/webview/recordCache';

function roundTrip(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value));
}

function storeOf(records: readonly unknown[]): ResultStore {
  const store = new ResultStore();
  store.append(records);
  return store;
}

/** Regular records (stored in columns) and irregular ones (kept as text), with the values that break encoders. */
const RECORDS: readonly unknown[] = [
  { value: 72, unit: 'count/min', start_date: '2026-11-27T23:59:00Z', source: { name: 'Watch', os: null } },
  {
    value: 1e308,
    unit: 'line\nbreak\r\u2028\u2029',
    start_date: '2026-11-27T23:58:00Z',
    source: { name: '', os: '17' },
  },
  { value: 2 ** 64, unit: 'ünïcødé 🫀 "quoted" \\ back', start_date: null, source: { name: 'x', os: 'y' } },
  { value: -0.000001, unit: null, start_date: '2026-11-27T23:57:00.123Z', source: { name: '\u0000', os: '\t' } },
  [1, 'two', { three: [3] }, null],
  { different: 'shape', nested: { deeper: { deepest: ['a\nb'] } } },
  'a bare string\nwith a break',
  -(2 ** 53 + 2),
  null,
  { value: Number.MIN_VALUE, unit: '\ud83e\udec0', start_date: '2026-11-27T23:56:00Z', source: { name: 'n', os: 'o' } },
];

suite('shared/rowLines: the row window from host to webview', () => {
  test('every record comes back with its JSON value: strings, unicode, nulls, nesting, huge numbers', () => {
    const store = storeOf(RECORDS);
    assert.ok(store.columnarRecordCount >= 4, 'the regular records are stored in columns');
    const window = rowLinesWindow(store, 0, RECORDS.length, 1_000_000);
    assert.strictEqual(window.count, RECORDS.length);
    assert.strictEqual(splitRowLines(window.lines).length, RECORDS.length, 'one line per record');
    assert.deepStrictEqual(parseRowLines(window.lines), RECORDS.map(roundTrip));
  });

  test('any JSON records round-trip, window by window', () => {
    fc.assert(
      fc.property(
        fc.array(fc.jsonValue(), { minLength: 1, maxLength: 30 }),
        fc.integer({ min: 1, max: 400 }),
        (records, maxChars) => {
          const store = storeOf(records);
          const got: unknown[] = [];
          while (got.length < records.length) {
            const window = rowLinesWindow(store, got.length, records.length, maxChars);
            assert.ok(window.count >= 1, 'a window holds one record at least');
            assert.ok(window.count === 1 || window.lines.length <= maxChars, 'only a lone record may pass the limit');
            got.push(...parseRowLines(window.lines));
          }
          assert.deepStrictEqual(got, records.map(roundTrip));
        },
      ),
      { numRuns: 200 },
    );
  });

  test('a window stops at the size limit and at the end', () => {
    const records = Array.from({ length: 100 }, (_, i) => ({ i, text: 'x'.repeat(i % 7) }));
    const store = storeOf(records);
    const full = rowLinesWindow(store, 0, 100, 1_000_000);
    const cut = rowLinesWindow(store, 0, 100, full.lines.length - 1);
    assert.strictEqual(cut.count, 99);
    assert.deepStrictEqual(parseRowLines(cut.lines), records.slice(0, 99));
    const tail = rowLinesWindow(store, 95, 100, 1_000_000);
    assert.deepStrictEqual({ offset: tail.offset, count: tail.count }, { offset: 95, count: 5 });
    assert.deepStrictEqual(rowLinesWindow(store, 100, 10, 1_000_000), { offset: 100, count: 0, lines: '' });
    assert.deepStrictEqual(splitRowLines(''), []);
  });

  test('a record text with raw line breaks between its tokens stays one line with the same value', () => {
    const pretty: RecordTexts = {
      count: 2,
      getRecordJson: (row) => JSON.stringify({ row, list: [1, { a: 'b' }] }, null, 2),
    };
    const window = rowLinesWindow(pretty, 0, 2, 1_000_000);
    assert.strictEqual(splitRowLines(window.lines).length, 2);
    assert.deepStrictEqual(parseRowLines(window.lines), [
      { row: 0, list: [1, { a: 'b' }] },
      { row: 1, list: [1, { a: 'b' }] },
    ]);
  });
});

suite('webview/recordCache: row lines', () => {
  test('rows are parsed when first read and the same value is returned after', () => {
    const cache = new RecordCache(1, 1000);
    cache.takeMissing(0, 10);
    const window = rowLinesWindow(storeOf(RECORDS), 0, RECORDS.length, 1_000_000);
    cache.putLines(0, splitRowLines(window.lines));
    RECORDS.forEach((record, i) => assert.deepStrictEqual(cache.get(i), roundTrip(record), `row ${i}`));
    assert.strictEqual(cache.get(0), cache.get(0), 'parsed once, then kept');
    assert.strictEqual(cache.get(8), null, 'a null record is a value, not a missing row');
    assert.ok(cache.has(8));
    assert.ok(!cache.has(RECORDS.length));
    assert.deepStrictEqual(cache.takeMissing(0, 10), [{ offset: RECORDS.length, count: CHUNK_SIZE - RECORDS.length }]);
  });

  test('a line that is not JSON reads as a row not here, and the rest of the window is kept', () => {
    const cache = new RecordCache(1, 3);
    cache.putLines(0, ['{"a":1}', '{broken', '"c"']);
    assert.deepStrictEqual(cache.get(0), { a: 1 });
    assert.strictEqual(cache.get(1), undefined);
    assert.strictEqual(cache.get(2), 'c');
  });

  test('lines that complete a chunk cut short by the host are appended to it', () => {
    const cache = new RecordCache(1, CHUNK_SIZE * 2);
    cache.takeMissing(0, CHUNK_SIZE * 2);
    cache.putLines(0, ['0', '1']);
    assert.deepStrictEqual(cache.takeMissing(0, 1), [{ offset: 2, count: CHUNK_SIZE - 2 }]);
    cache.putLines(
      2,
      Array.from({ length: CHUNK_SIZE }, (_, i) => String(i + 2)),
    );
    assert.strictEqual(cache.get(1), 1);
    assert.strictEqual(cache.get(CHUNK_SIZE + 1), CHUNK_SIZE + 1, 'the window ran on into the next chunk');
    assert.strictEqual(cache.get(CHUNK_SIZE + 2), undefined);
  });
});
