import * as assert from 'assert';
import { Writable } from 'stream';
import fc from 'fast-check';
import { exportResult, type ExportFormat } from '../../../src/core/dataset/exportResult';
import { ResultStore } from '../../../src/core/dataset/resultStore';
import { csvCell } from '../../../src/core/export/csvCell';
import { forEachLeaf } from '../../../src/core/export/flatten';

/** A Writable that keeps what it gets, with a small high-water mark so backpressure happens. */
function collector(): { stream: Writable; text(): string } {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    highWaterMark: 1024,
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(Buffer.from(chunk));
      setImmediate(callback);
    },
  });
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

const iso = fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2040, 0, 1) });
const regular = fc.record({
  n: fc.integer({ min: -2_000_000_000, max: 2_000_000_000 }),
  big: fc.oneof(
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.constant(1e21),
    fc.constant(-0),
    fc.constant(123456789012345680),
  ),
  s: fc.oneof(fc.string(), fc.constantFrom('=1+2', '"quoted", text', 'line\nbreak', 'ünïcödé ✓ 🎉', '')),
  b: fc.option(fc.boolean()),
  at: iso.map((ms) => new Date(Math.floor(ms / 1000) * 1000).toISOString().slice(0, 19) + 'Z'),
  atMs: iso.map((ms) => new Date(ms).toISOString()),
  day: iso.map((ms) => new Date(ms).toISOString().slice(0, 10)),
  local: iso.map((ms) => new Date(Math.floor(ms / 1000) * 1000 + 2 * 3600_000).toISOString().slice(0, 19) + '+02:00'),
  meta: fc.record({ device: fc.option(fc.string()), ok: fc.boolean() }),
});
const odd = fc.oneof(fc.jsonValue(), fc.record({ n: fc.string(), extra: fc.array(fc.integer()) }));

/** The slow, obviously right CSV: every record walked leaf by leaf into the given columns. */
function referenceCsv(records: readonly unknown[], columns: readonly string[]): string {
  const index = new Map(columns.map((c, i) => [c, i]));
  const lines = records.map((record) => {
    const cells = new Array<string>(columns.length).fill('');
    forEachLeaf(record, (column, value) => {
      const i = index.get(column);
      if (i !== undefined) cells[i] = csvCell(value);
    });
    return `${cells.join(',')}\r\n`;
  });
  return `${columns.map((c) => csvCell(c)).join(',')}\r\n${lines.join('')}`;
}

async function run(store: ResultStore, format: ExportFormat): Promise<string> {
  const out = collector();
  const outcome = await exportResult(store, out.stream, { format });
  assert.ok(outcome.complete);
  const text = out.text();
  assert.strictEqual(outcome.bytes, Buffer.byteLength(text));
  return text;
}

suite('dataset: export', () => {
  test('JSON and NDJSON hold exactly the records, any mix of shapes (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(regular, { maxLength: 40 }),
        fc.array(odd, { maxLength: 5 }),
        async (records, extra) => {
          const all: unknown[] = [...records.slice(0, 3), ...extra, ...records.slice(3)];
          const store = new ResultStore();
          store.append(all);
          const expected = all.map((r) => JSON.parse(JSON.stringify(r)) as unknown);
          assert.deepStrictEqual(JSON.parse(await run(store, 'json')), expected);
          const ndjson = await run(store, 'ndjson');
          assert.deepStrictEqual(
            ndjson
              .split('\n')
              .slice(0, -1)
              .map((l) => JSON.parse(l) as unknown),
            expected,
          );
          // The byte writer and the text of getRows agree exactly.
          assert.strictEqual(ndjson, all.map((_, i) => `${store.getRecordJson(i)}\n`).join(''));
          store.dispose();
        },
      ),
      { numRuns: 120 },
    );
  });

  test('CSV from the columns is byte-identical to the records walked leaf by leaf into the same columns', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(regular, { minLength: 1, maxLength: 40 }),
        fc.array(odd, { maxLength: 3 }),
        async (records, extra) => {
          const all: unknown[] = [...records, ...extra];
          const store = new ResultStore();
          store.append(all);
          const mine = collector();
          const outcome = await exportResult(store, mine.stream, { format: 'csv' });
          const received = all.map((r) => JSON.parse(JSON.stringify(r)) as unknown);
          assert.strictEqual(mine.text(), referenceCsv(received, outcome.columns ?? []));
          store.dispose();
        },
      ),
      { numRuns: 80 },
    );
  });

  test('an empty result gives an empty array, and cancel stops early', async () => {
    const empty = new ResultStore();
    assert.deepStrictEqual(JSON.parse(await run(empty, 'json')), []);
    assert.strictEqual(await run(empty, 'ndjson'), '');
    const store = new ResultStore();
    store.append(Array.from({ length: 50_000 }, (_, i) => ({ value: i, unit: 'count' })));
    const controller = new AbortController();
    const out = collector();
    const outcome = await exportResult(store, out.stream, {
      format: 'ndjson',
      signal: controller.signal,
      onProgress: (p) => {
        if (p.records >= 8192) controller.abort();
      },
    });
    assert.strictEqual(outcome.complete, false);
    assert.strictEqual(outcome.records, 8192);
    assert.strictEqual(out.text().split('\n').length - 1, 8192);
    store.dispose();
  });

  test('a slow disk bounds what is buffered: at most one write beyond the high-water mark', async () => {
    const store = new ResultStore();
    store.append(
      Array.from({ length: 60_000 }, (_, i) => ({ value: i, unit: 'count/min', at: '2024-01-01T00:00:00Z' })),
    );
    for (const format of ['ndjson', 'csv'] as const) {
      let buffered = 0;
      let largestWrite = 0;
      const slow = new Writable({
        highWaterMark: 16 * 1024,
        write(chunk: Buffer, _encoding, callback) {
          buffered = Math.max(buffered, this.writableLength);
          largestWrite = Math.max(largestWrite, chunk.length);
          // Slower than a batch takes to make, so an export that ignored backpressure would pile up.
          setTimeout(callback, 20);
        },
      });
      const outcome = await exportResult(store, slow, { format });
      assert.ok(outcome.complete);
      assert.ok(outcome.bytes > 4 * largestWrite, `${format}: several writes (${outcome.bytes} bytes in all)`);
      assert.ok(buffered <= largestWrite + 16 * 1024, `${format}: buffered ${buffered} bytes`);
    }
    store.dispose();
  });

  test('a failing stream rejects the export instead of losing data silently', async () => {
    const store = new ResultStore();
    store.append(Array.from({ length: 20_000 }, (_, i) => ({ i })));
    for (const format of ['json', 'csv'] as const) {
      const failing = new Writable({
        highWaterMark: 1,
        write(_chunk, _encoding, callback) {
          callback(new Error('disk full'));
        },
      });
      await assert.rejects(exportResult(store, failing, { format }), /disk full/);
    }
    store.dispose();
  });
});
