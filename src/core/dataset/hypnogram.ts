import { SLEEP_STAGES } from '../routes';
import { CancelledError, yieldToEventLoop } from './cooperative';
import type { ResultStore } from './resultStore';

/**
 * Sleep sessions turned into hypnogram segments (stage, start, end) for drawing, from the whole
 * result. Reads each session's `stages` list (fetch sleep with `include_stages=true`); field names
 * are read tolerantly (`stage`/`value`/`type`, `start_date`/`startDate`/`start`, …) because the
 * API does not document the shape.
 */

export interface HypnogramSegment {
  readonly stage: string;
  /** Row in `SLEEP_STAGES` order (awake first, deepest last), or -1 for a stage name it does not know. */
  readonly level: number;
  readonly start: number;
  readonly end: number;
}

export interface Hypnogram {
  readonly sessions: { readonly start: number; readonly end: number; readonly row: number }[];
  /** Sorted by start. */
  readonly segments: HypnogramSegment[];
  /** Sessions without a readable stage list. */
  readonly sessionsWithoutStages: number;
}

export interface HypnogramOptions {
  /** Only segments overlapping [from, to) (epoch ms). */
  readonly from?: number;
  readonly to?: number;
  readonly signal?: AbortSignal;
}

const STAGE_FIELDS = ['stage', 'value', 'type', 'name'];
const START_FIELDS = ['start_date', 'startDate', 'start'];
const END_FIELDS = ['end_date', 'endDate', 'end'];

function field(object: Record<string, unknown>, names: readonly string[]): unknown {
  for (const name of names) if (Object.prototype.hasOwnProperty.call(object, name)) return object[name];
  return undefined;
}

function time(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value !== 'string') return undefined;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? ms : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export async function buildHypnogram(store: ResultStore, options: HypnogramOptions = {}): Promise<Hypnogram> {
  const from = options.from ?? -Infinity;
  const to = options.to ?? Infinity;
  const sessions: Hypnogram['sessions'] = [];
  const segments: HypnogramSegment[] = [];
  let withoutStages = 0;
  for (let row = 0; row < store.count; row++) {
    if (row % 512 === 511) {
      if (options.signal?.aborted) throw new CancelledError();
      await yieldToEventLoop();
    }
    const record = store.getRecord(row);
    if (!isObject(record)) continue;
    const start = time(field(record, START_FIELDS));
    const end = time(field(record, END_FIELDS));
    if (start !== undefined && end !== undefined && end > from && start < to) sessions.push({ start, end, row });
    const stages = record.stages;
    if (!Array.isArray(stages)) {
      withoutStages++;
      continue;
    }
    for (const item of stages) {
      if (!isObject(item)) continue;
      const stage = field(item, STAGE_FIELDS);
      const s = time(field(item, START_FIELDS));
      const e = time(field(item, END_FIELDS));
      if (typeof stage !== 'string' || s === undefined || e === undefined || e <= s || e <= from || s >= to) continue;
      segments.push({ stage, level: (SLEEP_STAGES as readonly string[]).indexOf(stage), start: s, end: e });
    }
  }
  segments.sort((a, b) => a.start - b.start);
  sessions.sort((a, b) => a.start - b.start);
  return { sessions, segments, sessionsWithoutStages: withoutStages };
}
