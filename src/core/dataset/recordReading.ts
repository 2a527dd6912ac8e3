import { type Aggregation, SLEEP_STAGES, type SleepStage } from '../routes';
import { readTimestampMs } from './timeFormats';

/**
 * Reads one record's time span, sleep stage, source, number, unit, calculation type and time zone
 * under every naming the API may use. The docs show no record shapes, and 121 Health's own exports
 * use other names than HealthKit (`time_in_bed_start`, `LIGHT`, `2022-01-19 07:53:00+00`, …), so
 * the hypnogram, the chart and the table read records through here, never by one fixed name.
 * Pure: no store, no clock.
 */

export type RecordObject = Record<string, unknown>;

/** How a chart bucket summarises its values: the catalogue's two, plus the record's MIN and MAX. */
export type SeriesAggregation = Aggregation | 'min' | 'max';

export const START_FIELDS = [
  'start_date',
  'startDate',
  'start',
  'time_in_bed_start',
  'timeInBedStart',
  'start_time',
  'startTime',
] as const;
export const END_FIELDS = [
  'end_date',
  'endDate',
  'end',
  'time_in_bed_end',
  'timeInBedEnd',
  'end_time',
  'endTime',
] as const;
/** Where a quantity's single time stands when it has one: the span's start names, then point names. */
export const TIME_FIELDS = [...START_FIELDS, 'date', 'timestamp', 'time', 'created_at'] as const;
export const STAGE_FIELDS = ['stage', 'value', 'type', 'name', 'sleep_stage'] as const;
export const STAGE_LIST_FIELDS = ['stages', 'segments', 'sleep_stages', 'sleepStages'] as const;
export const SOURCE_FIELDS = ['log_method', 'logMethod', 'source', 'source_name', 'sourceName', 'device'] as const;

export function isRecordObject(value: unknown): value is RecordObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The first of `names` the record has, with the name it was found under. */
export function fieldOf(record: RecordObject, names: readonly string[]): { name: string; value: unknown } | undefined {
  for (const name of names) {
    if (Object.prototype.hasOwnProperty.call(record, name)) return { name, value: record[name] };
  }
  return undefined;
}

/** A number, or a number sent as a string (`"72"`, `" 1.5 "`); undefined for anything else. */
export function readNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}

const ZONED = /(Z|[+-]\d{2}(:?\d{2})?)$/i;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/;
/** Below this an epoch number is seconds: 1e11 ms is early 1973, 1e11 s is the year 5138. */
const EPOCH_SECONDS_BELOW = 1e11;

/**
 * Epoch ms of a timestamp: ISO 8601 with `T` or a space, `Z`, `+00`, `+0000` or `+00:00`, a date
 * alone, or epoch seconds or milliseconds (also as a string). A date and time without a zone is
 * read as UTC, the same on every machine.
 */
export function readTime(value: unknown): number | undefined {
  if (typeof value === 'number') return epochMs(value);
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return epochMs(Number(text));
  return readTimestampText(value);
}

/**
 * Epoch ms of a timestamp written as a date (`readTime`'s text forms without epoch numbers): what a
 * filter compares with a date literal, where a bare number is a number, not a time.
 */
export function readTimestampText(value: string): number | undefined {
  const exact = readTimestampMs(value);
  if (exact !== undefined) return exact;
  const text = value.trim();
  if (!/^\d{4}-\d{2}-\d{2}/.test(text)) return undefined;
  let iso = text.replace(' ', 'T');
  if (DATE_TIME.test(text)) {
    if (!ZONED.test(iso)) iso += 'Z';
    // `+00` and `+0530` become `+00:00` and `+05:30`, the forms every engine reads.
    iso = iso.replace(
      /([+-]\d{2})(\d{2})?$/,
      (_, hours: string, minutes: string | undefined) => `${hours}:${minutes ?? '00'}`,
    );
  }
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? ms : undefined;
}

/**
 * When a record happened (its start): the first time field it has that reads as a time, under any
 * naming (`start_date`, `start`, `time_in_bed_start`, `date`, `created_at`, …); undefined without one.
 */
export function recordTime(record: unknown): number | undefined {
  if (!isRecordObject(record)) return undefined;
  for (const name of TIME_FIELDS) {
    if (!Object.prototype.hasOwnProperty.call(record, name)) continue;
    const ms = readTime(record[name]);
    if (ms !== undefined) return ms;
  }
  return undefined;
}

