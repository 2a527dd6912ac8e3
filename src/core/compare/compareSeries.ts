import { aggregateQuantity, type AggregateSeries, type BucketSize } from '../dataset/aggregate';
import type { ResultStore } from '../dataset/resultStore';
import { metricByName, type Aggregation } from '../routes';
import type { KeyOptions } from './compareKey';

/**
 * The two results of a quantity comparison bucketed alike, for one chart with both series: the same
 * bucket size (chosen from the span of both), each side summed or averaged as its records or the
 * metric's catalogue entry say.
 */

export interface CompareSeries {
  readonly bucket: BucketSize;
  readonly a: AggregateSeries;
  readonly b: AggregateSeries;
}

const DAY_MS = 86_400_000;

/** Day buckets up to about three months, weeks up to about three years, then months. */
export function bucketForSpan(spanMs: number): BucketSize {
  if (spanMs <= 92 * DAY_MS) return 'day';
  if (spanMs <= 3 * 366 * DAY_MS) return 'week';
  return 'month';
}

export async function compareSeries(
  a: ResultStore,
  b: ResultStore,
  metric: string | undefined,
  options: KeyOptions = {},
): Promise<CompareSeries | undefined> {
  const aggregation: Aggregation = (metric && metricByName(metric)?.aggregation) || 'sum';
  const common = { aggregation, ...(options.signal ? { signal: options.signal } : {}) };
  // A first pass by day finds the span; the final bucket size applies to both sides alike.
  const [dayA, dayB] = [
    await aggregateQuantity(a, { ...common, bucket: 'day' }),
    await aggregateQuantity(b, { ...common, bucket: 'day' }),
  ];
  const starts = [...edges(dayA), ...edges(dayB)];
  if (starts.length === 0) return undefined;
  const bucket = bucketForSpan(Math.max(...starts) - Math.min(...starts));
  if (bucket === 'day') return { bucket, a: dayA, b: dayB };
  return {
    bucket,
    a: await aggregateQuantity(a, { ...common, bucket }),
    b: await aggregateQuantity(b, { ...common, bucket }),
  };
}

function edges(series: AggregateSeries): number[] {
  const n = series.bucketStart.length;
  return n === 0 ? [] : [series.bucketStart[0]!, series.bucketStart[n - 1]!];
}
