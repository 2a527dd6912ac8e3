import * as assert from 'assert';
import { downsampleSeries, indexAfterKey, nearestBucket } from '../../../src/webview/chart/downsample';
import { stageKey, stageRows, stageTotals } from '../../../src/webview/chart/hypnogramModel';
import { formatTickValue, linearScale, niceNumber, niceTicks } from '../../../src/webview/chart/scales';
import { bucketLabel, formatDuration, timeTicks } from '../../../src/webview/chart/timeTicks';
import { installWebviewStrings } from '../../../src/webview/l10n';
import { webviewStrings } from '../../../src/vscode/explorer/webviewStrings';

// The host's English words, dates and numbers in British English: "4 Mar 2024", "23:00", "1,500".
installWebviewStrings({ locale: 'en-GB', strings: webviewStrings() });

const DAY = 86_400_000;

suite('webview/chart scales', () => {
  test('nice numbers are 1, 2, 5 or 10 times a power of ten', () => {
    assert.deepStrictEqual(
      [0.7, 1.4, 2.6, 6, 8].map((v) => niceNumber(v, true)),
      [0.5, 1, 2, 5, 10],
    );
    assert.deepStrictEqual(
      [0.7, 1.4, 2.6, 6].map((v) => niceNumber(v, false)),
      [1, 2, 5, 10],
    );
  });

  test('ticks cover the data on round values', () => {
    const t = niceTicks(3, 187, 5);
    assert.deepStrictEqual(t.ticks, [0, 50, 100, 150, 200]);
    assert.strictEqual(t.min, 0);
    assert.strictEqual(t.max, 200);
    const small = niceTicks(0.12, 0.47, 5);
    assert.deepStrictEqual(small.ticks, [0.1, 0.2, 0.3, 0.4, 0.5]);
  });

  test('a flat or empty series still gets a visible axis', () => {
    const flat = niceTicks(72, 72, 5);
    assert.ok(flat.min < 72 && flat.max > 72, JSON.stringify(flat));
    const zero = niceTicks(0, 0, 5);
    assert.ok(zero.min < 0 && zero.max > 0);
  });

  test('scales map and invert', () => {
    const s = linearScale([0, 10], [100, 200]);
    assert.strictEqual(s(5), 150);
    assert.strictEqual(s.invert(175), 7.5);
    assert.strictEqual(linearScale([3, 3], [0, 10])(3), 5);
  });

  test('tick labels shorten large values', () => {
    assert.strictEqual(formatTickValue(12_500, 2_500), '12.5k');
    assert.strictEqual(formatTickValue(3_000_000, 1_000_000), '3M');
    assert.strictEqual(formatTickValue(1_500, 500), '1,500');
    assert.strictEqual(formatTickValue(0.25, 0.05), '0.25');
  });
});

suite('webview/chart time ticks', () => {
  test('five years get yearly or half-yearly ticks on 1 January / 1 July UTC', () => {
    const ticks = timeTicks(Date.UTC(2021, 0, 1), Date.UTC(2025, 11, 31), 8);
    assert.ok(ticks.length >= 4 && ticks.length <= 8, String(ticks.length));
    for (const t of ticks) {
      const d = new Date(t.ms);
      assert.strictEqual(d.getUTCDate(), 1);
      assert.strictEqual(d.getUTCHours(), 0);
    }
    assert.strictEqual(ticks[0]?.label.includes('2021'), true);
  });

  test('a month gets Monday week ticks or day ticks, the year shown once', () => {
    const ticks = timeTicks(Date.UTC(2024, 2, 1), Date.UTC(2024, 2, 31), 6);
    assert.ok(ticks.length <= 6 && ticks.length >= 3);
    for (const t of ticks) assert.strictEqual(new Date(t.ms).getUTCDay(), 1, t.label);
    assert.strictEqual(ticks[0]?.label, '4 Mar 2024');
    assert.strictEqual(ticks[1]?.label, '11 Mar');
  });

  test('a night gets clock ticks in UTC', () => {
    const ticks = timeTicks(Date.UTC(2024, 2, 4, 22, 10), Date.UTC(2024, 2, 5, 6, 40), 10);
    assert.strictEqual(ticks[0]?.label, '4 Mar 23:00');
    assert.ok(ticks.some((t) => t.label === '5 Mar 00:00'));
    assert.ok(ticks.some((t) => t.label === '02:00'));
  });

  test('bad ranges give no ticks; bucket labels and durations read well', () => {
    assert.deepStrictEqual(timeTicks(10, 5, 5), []);
    assert.strictEqual(bucketLabel('week', Date.UTC(2024, 2, 4)), 'Week of Mon 2024-03-04');
    assert.strictEqual(bucketLabel('month', Date.UTC(2024, 2, 1)), 'Mar 2024');
    assert.strictEqual(formatDuration(7 * 3_600_000 + 32 * 60_000), '7 h 32 min');
  });
});

