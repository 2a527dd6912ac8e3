import type { Hypnogram, HypnogramSegment } from './hypnogram';

/**
 * One sleep session of a hypnogram with the stage segments that overlap it: what the panel sends the
 * webview, one session at a time, because five years of segments do not fit one message.
 */

interface Span {
  readonly start: number;
  readonly end: number;
}

/** Segments overlapping the session, in time order (`segments` sorted by start). */
export function segmentsOfSession<T extends Span>(segments: readonly T[], session: Span): T[] {
  // A stage never starts a day before its session, so a binary search for "session start minus a
  // day" skips the years before it.
  const from = session.start - 86_400_000;
  let lo = 0;
  let hi = segments.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (segments[mid]!.start < from) lo = mid + 1;
    else hi = mid;
  }
  const out: T[] = [];
  for (let i = lo; i < segments.length && segments[i]!.start < session.end; i++) {
    if (segments[i]!.end > session.start) out.push(segments[i]!);
  }
  return out;
}

export interface HypnogramSessionView {
  /** Index of the session shown, 0 = earliest. */
  readonly index: number;
  readonly count: number;
  readonly start: number;
  readonly end: number;
  /** The row of the session's record in the result; -1 for a night made of segment records alone. */
  readonly row: number;
  /** The source whose segments are shown, when they name one; `sources` lists every source of the night. */
  readonly source: string | undefined;
  readonly sources: readonly string[];
  readonly segments: readonly HypnogramSegment[];
}

/** Session `index` (clamped; null = the latest), or undefined when there are no sessions. */
export function hypnogramSession(hypnogram: Hypnogram, index: number | null): HypnogramSessionView | undefined {
  const count = hypnogram.sessions.length;
  if (count === 0) return undefined;
  const i = index === null ? count - 1 : Math.min(count - 1, Math.max(0, index));
  const session = hypnogram.sessions[i]!;
  return {
    index: i,
    count,
    start: session.start,
    end: session.end,
    row: session.row,
    source: session.source,
    sources: session.sources,
    segments: segmentsOfSession(hypnogram.segments, session),
  };
}
