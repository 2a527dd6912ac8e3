import * as assert from 'assert';
import { parseQuery, QueryError } from '../../../src/core/dataset/queryParser';
import { matchesRecord } from '../../../src/core/dataset/recordMatcher';
import { ResultStore } from '../../../src/core/dataset/resultStore';
import { searchResult } from '../../../src/core/dataset/search';

interface HeartRate {
  start_date: string;
  end_date: string;
  value: number;
  unit: string;
  source: string | null;
  meta: { device: string; ok: boolean };
}

function heartRate(i: number): HeartRate {
  const start = Date.UTC(2021, 0, 1) + i * 60_000;
  return {
    start_date: new Date(start).toISOString().slice(0, 19) + 'Z',
    end_date: new Date(start + 60_000).toISOString().slice(0, 19) + 'Z',
    value: 40 + ((i * 37) % 160),
    unit: i % 1000 === 0 ? 'bpm' : 'count/min',
    source: i % 5 === 0 ? null : i % 5 === 1 ? 'Apple Watch' : 'Polar H10',
    meta: { device: `watch-${i % 3}`, ok: i % 2 === 0 },
  };
}

/** A result of regular records with a few irregular ones mixed in. */
function buildRecords(n: number): unknown[] {
  const records: unknown[] = [];
  for (let i = 0; i < n; i++) {
    records.push(heartRate(i));
    if (i % 997 === 0) records.push({ value: 190 + (i % 7), unit: 'count/min', note: 'irregular Watch', tags: ['x'] });
    if (i % 1499 === 0) records.push({ start_date: 'not a date', value: '200', source: null });
  }
  return records;
}

const UTC = (y: number, m: number, d: number): number => Date.UTC(y, m - 1, d);

/** Naive references, written independently of the search code, over plain objects. */
const references: [string, (r: Record<string, unknown>) => boolean][] = [
  ['value > 180', (r) => typeof r.value === 'number' && r.value > 180],
  ['value <= 41', (r) => typeof r.value === 'number' && r.value <= 41],
  ['value = 77', (r) => r.value === 77],
  ['value != 77', (r) => r.value !== 77],
  ['unit = "count/min"', (r) => r.unit === 'count/min'],
  ['unit = bpm', (r) => r.unit === 'bpm'],
  ['source = null', (r) => r.source === null],
  ['source != null and value > 150', (r) => r.source !== null && typeof r.value === 'number' && r.value > 150],
  ['source ~ apple', (r) => typeof r.source === 'string' && r.source.toLowerCase().includes('apple')],
  [
    'start_date >= 2021-01-03T12:00',
    (r) => typeof r.start_date === 'string' && Date.parse(r.start_date) >= UTC(2021, 1, 3) + 12 * 3600_000,
  ],
  [
    'start_date < 2021-01-02',
    (r) =>
      typeof r.start_date === 'string' &&
      Number.isFinite(Date.parse(r.start_date)) &&
      Date.parse(r.start_date) < UTC(2021, 1, 2),
  ],
  [
    'start_date = 2021-01-02',
    (r) =>
      typeof r.start_date === 'string' &&
      Date.parse(r.start_date) >= UTC(2021, 1, 2) &&
      Date.parse(r.start_date) < UTC(2021, 1, 3),
  ],
  [
    'meta.device = watch-2 and meta.ok = true',
    (r) => (r.meta as HeartRate['meta'] | undefined)?.device === 'watch-2' && (r.meta as HeartRate['meta']).ok === true,
  ],
  ['watch', (r) => JSON.stringify(Object.values(r)).toLowerCase().includes('watch')],
  ['"polar h10" and value > 190', (r) => r.source === 'Polar H10' && typeof r.value === 'number' && r.value > 190],
  ['T10:1', (r) => [r.start_date, r.end_date].some((d) => typeof d === 'string' && d.includes('T10:1'))],
  ['nothing.here = 1', () => false],
  ['nothing != 1', () => true],
];