suite('webview/chart downsampling', () => {
  const n = 1_826;
  const series = {
    bucketStart: Array.from({ length: n }, (_, i) => i * DAY),
    value: Array.from({ length: n }, (_, i) => (i === 1000 ? 99_999 : i % 50)),
    min: Array.from({ length: n }, (_, i) => -(i % 7)),
    max: Array.from({ length: n }, (_, i) => (i === 1234 ? 5_000 : 100)),
  };

  test('1,826 day buckets in 600 px become at most 600 marks covering every bucket once', () => {
    const points = downsampleSeries(series, 600, 'bars');
    assert.ok(points.length <= 600);
    assert.strictEqual(points[0]?.first, 0);
    assert.strictEqual(points.at(-1)?.last, n - 1);
    // Each mark starts right after the one before it ends.
    assert.deepStrictEqual(
      points.slice(1).map((p) => p.first),
      points.slice(0, -1).map((p) => p.last + 1),
    );
    assert.ok(
      points.some((p) => p.value === 99_999),
      'the peak survives for bars',
    );
  });

  test('lines keep the band extremes and the mean', () => {
    const points = downsampleSeries(series, 300, 'line');
    assert.strictEqual(Math.max(...points.map((p) => p.high)), 5_000);
    assert.strictEqual(Math.min(...points.map((p) => p.low)), -6);
    const p = points[0];
    assert.ok(p);
    const sum = series.value.slice(p.first, p.last + 1).reduce((a, b) => a + b, 0);
    assert.strictEqual(p.value, sum / (p.last - p.first + 1));
  });

  test('few buckets are drawn one to one', () => {
    const few = { bucketStart: [0, DAY], value: [1, 2], min: [1, 2], max: [1, 2] };
    assert.deepStrictEqual(
      downsampleSeries(few, 600, 'line').map((p) => p.value),
      [1, 2],
    );
  });

  test('nearest bucket and keyboard moves', () => {
    assert.strictEqual(nearestBucket(series.bucketStart, 10.4 * DAY), 10);
    assert.strictEqual(nearestBucket(series.bucketStart, 10.6 * DAY), 11);
    assert.strictEqual(nearestBucket(series.bucketStart, -5 * DAY), 0);
    assert.strictEqual(nearestBucket([], 0), -1);
    assert.strictEqual(indexAfterKey('ArrowRight', 4, 10), 5);
    assert.strictEqual(indexAfterKey('ArrowRight', 9, 10), 9);
    assert.strictEqual(indexAfterKey('ArrowLeft', 0, 10), 0);
    assert.strictEqual(indexAfterKey('End', 3, 10), 9);
    assert.strictEqual(indexAfterKey('Tab', 3, 10), undefined);
  });
});

suite('webview/chart hypnogram model', () => {
  const at = (h: number): number => Date.UTC(2024, 2, 4) + h * 3_600_000;
  const segments = [
    { stage: 'awake', start: at(-30), end: at(-29) },
    { stage: 'inBed', start: at(22), end: at(22.5) },
    { stage: 'asleepCore', start: at(22.5), end: at(24) },
    { stage: 'asleepDeep', start: at(24), end: at(25) },
    { stage: 'asleepREM', start: at(25), end: at(26) },
    { stage: 'awake', start: at(40), end: at(41) },
  ];

  test('stage totals add the time of each stage, aliases merged', () => {
    const totals = stageTotals([...segments.slice(2, 5), { stage: 'deep', start: at(26), end: at(26.5) }]);
    assert.strictEqual(totals.get('asleepDeep'), 1.5 * 3_600_000);
    assert.strictEqual(totals.get('asleepCore'), 1.5 * 3_600_000);
    assert.strictEqual(totals.get('awake'), undefined);
  });

  test('rows: the four sleep stages always, others only when used', () => {
    assert.deepStrictEqual(
      stageRows(segments.slice(2, 5)).map((r) => r.key),
      ['awake', 'asleepREM', 'asleepCore', 'asleepDeep'],
    );
    assert.deepStrictEqual(
      stageRows([
        { stage: 'inBed', start: 0, end: 1 },
        { stage: 'nap?', start: 1, end: 2 },
      ]).map((r) => r.key),
      ['inBed', 'awake', 'asleepREM', 'asleepCore', 'asleepDeep', 'other'],
    );
    assert.strictEqual(stageKey('REM'), 'asleepREM');
  });
});
