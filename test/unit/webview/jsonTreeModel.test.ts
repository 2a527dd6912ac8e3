import * as assert from 'assert';
import fc from 'fast-check';
import { JsonTreeModel, type TreeRow, type VirtualList } from '../../../src/webview/jsonTreeModel';
import type { PathSegment } from '../../../src/shared/jsonPath';

/** The reference: every visible row by plain recursion over a materialized document. */
function naiveRows(root: Record<string, unknown>, expanded: (segments: PathSegment[]) => boolean): PathSegment[][] {
  const out: PathSegment[][] = [];
  const visit = (value: unknown, segments: PathSegment[]) => {
    out.push(segments);
    if (value === null || typeof value !== 'object' || !expanded(segments)) return;
    if (Array.isArray(value)) value.forEach((v, i) => visit(v, [...segments, i]));
    else for (const k of Object.keys(value)) visit((value as Record<string, unknown>)[k], [...segments, k]);
  };
  for (const k of Object.keys(root)) visit(root[k], [k]);
  return out;
}

const list = (items: unknown[]): VirtualList => ({ length: items.length, get: (i) => items[i] });

suite('webview/jsonTreeModel', () => {
  test('shows the envelope collapsed, then the virtual data list when expanded', () => {
    const m = new JsonTreeModel(
      { pagination: { current_page: 1 }, limit: { r: 1 } },
      'data',
      list([{ v: 1 }, { v: 2 }, { v: 3 }]),
    );
    assert.strictEqual(m.rowCount, 3);
    assert.deepStrictEqual(
      m.rows(0, 3).map((r) => r.label),
      ['pagination', 'limit', 'data'],
    );
    assert.strictEqual(m.rowAt(2)!.childCount, 3);
    m.setExpanded(['data'], true);
    assert.strictEqual(m.rowCount, 6);
    m.setExpanded(['data', 1], true);
    assert.deepStrictEqual(
      m.rows(0, 7).map((r) => r.segments),
      [['pagination'], ['limit'], ['data'], ['data', 0], ['data', 1], ['data', 1, 'v'], ['data', 2]],
    );
    assert.strictEqual(m.indexOf(['data', 2]), 6);
    assert.strictEqual(m.indexOf(['data', 1, 'v']), 5);
    assert.strictEqual(m.parentIndex(m.rowAt(5)!), 4);
  });

  test('records not yet loaded are pending rows, and become real when they arrive', () => {
    const items: unknown[] = [];
    const m = new JsonTreeModel({}, 'data', { length: 2, get: (i) => items[i] });
    m.setExpanded(['data'], true);
    assert.strictEqual(m.rowAt(1)!.kind, 'pending');
    assert.strictEqual(m.setExpanded(['data', 0], true), false);
    items[0] = { a: 1 };
    assert.strictEqual(m.rowAt(1)!.kind, 'object');
    assert.ok(m.setExpanded(['data', 0], true));
    assert.strictEqual(m.rowCount, 4);
  });

  test('an expanded record stays expanded after its window is evicted', () => {
    let items: unknown[] = [{ a: 1, b: 2 }];
    const m = new JsonTreeModel({}, 'data', { length: 1, get: (i) => items[i] });
    m.setExpanded(['data'], true);
    m.setExpanded(['data', 0], true);
    items = [];
    assert.strictEqual(m.rowCount, 4);
    assert.strictEqual(m.rowAt(3)!.value, 2);
  });

  test('2.63 M records cost nothing until expanded, and lookups stay exact', () => {
    const n = 2_629_800;
    const m = new JsonTreeModel({ pagination: {} }, 'data', { length: n, get: (i) => ({ i, v: i % 200 }) });
    m.setExpanded(['data'], true);
    assert.strictEqual(m.rowCount, n + 2);
    m.setExpanded(['data', 2_000_000], true);
    m.setExpanded(['data', 10], true);
    assert.strictEqual(m.rowCount, n + 2 + 4);
    const at = m.indexOf(['data', 2_000_000, 'v'])!;
    assert.strictEqual(at, 2 + 2_000_000 + 2 + 2);
    assert.deepStrictEqual(m.rowAt(at)!.segments, ['data', 2_000_000, 'v']);
    assert.deepStrictEqual(m.rowAt(n + 5)!.segments, ['data', n - 1]);
  });

  test('reveal expands the ancestors of a find hit', () => {
    const m = new JsonTreeModel({ limit: { a: { b: [10, 20] } } }, 'data', list([]));
    const index = m.reveal(['limit', 'a', 'b', 1]);
    assert.strictEqual(index, 4);
    assert.strictEqual(m.rowAt(4)!.value, 20);
  });

  test('nesting past MAX_DEPTH is not expandable, and never overflows', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 10_000; i++) deep = { n: deep };
    const m = new JsonTreeModel({ deep });
    const path: PathSegment[] = ['deep'];
    for (let i = 0; i < 150; i++) {
      m.setExpanded(path, true);
      path.push('n');
    }
    assert.strictEqual(m.rowCount, 101);
    assert.strictEqual(m.rowAt(100)!.kind, 'tooDeep');
  });

  test('keys __proto__ and constructor are plain data', () => {
    const root = JSON.parse('{"x":{"__proto__":{"polluted":1},"constructor":2}}') as Record<string, unknown>;
    const m = new JsonTreeModel(root);
    m.setExpanded(['x'], true);
    m.setExpanded(['x', '__proto__'], true);
    assert.deepStrictEqual(
      m.rows(0, 10).map((r: TreeRow) => r.segments),
      [['x'], ['x', '__proto__'], ['x', '__proto__', 'polluted'], ['x', 'constructor']],
    );
    assert.strictEqual(({} as Record<string, unknown>).polluted, undefined);
  });

  test('matches a naive recursive flattening for any JSON and expand set', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string({ maxLength: 4 }), fc.jsonValue({ maxDepth: 4 }), { maxKeys: 5 }),
        fc.array(fc.nat(60), { maxLength: 12 }),
        (rootRaw, toggles) => {
          const root = JSON.parse(JSON.stringify(rootRaw)) as Record<string, unknown>;
          const m = new JsonTreeModel(root);
          for (const t of toggles) {
            const row = m.rowAt(t % Math.max(1, m.rowCount));
            if (row?.expandable) m.toggle(row.segments);
          }
          const expectRows = naiveRows(root, (segs) => m.isExpanded(keyOf(segs)));
          assert.strictEqual(m.rowCount, expectRows.length);
          expectRows.forEach((segs, i) => {
            assert.deepStrictEqual(m.rowAt(i)!.segments, segs);
            assert.strictEqual(m.indexOf(segs), i);
          });
        },
      ),
      { numRuns: 300 },
    );
  });
});

function keyOf(segments: PathSegment[]): string {
  return segments.map((s) => `/${typeof s === 'number' ? s : s.replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}
