import * as assert from 'assert';
import { csvCell } from '../../../src/core/export/csvCell';
import { collectColumns } from '../../../src/core/export/flatten';

suite('export cells: CSV quoting and dotted columns', () => {
  test('RFC 4180 quoting: commas, quotes, CR/LF; null and non-finite numbers are empty', () => {
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

  test('nested objects become dotted columns; hostile keys are plain columns and pollute nothing', () => {
    const records = [{ id: 'a', details: { name: 'x' }, logs: [{ id: 'l1' }] }, { extra: 1 }];
    assert.deepStrictEqual(collectColumns(records), ['id', 'details.name', 'logs', 'extra']);
    assert.deepStrictEqual(collectColumns([JSON.parse('{"__proto__":{"polluted":true}}')]), ['__proto__.polluted']);
    assert.strictEqual(({} as Record<string, unknown>).polluted, undefined);
  });
});