function epochMs(n: number): number | undefined {
  if (!Number.isFinite(n) || n < 0) return undefined;
  return n < EPOCH_SECONDS_BELOW ? n * 1000 : n;
}

/** Duration field names and the milliseconds in one of their units. */
const DURATION_FIELDS: readonly (readonly [string, number])[] = [
  ['duration_seconds', 1000],
  ['durationSeconds', 1000],
  ['seconds', 1000],
  ['duration_minutes', 60_000],
  ['durationMinutes', 60_000],
  ['minutes', 60_000],
  ['duration_ms', 1],
];
const DURATION_UNITS: Record<string, number> = {
  ms: 1,
  millisecond: 1,
  milliseconds: 1,
  s: 1000,
  sec: 1000,
  secs: 1000,
  second: 1000,
  seconds: 1000,
  min: 60_000,
  mins: 60_000,
  minute: 60_000,
  minutes: 60_000,
  h: 3_600_000,
  hr: 3_600_000,
  hour: 3_600_000,
  hours: 3_600_000,
};

/**
 * A record's duration in ms: from a field named for its unit (`duration_minutes`, `seconds`, …), or
 * `duration` in the unit `duration_unit` names, else in seconds (HealthKit's unit for durations).
 */
export function readDurationMs(record: RecordObject): number | undefined {
  for (const [name, unitMs] of DURATION_FIELDS) {
    const n = readNumber(record[name]);
    if (n !== undefined && Object.prototype.hasOwnProperty.call(record, name)) return n * unitMs;
  }
  const n = readNumber(record.duration);
  if (n === undefined) return undefined;
  const unit = record.duration_unit ?? record.durationUnit;
  const unitMs = typeof unit === 'string' ? DURATION_UNITS[unit.trim().toLowerCase()] : 1000;
  return unitMs === undefined ? undefined : n * unitMs;
}

export interface TimeSpan {
  readonly start: number;
  readonly end: number;
}

export type SpanReading =
  | { readonly span: TimeSpan }
  /** `field` names what was missing or not understood, for the view to say. */
  | { readonly span: undefined; readonly field: string };

/** A record's [start, end): start and end under any naming, or a start plus a duration. */
export function readSpan(record: RecordObject): SpanReading {
  const startField = fieldOf(record, START_FIELDS);
  if (!startField) return { span: undefined, field: 'start' };
  const start = readTime(startField.value);
  if (start === undefined) return { span: undefined, field: startField.name };
  const endField = fieldOf(record, END_FIELDS);
  if (endField) {
    const end = readTime(endField.value);
    return end === undefined ? { span: undefined, field: endField.name } : { span: { start, end } };
  }
  const duration = readDurationMs(record);
  return duration === undefined ? { span: undefined, field: 'end' } : { span: { start, end: start + duration } };
}

const HEALTHKIT_PREFIX = 'hkcategoryvaluesleepanalysis';
/** Stage spellings folded to lower case without separators, and the stage each one means. */
const STAGE_ALIASES: Record<string, SleepStage> = {
  awake: 'awake',
  wake: 'awake',
  rem: 'asleepREM',
  asleeprem: 'asleepREM',
  light: 'asleepCore',
  core: 'asleepCore',
  asleepcore: 'asleepCore',
  asleeplight: 'asleepCore',
  deep: 'asleepDeep',
  asleepdeep: 'asleepDeep',
  inbed: 'inBed',
  asleep: 'asleepUnspecified',
  unspecified: 'asleepUnspecified',
  asleepunspecified: 'asleepUnspecified',
};

/**
 * The stage a name means, in any case or convention: HealthKit (`asleepCore`,
 * `HKCategoryValueSleepAnalysisAsleepCore`) or export style (`LIGHT`, `ASLEEP_UNSPECIFIED`,
 * `IN_BED`); undefined for a name it does not know.
 */
export function readStage(name: string): SleepStage | undefined {
  let folded = name.toLowerCase().replace(/[^a-z]/g, '');
  if (folded.startsWith(HEALTHKIT_PREFIX)) folded = folded.slice(HEALTHKIT_PREFIX.length);
  return STAGE_ALIASES[folded];
}

/** Row of a stage in `SLEEP_STAGES` (awake first), or -1 for a name it does not know. */
export function stageLevel(stage: string): number {
  return (SLEEP_STAGES as readonly string[]).indexOf(stage);
}

