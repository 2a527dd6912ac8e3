import { CancelledError, yieldToEventLoop } from './cooperative';
import { segmentsOfSession } from './hypnogramSession';
import {
  fieldOf,
  isRecordObject,
  readSource,
  readSpan,
  readStage,
  readStageList,
  STAGE_FIELDS,
  stageLevel,
  type RecordObject,
} from './recordReading';
import type { ResultStore } from './resultStore';

/**
 * Sleep sessions turned into hypnogram segments (stage, start, end) for drawing, from the whole
 * result. A session's stages come from its stage list (fetch sleep with `include_stages=true`), or
 * from records that are stage segments themselves. Names are read through `recordReading`.
 *
 * When several sources (a phone and a watch) logged the same night, their segments overlap: each
 * night keeps one source's segments, so stage totals are that source's and never a sum of both.
 */

export interface HypnogramSegment {
  /** The stage's HealthKit name when known (`LIGHT` arrives as `asleepCore`), else as it came. */
  readonly stage: string;
  /** Row in `SLEEP_STAGES` order (awake first, deepest last), or -1 for a stage name it does not know. */
  readonly level: number;
  readonly start: number;
  readonly end: number;
  readonly source?: string;
}

export interface HypnogramSession {
  readonly start: number;
  readonly end: number;
  readonly row: number;
  /** The source whose segments this night shows, when segments name one. */
  readonly source?: string;
  /** Every source that logged segments this night, the shown one included. */
  readonly sources: readonly string[];
}

export interface Hypnogram {
  readonly sessions: HypnogramSession[];
  /** Sorted by start; one source per night. */
  readonly segments: HypnogramSegment[];
  /** Sessions without a readable stage list. */
  readonly sessionsWithoutStages: number;
  /** What could not be read, one line per kind, for the view to say (`stage "NAP"`, `start_date`). */
  readonly notUnderstood: string[];
}

export interface HypnogramOptions {
  /** Only segments overlapping [from, to) (epoch ms). */
  readonly from?: number;
  readonly to?: number;
  readonly signal?: AbortSignal;
}

/** Segment records of one night are at most this far apart; a longer gap starts another night. */
const NIGHT_GAP_MS = 3 * 3_600_000;

class Problems {
  private readonly counts = new Map<string, number>();
  add(what: string): void {
    if (this.counts.size < 20 || this.counts.has(what)) this.counts.set(what, (this.counts.get(what) ?? 0) + 1);
  }
  lines(): string[] {
    return [...this.counts].map(([what, n]) => `${what} (${n.toLocaleString('en-US')}×)`);
  }
}

interface RawSession {
  start: number;
  end: number;
  row: number;
}

function stageOf(item: RecordObject): string | undefined {
  const found = fieldOf(item, STAGE_FIELDS);
  return typeof found?.value === 'string' ? found.value : undefined;
}

export async function buildHypnogram(store: ResultStore, options: HypnogramOptions = {}): Promise<Hypnogram> {
  const from = options.from ?? -Infinity;
  const to = options.to ?? Infinity;
  const rawSessions: RawSession[] = [];
  const raw: HypnogramSegment[] = [];
  const problems = new Problems();
  let withoutStages = 0;

  const addSegment = (item: RecordObject, stageName: string): void => {
    const reading = readSpan(item);
    if (!reading.span) {
      problems.add(`stage segment ${reading.field}`);
      return;
    }
    const { start, end } = reading.span;
    if (end <= start || end <= from || start >= to) return;
    const known = readStage(stageName);
    if (!known) problems.add(`stage "${stageName.slice(0, 40)}"`);
    const source = readSource(item);
    const stage = known ?? stageName;
    raw.push({ stage, level: stageLevel(stage), start, end, ...(source !== undefined ? { source } : {}) });
  };

  for (let row = 0; row < store.count; row++) {
    if (row % 512 === 511) {
      if (options.signal?.aborted) throw new CancelledError();
      await yieldToEventLoop();
    }
    const record = store.getRecord(row);
    if (!isRecordObject(record)) continue;
    const stages = readStageList(record);
    const ownStage = stages ? undefined : stageOf(record);
    // Only a known stage name makes a record a segment: a session's own `type` or `value` does not.
    if (ownStage !== undefined && readStage(ownStage) !== undefined) {
      // A record that is a stage segment itself (export style), not a session.
      addSegment(record, ownStage);
      continue;
    }
    const reading = readSpan(record);
    if (reading.span) {
      if (reading.span.end > from && reading.span.start < to) rawSessions.push({ ...reading.span, row });
    } else problems.add(`session ${reading.field}`);
    if (!stages) {
      withoutStages++;
      continue;
    }
    for (const item of stages) {
      if (!isRecordObject(item)) continue;
      const stage = stageOf(item);
      if (stage === undefined) problems.add('stage name');
      else addSegment(item, stage);
    }
  }
  raw.sort((a, b) => a.start - b.start);
  const nights = rawSessions.length > 0 ? mergeOverlapping(rawSessions) : nightsOfSegments(raw);
  const { sessions, segments } = oneSourcePerNight(nights, raw);
  return { sessions, segments, sessionsWithoutStages: withoutStages, notUnderstood: problems.lines() };
}

/** Sessions that overlap (one per source of the same night) become one night. */
function mergeOverlapping(sessions: RawSession[]): RawSession[] {
  sessions.sort((a, b) => a.start - b.start);
  const nights: RawSession[] = [];
  for (const s of sessions) {
    const last = nights[nights.length - 1];
    if (last && s.start < last.end) last.end = Math.max(last.end, s.end);
    else nights.push({ ...s });
  }
  return nights;
}

/** Nights made from segment records alone: segments closer than a few hours belong to one night. */
function nightsOfSegments(segments: readonly HypnogramSegment[]): RawSession[] {
  const nights: RawSession[] = [];
  for (const s of segments) {
    const last = nights[nights.length - 1];
    if (last && s.start < last.end + NIGHT_GAP_MS) last.end = Math.max(last.end, s.end);
    else nights.push({ start: s.start, end: s.end, row: -1 });
  }
  return nights;
}

/** Time a source spent in specific stages (not just "in bed" or "asleep"): the more detailed source wins. */
function detail(segments: readonly HypnogramSegment[]): number {
  let ms = 0;
  for (const s of segments) if (s.level >= 0 && s.level <= 3) ms += s.end - s.start;
  return ms;
}

function oneSourcePerNight(
  nights: readonly RawSession[],
  raw: readonly HypnogramSegment[],
): { sessions: HypnogramSession[]; segments: HypnogramSegment[] } {
  const dropped = new Set<HypnogramSegment>();
  const sessions = nights.map((night): HypnogramSession => {
    const bySource = new Map<string, HypnogramSegment[]>();
    for (const s of segmentsOfSession(raw, night)) {
      if (s.source === undefined) continue;
      const list = bySource.get(s.source);
      if (list) list.push(s);
      else bySource.set(s.source, [s]);
    }
    const sources = [...bySource.keys()].sort();
    let chosen: string | undefined;
    let best = -1;
    for (const source of sources) {
      const score = detail(bySource.get(source) ?? []);
      if (score > best) [chosen, best] = [source, score];
    }
    for (const [source, list] of bySource) if (source !== chosen) for (const s of list) dropped.add(s);
    return {
      start: night.start,
      end: night.end,
      row: night.row,
      sources,
      ...(chosen !== undefined ? { source: chosen } : {}),
    };
  });
  return { sessions, segments: dropped.size === 0 ? [...raw] : raw.filter((s) => !dropped.has(s)) };
}
