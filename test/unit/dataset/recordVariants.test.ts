import * as assert from 'assert';
import { aggregateQuantity } from '../../../src/core/dataset/aggregate';
import { buildHypnogram, type HypnogramSegment } from '../../../src/core/dataset/hypnogram';
import { hypnogramSession } from '../../../src/core/dataset/hypnogramSession';
import { ResultStore } from '../../../src/core/dataset/resultStore';
import { searchResult } from '../../../src/core/dataset/search';
import { exportStages, exportTime } from '../support/exportRecords';

/** Records shaped the ways the API may send them; the hypnogram, the chart and search read each one. */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

function storeOf(records: unknown[]): ResultStore {
  const store = new ResultStore();
  store.append(records);
  return store;
}

/** Minutes per stage across segments. */
function totals(segments: readonly HypnogramSegment[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of segments) out[s.stage] = (out[s.stage] ?? 0) + (s.end - s.start) / MINUTE;
  return out;
}

/**
 * One export-style night: the phone logs the whole time in bed (IN_BED) and a stretch of
 * ASLEEP_UNSPECIFIED; the watch logs detailed stages inside it, overlapping the phone's.
 */
function exportNight(night: number): Record<string, unknown> {
  const bed = Date.UTC(2022, 0, 18 + night, 23);
  const seg = exportStages(bed, MINUTE);
  return {
    id: `night-${night}`,
    user_id: '123e4567-e89b-12d3-a456-426614174000',
    time_in_bed_start: exportTime(bed),
    time_in_bed_end: exportTime(bed + 480 * MINUTE),
    created_at: exportTime(bed + 500 * MINUTE),
    timezone: 'America/New_York',
    in_healthkit: true,
    log_method: 'PHONE',
    stages: [
      seg('IN_BED', 0, 480, 'PHONE'),
      seg('ASLEEP_UNSPECIFIED', 20, 460, 'PHONE'),
      seg('AWAKE', 0, 15, 'WATCH'),
      seg('LIGHT', 15, 120, 'WATCH'),
      seg('DEEP', 120, 200, 'WATCH'),
      seg('REM', 200, 260, 'WATCH'),
      seg('LIGHT', 260, 470, 'WATCH'),
      seg('AWAKE', 470, 480, 'WATCH'),
    ],
    metrics: [
      { sleep_metric: 'timeNightInBed', value: 480 },
      { sleep_metric: 'sleepEfficiency', value: 102.5 },
    ],
  };
}