suite('dataset: query parser', () => {
  test('parses conditions, literals, text and and', () => {
    const q = parseQuery(
      'value > 180 and unit = "count/min" and start_date >= 2024-01-01 and "Apple Watch" heart and ok = true and x != null',
    );
    assert.deepStrictEqual(
      q.clauses.map((c) => c.kind),
      ['condition', 'condition', 'condition', 'text', 'text', 'condition', 'condition'],
    );
    assert.deepStrictEqual(q.clauses[0], {
      kind: 'condition',
      path: ['value'],
      operator: '>',
      literal: { type: 'number', value: 180 },
    });
    const date = q.clauses[2];
    assert.ok(
      date?.kind === 'condition' && date.literal.type === 'string' && date.literal.dateMs === Date.UTC(2024, 0, 1),
    );
    assert.deepStrictEqual(parseQuery('value>=5').clauses[0], {
      kind: 'condition',
      path: ['value'],
      operator: '>=',
      literal: { type: 'number', value: 5 },
    });
  });

  const errors: [string, RegExp][] = [
    ['', /empty/],
    ['value >', /Expected a value after 'value >'/],
    ['> 5', /Expected a field name before '>'/],
    ['value > 5 and', /'and' at the end/],
    ['and value > 5', /'and' needs a condition before it/],
    ['value > 5 and and x = 1', /'and' needs a condition after/],
    ['unit = "count/min', /Unterminated double quote/],
    ['value ! 5', /Unknown operator '!'/],
    ['value ~ 5', /'~' \(contains\) needs text/],
    ['value > null', /null can only be compared with = or !=/],
    ['a..b = 1', /'a..b' is not a field name/],
    ['"value" = 1', /A field name cannot be quoted/],
  ];
  for (const [query, message] of errors) {
    test(`rejects ${JSON.stringify(query)} with a clear error`, () => {
      assert.throws(
        () => parseQuery(query),
        (e: unknown) => e instanceof QueryError && message.test(e.message) && /at column \d+/.test(e.message),
      );
    });
  }
});

suite('dataset: search', () => {
  const records = buildRecords(30_000);
  const store = new ResultStore();
  for (let i = 0; i < records.length; i += 4000) store.append(records.slice(i, i + 4000));
  suiteTeardown(() => store.dispose());

  test('the store mixes columnar and fallback rows', () => {
    const stats = store.stats();
    assert.ok(stats.fallbackRecords > 40 && stats.columnarRecords === 30_000, JSON.stringify(stats));
  });

  for (const [query, reference] of references) {
    test(`"${query}" equals the naive reference filter`, async () => {
      const expected: number[] = [];
      records.forEach((r, i) => {
        if (reference(r as Record<string, unknown>)) expected.push(i);
      });
      const outcome = await searchResult(store, query);
      assert.ok(outcome.complete);
      assert.deepStrictEqual(Array.from(outcome.hits), expected);
      // And the columnar path agrees with the record-by-record matcher on every row.
      const parsed = parseQuery(query);
      const generic = records.map((_, i) => i).filter((i) => matchesRecord(store.getRecord(i), parsed.clauses));
      assert.deepStrictEqual(Array.from(outcome.hits), generic);
    });
  }

  test('reports progress, yields to the event loop and can be cancelled', async () => {
    const big = new ResultStore();
    for (let page = 0; page < 10; page++)
      big.append(Array.from({ length: 20_000 }, (_, i) => heartRate(page * 20_000 + i)));
    const progress: number[] = [];
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    const controller = new AbortController();
    const outcome = await searchResult(big, 'T1', {
      sliceMs: 0,
      signal: controller.signal,
      onProgress: (p) => {
        progress.push(p.scannedRows);
        if (p.scannedRows > 10_000) controller.abort();
      },
    });
    clearInterval(timer);
    assert.strictEqual(outcome.complete, false);
    assert.ok(outcome.scannedRows < big.count && outcome.scannedRows > 10_000);
    assert.ok(progress.length >= 1 && ticks >= 1, `progress ${progress.length}, ticks ${ticks}`);
    assert.ok(outcome.hits.every((row) => row < outcome.scannedRows));
    big.dispose();
  });
});
