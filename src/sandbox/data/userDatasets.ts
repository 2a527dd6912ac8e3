import { METRICS, type Scope } from '../../core/routes';
import { DAY_MS, HOUR_MS, MINUTE_MS } from '../clock';
import type { DemoUser } from '../demoAccounts';
import { isoSeconds } from '../isoFormat';
import { seededUuid, seedOf } from '../seeded';
import { EMPTY_SERIES, listSeries, type ListedRecord, type RecordSeries } from '../series';
import { lazy, type IntakeItem, type SleepOptions, type UserDataset } from './dataset';
import { deeplyNestedJson, hostileAt, HOSTILE_STRINGS, longString, PROTOTYPE_KEYS_JSON } from './hostileStrings';
import { FIVE_YEAR_HEART_RATE, quantitySeries, REGULAR_QUANTITY_SPECS } from './quantitySeries';
import { labRecords, medicationItems, supplementItems, type LabRecord } from './records';
import { sleepSeries, workoutRecords, type WorkoutRecord } from './sessions';

const TWO_YEARS_DAYS = 730;
/** Ada's history starts here (or two years back, if later), so the docs' January 2022 examples return data. */
const ADA_HISTORY_START = Date.UTC(2021, 11, 1);

interface ProfileFacts {
  readonly createdAt: number;
  readonly homeTimezone: string;
  readonly extraJson: string;
}

function profileJson(user: DemoUser, facts: ProfileFacts, scopes: readonly Scope[]): string {
  return (
    `{"user_id":"${user.userId}","created_at":"${isoSeconds(facts.createdAt)}","home_timezone":${JSON.stringify(facts.homeTimezone)},` +
    `"scopes":${JSON.stringify(scopes)},"display_name":${JSON.stringify(user.name)}${facts.extraJson}}`
  );
}

function filtered<T extends ListedRecord>(records: () => readonly T[], keep: (r: T) => boolean): RecordSeries {
  return listSeries(records().filter(keep));
}

function regularDataset(user: DemoUser, endMs: number): UserDataset {
  const seed = seedOf(user.userId);
  const days = Math.max(TWO_YEARS_DAYS, Math.round((endMs - ADA_HISTORY_START) / DAY_MS));
  const quantity = new Map<string, RecordSeries>();
  const workouts = lazy(() => workoutRecords(seed, days, endMs));
  const labs = lazy(() => labRecords(seed, user.userId, days, endMs));
  const supplements = lazy(() => supplementItems(seed, days, endMs));
  const medications = lazy(() => medicationItems(seed, days, endMs));
  const facts: ProfileFacts = {
    createdAt: endMs - (days + 12) * DAY_MS + 15 * HOUR_MS,
    homeTimezone: 'America/New_York',
    extraJson:
      ',"biological_sex":"female","date_of_birth":"1988-12-10","height_cm":168,"blood_type":"A+","wheelchair_use":false',
  };
  return {
    quantity(metric) {
      let series = quantity.get(metric);
      if (!series) {
        const spec = REGULAR_QUANTITY_SPECS[metric];
        const unit = METRICS.find((m) => m.name === metric)?.unit;
        series =
          spec && unit
            ? quantitySeries(
                seedOf(user.userId + metric),
                unit,
                { ...spec, spanDays: spec.spanDays === TWO_YEARS_DAYS ? days : spec.spanDays },
                endMs,
              )
            : EMPTY_SERIES;
        quantity.set(metric, series);
      }
      return series;
    },
    sleep: (options: SleepOptions) => sleepSeries(seed, days, endMs, options),
    workouts: (type) => filtered<WorkoutRecord>(workouts, (w) => type === undefined || w.type === type),
    labs: (type) => filtered<LabRecord>(labs, (l) => type === undefined || l.metric === type),
    supplements,
    medications,
    profileJson: (scopes) => profileJson(user, facts, scopes),
  };
}

function fiveYearDataset(user: DemoUser, endMs: number): UserDataset {
  const heartRate = lazy(() =>
    quantitySeries(seedOf(user.userId + 'heartRate'), 'count/min', FIVE_YEAR_HEART_RATE, endMs),
  );
  const facts: ProfileFacts = {
    createdAt: endMs - 1830 * DAY_MS + 9 * HOUR_MS,
    homeTimezone: 'Europe/Berlin',
    extraJson:
      ',"biological_sex":"male","date_of_birth":"1975-03-02","height_cm":181,"blood_type":"0-","wheelchair_use":false',
  };
  return {
    ...emptyParts(),
    quantity: (metric) => (metric === 'heartRate' ? heartRate() : EMPTY_SERIES),
    profileJson: (scopes) => profileJson(user, facts, scopes),
  };
}

function emptyParts(): Omit<UserDataset, 'profileJson'> {
  return {
    quantity: () => EMPTY_SERIES,
    sleep: () => EMPTY_SERIES,
    workouts: () => EMPTY_SERIES,
    labs: () => EMPTY_SERIES,
    supplements: () => [],
    medications: () => [],
  };
}

