/** How a chart bucket summarises its records, in the words the chart, its note and its table use. */
import type { OutputChart } from '../../core/notebook/cellOutput';
import { t } from '../l10n';
import { type ChartTableData, formatDay, formatNumber } from './dataTable';

export type ChartAggregation = 'sum' | 'average' | 'min' | 'max';

/** What a bucket's drawn value is ("total", "average", …). */
export function valueWord(aggregation: ChartAggregation): string {
  return t(`aggregation.${aggregation}.value`);
}

/** The value column's heading: "Sum", "Average", "Minimum" or "Maximum". */
export function valueHeading(aggregation: ChartAggregation): string {
  return t(`aggregation.${aggregation}.heading`);
}

/** The chart's note: "Sum", "Average and range", … */
export function summaryWords(aggregation: ChartAggregation): string {
  return t(`aggregation.${aggregation}.summary`);
}

/** The bucket as its column heading names it. */
export function bucketWord(bucket: OutputChart['bucket']): string {
  return t(`chart.column.${bucket}`);
}

/** Only averages carry a min–max range worth showing beside the value. */
export function showsRange(aggregation: ChartAggregation): boolean {
  return aggregation === 'average';
}

/** A quantity chart's buckets (the panel's `chart/result`, a notebook's chart) and what the records said. */
type QuantityBuckets = OutputChart & { readonly notes?: readonly string[] | undefined };

/** The line above a quantity chart: what it shows, what was left out, and what the records said that it could not use. */
export function quantitySummary(chart: QuantityBuckets): string {
  const records = chart.count.reduce((a, b) => a + b, 0);
  const summary = t(
    `chart.summary.${chart.bucket}`,
    summaryWords(chart.aggregation),
    records,
    chart.bucketStart.length,
  );
  const lines = [
    chart.skippedRecords ? `${summary} ${t('chart.skipped', chart.skippedRecords)}` : summary,
    ...(chart.notes ?? []),
  ];
  return lines.join(' ');
}

/** The chart's data as a table: one row per bucket, the range columns only for averages. */
export function quantityTable(chart: QuantityBuckets, title: string): ChartTableData {
  const heading = valueHeading(chart.aggregation);
  const value = chart.unit ? t('chart.withUnit', heading, chart.unit) : heading;
  const range = showsRange(chart.aggregation);
  const cell = (values: readonly number[], i: number): string => formatNumber(values[i] ?? NaN);
  const bucket = bucketWord(chart.bucket);
  return {
    caption: t(`chart.caption.${chart.bucket}`, title, t(`aggregation.${chart.aggregation}.caption`)),
    headers: range
      ? [bucket, value, t('chart.minimum'), t('chart.maximum'), t('chart.records')]
      : [bucket, value, t('chart.records')],
    rows: chart.bucketStart.map((start, i) =>
      range
        ? [formatDay(start), cell(chart.value, i), cell(chart.min, i), cell(chart.max, i), cell(chart.count, i)]
        : [formatDay(start), cell(chart.value, i), cell(chart.count, i)],
    ),
  };
}
