import { aggregateQuantity, type BucketSize } from '../../core/dataset/aggregate';
import { buildHypnogram } from '../../core/dataset/hypnogram';
import { segmentsOfSession } from '../../core/dataset/hypnogramSession';
import type { ResultStore } from '../../core/dataset/resultStore';
import type { OutputChart, OutputHypnogram } from '../../core/notebook/cellOutput';
import { metricByName, type QuerySpec } from '../../core/routes';
import { MAX_CHART_BUCKETS, MAX_HYPNOGRAM_SEGMENTS } from '../../shared/protocol';

/** Nights a sleep output carries: enough to page through weeks, small however many years were fetched. */
const MAX_NIGHTS = 60;

/**
 * The chart of a cell's output, from every record in `store` (an output keeps at most a slice of
 * the records, but the chart covers them all): a quantity result by day (by week or month when
 * days would be too many to draw), or a sleep result's latest nights. Small whatever the result's
 * size, so the output stays small too.
 */
export async function chartsOfResult(
  store: ResultStore,
  spec: QuerySpec,
  signal?: AbortSignal,
): Promise<{ chart?: OutputChart; hypnogram?: OutputHypnogram }> {
  if (store.count === 0) return {};
  if (spec.route === 'quantity') {
    const aggregation = (spec.metric ? metricByName(spec.metric)?.aggregation : undefined) ?? 'average';
    for (const bucket of ['day', 'week', 'month'] as BucketSize[]) {
      const series = await aggregateQuantity(store, { bucket, aggregation, ...(signal ? { signal } : {}) });
      if (series.bucketStart.length > MAX_CHART_BUCKETS) continue;
      // The series has the chart's fields already; the records' unit comes ahead of the catalogue's.
      const { notUnderstood: _notSaid, ...chart } = series;
      const unit = series.unit ?? (spec.metric ? metricByName(spec.metric)?.unit : undefined) ?? '';
      return { chart: { ...chart, unit: unit.slice(0, 100) } };
    }
    return {};
  }
  if (spec.route !== 'sleep') return {};
  const hypnogram = await buildHypnogram(store, signal ? { signal } : {});
  if (hypnogram.segments.length === 0) return {};
  const nights = hypnogram.sessions.slice(-MAX_NIGHTS).map((session) => {
    const segments = segmentsOfSession(hypnogram.segments, session).slice(0, MAX_HYPNOGRAM_SEGMENTS / MAX_NIGHTS);
    return {
      start: session.start,
      end: session.end,
      stage: segments.map((s) => s.stage.slice(0, 100)),
      segmentStart: segments.map((s) => s.start),
      segmentEnd: segments.map((s) => s.end),
    };
  });
  return { hypnogram: { nights, nightCount: hypnogram.sessions.length } };
}
