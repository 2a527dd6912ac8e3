import { bucketBounds } from '../../core/dataset/aggregate';
import { isRecordObject, readNumber, recordTime } from '../../core/dataset/recordReading';

/**
 * Count, sum, min, max and mean of a metric per UTC day, ISO week (from Monday), month, or over the
 * whole range, accumulated page by page so a summary never holds the records themselves. Day, week
 * and month boundaries are the chart's (`bucketBounds`), so the two never disagree.
 */

export const SUMMARY_BUCKETS = ['day', 'week', 'month', 'all'] as const;
export type SummaryBucket = (typeof SUMMARY_BUCKETS)[number];

/** Most buckets one summary result lists. */
export const MAX_SUMMARY_BUCKETS = 400;

const DAY_MS = 86_400_000;

/** The longest range (in days) a bucket size fits within the bucket cap, and what to use instead. */
export function bucketCountCap(
  bucket: SummaryBucket,
): { readonly days: number; readonly buckets: number; readonly larger: string } | undefined {
  switch (bucket) {
    case 'day':
      return { days: MAX_SUMMARY_BUCKETS - 1, buckets: MAX_SUMMARY_BUCKETS, larger: 'week or month' };
    case 'week':
      return { days: (MAX_SUMMARY_BUCKETS - 1) * 7, buckets: MAX_SUMMARY_BUCKETS, larger: 'month or all' };
    case 'month':
      return { days: (MAX_SUMMARY_BUCKETS - 1) * 28, buckets: MAX_SUMMARY_BUCKETS, larger: 'all' };
    case 'all':
      return undefined;
  }
}

/** Calendar days from the start date to the end date, both included (date parts, UTC). */
export function daysBetween(startDate: string, endDate: string): number {
  const start = Date.parse(`${startDate.slice(0, 10)}T00:00:00Z`);
  const end = Date.parse(`${endDate.slice(0, 10)}T00:00:00Z`);
  return Math.round((end - start) / DAY_MS) + 1;
}

export interface BucketStats {
  /** `YYYY-MM-DD` (UTC) of the bucket's first day; the range's start date for `all`. */
  readonly start: string;
  readonly count: number;
  readonly sum: number;
  readonly min: number;
  readonly max: number;
  readonly mean: number;
}

interface Slot {
  start: number;
  count: number;
  sum: number;
  min: number;
  max: number;
}

export class SummaryAccumulator {
  private readonly _slots = new Map<number, Slot>();
  /** Records without a numeric `value` or a readable start time. */
  skipped = 0;
  records = 0;

  constructor(
    private readonly _bucket: SummaryBucket,
    private readonly _rangeStart: number,
  ) {}

  addRecord(record: unknown): void {
    this.records++;
    // Read as the chart reads records: any naming of the start (`start`, `+00` times) and numbers sent as text.
    const value = isRecordObject(record) ? readNumber(record.value) : undefined;
    const time = recordTime(record);
    if (value === undefined || time === undefined) {
      this.skipped++;
      return;
    }
    const key = this._bucket === 'all' ? this._rangeStart : bucketBounds(this._bucket, time)[0];
    let slot = this._slots.get(key);
    if (!slot) {
      slot = { start: key, count: 0, sum: 0, min: Infinity, max: -Infinity };
      this._slots.set(key, slot);
    }
    slot.count++;
    slot.sum += value;
    if (value < slot.min) slot.min = value;
    if (value > slot.max) slot.max = value;
  }

  /** Non-empty buckets in time order, numbers rounded to 4 decimals (sums of decimals drift otherwise). */
  buckets(): BucketStats[] {
    return [...this._slots.values()]
      .sort((a, b) => a.start - b.start)
      .map((s) => ({
        start: new Date(s.start).toISOString().slice(0, 10),
        count: s.count,
        sum: round(s.sum),
        min: round(s.min),
        max: round(s.max),
        mean: round(s.sum / s.count),
      }));
  }
}

export function round(n: number): number {
  return Math.round(n * 10_000) / 10_000;
}
