import * as assert from 'assert';
import fc from 'fast-check';
import { parseQuery } from '../../../src/core/dataset/queryParser';
import { matchesRecord } from '../../../src/core/dataset/recordMatcher';
import { ResultStore } from '../../../src/core/dataset/resultStore';
import { searchResult } from '../../../src/core/dataset/search';

/** Rows as the scans see them: several number and time columns without nulls, so conditions on them are fused. */
function recordAt(i: number, seed: number): Record<string, unknown> {
  const day = Date.UTC(2021, 0, 1) + ((i * 7 + seed) % 5) * 86_400_000 + ((i * 13) % 24) * 3_600_000;
  return {
    a: ((i * 31 + seed) % 200) - 20,
    b: ((i * 17 + seed * 3) % 100_000) * 1000,
    c: (i % 11) / 4,
    at: new Date(day).toISOString().slice(0, 19) + 'Z',
  };
}

const CONDITION = fc.oneof(
  fc.tuple(
    fc.constantFrom('a', 'c'),
    fc.constantFrom('>', '>=', '<', '<=', '=', '!='),
    fc.integer({ min: -30, max: 200 }),
  ),
  fc.tuple(fc.constant('b'), fc.constantFrom('>', '<=', '!='), fc.integer({ min: 0, max: 100_000_000 })),
  fc.tuple(
    fc.constant('at'),
    fc.constantFrom('>=', '<', '=', '!='),
    fc.constantFrom('2021-01-01', '2021-01-02', '2021-01-03T12:00', '2021-01-05'),
  ),
);

async function searched(store: ResultStore, query: string): Promise<number[]> {
  return Array.from((await searchResult(store, query)).hits);
}

function expected(records: readonly Record<string, unknown>[], query: string): number[] {
  const { clauses } = parseQuery(query);
  return records.flatMap((r, i) => (matchesRecord(r, clauses) ? [i] : []));
}

suite('dataset: column scans (several conditions in one loop)', () => {
  test('any conditions joined with "and" find exactly the rows the reference filter finds', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 3_000 }),
        fc.integer({ min: 0, max: 1000 }),
        fc.array(CONDITION, { minLength: 1, maxLength: 3 }),
        async (rows, seed, conditions) => {
          const records = Array.from({ length: rows }, (_, i) => recordAt(i, seed));
          const store = new ResultStore();
          store.append(records);
          const query = conditions.map(([path, op, value]) => `${path} ${op} ${value}`).join(' and ');
          assert.deepStrictEqual(await searched(store, query), expected(records, query), query);
        },
      ),
      { numRuns: 60 },
    );
  });

  test('the same columns searched again with other values, and after the result grew, find the new rows', async () => {
    const records = Array.from({ length: 1_001 }, (_, i) => recordAt(i, 5));
    const store = new ResultStore();
    store.append(records);
    for (const query of ['a > 100 and b <= 50000000', 'a > 10 and b <= 90000000', 'a > 100 and b <= 50000000']) {
      assert.deepStrictEqual(await searched(store, query), expected(records, query), query);
    }
    const more = Array.from({ length: 4_003 }, (_, i) => recordAt(1_001 + i, 5));
    store.append(more);
    const all = [...records, ...more];
    for (const query of ['a > 100 and b <= 50000000', 'a >= 150', 'at = 2021-01-03 and a < 0']) {
      const hits = await searched(store, query);
      assert.deepStrictEqual(hits, expected(all, query), query);
      assert.ok(
        hits.some((row) => row >= 1_001),
        `${query}: the rows appended later are searched`,
      );
    }
  });
});
