import * as assert from 'assert';
import fc from 'fast-check';
import { CompareSide } from '../../../src/core/compare/compareSide';
import { RecordDiff } from '../../../src/core/compare/recordDiff';
import { ResultStore } from '../../../src/core/dataset/resultStore';
import { forEachLeaf } from '../../../src/core/export/flatten';

function side(records: readonly unknown[], textValues = false): CompareSide {
  const store = new ResultStore();
  store.append(records);
  return new CompareSide(store, textValues);
}

function hour(i: number): string {
  return new Date(Date.UTC(2024, 0, 1) + i * 3_600_000).toISOString().slice(0, 19) + 'Z';
}

function steps(i: number, value: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { value, unit: 'count', start_date: hour(i), end_date: hour(i + 1), ...extra };
}

/** Records of a few shapes: regular ones, some with extra or nested fields, some with arrays (never columnar). */
const recordArb = fc.record({
  hour: fc.integer({ min: 0, max: 12 }),
  value: fc.oneof(fc.integer({ min: 0, max: 5 }), fc.constant(null)),
  unit: fc.constantFrom('count', 'count/min'),
  extra: fc.constantFrom('none', 'source', 'nested', 'array'),
});

function build(r: { hour: number; value: number | null; unit: string; extra: string }): Record<string, unknown> {
  const base: Record<string, unknown> = { value: r.value, unit: r.unit, start_date: hour(r.hour) };
  if (r.extra === 'source') base.source = 'watch';
  if (r.extra === 'nested') base.metadata = { device: 'phone' };
  if (r.extra === 'array') base.stages = [r.hour, 'x'];
  return base;
}

/** The diff done the slow, obvious way: records grouped by start time, the k-th of a time paired with the k-th. */
function naive(a: readonly Record<string, unknown>[], b: readonly Record<string, unknown>[]) {
  const flat = (record: unknown): string => {
    const fields: [string, string][] = [];
    forEachLeaf(record, (column, value) => {
      if (value !== null) fields.push([column, `${typeof value}:${String(value)}`]);
    });
    return JSON.stringify(fields.sort((x, y) => (x[0] < y[0] ? -1 : 1)));
  };
  const groups = (records: readonly Record<string, unknown>[]) => {
    const map = new Map<string, string[]>();
    for (const r of records) map.set(String(r.start_date), [...(map.get(String(r.start_date)) ?? []), flat(r)]);
    return map;
  };
  const ga = groups(a);
  const gb = groups(b);
  let unchanged = 0;
  let changed = 0;
  let added = 0;
  let removed = 0;
  for (const key of new Set([...ga.keys(), ...gb.keys()])) {
    const la = ga.get(key) ?? [];
    const lb = gb.get(key) ?? [];
    for (let k = 0; k < Math.max(la.length, lb.length); k++) {
      if (k >= la.length) added++;
      else if (k >= lb.length) removed++;
      else if (la[k] === lb[k]) unchanged++;
      else changed++;
    }
  }
  return { unchanged, changed, added, removed };
}

