import * as assert from 'assert';
import { aggregateQuantity, bucketBounds, type BucketSize } from '../../../src/core/dataset/aggregate';
import { buildHypnogram } from '../../../src/core/dataset/hypnogram';
import { ResultStore } from '../../../src/core/dataset/resultStore';

const HOUR = 3_600_000;

function iso(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19) + 'Z';
}

/** Hourly records over ~100 days, newest first (the API's default order), with a few irregular ones. */
function records(): unknown[] {
  const out: unknown[] = [];
  const start = Date.UTC(2023, 11, 20);
  for (let h = 2400; h >= 0; h--) {
    const t = start + h * HOUR;
    out.push({ value: ((h * 13) % 97) + (h % 5) / 4, unit: 'count', start_date: iso(t), end_date: iso(t + HOUR) });
    if (h % 500 === 0) out.push({ value: 1000, unit: 'count', start_date: iso(t + 1000), tags: ['odd'] });
    if (h % 700 === 0) out.push({ value: null, unit: 'count', start_date: iso(t), end_date: iso(t) });
  }
  return out;
}

/** Naive reference: an independent bucket key per calendar rule. */
function referenceKey(bucket: BucketSize, ms: number): number {
  const d = new Date(ms);
  if (bucket === 'day') return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  if (bucket === 'month') return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  const mondayOffset = (d.getUTCDay() + 6) % 7;
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - mondayOffset);
}

function reference(all: unknown[], bucket: BucketSize): Map<number, number[]> {
  const map = new Map<number, number[]>();
  for (const r of all as { value: unknown; start_date: string }[]) {
    if (typeof r.value !== 'number') continue;
    const key = referenceKey(bucket, Date.parse(r.start_date));
    map.set(key, [...(map.get(key) ?? []), r.value]);
  }
  return map;
}

suite('dataset: aggregation', () => {
  const all = records();
  const store = new ResultStore();
  store.append(all.slice(0, 1000));
  store.append(all.slice(1000));
  suiteTeardown(() => store.dispose());

  for (const bucket of ['day', 'week', 'month'] as const) {
    for (const aggregation of ['sum', 'average'] as const) {
      test(`${aggregation} by ${bucket} equals the naive computation`, async () => {
        const series = await aggregateQuantity(store, { bucket, aggregation });
        const expected = reference(all, bucket);
        const keys = [...expected.keys()].sort((a, b) => a - b);
        assert.deepStrictEqual(series.bucketStart, keys);
        keys.forEach((key, i) => {
          const values = expected.get(key) as number[];
          const sum = values.reduce((a, b) => a + b, 0);
          assert.strictEqual(series.count[i], values.length);
          assert.ok(Math.abs((series.value[i] ?? NaN) - (aggregation === 'sum' ? sum : sum / values.length)) < 1e-9);
          assert.strictEqual(series.min[i], Math.min(...values));
          assert.strictEqual(series.max[i], Math.max(...values));
        });
        assert.strictEqual(series.skippedRecords, 4);
      });
    }
  }

  test('ISO weeks start on Monday 00:00 UTC, also across a year end', () => {
    // 2024-12-31 is a Tuesday in ISO week 2025-W01, which starts Monday 2024-12-30.
    assert.deepStrictEqual(bucketBounds('week', Date.UTC(2024, 11, 31, 15)), [
      Date.UTC(2024, 11, 30),
      Date.UTC(2025, 0, 6),
    ]);
    assert.deepStrictEqual(bucketBounds('week', Date.UTC(2024, 11, 29, 23, 59)), [
      Date.UTC(2024, 11, 23),
      Date.UTC(2024, 11, 30),
    ]);
    assert.deepStrictEqual(bucketBounds('month', Date.UTC(2024, 1, 29, 12)), [
      Date.UTC(2024, 1, 1),
      Date.UTC(2024, 2, 1),
    ]);
  });

  test('hypnogram segments come from the stage lists of every session', async () => {
    const sleep = new ResultStore();
    const sessions = [0, 1, 2].map((n) => {
      const start = Date.UTC(2024, 0, 1 + n, 3);
      const stages = ['awake', 'asleepCore', 'asleepDeep', 'asleepREM', 'mystery'].map((stage, k) => ({
        stage,
        start_date: iso(start + k * HOUR),
        end_date: iso(start + (k + 1) * HOUR),
      }));
      return { id: `s${n}`, start_date: iso(start), end_date: iso(start + 5 * HOUR), stages };
    });
    sleep.append([sessions[2], sessions[1], { id: 'no stages', start_date: iso(0), end_date: iso(HOUR) }, sessions[0]]);
    const hypnogram = await buildHypnogram(sleep);
    assert.strictEqual(hypnogram.segments.length, 15);
    assert.strictEqual(hypnogram.sessions.length, 4);
    assert.strictEqual(hypnogram.sessionsWithoutStages, 1);
    assert.deepStrictEqual(
      hypnogram.segments.slice(0, 5).map((s) => [s.stage, s.level]),
      [
        ['awake', 0],
        ['asleepCore', 2],
        ['asleepDeep', 3],
        ['asleepREM', 1],
        ['mystery', -1],
      ],
    );
    assert.ok(hypnogram.segments.every((s, i, a) => i === 0 || (a[i - 1]?.start ?? Infinity) <= s.start));
    const day2 = await buildHypnogram(sleep, { from: Date.UTC(2024, 0, 2), to: Date.UTC(2024, 0, 3) });
    assert.strictEqual(day2.segments.length, 5);
    sleep.dispose();
  });
});
