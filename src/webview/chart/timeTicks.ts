/** UTC date and time ticks for the charts' time axes, in the user's locale. DOM-free so plain Node can test it. */
import { fmt, t } from '../l10n';

export type ChartBucket = 'day' | 'week' | 'month';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** A UTC instant in the user's words for dates and times (the axes are in UTC). */
function utc(ms: number, options: Intl.DateTimeFormatOptions): string {
  return fmt().date(ms, { ...options, timeZone: 'UTC' });
}

type Interval =
  | { readonly kind: 'fixed'; readonly ms: number; readonly unit: 'minute' | 'hour' | 'day' }
  | { readonly kind: 'week'; readonly weeks: number }
  | { readonly kind: 'month'; readonly months: number };

/** Ten years: the spacing used when no finer one gives few enough ticks. */
const COARSEST: Interval = { kind: 'month', months: 120 };
/** Candidate tick spacings, finest first: the first one giving no more than `maxTicks` wins. */
const INTERVALS: readonly Interval[] = [
  { kind: 'fixed', ms: 15 * MINUTE, unit: 'minute' },
  { kind: 'fixed', ms: 30 * MINUTE, unit: 'minute' },
  { kind: 'fixed', ms: HOUR, unit: 'hour' },
  { kind: 'fixed', ms: 2 * HOUR, unit: 'hour' },
  { kind: 'fixed', ms: 3 * HOUR, unit: 'hour' },
  { kind: 'fixed', ms: 6 * HOUR, unit: 'hour' },
  { kind: 'fixed', ms: 12 * HOUR, unit: 'hour' },
  { kind: 'fixed', ms: DAY, unit: 'day' },
  { kind: 'fixed', ms: 2 * DAY, unit: 'day' },
  { kind: 'week', weeks: 1 },
  { kind: 'week', weeks: 2 },
  { kind: 'month', months: 1 },
  { kind: 'month', months: 2 },
  { kind: 'month', months: 3 },
  { kind: 'month', months: 6 },
  { kind: 'month', months: 12 },
  { kind: 'month', months: 24 },
  { kind: 'month', months: 60 },
  COARSEST,
];

export interface TimeTick {
  readonly ms: number;
  readonly label: string;
}

function approxMs(interval: Interval): number {
  if (interval.kind === 'fixed') return interval.ms;
  if (interval.kind === 'week') return interval.weeks * 7 * DAY;
  return interval.months * 30.44 * DAY;
}

function tickTimes(interval: Interval, start: number, end: number): number[] {
  const out: number[] = [];
  if (interval.kind === 'fixed') {
    for (let t = Math.ceil(start / interval.ms) * interval.ms; t <= end; t += interval.ms) out.push(t);
  } else if (interval.kind === 'week') {
    // Day -3 (1969-12-29) is a Monday: weeks align on Mondays like ISO weeks and the week buckets.
    const step = interval.weeks * 7 * DAY;
    const monday = -3 * DAY;
    for (let t = monday + Math.ceil((start - monday) / step) * step; t <= end; t += step) out.push(t);
  } else {
    const d = new Date(start);
    let index = d.getUTCFullYear() * 12 + d.getUTCMonth();
    index = Math.ceil(index / interval.months) * interval.months;
    for (;;) {
      let t = Date.UTC(Math.floor(index / 12), index % 12, 1);
      if (t < start) {
        index += interval.months;
        t = Date.UTC(Math.floor(index / 12), index % 12, 1);
      }
      if (t > end) break;
      out.push(t);
      index += interval.months;
    }
  }
  return out;
}

function label(interval: Interval, ms: number, previous: number | undefined): string {
  const year = new Date(ms).getUTCFullYear();
  const newYear = previous === undefined || new Date(previous).getUTCFullYear() !== year;
  if (interval.kind === 'month') {
    if (interval.months >= 12) return utc(ms, { year: 'numeric' });
    return newYear ? utc(ms, { month: 'short', year: 'numeric' }) : utc(ms, { month: 'short' });
  }
  if (interval.kind === 'fixed' && interval.unit !== 'day') {
    const newDay = previous === undefined || Math.floor(previous / DAY) !== Math.floor(ms / DAY);
    const time = clockTime(ms);
    return newDay ? `${utc(ms, { day: 'numeric', month: 'short' })} ${time}` : time;
  }
  return newYear
    ? utc(ms, { day: 'numeric', month: 'short', year: 'numeric' })
    : utc(ms, { day: 'numeric', month: 'short' });
}

/** Readable, calendar-aligned UTC ticks within [start, end]: at most `maxTicks` of them. */
export function timeTicks(start: number, end: number, maxTicks: number): TimeTick[] {
  if (!Number.isFinite(start) || !Number.isFinite(end) || end < start || maxTicks < 1) return [];
  const span = Math.max(end - start, 1);
  const interval = INTERVALS.find((i) => span / approxMs(i) <= maxTicks) ?? COARSEST;
  let times = tickTimes(interval, start, end);
  // The coarsest spacing can still overflow over centuries: thin it rather than overlap labels.
  if (times.length > maxTicks) {
    const every = Math.ceil(times.length / maxTicks);
    times = times.filter((_, i) => i % every === 0);
  }
  return times.map((ms, i) => ({ ms, label: label(interval, ms, i === 0 ? undefined : times[i - 1]) }));
}

/** ISO date of a UTC instant: 2024-03-04. */
export function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** UTC clock time: 22:41 (or 10:41 PM, the user's way). */
export function clockTime(ms: number): string {
  return utc(ms, { hour: '2-digit', minute: '2-digit' });
}

/** UTC date and time, the user's way: "4 Mar 2024, 22:41". */
export function dateTime(ms: number): string {
  return utc(ms, { dateStyle: 'medium', timeStyle: 'short' });
}

/** The bucket as the tooltip names it: "2024-03-04", "Week of Mon 2024-03-04", "Mar 2024". */
export function bucketLabel(bucket: ChartBucket, start: number): string {
  if (bucket === 'day') return isoDate(start);
  if (bucket === 'week') return t('chart.weekOf', isoDate(start));
  return utc(start, { month: 'short', year: 'numeric' });
}

/** "7 h 32 min", "45 min". */
export function formatDuration(ms: number): string {
  const minutes = Math.round(ms / MINUTE);
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return h > 0 ? t('duration.hoursMinutes', h, m) : t('duration.minutes', m);
}