suite('compare: record diff', () => {
  test('a result compared with itself has no differences (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(recordArb, { maxLength: 40 }), async (raw) => {
        const records = raw.map(build);
        const diff = await RecordDiff.of(side(records), side(records));
        assert.strictEqual(diff.length, 0);
        assert.deepStrictEqual(
          { ...diff.counts },
          { a: records.length, b: records.length, unchanged: records.length, changed: 0, added: 0, removed: 0 },
        );
      }),
      { numRuns: 150 },
    );
  });

  test('added, removed, changed and unchanged account for every record of both sides, as the obvious diff counts them (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(recordArb, { minLength: 1, maxLength: 30 }),
        fc.array(recordArb, { minLength: 1, maxLength: 30 }),
        async (rawA, rawB) => {
          const a = rawA.map(build);
          const b = rawB.map(build);
          const diff = await RecordDiff.of(side(a), side(b));
          const { counts } = diff;
          assert.strictEqual(diff.key, 'time');
          assert.strictEqual(counts.unchanged + counts.changed + counts.removed, a.length);
          assert.strictEqual(counts.unchanged + counts.changed + counts.added, b.length);
          const expected = naive(a, b);
          assert.deepStrictEqual(
            { unchanged: counts.unchanged, changed: counts.changed, added: counts.added, removed: counts.removed },
            expected,
          );
          // Each record of A is listed at most once, and exactly the removed and changed ones are.
          const rows = diff.rows(0, diff.length);
          const rowsA = rows.flatMap((r) => (r.rowA === undefined ? [] : [r.rowA]));
          const rowsB = rows.flatMap((r) => (r.rowB === undefined ? [] : [r.rowB]));
          assert.strictEqual(new Set(rowsA).size, counts.removed + counts.changed);
          assert.strictEqual(new Set(rowsB).size, counts.added + counts.changed);
          for (const r of rows) if (r.kind === 'changed') assert.ok(r.fields.length > 0);
        },
      ),
      { numRuns: 150 },
    );
  });

  test('keyed by time: newest-first and oldest-first results pair by start, with the changed fields and both values', async () => {
    const a = [steps(3, 10), steps(2, 20), steps(1, 30)];
    const b = [steps(2, 20), steps(3, 11, { unit: 'steps' }), steps(4, 40)];
    const diff = await RecordDiff.of(side(a), side(b));
    assert.strictEqual(diff.key, 'time');
    assert.deepStrictEqual({ ...diff.counts }, { a: 3, b: 3, unchanged: 1, changed: 1, added: 1, removed: 1 });
    const rows = diff.rows(0, diff.length);
    assert.deepStrictEqual(
      rows.map((r) => [r.kind, r.key]),
      [
        ['removed', '2024-01-01T01:00:00.000Z'],
        ['changed', '2024-01-01T03:00:00.000Z'],
        ['added', '2024-01-01T04:00:00.000Z'],
      ],
    );
    assert.deepStrictEqual(rows[1]?.fields, [
      { field: 'value', a: '10', b: '11' },
      { field: 'unit', a: '"count"', b: '"steps"' },
    ]);
    assert.deepStrictEqual(diff.fieldCounts, [
      { field: 'unit', changed: 1 },
      { field: 'value', changed: 1 },
    ]);
  });

  test('keyed by id when every record of both sides has one, whatever the order', async () => {
    const a = [
      { id: 'x', name: 'Vitamin D', start_date: hour(1) },
      { id: 'y', name: 'Iron', start_date: hour(2) },
    ];
    const b = [
      { id: 'y', name: 'Iron', start_date: hour(5) },
      { id: 'z', name: 'Zinc', start_date: hour(1) },
    ];
    const diff = await RecordDiff.of(side(a), side(b));
    assert.strictEqual(diff.key, 'id');
    assert.deepStrictEqual(
      diff.rows(0, diff.length).map((r) => [r.kind, r.key]),
      [
        ['removed', 'x'],
        ['changed', 'y'],
        ['added', 'z'],
      ],
    );
    assert.deepStrictEqual(diff.row(1).fields, [{ field: 'start_date', a: `"${hour(2)}"`, b: `"${hour(5)}"` }]);
  });

  test('keyed by position when a record has neither id nor time', async () => {
    const diff = await RecordDiff.of(side([{ n: 1 }, { n: 2 }]), side([{ n: 1 }, { n: 3 }, { n: 4 }]));
    assert.strictEqual(diff.key, 'index');
    assert.deepStrictEqual({ ...diff.counts }, { a: 2, b: 3, unchanged: 1, changed: 1, added: 1, removed: 0 });
    assert.deepStrictEqual(diff.row(0).fields, [{ field: 'n', a: '2', b: '3' }]);
    assert.strictEqual(diff.row(1).key, '#3');
  });

  test('a CSV side compares by text: the number 72 and the text "72" are the same, an empty cell is a null', async () => {
    const typed = side([steps(1, 72, { source: null })]);
    const text = side([{ value: '72', unit: 'count', start_date: hour(1), end_date: hour(2), source: null }], true);
    const same = await RecordDiff.of(typed, text);
    assert.strictEqual(same.counts.unchanged, 1);
    const strict = await RecordDiff.of(typed, side([{ ...steps(1, 0), value: '72', source: null }]));
    assert.strictEqual(strict.counts.changed, 1, 'between two typed results a number and a text differ');
  });

  test('a regular record and an irregular one with the same fields are the same', async () => {
    const regular = side([steps(1, 5), steps(2, 6)]);
    // The second record has its keys in another order, so the store keeps it as JSON text.
    const mixed = side([steps(1, 5), { end_date: hour(3), start_date: hour(2), unit: 'count', value: 6 }]);
    const diff = await RecordDiff.of(regular, mixed);
    assert.strictEqual(diff.counts.unchanged, 2);
    assert.strictEqual(diff.length, 0);
  });

  test('an aborted diff stops with a cancellation', async () => {
    const records = Array.from({ length: 20_000 }, (_, i) => steps(i, i));
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(
      RecordDiff.of(side(records), side(records), { signal: controller.signal, sliceMs: 0 }),
      (e: Error) => e.name === 'CancelledError',
    );
  });
});
