import * as assert from 'assert';
import { aggregateQuantity } from '../../../src/core/dataset/aggregate';
import { buildHypnogram } from '../../../src/core/dataset/hypnogram';
import { hypnogramSession } from '../../../src/core/dataset/hypnogramSession';
import { ResultStore } from '../../../src/core/dataset/resultStore';
import { startSandbox } from '../../../src/sandbox/main';
import type { SandboxHandle } from '../../../src/sandbox/types';
import { ada, call } from '../sandbox/sandboxClient';

/** The hypnogram and the chart over the export dialect's records, as served over HTTP. */

const DAY = 86_400_000;

interface ExportStage {
  start: string;
  end: string;
  stage: string;
  log_method: string;
}

function exportMs(text: string): number {
  return Date.parse(text.replace(' ', 'T').replace(/\+00$/, 'Z'));
}

/** The local calendar day (as UTC midnight) of `ms` in New York, computed without the code under test. */
function newYorkDay(ms: number): number {
  const [month, day, year] = new Date(ms)
    .toLocaleDateString('en-US', { timeZone: 'America/New_York', year: 'numeric', month: '2-digit', day: '2-digit' })
    .split('/')
    .map(Number);
  return Date.UTC(year ?? 0, (month ?? 1) - 1, day ?? 1);
}

suite('dataset: records of the export dialect', function () {
  this.timeout(30_000);
  let sandbox: SandboxHandle;
  const get = async (path: string): Promise<Record<string, unknown>[]> => {
    const reply = await call(sandbox, path, { token: ada(sandbox).pat });
    assert.strictEqual(reply.status, 200, reply.text.slice(0, 200));
    return reply.json<{ data: Record<string, unknown>[] }>().data;
  };
  const lastDays = (days: number): string => {
    const today = Math.floor(Date.now() / DAY) * DAY;
    const day = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
    return `startDate=${day(today - days * DAY)}&endDate=${day(today - DAY)}`;
  };

  suiteSetup(async () => {
    sandbox = await startSandbox({ port: 0, dialect: 'export' });
  });
  suiteTeardown(async () => {
    await sandbox.close();
  });

  test("every night draws from the watch alone: its asleep minutes are the night's timeNightAsleep, never phone plus watch", async () => {
    const sessions = await get(
      `/api/v1/sleep/${ada(sandbox).userId}?pageSize=20&include_stages=true&include_metrics=true`,
    );
    const store = new ResultStore();
    store.append(sessions);
    const hypnogram = await buildHypnogram(store);
    assert.ok(sessions.length > 5);
    assert.deepStrictEqual(hypnogram.notUnderstood, []);
    assert.strictEqual(hypnogram.sessions.length, sessions.length);
    for (let i = 0; i < hypnogram.sessions.length; i++) {
      const view = hypnogramSession(hypnogram, i);
      assert.ok(view);
      const record = sessions[view.row] ?? {};
      assert.strictEqual(view.start, exportMs(String(record.time_in_bed_start)));
      assert.strictEqual(view.source, 'WATCH');
      assert.deepStrictEqual(view.sources, ['PHONE', 'WATCH']);
      const watch = (record.stages as ExportStage[]).filter((s) => s.log_method === 'WATCH');
      assert.strictEqual(view.segments.length, watch.length);
      const asleep = view.segments
        .filter((s) => s.stage !== 'awake')
        .reduce((sum, s) => sum + (s.end - s.start) / 60_000, 0);
      const metrics = record.metrics as { sleep_metric: string; value: number }[];
      assert.strictEqual(asleep, metrics.find((m) => m.sleep_metric === 'timeNightAsleep')?.value);
      assert.ok(
        view.segments.every((s) => s.level >= 0 && s.level <= 3),
        'LIGHT, DEEP, REM and AWAKE are known stages',
      );
    }
    store.dispose();
  });

  test('steps are summed by New York day with the unit "count"; resting heart rate takes each day\'s minimum', async () => {
    const uid = ada(sandbox).userId;
    const steps = await get(`/api/v1/quantity/${uid}/stepCount?${lastDays(3)}&pageSize=10000`);
    assert.ok(steps.length > 24, `${steps.length} step records`);
    const store = new ResultStore();
    store.append(steps);
    const series = await aggregateQuantity(store, { bucket: 'day', aggregation: 'average' });
    assert.deepStrictEqual([series.aggregation, series.unit, series.notUnderstood], ['sum', 'count', []]);
    const expected = new Map<number, number>();
    for (const r of steps) {
      const day = newYorkDay(exportMs(String(r.start)));
      expected.set(day, (expected.get(day) ?? 0) + Number(r.value));
    }
    const days = [...expected.keys()].sort((a, b) => a - b);
    assert.deepStrictEqual(series.bucketStart, days);
    assert.deepStrictEqual(
      series.value.map((v) => Math.round(v * 1000)),
      days.map((d) => Math.round((expected.get(d) ?? NaN) * 1000)),
    );
    store.dispose();

    const resting = await get(`/api/v1/quantity/${uid}/restingHeartRate?${lastDays(5)}&pageSize=10000`);
    assert.ok(resting.length > 1);
    const restingStore = new ResultStore();
    restingStore.append(resting);
    const lows = await aggregateQuantity(restingStore, { bucket: 'day', aggregation: 'average' });
    assert.strictEqual(lows.aggregation, 'min');
    assert.deepStrictEqual(lows.value, lows.min);
    restingStore.dispose();
  });
});
