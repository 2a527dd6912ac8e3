import * as assert from 'assert';
import fc from 'fast-check';
import { CHUNK_SIZE, RecordCache } from '../../../src/webview/recordCache';
import {
  cellValue,
  ColumnSet,
  escapeInvisible,
  formatScalar,
  MAX_COLUMNS,
  previewContainer,
} from '../../../src/webview/tableModel';
import { computeWindow, MAX_SCROLL_HEIGHT, scrollTopForRow } from '../../../src/webview/windowMath';
import { installWebviewStrings } from '../../../src/webview/l10n';
import { webviewBootstrap } from '../../../src/vscode/explorer/webviewStrings';

// The words the query panel's page gets from the host: English outside VS Code.
installWebviewStrings(webviewBootstrap());

suite('webview/windowMath', () => {
  test('a short list renders its viewport plus overscan', () => {
    const w = computeWindow({ scrollTop: 220, viewportHeight: 200, rowHeight: 22, totalRows: 1000, overscan: 5 });
    assert.strictEqual(w.topRow, 10);
    assert.strictEqual(w.first, 5);
    assert.strictEqual(w.end, 10 + 10 + 5);
    assert.strictEqual(w.offsetTop, 5 * 22);
    assert.strictEqual(w.scrollHeight, 22_000);
  });

  test('2.63 M rows scroll in scaled mode and reach both ends', () => {
    const base = { viewportHeight: 600, rowHeight: 22, totalRows: 2_629_800, overscan: 4 };
    const top = computeWindow({ ...base, scrollTop: 0 });
    assert.strictEqual(top.scrollHeight, MAX_SCROLL_HEIGHT);
    assert.strictEqual(top.first, 0);
    const bottom = computeWindow({ ...base, scrollTop: 1e12 });
    assert.strictEqual(bottom.end, base.totalRows);
  });

  test('scrollTopForRow brings any row to the top, in both modes', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3_000_000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (totalRows, f) => {
          const base = { viewportHeight: 440, rowHeight: 22, totalRows };
          const row = Math.floor(f * Math.max(0, totalRows - 20));
          const w = computeWindow({ ...base, overscan: 0, scrollTop: scrollTopForRow(row, base) });
          assert.ok(Math.abs(w.topRow - row) <= 1, `row ${row} → top ${w.topRow}`);
          assert.ok(w.end - w.first <= 21);
        },
      ),
      { numRuns: 300 },
    );
  });
});

suite('webview/recordCache', () => {
  test('asks once per missing chunk and evicts the least recently used', () => {
    const c = new RecordCache(1, 10_000, 2);
    assert.deepStrictEqual(c.takeMissing(0, CHUNK_SIZE + 1), [
      { offset: 0, count: CHUNK_SIZE },
      { offset: CHUNK_SIZE, count: CHUNK_SIZE },
    ]);
    assert.deepStrictEqual(c.takeMissing(0, 10), []);
    c.put(
      0,
      Array.from({ length: CHUNK_SIZE }, (_, i) => i),
    );
    c.put(
      CHUNK_SIZE,
      Array.from({ length: CHUNK_SIZE }, (_, i) => CHUNK_SIZE + i),
    );
    assert.strictEqual(c.get(CHUNK_SIZE + 3), CHUNK_SIZE + 3);
    c.takeMissing(0, 1);
    c.put(2 * CHUNK_SIZE, [1]);
    assert.strictEqual(c.cachedChunks, 2);
    assert.strictEqual(c.has(CHUNK_SIZE), false);
    assert.strictEqual(c.get(0), 0);
  });

  test('the last chunk is short', () => {
    const c = new RecordCache(1, CHUNK_SIZE + 7);
    assert.deepStrictEqual(c.takeMissing(CHUNK_SIZE, CHUNK_SIZE + 100), [{ offset: CHUNK_SIZE, count: 7 }]);
  });

  test('a grown result keeps its rows and pending requests; only the rest of the short last chunk is asked for', () => {
    const c = new RecordCache(1, CHUNK_SIZE + 7);
    c.takeMissing(0, CHUNK_SIZE + 7);
    c.put(
      0,
      Array.from({ length: CHUNK_SIZE }, (_, i) => ({ i })),
    );
    const grown = c.grownTo(3 * CHUNK_SIZE);
    assert.deepStrictEqual(grown.get(5), { i: 5 });
    // Chunk 1 was asked for before the growth and is still in flight: not asked again.
    assert.deepStrictEqual(grown.takeMissing(0, 3 * CHUNK_SIZE), [{ offset: 2 * CHUNK_SIZE, count: CHUNK_SIZE }]);
    grown.put(
      CHUNK_SIZE,
      Array.from({ length: 7 }, (_, i) => ({ i: CHUNK_SIZE + i })),
    );
    assert.deepStrictEqual(grown.takeMissing(CHUNK_SIZE, 2 * CHUNK_SIZE), [
      { offset: CHUNK_SIZE + 7, count: CHUNK_SIZE - 7 },
    ]);
    assert.strictEqual(c.recordCount, CHUNK_SIZE + 7, 'the old cache is left as it was');
  });
});

suite('webview/tableModel', () => {
  test('flattens nested fields into dotted columns in first-seen order', () => {
    const cols = new ColumnSet();
    cols.addFrom({ date: 'd', value: 1, source: { name: 'Watch', device: { model: 'x' } }, tags: ['a'] });
    cols.addFrom({ date: 'd', extra: true });
    assert.deepStrictEqual(cols.columns, ['date', 'value', 'source.name', 'source.device.model', 'tags', 'extra']);
    assert.strictEqual(cellValue({ source: { device: { model: 'x' } } }, 'source.device.model'), 'x');
    assert.strictEqual(cellValue({ 'a.b': 1 }, 'a.b'), 1);
  });

  test('hostile records cannot create unbounded columns', () => {
    const cols = new ColumnSet();
    cols.addFrom(Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`k${i}`, i])));
    assert.strictEqual(cols.columns.length, MAX_COLUMNS);
  });

  test('bidi overrides and control characters are shown escaped, and text is shortened', () => {
    assert.strictEqual(escapeInvisible('a\u202Eb\u0000'), 'a\\u202eb\\u0000');
    assert.strictEqual(formatScalar('x'.repeat(300), 10), `${'x'.repeat(10)}…`);
    assert.strictEqual(formatScalar([1, 2]), '[2 items]');
    assert.strictEqual(previewContainer({ a: 1, b: 'x' }), '{a: 1, b: "x"}');
  });
});

suite('webview/recordCache: short answers', () => {
  test('a window cut short by the host byte cap is completed by a second request', () => {
    const c = new RecordCache(1, 1000);
    assert.deepStrictEqual(c.takeMissing(0, 10), [{ offset: 0, count: CHUNK_SIZE }]);
    c.put(0, [{ huge: 'x' }, { huge: 'y' }]);
    assert.ok(c.has(1));
    assert.ok(!c.has(2));
    assert.deepStrictEqual(c.takeMissing(0, 10), [{ offset: 2, count: CHUNK_SIZE - 2 }]);
    c.put(
      2,
      Array.from({ length: CHUNK_SIZE - 2 }, (_, i) => i),
    );
    assert.deepStrictEqual(c.takeMissing(0, 10), []);
    assert.strictEqual(c.get(CHUNK_SIZE - 1), CHUNK_SIZE - 3);
  });
});