/** Which device or app logged a record (`log_method: "WATCH"`, `source: …`), when it says. */
export function readSource(record: RecordObject): string | undefined {
  const found = fieldOf(record, SOURCE_FIELDS);
  const value = found?.value;
  if (typeof value === 'string' && value.trim() !== '') return value.trim();
  if (isRecordObject(value) && typeof value.name === 'string') return value.name;
  return undefined;
}

/** The stage list of a sleep session, under any of its names. */
export function readStageList(record: RecordObject): unknown[] | undefined {
  const found = fieldOf(record, STAGE_LIST_FIELDS);
  return Array.isArray(found?.value) ? found.value : undefined;
}

const CALCULATIONS: Record<string, SeriesAggregation> = {
  cumulative: 'sum',
  sum: 'sum',
  total: 'sum',
  discrete: 'average',
  average: 'average',
  avg: 'average',
  mean: 'average',
  min: 'min',
  minimum: 'min',
  max: 'max',
  maximum: 'max',
};

export type CalculationReading =
  { readonly aggregation: SeriesAggregation } | { readonly aggregation: undefined; readonly notUnderstood?: string };

/** A quantity record's `calculation_type` (CUMULATIVE → sum, DISCRETE → mean, MIN, MAX). */
export function readCalculation(record: RecordObject): CalculationReading {
  const found = fieldOf(record, ['calculation_type', 'calculationType', 'aggregation']);
  if (!found) return { aggregation: undefined };
  const text = typeof found.value === 'string' ? found.value.trim().toLowerCase() : '';
  const aggregation = CALCULATIONS[text];
  return aggregation ? { aggregation } : { aggregation: undefined, notUnderstood: found.name };
}

/** A quantity record's own unit (`unit`, or `unit` inside its `value` object). */
export function readUnit(record: RecordObject): string | undefined {
  const unit = fieldOf(record, ['unit', 'units'])?.value;
  if (typeof unit === 'string' && unit.trim() !== '') return unit.trim();
  return undefined;
}

/** A record's time zone name (`timezone`, `time_zone`, `tz`), when it has one. */
export function readTimezone(record: RecordObject): string | undefined {
  const zone = fieldOf(record, ['timezone', 'time_zone', 'timeZone', 'tz'])?.value;
  return typeof zone === 'string' && zone.trim() !== '' ? zone.trim() : undefined;
}

const FIXED_OFFSET = /^(?:UTC|GMT)?\s*([+-])(\d{1,2})(?::?(\d{2}))?$/i;
const HOUR_MS = 3_600_000;

/**
 * Offsets of time zones from UTC, by instant: a zone given as an offset (`+01:00`, `UTC-5`) or an
 * IANA name (`Europe/Berlin`). Remembers the last hour asked per zone, as records come in time order.
 */
export class TimezoneOffsets {
  private readonly formats = new Map<string, Intl.DateTimeFormat | number | null>();
  private readonly lastHour = new Map<string, { hour: number; offset: number }>();

  /** Offset in ms at `ms` (local = UTC + offset), or undefined for a zone it does not know. */
  offsetMs(zone: string, ms: number): number | undefined {
    let format = this.formats.get(zone);
    if (format === undefined) {
      format = makeFormat(zone);
      this.formats.set(zone, format);
    }
    if (format === null) return undefined;
    if (typeof format === 'number') return format;
    const hour = Math.floor(ms / HOUR_MS);
    const last = this.lastHour.get(zone);
    if (last?.hour === hour) return last.offset;
    const offset = offsetFromParts(format, hour * HOUR_MS);
    this.lastHour.set(zone, { hour, offset });
    return offset;
  }
}

function makeFormat(zone: string): Intl.DateTimeFormat | number | null {
  if (/^(UTC|GMT|Z)$/i.test(zone)) return 0;
  const fixed = FIXED_OFFSET.exec(zone);
  if (fixed) {
    const minutes = Number(fixed[2]) * 60 + Number(fixed[3] ?? 0);
    return (fixed[1] === '-' ? -1 : 1) * minutes * 60_000;
  }
  try {
    return new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    });
  } catch {
    return null;
  }
}

function offsetFromParts(format: Intl.DateTimeFormat, ms: number): number {
  const parts: Record<string, number> = {};
  for (const part of format.formatToParts(ms)) parts[part.type] = Number(part.value);
  const local = Date.UTC(
    parts.year ?? 1970,
    (parts.month ?? 1) - 1,
    parts.day ?? 1,
    parts.hour ?? 0,
    parts.minute ?? 0,
  );
  return local - (ms - (ms % 60_000));
}
