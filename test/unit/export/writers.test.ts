import * as assert from 'assert';
import { PassThrough, Writable } from 'stream';
import { csvCell, CsvWriter, EXTRA_COLUMN } from '../../../src/core/export/csvWriter';
import { exportPages } from '../../../src/core/export/exportPages';
import { collectColumns } from '../../../src/core/export/flatten';
import { NdjsonWriter } from '../../../src/core/export/ndjsonWriter';
import { parseCsv } from '../../support/csv';

function collectingStream(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

suite('export writers', () => {
  test('RFC 4180 quoting: commas, quotes, CR/LF; CRLF line ends', () => {
    assert.strictEqual(csvCell('plain'), 'plain');
    assert.strictEqual(csvCell('a,b'), '"a,b"');
    assert.strictEqual(csvCell('say "hi"'), '"say ""hi"""');
    assert.strictEqual(csvCell('line1\nline2'), '"line1\nline2"');
    assert.strictEqual(csvCell(null), '');
    assert.strictEqual(csvCell(-5), '-5');
    assert.strictEqual(csvCell(Number.NaN), '');
    assert.strictEqual(csvCell(true), 'true');
  });

  test('formula-looking text is neutralised, numbers are not', () => {
    assert.strictEqual(csvCell('=HYPERLINK("http://x")'), '"\'=HYPERLINK(""http://x"")"');
    assert.strictEqual(csvCell('+1'), "'+1");
    assert.strictEqual(csvCell('@SUM(A1)'), "'@SUM(A1)");
    assert.strictEqual(csvCell('=1', false), '=1');
  });

  test('nested values become dotted columns; arrays stay JSON in one cell; values round-trip', async () => {
    const { stream, text } = collectingStream();
    const writer = new CsvWriter(stream);
    const records = [
      {
        id: 'a',
        details: { name: 'TADALAFIL, 5 mg', active_ingredient: 'TADALAFIL' },
        logs: [{ id: 'l1' }],
        value: 1.5,
      },
      { id: 'b', details: { name: 'He said "no"\r\nthen left', active_ingredient: null }, logs: [], value: -2 },
    ];
    await writer.writeRecords(records);
    const summary = await writer.close();
    const rows = parseCsv(text());
    assert.deepStrictEqual(rows[0], ['id', 'details.name', 'details.active_ingredient', 'logs', 'value', EXTRA_COLUMN]);
    assert.deepStrictEqual(rows[1], ['a', 'TADALAFIL, 5 mg', 'TADALAFIL', '[{"id":"l1"}]', '1.5', '']);
    assert.deepStrictEqual(rows[2], ['b', 'He said "no"\r\nthen left', '', '[]', '-2', '']);
    assert.strictEqual(summary.records, 2);
    assert.strictEqual(summary.bytes, Buffer.byteLength(text()));
  });

  test('fields first seen in a later page go to _extra; the column set never changes', async () => {
    const { stream, text } = collectingStream();
    const writer = new CsvWriter(stream);
    await writer.writeRecords([{ a: 1 }]);
    await writer.writeRecords([{ a: 2, b: { c: 'x' } }]);
    const summary = await writer.close();
    const rows = parseCsv(text());
    assert.deepStrictEqual(rows, [
      ['a', EXTRA_COLUMN],
      ['1', ''],
      ['2', '{"b.c":"x"}'],
    ]);
    assert.deepStrictEqual(summary.lateColumns, ['b.c']);
  });

  test('explicit columns are written exactly, hostile keys are plain columns', async () => {
    const { stream, text } = collectingStream();
    const writer = new CsvWriter(stream, { columns: ['__proto__', 'constructor.x'] });
    await writer.writeRecords([JSON.parse('{"__proto__":"p","constructor":{"x":1},"other":2}')]);
    await writer.close();
    assert.strictEqual(text(), '__proto__,constructor.x\r\np,1\r\n');
    assert.deepStrictEqual(collectColumns([JSON.parse('{"__proto__":{"polluted":true}}')]), ['__proto__.polluted']);
    assert.strictEqual(({} as Record<string, unknown>).polluted, undefined);
  });

  test('NDJSON: one record per line, exactly as received', async () => {
    const { stream, text } = collectingStream();
    const writer = new NdjsonWriter(stream);
    const records = [
      { a: 'line\nbreak', nested: { x: [1, 2] } },
      { b: null, unknown_field: true },
    ];
    await writer.writeRecords(records);
    await writer.writeRecords([]);
    const summary = await writer.close();
    const lines = text().split('\n');
    assert.strictEqual(lines.pop(), '');
    assert.deepStrictEqual(
      lines.map((l) => JSON.parse(l)),
      records,
    );
    assert.strictEqual(summary.records, 2);
  });

  test('backpressure: a slow disk bounds what is buffered', async () => {
    let maxBuffered = 0;
    const slow = new Writable({
      highWaterMark: 16 * 1024,
      write(_chunk, _enc, callback) {
        setTimeout(callback, 1);
      },
    });
    const writer = new NdjsonWriter(slow);
    const page = Array.from({ length: 500 }, (_, i) => ({
      value: i,
      unit: 'count/min',
      start_date: '2024-01-01T00:00:00Z',
    }));
    for (let p = 0; p < 40; p++) {
      await writer.writeRecords(page);
      maxBuffered = Math.max(maxBuffered, slow.writableLength);
    }
    await writer.close();
    const pageBytes = page.map((r) => JSON.stringify(r)).join('\n').length + 1;
    assert.ok(maxBuffered <= pageBytes + 16 * 1024, `buffered ${maxBuffered} bytes`);
  });

  test('a failing stream rejects the export instead of losing data silently', async () => {
    const failing = new Writable({
      highWaterMark: 1,
      write(_c, _e, cb) {
        cb(new Error('disk full'));
      },
    });
    const writer = new NdjsonWriter(failing);
    await assert.rejects(async () => {
      for (let i = 0; i < 5; i++) await writer.writeRecords([{ i }]);
    }, /disk full/);
  });

  test('exportPages streams every page and closes the writer', async () => {
    const { stream, text } = collectingStream();
    async function* pages() {
      yield { data: [{ a: 1 }] };
      yield { data: [{ a: 2 }, { a: 3 }] };
    }
    const summary = await exportPages(pages(), new NdjsonWriter(stream));
    assert.strictEqual(summary.records, 3);
    assert.strictEqual(text(), '{"a":1}\n{"a":2}\n{"a":3}\n');
  });
});
