import { ascii, dayPrefix } from '../byteWriter';
import { DAY_MS, HOUR_MS, MINUTE_MS } from '../clock';
import { isoSeconds } from '../isoFormat';
import { unit, wobble } from '../seeded';
import { uniformSeries, type RecordSeries } from '../series';

type Rhythm = 'steps' | 'heart' | 'flat';

export interface QuantitySpec {
  readonly intervalMs: number;
  /** How far back from the end of the data the series reaches. */
  readonly spanDays: number;
  readonly base: number;
  readonly spread: number;
  readonly decimals: number;
  readonly rhythm: Rhythm;
  /** Cumulative samples cover their interval (end = start + interval); levels are instants. */
  readonly cumulative: boolean;
}

/** Ada lives in New York: daily rhythms follow local time (UTC−5, ignoring DST). */
const LOCAL_OFFSET_MS = -5 * HOUR_MS;

/** Relative activity by local hour: asleep at night, a commute, lunch and an evening walk. */
const ACTIVITY_BY_HOUR = [
  0, 0, 0, 0, 0, 0.05, 0.3, 0.9, 1.2, 0.6, 0.5, 0.7, 1.3, 0.8, 0.5, 0.6, 0.7, 1.1, 1.6, 1.0, 0.6, 0.35, 0.15, 0.02,
];

function localHour(ms: number): number {
  return Math.floor(((((ms + LOCAL_OFFSET_MS) % DAY_MS) + DAY_MS) % DAY_MS) / HOUR_MS);
}

function rounder(decimals: number): (v: number) => number {
  const f = 10 ** decimals;
  return decimals === 0 ? Math.round : (v) => Math.round(v * f) / f;
}

/**
 * A metric's samples as a uniform series ending at `endMs` (exclusive). Values depend only on
 * (seed, sample time), so any page is computed directly from its indices.
 */
export function quantitySeries(seed: number, unitName: string, spec: QuantitySpec, endMs: number): RecordSeries {
  const length = Math.floor((spec.spanDays * DAY_MS) / spec.intervalMs);
  const first = endMs - length * spec.intervalMs;
  const unitJson = JSON.stringify(unitName);
  const round = rounder(spec.decimals);
  const duration = spec.cumulative ? spec.intervalMs : 0;
  const minuteSeed = seed ^ 0x27d4eb2d;
  const value = (t: number): number => {
    const n = Math.floor(t / spec.intervalMs);
    switch (spec.rhythm) {
      case 'steps': {
        const activity = ACTIVITY_BY_HOUR[localHour(t)]!;
        const dayMood = 0.7 + 0.6 * unit(seed, Math.floor(t / DAY_MS));
        return Math.max(0, round(spec.base * activity * dayMood * (1 + 0.35 * wobble(seed, n))));
      }
      case 'heart': {
        const activity = ACTIVITY_BY_HOUR[localHour(t)]!;
        // A few minutes of exertion now and then, as in real per-minute data.
        const burst = unit(minuteSeed, Math.floor(t / (7 * MINUTE_MS))) > 0.985 ? 55 : 0;
        return round(spec.base + 14 * activity + burst + spec.spread * wobble(seed, n));
      }
      default: {
        const drift = Math.sin(t / (90 * DAY_MS)) * spec.spread * 0.5;
        return round(spec.base + drift + spec.spread * wobble(seed, n));
      }
    }
  };
  const series = uniformSeries(
    first,
    spec.intervalMs,
    length,
    (_i, t) =>
      `{"value":${value(t)},"unit":${unitJson},"start_date":"${isoSeconds(t)}","end_date":"${isoSeconds(t + duration)}"}`,
  );
  const valueKey = ascii('{"value":');
  const unitPart = ascii(`,"unit":${unitJson},"start_date":"`);
  const endKey = ascii('","end_date":"');
  const maxRecord = valueKey.length + 24 + unitPart.length + endKey.length + 2 * 20 + 4;
  return {
    ...series,
    writeRange(firstIndex, count, descending, out) {
      const reserved = out.reserve(count * maxRecord);
      const buf = reserved.buf;
      let p = reserved.pos;
      const step = descending ? -1 : 1;
      for (let k = 0, i = firstIndex; k < count; k++, i += step) {
        const t = first + i * spec.intervalMs;
        if (k > 0) buf[p++] = 44;
        buf.set(valueKey, p);
        p += valueKey.length;
        const v = value(t);
        if (Number.isInteger(v) && v >= 0 && v < 1000) {
          if (v >= 100) buf[p++] = 48 + ((v / 100) >>> 0);
          if (v >= 10) buf[p++] = 48 + (((v / 10) >>> 0) % 10);
          buf[p++] = 48 + (v % 10);
        } else {
          p += buf.write(String(v), p, 'latin1');
        }
        buf.set(unitPart, p);
        p += unitPart.length;
        p = writeTime(buf, p, t);
        buf.set(endKey, p);
        p += endKey.length;
        p = writeTime(buf, p, t + duration);
        buf[p++] = 34;
        buf[p++] = 125;
      }
      out.commit(p);
    },
  };
}

