/**
 * The Chart tab's answers, computed by the host from the whole result: a quantity result aggregated
 * over time, or one session of a sleep result's hypnogram. Small messages only: buckets are capped,
 * and the hypnogram goes one session at a time (five years of segments would not fit one message).
 */
import { aggregateQuantity } from '../../core/dataset/aggregate';
import { buildHypnogram, type Hypnogram } from '../../core/dataset/hypnogram';
import { hypnogramSession } from '../../core/dataset/hypnogramSession';
import type { ResultStore } from '../../core/dataset/resultStore';
import { metricByName } from '../../core/routes';
import { MAX_CHART_BUCKETS, MAX_HYPNOGRAM_SEGMENTS, type HostMessage } from '../../shared/protocol';
import type { QueryResult } from './queryResult';
import { formatCount, l10n } from '../l10n';

type ChartMessage = Omit<HostMessage<'chart/result'>, 'type'>;
type HypnogramMessage = Omit<HostMessage<'hypnogram/result'>, 'type'>;

export async function answerQuantityChart(
  result: QueryResult | undefined,
  requestId: number,
  resultId: number,
  bucket: 'day' | 'week' | 'month',
): Promise<ChartMessage> {
  const store = result?.resultId === resultId ? result.store : undefined;
  const metric = result?.query.metric ? metricByName(result.query.metric) : undefined;
  const aggregation = metric?.aggregation ?? 'average';
  const empty = {
    requestId,
    resultId,
    bucket,
    aggregation,
    unit: (metric?.unit ?? '').slice(0, 100),
    bucketStart: [],
    value: [],
    min: [],
    max: [],
    count: [],
    skippedRecords: 0,
  };
  if (!store || result?.query.route !== 'quantity') {
    return {
      ...empty,
      error: l10n.t(
        'Charts over time are drawn for quantity results; sleep results get a hypnogram. Run a quantity or sleep query first.',
      ),
    };
  }
  const series = await aggregateQuantity(store, { bucket, aggregation });
  const measured = {
    ...empty,
    // The records' own calculation type and unit come ahead of the catalogue's.
    aggregation: series.aggregation,
    unit: (series.unit ?? empty.unit).slice(0, 100),
    ...notesOf(series.notUnderstood.map((field) => l10n.t('Not understood: {0}.', field))),
  };
  if (series.bucketStart.length > MAX_CHART_BUCKETS) {
    return {
      ...measured,
      skippedRecords: series.skippedRecords,
      error: l10n.t(
        '{0} buckets ({1}) are too many to draw; pick a larger bucket.',
        formatCount(series.bucketStart.length),
        bucket,
      ),
    };
  }
  return {
    ...measured,
    bucketStart: series.bucketStart,
    value: series.value,
    min: series.min,
    max: series.max,
    count: series.count,
    skippedRecords: series.skippedRecords,
    error: null,
  };
}

const MAX_NOTES = 20;

/** `notes` for a message, left out when there is nothing to say. */
function notesOf(lines: readonly string[]): { notes?: string[] } {
  return lines.length > 0 ? { notes: lines.slice(0, MAX_NOTES).map((line) => line.slice(0, 300)) } : {};
}

/** Which source a night shows when phone and watch both logged it: their segments overlap and are never added up. */
function sourceNote(source: string | undefined, sources: readonly string[]): string[] {
  if (source === undefined) return [];
  const others = sources.filter((s) => s !== source);
  return others.length > 0
    ? [
        l10n.t(
          'Stages from {0}; {1} logged the same night and is left out, so no time is counted twice.',
          source,
          others.join(', '),
        ),
      ]
    : [l10n.t('Stages from {0}.', source)];
}

function notUnderstoodNotes(hypnogram: Hypnogram): string[] {
  return hypnogram.notUnderstood.map((what) => l10n.t('Not understood: {0}; the rest is shown.', what));
}

/** Builds a sleep result's hypnogram once per state of the result (it grows while pages arrive). */
export class HypnogramAnswers {
  private _cached: { store: ResultStore; count: number; hypnogram: Promise<Hypnogram> } | undefined;

  async answer(
    result: QueryResult | undefined,
    requestId: number,
    resultId: number,
    session: number | null,
  ): Promise<HypnogramMessage> {
    const empty = {
      requestId,
      resultId,
      sessionCount: 0,
      session: 0,
      start: 0,
      end: 0,
      sessionsWithoutStages: 0,
      segmentsTotal: 0,
      stage: [],
      segmentStart: [],
      segmentEnd: [],
    };
    const store = result?.resultId === resultId ? result.store : undefined;
    if (!store || result?.query.route !== 'sleep') {
      return {
        ...empty,
        error: 'A hypnogram is drawn for sleep results; run a sleep query with include_stages=true first.',
      };
    }
    const hypnogram = await this._hypnogramOf(store);
    const view = hypnogramSession(hypnogram, session);
    if (!view) {
      return {
        ...empty,
        ...notesOf(notUnderstoodNotes(hypnogram)),
        sessionsWithoutStages: hypnogram.sessionsWithoutStages,
        error: l10n.t('No sleep session in this result has a start and an end time to draw.'),
      };
    }
    if (hypnogram.segments.length === 0) {
      return {
        ...empty,
        sessionCount: view.count,
        sessionsWithoutStages: hypnogram.sessionsWithoutStages,
        error: l10n.t('These sleep sessions have no stages: run the sleep query again with include_stages=true.'),
      };
    }
    const shown = view.segments.slice(0, MAX_HYPNOGRAM_SEGMENTS);
    return {
      ...empty,
      ...notesOf([...sourceNote(view.source, view.sources), ...notUnderstoodNotes(hypnogram)]),
      sessionCount: view.count,
      session: view.index,
      start: view.start,
      end: view.end,
      sessionsWithoutStages: hypnogram.sessionsWithoutStages,
      segmentsTotal: view.segments.length,
      stage: shown.map((s) => s.stage.slice(0, 100)),
      segmentStart: shown.map((s) => s.start),
      segmentEnd: shown.map((s) => s.end),
      error: null,
    };
  }

  clear(): void {
    this._cached = undefined;
  }

  private _hypnogramOf(store: ResultStore): Promise<Hypnogram> {
    if (this._cached?.store !== store || this._cached.count !== store.count) {
      const hypnogram = buildHypnogram(store);
      this._cached = { store, count: store.count, hypnogram };
      // A failed build is not kept: the next request tries again.
      hypnogram.catch(() => {
        if (this._cached?.hypnogram === hypnogram) this._cached = undefined;
      });
    }
    return this._cached.hypnogram;
  }
}
