/** How a chart bucket summarises its records, in the words the chart, its note and its table use. */

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