/** `YYYY-MM-DDTHH:MM:SSZ` at `p`; returns the position after it. */
function writeTime(buf: Buffer, p: number, ms: number): number {
  const day = Math.floor(ms / DAY_MS);
  const prefix = dayPrefix(day);
  for (let j = 0; j < 11; j++) buf[p + j] = prefix[j]!;
  p += 11;
  const second = Math.floor((ms - day * DAY_MS) / 1000);
  const h = (second / 3600) >>> 0;
  const m = ((second - h * 3600) / 60) >>> 0;
  const s = second - h * 3600 - m * 60;
  buf[p] = 48 + ((h / 10) >>> 0);
  buf[p + 1] = 48 + (h % 10);
  buf[p + 2] = 58;
  buf[p + 3] = 48 + ((m / 10) >>> 0);
  buf[p + 4] = 48 + (m % 10);
  buf[p + 5] = 58;
  buf[p + 6] = 48 + ((s / 10) >>> 0);
  buf[p + 7] = 48 + (s % 10);
  buf[p + 8] = 90;
  return p + 9;
}

const day = (base: number, spread: number, decimals: number, cumulative = false, spanDays = 730): QuantitySpec => ({
  intervalMs: DAY_MS,
  spanDays,
  base,
  spread,
  decimals,
  rhythm: 'flat',
  cumulative,
});

/**
 * Ada's catalogue: steps, distance, energy and exercise minutes per hour, heart rate per minute for
 * 90 days, the rest daily or weekly. A span of 730 days means "her whole history" (see userDatasets.ts).
 */
export const REGULAR_QUANTITY_SPECS: Readonly<Record<string, QuantitySpec>> = {
  stepCount: {
    intervalMs: HOUR_MS,
    spanDays: 730,
    base: 900,
    spread: 0,
    decimals: 0,
    rhythm: 'steps',
    cumulative: true,
  },
  distanceWalkingRunning: {
    intervalMs: HOUR_MS,
    spanDays: 730,
    base: 680,
    spread: 0,
    decimals: 1,
    rhythm: 'steps',
    cumulative: true,
  },
  flightsClimbed: day(11, 6, 0, true),
  activeEnergyBurned: {
    intervalMs: HOUR_MS,
    spanDays: 730,
    base: 38,
    spread: 0,
    decimals: 1,
    rhythm: 'steps',
    cumulative: true,
  },
  basalEnergyBurned: day(1480, 40, 0, true),
  appleExerciseTime: {
    intervalMs: HOUR_MS,
    spanDays: 730,
    base: 3,
    spread: 0,
    decimals: 0,
    rhythm: 'steps',
    cumulative: true,
  },
  appleStandTime: day(190, 45, 0, true),
  heartRate: {
    intervalMs: MINUTE_MS,
    spanDays: 90,
    base: 62,
    spread: 5,
    decimals: 0,
    rhythm: 'heart',
    cumulative: false,
  },
  restingHeartRate: day(57, 3, 0),
  walkingHeartRateAverage: day(98, 6, 0),
  heartRateVariabilitySDNN: day(46, 12, 1),
  vo2Max: { ...day(41.5, 1.6, 1), intervalMs: 7 * DAY_MS },
  walkingSpeed: day(1.34, 0.08, 2),
  bodyMass: day(63.4, 0.9, 1),
  bodyMassIndex: { ...day(22.5, 0.3, 1), intervalMs: 7 * DAY_MS },
  bodyFatPercentage: { ...day(24.8, 1.2, 1), intervalMs: 7 * DAY_MS },
  height: { ...day(168, 0.2, 1), intervalMs: 180 * DAY_MS },
  oxygenSaturation: {
    intervalMs: HOUR_MS,
    spanDays: 365,
    base: 97,
    spread: 1.2,
    decimals: 0,
    rhythm: 'flat',
    cumulative: false,
  },
  respiratoryRate: day(14.5, 1.2, 1),
  bodyTemperature: { ...day(36.6, 0.25, 2), intervalMs: 7 * DAY_MS },
  bloodPressureSystolic: { ...day(117, 7, 0), intervalMs: 3 * DAY_MS },
  bloodPressureDiastolic: { ...day(76, 5, 0), intervalMs: 3 * DAY_MS },
  bloodGlucose: { ...day(92, 9, 0), intervalMs: 2 * DAY_MS },
  dietaryEnergyConsumed: day(2050, 280, 0, true),
  dietaryProtein: day(82, 18, 1, true),
  dietaryCarbohydrates: day(240, 45, 1, true),
  dietaryWater: day(1900, 400, 0, true),
  dietaryCaffeine: day(160, 70, 0, true),
};

/** 2,629,800 samples: five Julian years (1826.25 days) of one sample per minute. */
export const FIVE_YEAR_HEART_RATE: QuantitySpec = {
  intervalMs: MINUTE_MS,
  spanDays: 1826.25,
  base: 63,
  spread: 5,
  decimals: 0,
  rhythm: 'heart',
  cumulative: false,
};
