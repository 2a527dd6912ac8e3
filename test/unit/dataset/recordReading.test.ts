import * as assert from 'assert';
import {
  readCalculation,
  readDurationMs,
  readNumber,
  readSource,
  readSpan,
  readStage,
  readTime,
  readUnit,
  TimezoneOffsets,
} from '../../../src/core/dataset/recordReading';

const MS_0753 = Date.UTC(2022, 0, 19, 7, 53);

suite('dataset/recordReading', () => {
  test('timestamps: ISO 8601 with T or a space, Z, +00, +0000, +00:00, other offsets, epoch numbers', () => {
    for (const text of [
      '2022-01-19T07:53:00Z',
      '2022-01-19 07:53:00+00',
      '2022-01-19 07:53:00+0000',
      '2022-01-19T07:53:00+00:00',
      '2022-01-19T08:53:00+01:00',
      '2022-01-19 02:53:00-05',
      '2022-01-19T07:53:00.000Z',
      '2022-01-19 07:53:00',
    ]) {
      assert.strictEqual(readTime(text), MS_0753, text);
    }
    assert.strictEqual(readTime(MS_0753), MS_0753);
    assert.strictEqual(readTime(MS_0753 / 1000), MS_0753, 'epoch seconds');
    assert.strictEqual(readTime(String(MS_0753 / 1000)), MS_0753, 'epoch seconds as a string');
    assert.strictEqual(readTime('2022-01-19'), Date.UTC(2022, 0, 19));
    for (const bad of ['yesterday', '', null, true, {}, '19/01/2022', -5]) assert.strictEqual(readTime(bad), undefined);
  });

  test('numbers sent as strings are numbers; other text is not', () => {
    assert.strictEqual(readNumber('72'), 72);
    assert.strictEqual(readNumber(' 1.5 '), 1.5);
    assert.strictEqual(readNumber(3), 3);
    for (const bad of ['', ' ', 'abc', '12 steps', null, NaN, Infinity, [], {}])
      assert.strictEqual(readNumber(bad), undefined);
  });

  test('spans under every naming: start_date, startDate, start, time_in_bed_start, or a start and a duration', () => {
    const span = { start: MS_0753, end: MS_0753 + 3_600_000 };
    const start = '2022-01-19 07:53:00+00';
    const end = '2022-01-19 08:53:00+00';
    for (const record of [
      { start_date: start, end_date: end },
      { startDate: start, endDate: end },
      { start, end },
      { time_in_bed_start: start, time_in_bed_end: end },
      { start_time: start, end_time: end },
      { start, duration: 3600 },
      { start, duration: '3600' },
      { start, duration_seconds: 3600 },
      { start, seconds: 3600 },
      { start, duration_minutes: 60 },
      { start, minutes: '60' },
      { start, duration: 60, duration_unit: 'min' },
      { start, duration: 1, duration_unit: 'hours' },
    ]) {
      assert.deepStrictEqual(readSpan(record), { span }, JSON.stringify(record));
    }
  });

  test('a span that cannot be read names the field', () => {
    assert.deepStrictEqual(readSpan({ end: '2022-01-19' }), { span: undefined, field: 'start' });
    assert.deepStrictEqual(readSpan({ time_in_bed_start: 'soon', time_in_bed_end: '2022-01-19' }), {
      span: undefined,
      field: 'time_in_bed_start',
    });
    assert.deepStrictEqual(readSpan({ start: '2022-01-19', end: 'later' }), { span: undefined, field: 'end' });
    assert.deepStrictEqual(readSpan({ start: '2022-01-19' }), { span: undefined, field: 'end' });
    assert.strictEqual(readDurationMs({ duration: 5, duration_unit: 'fortnights' }), undefined);
  });

  test('stage names in any case or convention map to the HealthKit stages', () => {
    const cases: [string, string | undefined][] = [
      ['LIGHT', 'asleepCore'],
      ['light', 'asleepCore'],
      ['asleepCore', 'asleepCore'],
      ['ASLEEP_CORE', 'asleepCore'],
      ['HKCategoryValueSleepAnalysisAsleepCore', 'asleepCore'],
      ['DEEP', 'asleepDeep'],
      ['asleepDeep', 'asleepDeep'],
      ['REM', 'asleepREM'],
      ['asleep_rem', 'asleepREM'],
      ['AWAKE', 'awake'],
      ['Awake', 'awake'],
      ['ASLEEP_UNSPECIFIED', 'asleepUnspecified'],
      ['asleepUnspecified', 'asleepUnspecified'],
      ['IN_BED', 'inBed'],
      ['inBed', 'inBed'],
      ['in bed', 'inBed'],
      ['NAP', undefined],
      ['', undefined],
    ];
    for (const [name, stage] of cases) assert.strictEqual(readStage(name), stage, name);
  });

  test('calculation_type chooses sum, mean, minimum or maximum; an unknown one is named', () => {
    assert.deepStrictEqual(readCalculation({ calculation_type: 'CUMULATIVE' }), { aggregation: 'sum' });
    assert.deepStrictEqual(readCalculation({ calculation_type: 'DISCRETE' }), { aggregation: 'average' });
    assert.deepStrictEqual(readCalculation({ calculationType: 'average' }), { aggregation: 'average' });
    assert.deepStrictEqual(readCalculation({ calculation_type: 'MIN' }), { aggregation: 'min' });
    assert.deepStrictEqual(readCalculation({ calculation_type: 'max' }), { aggregation: 'max' });
    assert.deepStrictEqual(readCalculation({ value: 1 }), { aggregation: undefined });
    assert.deepStrictEqual(readCalculation({ calculation_type: 'MEDIAN' }), {
      aggregation: undefined,
      notUnderstood: 'calculation_type',
    });
  });

  test('unit and source come from the record', () => {
    assert.strictEqual(readUnit({ unit: 'ml/(kg·min)' }), 'ml/(kg·min)');
    assert.strictEqual(readUnit({ unit: '' }), undefined);
    assert.strictEqual(readSource({ log_method: 'WATCH' }), 'WATCH');
    assert.strictEqual(readSource({ source: { name: 'Apple Watch' } }), 'Apple Watch');
    assert.strictEqual(readSource({ stage: 'LIGHT' }), undefined);
  });

  test('time zones: fixed offsets, IANA names with their daylight saving time, unknown names', () => {
    const zones = new TimezoneOffsets();
    assert.strictEqual(zones.offsetMs('UTC', MS_0753), 0);
    assert.strictEqual(zones.offsetMs('+05:30', MS_0753), 5.5 * 3_600_000);
    assert.strictEqual(zones.offsetMs('UTC-5', MS_0753), -5 * 3_600_000);
    assert.strictEqual(zones.offsetMs('-0800', MS_0753), -8 * 3_600_000);
    assert.strictEqual(zones.offsetMs('America/New_York', MS_0753), -5 * 3_600_000, 'winter');
    assert.strictEqual(zones.offsetMs('America/New_York', Date.UTC(2022, 6, 1, 12)), -4 * 3_600_000, 'summer');
    assert.strictEqual(zones.offsetMs('Asia/Kolkata', MS_0753), 5.5 * 3_600_000);
    assert.strictEqual(zones.offsetMs('Mars/Olympus_Mons', MS_0753), undefined);
  });
});
