/** How a chart bucket summarises its records, in the words the chart, its note and its table use. */
import { type ChartTableData, formatDay, formatNumber } from './dataTable';

export type ChartAggregation = 'sum' | 'average' | 'min' | 'max';

const WORDS: Record<ChartAggregation, { readonly value: string; readonly heading: string; readonly summary: string }> =
  {
    sum: { value: 'total', heading: 'Sum', summary: 'Sum' },
    average: { value: 'average', heading: 'Average', summary: 'Average and range' },
    min: { value: 'minimum', heading: 'Minimum', summary: 'Minimum' },
    max: { value: 'maximum', heading: 'Maximum', summary: 'Maximum' },
  };

/** "total", "average", "minimum" or "maximum": what a bucket's drawn value is. */
export function valueWord(aggregation: ChartAggregation): string {
  return WORDS[aggregation].value;
}

/** The value column's heading: "Sum", "Average", "Minimum" or "Maximum". */
export function valueHeading(aggregation: ChartAggregation): string {
  return WORDS[aggregation].heading;
}

/** The chart's note: "Sum", "Average and range", … */
export function summaryWords(aggregation: ChartAggregation): string {
  return WORDS[aggregation].summary;
}

/** Only averages carry a min–max range worth showing beside the value. */
export function showsRange(aggregation: ChartAggregation): boolean {
  return aggregation === 'average';
}

interface QuantityBuckets {
  readonly aggregation: ChartAggregation;
  readonly unit: string;
  readonly bucket: string;
  readonly bucketStart: readonly number[];
  readonly value: readonly number[];
  readonly min: readonly number[];
  readonly max: readonly number[];
  readonly count: readonly number[];
  readonly skippedRecords: number;
  readonly notes?: readonly string[] | undefined;
}

/** The line above a quantity chart: what it shows, what was left out, and what the records said that it could not use. */
export function quantitySummary(chart: QuantityBuckets): string {
  const records = chart.count.reduce((a, b) => a + b, 0);
  const skipped = chart.skippedRecords
    ? ` (${chart.skippedRecords.toLocaleString()} without a value or time left out)`
    : '';
  const lines = [
    `${summaryWords(chart.aggregation)} of ${records.toLocaleString()} records in ${chart.bucketStart.length.toLocaleString()} ${chart.bucket}s${skipped}`,
    ...(chart.notes ?? []),
  ];
  return lines.join(' ');
}

/** The chart's data as a table: one row per bucket, the range columns only for averages. */
export function quantityTable(chart: QuantityBuckets, title: string): ChartTableData {
  const unit = chart.unit ? ` (${chart.unit})` : '';
  const range = showsRange(chart.aggregation);
  const cell = (values: readonly number[], i: number): string => formatNumber(values[i] ?? NaN);
  return {
    caption: `${title}: ${summaryWords(chart.aggregation).toLowerCase()} by ${chart.bucket}`,
    headers: range
      ? [chart.bucket, `${valueHeading(chart.aggregation)}${unit}`, 'Minimum', 'Maximum', 'Records']
      : [chart.bucket, `${valueHeading(chart.aggregation)}${unit}`, 'Records'],
    rows: chart.bucketStart.map((start, i) =>
      range
        ? [formatDay(start), cell(chart.value, i), cell(chart.min, i), cell(chart.max, i), cell(chart.count, i)]
        : [formatDay(start), cell(chart.value, i), cell(chart.count, i)],
    ),
  };
}
