import { metricByName } from '../../core/routes';
import { MINUTE_MS } from '../clock';
import type { SleepOptions, UserDataset } from '../data/dataset';
import type { RecordSeries } from '../series';

/**
 * Records shaped like 121 Health's own data export: timestamps as a database prints them
 * (`2022-01-19 07:53:00+00`), sleep sessions with `time_in_bed_start`/`time_in_bed_end`, stage
 * segments from the phone and the watch that overlap, per-session metrics in long form, quantity
 * values that carry their own unit and calculation type, and a record time zone.
 */

/** `YYYY-MM-DD HH:MM:SS+00` for a UTC time in ms. */
export function exportTimestamp(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')}+00`;
}

/** The export's own unit where it differs from the explorer's catalogue, with the factor from the catalogue's. */
const EXPORT_UNITS: Readonly<Record<string, { unit: string; factor: number; decimals: number }>> = {
  distanceWalkingRunning: { unit: 'km', factor: 0.001, decimals: 4 },
  vo2Max: { unit: 'ml/(kg*min)', factor: 1, decimals: 1 },
};

/** Resting heart rate is the day's lowest; the rest follows the catalogue's sum or average. */
const MIN_METRICS: ReadonlySet<string> = new Set(['restingHeartRate']);

export function calculationType(metric: string): 'CUMULATIVE' | 'DISCRETE' | 'MIN' {
  if (MIN_METRICS.has(metric)) return 'MIN';
  return metricByName(metric)?.aggregation === 'sum' ? 'CUMULATIVE' : 'DISCRETE';
}

interface StandardQuantity {
  readonly value: number;
  readonly unit?: string;
  readonly start_date: string;
  readonly end_date?: string;
}

function mapped(series: RecordSeries, json: (standard: string) => string): RecordSeries {
  return { length: series.length, timeAt: (i) => series.timeAt(i), jsonAt: (i) => json(series.jsonAt(i)) };
}

function quantitySeries(metric: string, standard: RecordSeries, timezone: string): RecordSeries {
  const own = EXPORT_UNITS[metric];
  const kind = JSON.stringify(calculationType(metric));
  const zone = JSON.stringify(timezone);
  return mapped(standard, (text) => {
    const r = JSON.parse(text) as StandardQuantity;
    const scale = 10 ** (own?.decimals ?? 0);
    const value = own ? Math.round(r.value * own.factor * scale) / scale : r.value;
    const start = Date.parse(r.start_date);
    const end = r.end_date === undefined ? start : Date.parse(r.end_date);
    return (
      `{"value":${value},"unit":${JSON.stringify(own?.unit ?? r.unit ?? '')},"start":"${exportTimestamp(start)}",` +
      `"end":"${exportTimestamp(end)}","calculation_type":${kind},"timezone":${zone}}`
    );
  });
}

interface StandardSleep {
  readonly id: string;
  readonly start_date: string;
  readonly end_date: string;
  readonly stages: readonly { stage: string; start_date: string; end_date: string }[];
  readonly metrics: { readonly awakenings: number };
}

/** The watch's stages under the export's names. */
const WATCH_STAGES: Readonly<Record<string, string>> = {
  awake: 'AWAKE',
  asleepCore: 'LIGHT',
  asleepDeep: 'DEEP',
  asleepREM: 'REM',
};

interface Segment {
  readonly stage: string;
  readonly start: number;
  readonly end: number;
  readonly source: 'PHONE' | 'WATCH';
}

const minutes = (ms: number): number => Math.round(ms / MINUTE_MS);

function sleepSeries(standard: RecordSeries, userId: string, timezone: string, options: SleepOptions): RecordSeries {
  const zone = JSON.stringify(timezone);
  return mapped(standard, (text) => {
    const s = JSON.parse(text) as StandardSleep;
    const start = Date.parse(s.start_date);
    const end = Date.parse(s.end_date);
    const watch: Segment[] = s.stages.map((g) => ({
      stage: WATCH_STAGES[g.stage] ?? 'ASLEEP_UNSPECIFIED',
      start: Date.parse(g.start_date),
      end: Date.parse(g.end_date),
      source: 'WATCH',
    }));
    const asleep = watch.filter((g) => g.stage !== 'AWAKE');
    const phone: Segment[] = [{ stage: 'IN_BED', start, end, source: 'PHONE' }];
    const firstAsleep = asleep[0];
    const lastAsleep = asleep[asleep.length - 1];
    if (firstAsleep && lastAsleep)
      phone.push({ stage: 'ASLEEP_UNSPECIFIED', start: firstAsleep.start, end: lastAsleep.end, source: 'PHONE' });
    let json =
      `{"id":"${s.id}","user_id":"${userId}","time_in_bed_start":"${exportTimestamp(start)}",` +
      `"time_in_bed_end":"${exportTimestamp(end)}","created_at":"${exportTimestamp(end + 7 * MINUTE_MS)}",` +
      `"timezone":${zone},"in_healthkit":true,"log_method":"WATCH"`;
    if (options.stages) {
      const segments = [...watch, ...phone].sort((a, b) => a.start - b.start || a.source.localeCompare(b.source));
      json += `,"stages":[${segments
        .map(
          (g) =>
            `{"start":"${exportTimestamp(g.start)}","end":"${exportTimestamp(g.end)}","stage":"${g.stage}","log_method":"${g.source}"}`,
        )
        .join(',')}]`;
    }
    if (options.metrics) {
      const asleepMs = asleep.reduce((sum, g) => sum + g.end - g.start, 0);
      const deepMs = asleep.filter((g) => g.stage === 'DEEP').reduce((sum, g) => sum + g.end - g.start, 0);
      const latency = watch[0]?.stage === 'AWAKE' ? watch[0].end - watch[0].start : 0;
      const longWakeups = watch.slice(1).filter((g) => g.stage === 'AWAKE' && g.end - g.start >= 15 * MINUTE_MS);
      const metrics: readonly [string, number][] = [
        ['timeNightInBed', minutes(end - start)],
        ['timeNightAsleep', minutes(asleepMs)],
        ['timeNightDeep', minutes(deepMs)],
        ['sleepLatency', minutes(latency)],
        ['sleepEfficiency', Math.round((asleepMs / (end - start)) * 1000) / 10],
        ['sleepWakeups', s.metrics.awakenings],
        ['wakeupsOver15Minutes', longWakeups.length],
      ];
      json += `,"metrics":[${metrics.map(([name, value]) => `{"sleep_metric":"${name}","value":${value}}`).join(',')}]`;
    }
    return `${json}}`;
  });
}

/** The standard dataset with quantity and sleep records rewritten in the export's shape. */
export function exportDataset(standard: UserDataset): UserDataset {
  const profile = JSON.parse(standard.profileJson([])) as { user_id: string; home_timezone?: string };
  const timezone = profile.home_timezone ?? 'UTC';
  return {
    ...standard,
    quantity: (metric) => quantitySeries(metric, standard.quantity(metric), timezone),
    sleep: (options) =>
      sleepSeries(standard.sleep({ stages: true, metrics: true }), profile.user_id, timezone, options),
  };
}
