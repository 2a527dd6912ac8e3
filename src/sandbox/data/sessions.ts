import { DAY_MS, HOUR_MS, MINUTE_MS } from '../clock';
import { isoSeconds } from '../isoFormat';
import { hash32, pick, seededUuid, unit, wobble } from '../seeded';
import { uniformSeries, type ListedRecord, type RecordSeries } from '../series';
import type { SleepOptions } from './dataset';

const LOCAL_OFFSET_MS = -5 * HOUR_MS;

interface Stage {
  readonly stage: string;
  readonly start: number;
  readonly end: number;
}

/**
 * One night's HealthKit-style stage timeline: a few minutes awake, then ~90-minute cycles of
 * core → deep → core → REM (deep early in the night, REM late), with brief awakenings.
 */
function nightStages(seed: number, night: number, start: number, end: number): Stage[] {
  const stages: Stage[] = [];
  let t = start;
  const push = (stage: string, minutes: number): void => {
    const to = Math.min(end, t + Math.max(1, Math.round(minutes)) * MINUTE_MS);
    if (to > t) stages.push({ stage, start: t, end: to });
    t = to;
  };
  push('awake', 4 + 10 * unit(seed, night * 31));
  for (let cycle = 0; t < end; cycle++) {
    const r = (k: number): number => unit(seed, night * 31 + cycle * 5 + k);
    push('asleepCore', 25 + 15 * r(1));
    push('asleepDeep', Math.max(4, 30 - cycle * 7 + 10 * r(2)));
    push('asleepCore', 15 + 10 * r(3));
    push('asleepREM', 10 + cycle * 6 + 8 * r(4));
    if (r(5) > 0.6) push('awake', 1 + 4 * r(6));
  }
  return stages;
}

/** Nightly sessions, one per night for `nights` nights ending the night before `endMs`. */
export function sleepSeries(
  seed: number,
  nights: number,
  endMs: number,
  options: SleepOptions,
  source = 'Apple Watch',
): RecordSeries {
  const firstNight = endMs - nights * DAY_MS;
  const sourceJson = JSON.stringify(source);
  return uniformSeries(firstNight, DAY_MS, nights, (i, midnightMs) => {
    // Bedtime 22:00–23:30 local, so in UTC the session starts 03:00–04:30 the same day.
    const start = midnightMs - LOCAL_OFFSET_MS - 2 * HOUR_MS + Math.round(90 * unit(seed, i)) * MINUTE_MS;
    const end = start + Math.round((6.4 + 1.8 * unit(seed, i + 100_000)) * 60) * MINUTE_MS;
    const stages = nightStages(seed, i, start, end);
    let asleep = 0;
    let awakenings = 0;
    for (const s of stages) {
      if (s.stage === 'awake') awakenings++;
      else asleep += s.end - s.start;
    }
    const inBed = end - start;
    let json =
      `{"id":"${seededUuid(seed, i)}","start_date":"${isoSeconds(start)}","end_date":"${isoSeconds(end)}",` +
      `"time_in_bed":${inBed / 1000},"time_asleep":${asleep / 1000},"source":${sourceJson}`;
    if (options.stages) {
      json += `,"stages":[${stages.map((s) => `{"stage":"${s.stage}","start_date":"${isoSeconds(s.start)}","end_date":"${isoSeconds(s.end)}"}`).join(',')}]`;
    }
    if (options.metrics) {
      const hr = Math.round(54 + 3 * wobble(seed, i));
      json +=
        `,"metrics":{"heart_rate_average":${hr},"heart_rate_min":${hr - 6 - (hash32(seed, i) % 4)},` +
        `"hrv_sdnn_average":${Math.round((48 + 9 * wobble(seed, i + 7)) * 10) / 10},` +
        `"respiratory_rate_average":${Math.round((14.2 + 0.8 * wobble(seed, i + 9)) * 10) / 10},` +
        `"oxygen_saturation_average":${Math.round((96.4 + 0.8 * wobble(seed, i + 11)) * 10) / 10},` +
        `"efficiency":${Math.round((asleep / inBed) * 1000) / 1000},"awakenings":${Math.max(0, awakenings - 1)}}`;
    }
    return `${json}}`;
  });
}

const WORKOUT_MIX = [
  'traditionalStrengthTraining',
  'running',
  'running',
  'walking',
  'walking',
  'cycling',
  'yoga',
  'highIntensityIntervalTraining',
  'swimming',
  'hiking',
  'functionalStrengthTraining',
  'pilates',
];
const DISTANCE_TYPES = new Set(['running', 'walking', 'cycling', 'swimming', 'hiking']);
const SPEED_M_PER_MIN: Record<string, number> = { running: 170, walking: 85, cycling: 350, swimming: 35, hiking: 60 };

export interface WorkoutRecord extends ListedRecord {
  readonly type: string;
}

/** About four workouts a week for `days` days before `endMs`; small enough to keep in memory. */
export function workoutRecords(seed: number, days: number, endMs: number, source = 'Apple Watch'): WorkoutRecord[] {
  const out: WorkoutRecord[] = [];
  const sourceJson = JSON.stringify(source);
  for (let d = 0; d < days; d++) {
    if (unit(seed, d) > 0.58) continue;
    const type = pick(WORKOUT_MIX, seed, d + 7);
    const midnight = endMs - (days - d) * DAY_MS;
    const start =
      midnight -
      LOCAL_OFFSET_MS +
      (7 + Math.floor(12 * unit(seed, d + 3))) * HOUR_MS +
      Math.floor(60 * unit(seed, d + 5)) * MINUTE_MS;
    const minutes = Math.round(25 + 50 * unit(seed, d + 9));
    const end = start + minutes * MINUTE_MS;
    const energy = Math.round(minutes * (6 + 5 * unit(seed, d + 11)) * 10) / 10;
    const distance = DISTANCE_TYPES.has(type)
      ? `{"value":${Math.round(minutes * SPEED_M_PER_MIN[type]! * (0.85 + 0.3 * unit(seed, d + 13)))},"unit":"m"}`
      : 'null';
    const avgHr = Math.round(118 + 30 * unit(seed, d + 15));
    const json =
      `{"id":"${seededUuid(seed ^ 0x5a5a, d)}","type":"${type}","start_date":"${isoSeconds(start)}","end_date":"${isoSeconds(end)}",` +
      `"duration":${minutes * 60},"active_energy_burned":{"value":${energy},"unit":"kcal"},"distance":${distance},` +
      `"average_heart_rate":${avgHr},"max_heart_rate":${avgHr + 15 + (hash32(seed, d) % 25)},"source":${sourceJson}}`;
    out.push({ time: start, json, type });
  }
  return out;
}
