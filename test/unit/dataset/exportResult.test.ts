import * as assert from 'assert';
import { Writable } from 'stream';
import fc from 'fast-check';
import { exportResult, type ExportFormat } from '../../../src/core/dataset/exportResult';
import { ResultStore } from '../../../src/core/dataset/resultStore';
import { CsvWriter } from '../../../src/core/export/csvWriter';

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

  test('CSV from the columns is byte-identical to the shared CsvWriter given the same columns', async () => {
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
          const reference = collector();
          const writer = new CsvWriter(reference.stream, { columns: outcome.columns });
          await writer.writeRecords(all.map((r) => JSON.parse(JSON.stringify(r)) as unknown));
          await writer.close();
          assert.strictEqual(mine.text(), reference.text());
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
});
