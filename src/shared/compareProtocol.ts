/**
 * The compare view's messages, both ways, checked with zod on arrival (docs/reliability.md,
 * "Untrusted input"), and its words: a typed table the host fills with its translations and sends
 * in `init`, so the page holds no English of its own.
 */
import * as z from 'zod/mini';

/** Differences in one `rows` reply. */
export const MAX_COMPARE_ROWS = 200;
/** Buckets per series: ten years of days. */
export const MAX_COMPARE_BUCKETS = 4000;
/** A value or record text in a row, cut to this length (the host says so with a trailing "…"). */
export const MAX_COMPARE_TEXT = 2000;
/** Fields listed per difference and in the field summary. */
export const MAX_COMPARE_FIELDS = 64;

/** Every word of the view, with the number of values its message takes (`{0}`, `{1}`). */
export const COMPARE_STRING_ARGS = {
  'page.title': 0,
  'side.a': 2,
  'side.b': 2,
  'key.id': 0,
  'key.time': 0,
  'key.index': 0,
  'counts.label': 0,
  'count.added': 1,
  'count.removed': 1,
  'count.changed': 1,
  'count.unchanged': 1,
  'fields.label': 0,
  'fields.item': 2,
  'table.label': 0,
  'table.change': 0,
  'table.key': 0,
  'table.fields': 0,
  'table.a': 0,
  'table.b': 0,
  'table.empty': 0,
  'table.loading': 0,
  'table.wholeRecord': 0,
  'kind.added': 0,
  'kind.removed': 0,
  'kind.changed': 0,
  'chart.title': 1,
  'chart.label': 1,
  'chart.bucket': 3,
  'chart.noValue': 0,
  'chart.dataCaption': 0,
  'chart.period': 0,
  'announce.ready': 4,
} as const;

export type CompareStringKey = keyof typeof COMPARE_STRING_ARGS;
export type CompareStrings = Readonly<Record<CompareStringKey, string>>;
export const COMPARE_STRING_KEYS = Object.keys(COMPARE_STRING_ARGS) as CompareStringKey[];

const intIn = (min: number, max: number) => z.int().check(z.gte(min), z.lte(max));
const count = intIn(0, Number.MAX_SAFE_INTEGER);
const text = (max: number) => z.string().check(z.maxLength(max));
const listOf = <T extends z.ZodMiniType>(item: T, max: number) => z.array(item).check(z.maxLength(max));

const stringsSchema = z.strictObject(
  Object.fromEntries(COMPARE_STRING_KEYS.map((key) => [key, text(500)])) as Record<
    CompareStringKey,
    z.ZodMiniString<string>
  >,
);

const fieldChange = z.strictObject({
  field: text(MAX_COMPARE_TEXT),
  a: text(MAX_COMPARE_TEXT),
  b: text(MAX_COMPARE_TEXT),
});

export const compareRowSchema = z.strictObject({
  kind: z.enum(['added', 'removed', 'changed']),
  key: text(MAX_COMPARE_TEXT),
  fields: listOf(fieldChange, MAX_COMPARE_FIELDS),
});
export type CompareRow = z.infer<typeof compareRowSchema>;

const numbers = listOf(z.number(), MAX_COMPARE_BUCKETS);
const series = z.strictObject({ bucketStart: numbers, value: numbers, count: numbers });
export type CompareSeriesData = z.infer<typeof series>;

export const compareChartSchema = z.strictObject({
  bucket: z.enum(['day', 'week', 'month']),
  aggregation: z.enum(['sum', 'average', 'min', 'max']),
  unit: text(100),
  a: series,
  b: series,
});
export type CompareChart = z.infer<typeof compareChartSchema>;

const side = z.strictObject({ label: text(500), records: count });

// ---------- host → webview ----------

export const compareHostToWebview = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('init'),
    locale: text(64),
    strings: stringsSchema,
    a: side,
    b: side,
    key: z.enum(['id', 'time', 'index']),
    counts: z.strictObject({ unchanged: count, changed: count, added: count, removed: count }),
    fields: listOf(z.strictObject({ field: text(MAX_COMPARE_TEXT), changed: count }), MAX_COMPARE_FIELDS),
    differences: count,
    chart: z.nullable(compareChartSchema),
  }),
  z.strictObject({ type: z.literal('rows'), from: count, rows: listOf(compareRowSchema, MAX_COMPARE_ROWS) }),
]);
export type CompareHostMessage = z.infer<typeof compareHostToWebview>;
export type CompareInit = Extract<CompareHostMessage, { type: 'init' }>;

// ---------- webview → host ----------

export const compareWebviewToHost = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('ready') }),
  z.strictObject({ type: z.literal('getRows'), from: count, count: intIn(1, MAX_COMPARE_ROWS) }),
]);
export type CompareWebviewMessage = z.infer<typeof compareWebviewToHost>;

/** `message` with `{0}`, `{1}`… replaced by `args` (numbers as the locale writes them). */
export function fillCompareString(message: string, args: readonly (string | number)[], locale: string): string {
  return message.replace(/\{(\d+)\}/g, (whole, index: string) => {
    const arg = args[Number(index)];
    if (arg === undefined) return whole;
    return typeof arg === 'number' ? arg.toLocaleString(locale) : arg;
  });
}
