import type { ByteWriter } from './byteWriter';

/**
 * A user's records of one kind, ascending by time, addressed by index. Uniform series compute
 * every record from its index (no memory); list series wrap small precomputed arrays.
 */
export interface RecordSeries {
  readonly length: number;
  /** Start time of record `i` in ms; non-decreasing in `i`. */
  timeAt(i: number): number;
  /** Record `i` as JSON text. */
  jsonAt(i: number): string;
  /** Record `i` written as bytes: the fast path of large generated series (same JSON as `jsonAt`). */
  writeAt?(i: number, out: ByteWriter): void;
  /** Records `first`, `first ± 1`, … (`count` of them, comma-separated) in one tight loop. */
  writeRange?(first: number, count: number, descending: boolean, out: ByteWriter): void;
}

export const EMPTY_SERIES: RecordSeries = { length: 0, timeAt: () => 0, jsonAt: () => '{}' };

export function uniformSeries(
  firstMs: number,
  stepMs: number,
  length: number,
  json: (i: number, startMs: number) => string,
  write?: (out: ByteWriter, i: number, startMs: number) => void,
): RecordSeries {
  return {
    length,
    timeAt: (i) => firstMs + i * stepMs,
    jsonAt: (i) => json(i, firstMs + i * stepMs),
    ...(write ? { writeAt: (i: number, out: ByteWriter) => write(out, i, firstMs + i * stepMs) } : {}),
  };
}

export interface ListedRecord {
  readonly time: number;
  readonly json: string;
}

export function listSeries(records: readonly ListedRecord[]): RecordSeries {
  const sorted = [...records].sort((a, b) => a.time - b.time);
  return {
    length: sorted.length,
    timeAt: (i) => sorted[i]!.time,
    jsonAt: (i) => sorted[i]!.json,
  };
}

/** First index whose time is >= ms (binary search: O(log n) even for 2.6 million records). */
function lowerBound(series: RecordSeries, ms: number): number {
  let lo = 0;
  let hi = series.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (series.timeAt(mid) < ms) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Indices [from, to) of records with startMs <= time <= endMs (both inclusive, both optional). */
export function timeRange(
  series: RecordSeries,
  startMs: number | undefined,
  endMs: number | undefined,
): { from: number; to: number } {
  const from = startMs === undefined ? 0 : lowerBound(series, startMs);
  const to = endMs === undefined ? series.length : lowerBound(series, endMs + 1);
  return { from, to: Math.max(from, to) };
}
