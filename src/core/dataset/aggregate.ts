import type { Aggregation } from '../routes';
import { CancelledError, DEFAULT_SLICE_MS, yieldToEventLoop } from './cooperative';
import type { LeafColumn } from './leafColumn';
import { valueAtPath } from './recordMatcher';
import {
  isRecordObject,
  readCalculation,
  readNumber,
  readTime,
  readTimezone,
  readUnit,
  type SeriesAggregation,
  TIME_FIELDS,
  TimezoneOffsets,
} from './recordReading';
import type { ResultStore } from './resultStore';

/**
 * A quantity metric over time, bucketed for a chart, from the whole result (not just the visible
 * page). Buckets are in UTC: a day starts at 00:00 UTC, a week is an ISO 8601 week (Monday 00:00
 * UTC), a month starts on the 1st at 00:00 UTC; a record with a `timezone` counts in its own local
 * day instead (the bucket's start is then that local date at 00:00, written as UTC). Cumulative
 * metrics (steps) are summed; rates and levels (heart rate) are averaged, with their min and max for
 * a range band. The record's own `calculation_type` and `unit` come ahead of the catalogue's.
 */

export type BucketSize = 'day' | 'week' | 'month';

export interface AggregateOptions {
  readonly bucket: BucketSize;
  /**
   * `aggregation` of the metric in `src/core/routes.ts` (`metricByName(m)?.aggregation`): used when
   * the records carry no `calculation_type`.
   */
  readonly aggregation: Aggregation;
  /** Field holding the number; default `value`. */
  readonly valuePath?: readonly string[];
  /** Field holding the time; default the first of start_date, startDate, date, created_at present. */
  readonly timePath?: readonly string[];
  readonly signal?: AbortSignal;
  readonly sliceMs?: number;
}

/** Parallel arrays, one entry per non-empty bucket, in time order; `value` is what to draw. */
export interface AggregateSeries {
  readonly bucket: BucketSize;
  /** From the records' `calculation_type` when they have one, else the catalogue's. */
  readonly aggregation: SeriesAggregation;
  /** The records' own unit, when they name one. */
  readonly unit: string | undefined;
  /** Epoch ms (UTC) of each bucket's start. */
  readonly bucketStart: number[];
  /** The sum (cumulative metrics), the mean (rates), or the minimum or maximum of each bucket. */
  readonly value: number[];
  readonly min: number[];
  readonly max: number[];
  readonly count: number[];
  /** Records without a number value or a readable time. */
  readonly skippedRecords: number;
  /** Fields that were present but not understood, for the view to say (`calculation_type "MEDIAN"`). */
  readonly notUnderstood: string[];
}

const DAY_MS = 86_400_000;
/** Rows between clock checks: ~100 ns a row, so a chunk is a couple of milliseconds. */
const CHUNK_ROWS = 16_384;

/** Start (epoch ms) of the bucket holding `ms`, plus the next bucket's start. */
export function bucketBounds(bucket: BucketSize, ms: number): [number, number] {
  const day = Math.floor(ms / DAY_MS);
  switch (bucket) {
    case 'day':
      return [day * DAY_MS, (day + 1) * DAY_MS];
    case 'week': {
      // 1970-01-01 was a Thursday: day -3 is the Monday of ISO week 1970-W01.
      const week = Math.floor((day + 3) / 7);
      return [(week * 7 - 3) * DAY_MS, (week * 7 + 4) * DAY_MS];
    }
    case 'month': {
      const d = new Date(ms);
      const y = d.getUTCFullYear();
      const m = d.getUTCMonth();
      return [Date.UTC(y, m, 1), Date.UTC(y, m + 1, 1)];
    }
  }
}

interface Bucket {
  readonly start: number;
  sum: number;
  min: number;
  max: number;
  count: number;
}

class Buckets {
  private readonly byStart = new Map<number, Bucket>();
  /** The bucket of the last value and its bounds: records come in time order, so most land in it. */
  private current: Bucket | undefined;
  private currentEnd = -Infinity;

  constructor(private readonly size: BucketSize) {}

  add(ms: number, value: number): void {
    let bucket = this.current;
    if (bucket === undefined || ms < bucket.start || ms >= this.currentEnd) {
      const [from, to] = bucketBounds(this.size, ms);
      bucket = this.byStart.get(from);
      if (bucket === undefined) {
        bucket = { start: from, sum: 0, min: Infinity, max: -Infinity, count: 0 };
        this.byStart.set(from, bucket);
      }
      this.current = bucket;
      this.currentEnd = to;
    }
    bucket.sum += value;
    bucket.count++;
    if (value < bucket.min) bucket.min = value;
    if (value > bucket.max) bucket.max = value;
  }

  series(measure: Measure, bucket: BucketSize, skipped: number): AggregateSeries {
    const ordered = [...this.byStart.values()].sort((a, b) => a.start - b.start);
    const { aggregation } = measure;
    const valueOf = (b: Bucket): number =>
      aggregation === 'sum' ? b.sum : aggregation === 'min' ? b.min : aggregation === 'max' ? b.max : b.sum / b.count;
    return {
      bucket,
      aggregation,
      unit: measure.unit,
      bucketStart: ordered.map((b) => b.start),
      value: ordered.map(valueOf),
      min: ordered.map((b) => b.min),
      max: ordered.map((b) => b.max),
      count: ordered.map((b) => b.count),
      skippedRecords: skipped,
      notUnderstood: measure.notUnderstood,
    };
  }
}

