/**
 * Fewer marks than buckets when the buckets outnumber the pixels: 1,826 day buckets in a 600 px
 * plot become one mark per pixel column, each keeping its column's extremes so no peak vanishes.
 * Only the drawing is reduced; tooltips and the keyboard still reach every bucket. DOM-free.
 */

export interface SeriesInput {
  readonly bucketStart: readonly number[];
  readonly value: readonly number[];
  readonly min: readonly number[];
  readonly max: readonly number[];
}

export interface DrawPoint {
  /** First and last bucket index (inclusive) the mark stands for. */
  readonly first: number;
  readonly last: number;
  /** Time the mark is drawn at: the first bucket's start. */
  readonly time: number;
  /** Bar height or line position: the largest value in the group for bars, the mean for lines. */
  readonly value: number;
  readonly low: number;
  readonly high: number;
}

export type DrawMode = 'bars' | 'line';

/** Entry `i` of one of the parallel per-bucket lists; a missing one reads as NaN, never as a made-up number. */
export function at(list: readonly number[], i: number): number {
  return list[i] ?? NaN;
}

/** One mark per bucket if they fit in `maxPoints`, else groups of consecutive buckets. */
export function downsampleSeries(series: SeriesInput, maxPoints: number, mode: DrawMode): DrawPoint[] {
  const n = series.bucketStart.length;
  const limit = Math.max(1, Math.floor(maxPoints));
  const points: DrawPoint[] = [];
  if (n <= limit) {
    for (let i = 0; i < n; i++) {
      points.push({
        first: i,
        last: i,
        time: at(series.bucketStart, i),
        value: at(series.value, i),
        low: at(series.min, i),
        high: at(series.max, i),
      });
    }
    return points;
  }
  for (let g = 0; g < limit; g++) {
    const first = Math.floor((g * n) / limit);
    const last = Math.floor(((g + 1) * n) / limit) - 1;
    if (last < first) continue;
    let low = Infinity;
    let high = -Infinity;
    let largest = -Infinity;
    let sum = 0;
    for (let i = first; i <= last; i++) {
      const value = at(series.value, i);
      low = Math.min(low, at(series.min, i));
      high = Math.max(high, at(series.max, i));
      largest = Math.max(largest, value);
      sum += value;
    }
    const value = mode === 'bars' ? largest : sum / (last - first + 1);
    points.push({ first, last, time: at(series.bucketStart, first), value, low, high });
  }
  return points;
}

/** Index of the bucket whose start is nearest to `time` (buckets sorted by start); -1 when none. */
export function nearestBucket(bucketStart: readonly number[], time: number): number {
  const n = bucketStart.length;
  if (n === 0) return -1;
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (at(bucketStart, mid) < time) lo = mid + 1;
    else hi = mid;
  }
  if (lo > 0 && time - at(bucketStart, lo - 1) <= at(bucketStart, lo) - time) return lo - 1;
  return lo;
}

/** Index after a key press, or undefined for keys the chart does not handle. */
export function indexAfterKey(key: string, index: number, count: number): number | undefined {
  if (count === 0) return undefined;
  const page = Math.max(1, Math.round(count / 10));
  const current = index < 0 ? -1 : index;
  switch (key) {
    case 'ArrowRight':
    case 'ArrowUp':
      return current < 0 ? 0 : Math.min(count - 1, current + 1);
    case 'ArrowLeft':
    case 'ArrowDown':
      return current < 0 ? count - 1 : Math.max(0, current - 1);
    case 'PageUp':
      return Math.min(count - 1, Math.max(0, current) + page);
    case 'PageDown':
      return Math.max(0, (current < 0 ? count - 1 : current) - page);
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    default:
      return undefined;
  }
}