function emptyDataset(user: DemoUser, endMs: number): UserDataset {
  const facts: ProfileFacts = { createdAt: endMs - 3 * DAY_MS + 10 * HOUR_MS, homeTimezone: 'UTC', extraJson: '' };
  return { ...emptyParts(), profileJson: (scopes) => profileJson(user, facts, scopes) };
}

/**
 * Records whose strings are hostile: every string field rotates through the payloads; one record
 * has a 200,000-character value, one is nested 1,000 deep, one carries prototype-polluting keys.
 */
function hostileDataset(user: DemoUser, endMs: number): UserDataset {
  const seed = seedOf(user.userId);
  const h = (i: number): string => JSON.stringify(hostileAt(i));
  const count = 60;
  const timeOf = (i: number): number => endMs - (count - i) * HOUR_MS;
  const oddity = (i: number): string => {
    if (i === count - 1) return `,"note":${JSON.stringify(longString(200_000))}`;
    if (i === count - 2) return `,"metadata":${deeplyNestedJson(1000)}`;
    if (i === count - 3) return `,"metadata":${PROTOTYPE_KEYS_JSON}`;
    return `,"metadata":{${h(i + 1)}:${h(i + 2)}}`;
  };
  const quantity = lazy(() =>
    listSeries(
      Array.from({ length: count }, (_, i) => ({
        time: timeOf(i),
        json: `{"value":${60 + (i % 40)},"unit":"count/min","start_date":"${isoSeconds(timeOf(i))}","end_date":"${isoSeconds(timeOf(i))}","source":${h(i)}${oddity(i)}}`,
      })),
    ),
  );
  const sleep = (options: SleepOptions): RecordSeries => sleepSeries(seed, 14, endMs, options, hostileAt(3));
  const workouts = lazy(() => workoutRecords(seed, 30, endMs, hostileAt(0)));
  const labs = lazy((): LabRecord[] =>
    HOSTILE_STRINGS.map((s, i) => ({
      time: endMs - (20 - i) * DAY_MS,
      metric: 'serumALT',
      json:
        `{"display_name":${JSON.stringify(s)},"fhir_id":${h(i + 4)},"user_id":"${user.userId}","loinc":"1742-6","unit_string":${h(i + 1)},` +
        `"value":${20 + i},"lab_metric":"serumALT","sample_type":${h(i + 2)},"date":"${isoSeconds(endMs - (20 - i) * DAY_MS, '+00:00')}"${oddity(i + 40)}}`,
    })),
  );
  const intake = (salt: number): IntakeItem[] =>
    HOSTILE_STRINGS.slice(0, 5).map((s, i) => {
      const id = seededUuid(seed + salt, i);
      const logs: ListedRecord[] = [0, 1, 2].map((k) => {
        const time = endMs - (10 - i - k) * DAY_MS + 8 * HOUR_MS + k * MINUTE_MS;
        return {
          time,
          json: `{"id":"${seededUuid(seed + salt + 1, i * 10 + k)}","created_at":"${isoSeconds(time)}","note":${h(i + k)}}`,
        };
      });
      const details = `{"brand":${JSON.stringify(s)},"servings":${h(i + 1)},"id":"${id}","name":${h(i + 2)},"upc":${h(i + 3)},"active_ingredient":${h(i + 4)}}`;
      return { id, detailsJson: details, logs };
    });
  const supplements = lazy(() => intake(1));
  const medications = lazy(() => intake(2));
  const facts: ProfileFacts = {
    createdAt: endMs - 40 * DAY_MS,
    homeTimezone: 'America/New_York',
    extraJson: `,"biological_sex":${h(0)},"date_of_birth":${h(5)},"bio":${JSON.stringify(longString(100_000))},"preferences":${PROTOTYPE_KEYS_JSON},"nested":${deeplyNestedJson(1000)}`,
  };
  return {
    quantity: (metric) => (metric === 'heartRate' || metric === 'stepCount' ? quantity() : EMPTY_SERIES),
    sleep,
    workouts: (type) => filtered<WorkoutRecord>(workouts, (w) => type === undefined || w.type === type),
    labs: (type) => filtered<LabRecord>(labs, (l) => type === undefined || l.metric === type),
    supplements,
    medications,
    profileJson: (scopes) => profileJson(user, facts, scopes),
  };
}

/** The dataset of a demo user; data ends at `endMs` (the start of the UTC day the sandbox started). */
export function datasetFor(user: DemoUser, endMs: number): UserDataset {
  switch (user.kind) {
    case 'regular':
      return regularDataset(user, endMs);
    case 'fiveYearHeartRate':
      return fiveYearDataset(user, endMs);
    case 'hostile':
      return hostileDataset(user, endMs);
    case 'empty':
      return emptyDataset(user, endMs);
  }
}
