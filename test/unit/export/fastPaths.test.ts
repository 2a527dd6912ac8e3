import * as assert from 'assert';
import fc from 'fast-check';
import { csvCell, CsvRowBuilder } from '../../../src/core/export/csvRows';
import { collectColumns, forEachLeaf } from '../../../src/core/export/flatten';
import { ndjsonLines } from '../../../src/core/export/ndjsonWriter';

/** The slow, obviously right versions the fast paths must match byte for byte. */
function referenceNdjson(records: readonly unknown[]): string {
  return records.map((r) => `${JSON.stringify(r)}\n`).join('');
}

function referenceRow(record: unknown, columns: readonly string[]): string {
  const cells = new Array(columns.length).fill('');
  const index = new Map(columns.map((c, i) => [c, i]));
  forEachLeaf(record, (column, value) => {
    const i = index.get(column);
    if (i !== undefined) cells[i] = csvCell(value);
  });
  return cells.join(',');
}

suite('export fast paths match the reference output', () => {
  test('NDJSON: records whose strings contain the boundary fall back and stay exact', () => {
    const tricky = [{ a: '},{' }, { b: 1 }, {}, { c: [{}, {}] }, { d: { e: '}' } }];
    assert.strictEqual(ndjsonLines(tricky), referenceNdjson(tricky));
    const mixed = [1, 'x', null, [1, 2], { a: 1 }];
    assert.strictEqual(ndjsonLines(mixed), referenceNdjson(mixed));
    assert.strictEqual(ndjsonLines([{}, {}, {}]), '{}\n{}\n{}\n');
  });

  test('NDJSON: property over arbitrary JSON records', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 3 })), fc.jsonValue({ maxDepth: 2 })), {
          maxLength: 20,
        }),
        (records) => {
          assert.strictEqual(ndjsonLines(records), referenceNdjson(records));
        },
      ),
      { numRuns: 500 },
    );
  });

  test('CSV: learned shapes handle key order, null objects, prototype keys and extras', () => {
    const columns = ['id', 'distance.value', 'distance.unit', 'constructor', 'tags'];
    const builder = new CsvRowBuilder(columns, true, true);
    const rows = [
      { id: 'a', distance: { value: 5, unit: 'm' }, constructor: 'x', tags: ['t'] },
      { distance: { unit: 'km', value: 1.5 }, id: 'b', constructor: '=1+1', tags: [] },
      { id: 'c', distance: null, constructor: 'y', tags: null },
      { id: 'd', distance: { value: 1, unit: 'm', extra: true }, constructor: 'z', tags: [] },
      { id: 'e', distance: { value: 1, unit: 'm' }, tags: [] },
      JSON.parse('{"id":"f","distance":{"value":2,"unit":"m"},"__proto__":"p","tags":[]}'),
    ];
    const lines = rows.map((r) => ({ line: builder.row(r), extra: builder.extra }));
    assert.deepStrictEqual(
      lines.map((l) => l.line),
      ['a,5,m,x,"[""t""]"', "b,1.5,km,'=1+1,[]", 'c,,,y,', 'd,1,m,z,[]', 'e,1,m,,[]', 'f,2,m,,[]'],
    );
    assert.deepStrictEqual({ ...lines[3].extra }, { 'distance.extra': true });
    assert.deepStrictEqual({ ...lines[5].extra }, JSON.parse('{"__proto__":"p"}'));
  });

  test('CSV: property: rows from learned shapes equal the leaf-by-leaf reference', () => {
    const record = fc.record({
      id: fc.string(),
      value: fc.oneof(fc.double({ noNaN: true }), fc.integer(), fc.constant(null)),
      nested: fc.option(fc.record({ a: fc.string(), b: fc.boolean() }), { nil: null }),
      list: fc.array(fc.integer(), { maxLength: 3 }),
    });
    fc.assert(
      fc.property(fc.array(record, { minLength: 1, maxLength: 30 }), (records) => {
        const columns = collectColumns(records);
        const builder = new CsvRowBuilder(columns, true, true);
        for (const r of records) {
          assert.strictEqual(builder.row(r), referenceRow(r, columns));
          assert.strictEqual(builder.extra, undefined);
        }
      }),
      { numRuns: 300 },
    );
  });
});