suite('dataset: records the way the API may send them', () => {
  test('export-style sleep: time_in_bed_* and "+00" times draw; stages map to HealthKit names; one source per night', async () => {
    const store = storeOf([exportNight(1), exportNight(0)]);
    const hypnogram = await buildHypnogram(store);
    assert.strictEqual(hypnogram.sessions.length, 2);
    assert.deepStrictEqual(hypnogram.notUnderstood, []);
    const view = hypnogramSession(hypnogram, 0);
    assert.ok(view);
    assert.strictEqual(view.start, Date.UTC(2022, 0, 18, 23));
    assert.strictEqual(view.end, Date.UTC(2022, 0, 18, 23) + 480 * MINUTE);
    assert.strictEqual(view.source, 'WATCH');
    assert.deepStrictEqual(view.sources, ['PHONE', 'WATCH']);
    // The watch's totals alone: with the phone's overlapping segments added, time would exceed the night.
    assert.deepStrictEqual(totals(view.segments), { awake: 25, asleepCore: 315, asleepDeep: 80, asleepREM: 60 });
    const minutes = view.segments.reduce((sum, s) => sum + (s.end - s.start) / MINUTE, 0);
    assert.strictEqual(minutes, 480, 'stage totals add up to the time in bed, never more');
    assert.ok(view.segments.every((s) => s.source === 'WATCH' && s.level >= 0));
    store.dispose();
  });

  test('a night only the phone logged keeps the phone; separate phone and watch sessions of one night become one', async () => {
    const bed = Date.UTC(2024, 4, 1, 22);
    const phoneOnly = {
      start_date: exportTime(bed),
      end_date: exportTime(bed + 8 * HOUR),
      stages: [{ stage: 'IN_BED', start: exportTime(bed), end: exportTime(bed + 8 * HOUR), log_method: 'PHONE' }],
    };
    const next = bed + DAY;
    const phoneSession = {
      start: exportTime(next),
      end: exportTime(next + 8 * HOUR),
      stages: [{ stage: 'asleep', start: exportTime(next), end: exportTime(next + 8 * HOUR), source: 'PHONE' }],
    };
    const watchSession = {
      startDate: new Date(next + HOUR).toISOString(),
      endDate: new Date(next + 7 * HOUR).toISOString(),
      stages: [
        {
          value: 'HKCategoryValueSleepAnalysisAsleepCore',
          startDate: next + HOUR,
          endDate: next + 4 * HOUR,
          source: 'WATCH',
        },
        {
          value: 'HKCategoryValueSleepAnalysisAsleepDeep',
          startDate: next + 4 * HOUR,
          endDate: next + 7 * HOUR,
          source: 'WATCH',
        },
      ],
    };
    const store = storeOf([phoneOnly, phoneSession, watchSession]);
    const hypnogram = await buildHypnogram(store);
    assert.strictEqual(hypnogram.sessions.length, 2, 'the overlapping phone and watch sessions are one night');
    const first = hypnogramSession(hypnogram, 0);
    const second = hypnogramSession(hypnogram, 1);
    assert.strictEqual(first?.source, 'PHONE');
    assert.deepStrictEqual(totals(first?.segments ?? []), { inBed: 480 });
    assert.strictEqual(second?.source, 'WATCH');
    assert.deepStrictEqual([second?.start, second?.end], [next, next + 8 * HOUR]);
    assert.deepStrictEqual(totals(second?.segments ?? []), { asleepCore: 180, asleepDeep: 180 });
    store.dispose();
  });

  test('segments given as a start and a duration, in seconds or minutes', async () => {
    const bed = Date.UTC(2024, 4, 1, 22);
    const store = storeOf([
      {
        start_date: new Date(bed).toISOString(),
        end_date: new Date(bed + 3 * HOUR).toISOString(),
        stages: [
          { stage: 'CORE', start: exportTime(bed), duration: 3600 },
          { stage: 'Deep', start: exportTime(bed + HOUR), duration_minutes: '60' },
          { stage: 'rem', start: exportTime(bed + 2 * HOUR), duration: 60, duration_unit: 'minutes' },
        ],
      },
    ]);
    const view = hypnogramSession(await buildHypnogram(store), null);
    assert.deepStrictEqual(totals(view?.segments ?? []), { asleepCore: 60, asleepDeep: 60, asleepREM: 60 });
    store.dispose();
  });

  test('stage segments sent as records of their own group into nights', async () => {
    const bed = Date.UTC(2024, 4, 1, 22);
    const seg = exportStages(bed, HOUR);
    const store = storeOf([
      seg('IN_BED', 0, 8, 'PHONE'),
      seg('LIGHT', 0, 4, 'WATCH'),
      seg('DEEP', 4, 8, 'WATCH'),
      seg('LIGHT', 24, 30, 'WATCH'),
    ]);
    const hypnogram = await buildHypnogram(store);
    assert.deepStrictEqual(
      hypnogram.sessions.map((s) => [(s.start - bed) / HOUR, (s.end - bed) / HOUR, s.source]),
      [
        [0, 8, 'WATCH'],
        [24, 30, 'WATCH'],
      ],
    );
    assert.deepStrictEqual(totals(hypnogramSession(hypnogram, 0)?.segments ?? []), {
      asleepCore: 240,
      asleepDeep: 240,
    });
    store.dispose();
  });

  test('what is not understood is named, and the rest is still drawn', async () => {
    const bed = Date.UTC(2024, 4, 1, 22);
    const store = storeOf([
      {
        time_in_bed_start: exportTime(bed),
        time_in_bed_end: exportTime(bed + 2 * HOUR),
        stages: [
          { stage: 'LIGHT', start: exportTime(bed), end: exportTime(bed + HOUR) },
          { stage: 'NAP', start: exportTime(bed + HOUR), end: exportTime(bed + 2 * HOUR) },
          { stage: 'DEEP', start: 'soon', end: exportTime(bed + 2 * HOUR) },
        ],
      },
      { time_in_bed_start: 'last night', time_in_bed_end: exportTime(bed) },
    ]);
    const hypnogram = await buildHypnogram(store);
    assert.deepStrictEqual(hypnogram.notUnderstood, [
      'stage "NAP" (1×)',
      'stage segment start (1×)',
      'session time_in_bed_start (1×)',
    ]);
    assert.deepStrictEqual(
      hypnogram.segments.map((s) => [s.stage, s.level]),
      [
        ['asleepCore', 2],
        ['NAP', -1],
      ],
    );
    store.dispose();
  });

  suite('quantity charts', () => {
    const day0 = Date.UTC(2022, 0, 10);
    /** Three records a day for four days, `value` as given. */
    const series = (extra: Record<string, unknown>, value: (i: number) => unknown) =>
      Array.from({ length: 12 }, (_, i) => ({
        value: value(i),
        start: exportTime(day0 + Math.floor(i / 3) * DAY + (i % 3) * 6 * HOUR),
        end: exportTime(day0 + Math.floor(i / 3) * DAY + (i % 3) * 6 * HOUR + HOUR),
        ...extra,
      }));

    test('calculation_type CUMULATIVE sums, DISCRETE averages, MIN and MAX take the extreme, ahead of the catalogue', async () => {
      const cases = [
        ['CUMULATIVE', 'average', [0 + 1 + 2, 3 + 4 + 5, 6 + 7 + 8, 9 + 10 + 11]],
        ['DISCRETE', 'sum', [1, 4, 7, 10]],
        ['MIN', 'sum', [0, 3, 6, 9]],
        ['MAX', 'average', [2, 5, 8, 11]],
      ] as const;
      for (const [calculation_type, catalogue, expected] of cases) {
        const store = storeOf(series({ unit: 'count', calculation_type }, (i) => i));
        const result = await aggregateQuantity(store, { bucket: 'day', aggregation: catalogue });
        assert.deepStrictEqual(result.value, expected, calculation_type);
        assert.strictEqual(
          result.aggregation,
          { CUMULATIVE: 'sum', DISCRETE: 'average', MIN: 'min', MAX: 'max' }[calculation_type],
        );
        assert.strictEqual(result.unit, 'count');
        assert.deepStrictEqual(result.notUnderstood, []);
        store.dispose();
      }
    });

    test('without a calculation_type the catalogue decides; an unknown one is named and the catalogue used', async () => {
      const plain = storeOf(series({}, (i) => i));
      const sum = await aggregateQuantity(plain, { bucket: 'day', aggregation: 'sum' });
      assert.deepStrictEqual([sum.aggregation, sum.value, sum.unit], ['sum', [3, 12, 21, 30], undefined]);
      plain.dispose();
      const odd = storeOf(series({ calculation_type: 'MEDIAN' }, (i) => i));
      const mean = await aggregateQuantity(odd, { bucket: 'day', aggregation: 'average' });
      assert.deepStrictEqual(mean.value, [1, 4, 7, 10]);
      assert.deepStrictEqual(mean.notUnderstood, ['calculation_type "MEDIAN" (the catalogue\'s average is used)']);
      odd.dispose();
    });

    test('numbers sent as strings are charted; text that is no number is skipped', async () => {
      const store = storeOf(series({ calculation_type: 'CUMULATIVE' }, (i) => (i === 11 ? 'n/a' : String(i))));
      const result = await aggregateQuantity(store, { bucket: 'day', aggregation: 'sum' });
      assert.deepStrictEqual(result.value, [3, 12, 21, 19]);
      assert.strictEqual(result.skippedRecords, 1);
      store.dispose();
    });

    test('a record timezone puts each value in its local day', async () => {
      // 03:00 UTC is still the evening before in New York; 15:00 UTC is the same day there.
      const at = (day: number, hour: number): string => exportTime(Date.UTC(2022, 0, day, hour));
      const records = [
        { value: 1, start: at(11, 3), timezone: 'America/New_York', calculation_type: 'CUMULATIVE' },
        { value: 10, start: at(11, 15), timezone: 'America/New_York', calculation_type: 'CUMULATIVE' },
        { value: 100, start: at(12, 3), timezone: 'America/New_York', calculation_type: 'CUMULATIVE' },
        { value: 1000, start: at(12, 23), timezone: '+02:00', calculation_type: 'CUMULATIVE' },
      ];
      const store = storeOf(records);
      const result = await aggregateQuantity(store, { bucket: 'day', aggregation: 'sum' });
      assert.deepStrictEqual(result.bucketStart, [Date.UTC(2022, 0, 10), Date.UTC(2022, 0, 11), Date.UTC(2022, 0, 13)]);
      assert.deepStrictEqual(result.value, [1, 110, 1000]);
      store.dispose();
      const utc = storeOf(records.map(({ timezone: _, ...rest }) => rest));
      const plain = await aggregateQuantity(utc, { bucket: 'day', aggregation: 'sum' });
      assert.deepStrictEqual(plain.value, [11, 1100], 'without a timezone, days are UTC days');
      utc.dispose();
    });

    test('an unknown timezone is named and its records counted in UTC days', async () => {
      const store = storeOf([{ value: 5, start: exportTime(Date.UTC(2022, 0, 11, 3)), timezone: 'Mars/Base' }]);
      const result = await aggregateQuantity(store, { bucket: 'day', aggregation: 'sum' });
      assert.deepStrictEqual(result.bucketStart, [Date.UTC(2022, 0, 11)]);
      assert.deepStrictEqual(result.notUnderstood, ['timezone "Mars/Base" (UTC days are used)']);
      store.dispose();
    });
  });

  test('"+00" timestamps print back exactly in the table and compare as dates in search', async () => {
    const records = Array.from({ length: 48 }, (_, i) => ({
      value: i,
      start: exportTime(Date.UTC(2022, 0, 19) + i * HOUR),
      end: exportTime(Date.UTC(2022, 0, 19) + (i + 1) * HOUR),
    }));
    const store = storeOf(records);
    assert.deepStrictEqual(store.getRecord(31), records[31]);
    const after = await searchResult(store, 'start >= 2022-01-20T12:00');
    assert.deepStrictEqual(
      [...after.hits],
      Array.from({ length: 12 }, (_, i) => 36 + i),
    );
    const onDay = await searchResult(store, 'start = 2022-01-19');
    assert.strictEqual(onDay.hits.length, 24);
    store.dispose();
  });
});
