/**
 * What a query cell's run leaves as its output, for the renderer and, when the notebook saves
 * outputs, for the file: the records as received and what they are. Never a token, a URL or a
 * user ID: the account is named as the cell names it. No imports: the renderer (a browser bundle)
 * reads outputs with `parseCellOutput` too.
 */

export interface CellOutput {
  readonly route: string;
  readonly metric?: string | undefined;
  /** The account's name as the notebook names it. */
  readonly account: string;
  readonly status: number;
  /** When the run ended (ISO 8601). */
  readonly ranAt: string;
  /** Records (list routes) or the profile object, as received. */
  readonly records: unknown;
  /** Records the run fetched; more than `records` holds when an output would be too large. */
  readonly recordCount: number;
  /** How a fetch of all pages ended (its outcome's sentence), or why records were left out. */
  readonly note?: string | undefined;
  /** Which pages came in which run of a `fetch: all` cell ("Pages 1–40: run 1 (stopped: quota); …"). */
  readonly runs?: string | undefined;
  /** The fetch stopped partway and running the cell again goes on from where it stopped. */
  readonly resumable?: boolean | undefined;
  /** A quantity result over time, from every record fetched (`records` may hold fewer). */
  readonly chart?: OutputChart | undefined;
  /** A sleep result's latest nights, from every record fetched. */
  readonly hypnogram?: OutputHypnogram | undefined;
}

/** Parallel lists, one entry per bucket, as the query panel's chart draws them. */
export interface OutputChart {
  readonly bucket: 'day' | 'week' | 'month';
  readonly aggregation: 'sum' | 'average' | 'min' | 'max';
  readonly unit: string;
  readonly bucketStart: readonly number[];
  readonly value: readonly number[];
  readonly min: readonly number[];
  readonly max: readonly number[];
  readonly count: readonly number[];
  readonly skippedRecords: number;
}

/** One night's stages, as parallel lists sorted by start. */
export interface OutputNight {
  readonly start: number;
  readonly end: number;
  readonly stage: readonly string[];
  readonly segmentStart: readonly number[];
  readonly segmentEnd: readonly number[];
}

export interface OutputHypnogram {
  /** The latest nights, oldest first (a few dozen: an output stays small however long the range). */
  readonly nights: readonly OutputNight[];
  /** Nights in the whole result. */
  readonly nightCount: number;
}

const BUCKETS = ['day', 'week', 'month'] as const;
const AGGREGATIONS = ['sum', 'average', 'min', 'max'] as const;

function numbers(value: unknown, length?: number): value is number[] {
  return (
    Array.isArray(value) &&
    (length === undefined || value.length === length) &&
    value.every((n) => typeof n === 'number')
  );
}

function chartOf(value: unknown): OutputChart | undefined {
  if (!isRecord(value)) return undefined;
  const { bucket, aggregation, unit, bucketStart, min, max, count, skippedRecords } = value;
  if (!BUCKETS.includes(bucket as OutputChart['bucket'])) return undefined;
  if (!AGGREGATIONS.includes(aggregation as OutputChart['aggregation'])) return undefined;
  if (typeof unit !== 'string' || typeof skippedRecords !== 'number' || !numbers(bucketStart)) return undefined;
  const n = bucketStart.length;
  if (!numbers(value.value, n) || !numbers(min, n) || !numbers(max, n) || !numbers(count, n)) return undefined;
  return value as unknown as OutputChart;
}

function nightOf(value: unknown): value is OutputNight {
  if (!isRecord(value)) return false;
  const { start, end, stage, segmentStart, segmentEnd } = value;
  if (typeof start !== 'number' || typeof end !== 'number' || !Array.isArray(stage)) return false;
  return (
    stage.every((s) => typeof s === 'string') &&
    numbers(segmentStart, stage.length) &&
    numbers(segmentEnd, stage.length)
  );
}

function hypnogramOf(value: unknown): OutputHypnogram | undefined {
  if (!isRecord(value) || typeof value.nightCount !== 'number' || !Array.isArray(value.nights)) return undefined;
  return value.nights.every(nightOf) ? (value as unknown as OutputHypnogram) : undefined;
}

/**
 * The key of a records output's metadata that holds the webview's words (`WebviewBootstrap`): the
 * renderer draws the query panel's views, which speak the user's language through that table.
 */
export const OUTPUT_STRINGS_KEY = 'webviewStrings';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A saved or posted output, if it has the shape of one (files are edited by hand). */
export function parseCellOutput(text: string): CellOutput | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isRecord(value)) return undefined;
  const { route, metric, account, status, ranAt, records, recordCount, note, runs, resumable } = value;
  if (typeof route !== 'string' || typeof account !== 'string' || typeof status !== 'number') return undefined;
  if (typeof ranAt !== 'string' || typeof recordCount !== 'number' || records === undefined) return undefined;
  return {
    route,
    ...(typeof metric === 'string' ? { metric } : {}),
    account,
    status,
    ranAt,
    records,
    recordCount,
    ...(typeof note === 'string' ? { note } : {}),
    ...(typeof runs === 'string' ? { runs } : {}),
    ...(resumable === true ? { resumable } : {}),
    ...optional('chart', chartOf(value.chart)),
    ...optional('hypnogram', hypnogramOf(value.hypnogram)),
  };
}

/** `{ [key]: value }`, or nothing for a value that is absent or malformed (hand-edited files). */
function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