interface Measure {
  readonly aggregation: SeriesAggregation;
  readonly unit: string | undefined;
  readonly notUnderstood: string[];
}

function firstHasTimezone(store: ResultStore): boolean {
  const first = store.count > 0 ? store.getRecord(0) : undefined;
  return isRecordObject(first) && readTimezone(first) !== undefined;
}

/** How to summarise the result: the first record's own calculation type and unit, else the catalogue's. */
function measureOf(store: ResultStore, fallback: Aggregation): Measure {
  const first = store.count > 0 ? store.getRecord(0) : undefined;
  if (!isRecordObject(first)) return { aggregation: fallback, unit: undefined, notUnderstood: [] };
  const calculation = readCalculation(first);
  const notUnderstood: string[] = [];
  if (calculation.aggregation === undefined && calculation.notUnderstood !== undefined) {
    const value = String(first[calculation.notUnderstood]).slice(0, 40);
    notUnderstood.push(`${calculation.notUnderstood} "${value}" (the catalogue's ${fallback} is used)`);
  }
  return { aggregation: calculation.aggregation ?? fallback, unit: readUnit(first), notUnderstood };
}

/** Buckets the metric of every record in `store`; yields to the event loop between slices. */
export async function aggregateQuantity(store: ResultStore, options: AggregateOptions): Promise<AggregateSeries> {
  const valuePath = options.valuePath ?? ['value'];
  const shape = store.columns;
  const timePath = options.timePath ?? [
    TIME_FIELDS.find((f) => shape?.leafByPath([f])) ??
      TIME_FIELDS.find((f) => store.count > 0 && valueAtPath(store.getRecord(0), [f]) !== undefined) ??
      'start_date',
  ];
  const measure = measureOf(store, options.aggregation);
  const buckets = new Buckets(options.bucket);
  const zones = new TimezoneOffsets();
  const unknownZones = new Set<string>();
  const sliceMs = options.sliceMs ?? DEFAULT_SLICE_MS;
  let skipped = 0;
  let sliceStart = performance.now();
  const pause = async (): Promise<void> => {
    if (options.signal?.aborted) throw new CancelledError();
    if (performance.now() - sliceStart >= sliceMs) {
      await yieldToEventLoop();
      sliceStart = performance.now();
    }
  };

  const valueLeaf = shape?.leafByPath(valuePath);
  const timeLeaf = shape?.leafByPath(timePath);
  const columnarRows = store.columnarRecordCount;
  // Records with their own time zone are bucketed one by one, in their local days.
  const zoned = shape?.leafByPath(['timezone']) !== undefined || firstHasTimezone(store);
  if (columnarRows > 0 && !zoned && valueLeaf?.kind === 'number' && timeLeaf?.kind === 'time') {
    skipped += await aggregateColumns({ value: valueLeaf, time: timeLeaf, rows: columnarRows }, buckets, pause);
    const fallbackRows = store.fallbackRowIndexes;
    for (let k = 0; k < fallbackRows.length; k++) {
      if (!addRecord(store.getRecord(fallbackRows.get(k)))) skipped++;
      if (k % 256 === 255) await pause();
    }
  } else {
    // No usable columns (numbers as text, times in an unusual layout, time zones, irregular records): record by record.
    for (let row = 0; row < store.count; row++) {
      if (!addRecord(store.getRecord(row))) skipped++;
      if (row % 1024 === 1023) await pause();
    }
  }
  for (const zone of unknownZones) measure.notUnderstood.push(`timezone "${zone.slice(0, 40)}" (UTC days are used)`);
  return buckets.series(measure, options.bucket, skipped);

  function addRecord(record: unknown): boolean {
    const value = readNumber(valueAtPath(record, valuePath));
    const ms = readTime(valueAtPath(record, timePath));
    if (value === undefined || ms === undefined) return false;
    buckets.add(ms + offsetOf(record, ms), value);
    return true;
  }

  function offsetOf(record: unknown, ms: number): number {
    const zone = isRecordObject(record) ? readTimezone(record) : undefined;
    if (zone === undefined) return 0;
    const offset = zones.offsetMs(zone, ms);
    if (offset === undefined && unknownZones.size < 10) unknownZones.add(zone);
    return offset ?? 0;
  }
}

/** The columns a chart reads: each record's number and its time, for the first `rows` records. */
interface ChartColumns {
  readonly value: LeafColumn;
  readonly time: LeafColumn;
  readonly rows: number;
}

async function aggregateColumns(columns: ChartColumns, buckets: Buckets, pause: () => Promise<void>): Promise<number> {
  const { value: valueLeaf, time: timeLeaf, rows } = columns;
  const values = valueLeaf.numbers.data;
  const times = timeLeaf.numbers.data;
  const valueNulls = valueLeaf.nulls;
  const timeNulls = timeLeaf.nulls;
  const base = timeLeaf.timeBase;
  const unit = timeLeaf.timeUnit;
  let skipped = 0;
  for (let from = 0; from < rows; from += CHUNK_ROWS) {
    const to = Math.min(rows, from + CHUNK_ROWS);
    for (let i = from; i < to; i++) {
      const value = values[i];
      const time = times[i];
      if (value === undefined || time === undefined || valueNulls?.[i] === 1 || timeNulls?.[i] === 1) {
        skipped++;
        continue;
      }
      buckets.add(base + time * unit, value);
    }
    await pause();
  }
  return skipped;
}
