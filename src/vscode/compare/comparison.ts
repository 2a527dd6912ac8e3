import * as vscode from 'vscode';
import { CompareSide } from '../../core/compare/compareSide';
import { compareSeries } from '../../core/compare/compareSeries';
import { RecordDiff, type DiffRow } from '../../core/compare/recordDiff';
import type { AggregateSeries } from '../../core/dataset/aggregate';
import { metricByName } from '../../core/routes';
import {
  MAX_COMPARE_BUCKETS,
  MAX_COMPARE_FIELDS,
  MAX_COMPARE_TEXT,
  type CompareChart,
  type CompareInit,
  type CompareRow,
  type CompareSeriesData,
} from '../../shared/compareProtocol';
import type { LoadedSource } from './compareSources';
import { compareStrings } from './compareStrings';

/** Two loaded results, their difference and, for a quantity, both series: what a compare view shows. */
export class Comparison {
  private disposed = false;

  private constructor(
    readonly a: LoadedSource,
    readonly b: LoadedSource,
    readonly diff: RecordDiff,
    readonly chart: CompareChart | null,
  ) {}

  /** Compares `a` with `b`; on failure or cancel both are released. */
  static async of(a: LoadedSource, b: LoadedSource, signal: AbortSignal): Promise<Comparison> {
    try {
      const diff = await RecordDiff.of(
        new CompareSide(a.result.store, a.result.textValues),
        new CompareSide(b.result.store, b.result.textValues),
        { signal },
      );
      const chart = isQuantity(a, b) ? await chartOf(a, b, signal) : null;
      return new Comparison(a, b, diff, chart);
    } catch (error) {
      a.result.release();
      b.result.release();
      throw error;
    }
  }

  /** What the view opens with: the sides, the key, the counts, the fields that changed most and the chart. */
  init(): CompareInit {
    const { counts } = this.diff;
    return {
      type: 'init',
      locale: vscode.env.language.slice(0, 64),
      strings: compareStrings(),
      a: { label: cut(this.a.result.label, 500), records: counts.a },
      b: { label: cut(this.b.result.label, 500), records: counts.b },
      key: this.diff.key,
      counts: { unchanged: counts.unchanged, changed: counts.changed, added: counts.added, removed: counts.removed },
      fields: this.diff.fieldCounts
        .slice(0, MAX_COMPARE_FIELDS)
        .map((f) => ({ field: cut(f.field, MAX_COMPARE_TEXT), changed: f.changed })),
      differences: this.diff.length,
      chart: this.chart,
    };
  }

  /** Differences `from…from+count-1` as the view's table shows them. */
  rows(from: number, count: number): CompareRow[] {
    return this.diff.rows(from, from + count).map(rowMessage);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.a.result.release();
    this.b.result.release();
  }
}

function rowMessage(row: DiffRow): CompareRow {
  return {
    kind: row.kind,
    key: cut(row.key, MAX_COMPARE_TEXT),
    fields: row.fields.slice(0, MAX_COMPARE_FIELDS).map((f) => ({
      field: cut(f.field, MAX_COMPARE_TEXT),
      a: cut(f.a, MAX_COMPARE_TEXT),
      b: cut(f.b, MAX_COMPARE_TEXT),
    })),
  };
}

function cut(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** A quantity on both sides, or on one side and a file (which does not say) on the other. */
function isQuantity(a: LoadedSource, b: LoadedSource): boolean {
  const routes = [a.route, b.route].filter((r) => r !== undefined);
  return routes.length > 0 ? routes.every((r) => r === 'quantity') : true;
}

async function chartOf(a: LoadedSource, b: LoadedSource, signal: AbortSignal): Promise<CompareChart | null> {
  const metric = a.metric ?? b.metric;
  const series = await compareSeries(a.result.store, b.result.store, metric, { signal });
  if (!series) return null;
  return {
    bucket: series.bucket,
    aggregation: series.a.bucketStart.length ? series.a.aggregation : series.b.aggregation,
    unit: (series.a.unit ?? series.b.unit ?? (metric ? metricByName(metric)?.unit : undefined) ?? '').slice(0, 100),
    a: seriesData(series.a),
    b: seriesData(series.b),
  };
}

function seriesData(series: AggregateSeries): CompareSeriesData {
  // The bucket size keeps a series to a few hundred buckets; the limit only guards the protocol.
  const from = Math.max(0, series.bucketStart.length - MAX_COMPARE_BUCKETS);
  return {
    bucketStart: series.bucketStart.slice(from),
    value: series.value.slice(from),
    count: series.count.slice(from),
  };
}
