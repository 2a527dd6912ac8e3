/**
 * The query panel's words as one typed table. This file holds the keys and how many values each
 * message takes (`{0}`, `{1}`, …); the host fills the table with its translations
 * (src/vscode/explorer/webviewStrings.ts) and hands it to the webview with the user's locale when the
 * page loads. The webview formats numbers and dates with that locale. No English here: a message
 * exists once, in the host's table, where scripts/l10n.js finds it. The route catalogue's words
 * (src/core/localizable.ts) come along as a second table, English to translated.
 */
import * as z from 'zod/mini';
import { renderText, type LocalizableText } from '../core/localizable';
import { usableLocale } from './locale';

/** Every key of the table, with the number of values its message takes. */
export const WEBVIEW_STRING_ARGS = {
  // The request form.
  'form.label': 0,
  'form.user': 0,
  'form.route': 0,
  'form.metric': 0,
  'form.metricHint': 0,
  'form.presets': 0,
  'form.send': 0,
  'form.sendTitle': 0,
  'form.cancel': 0,
  'form.noAccount': 0,
  'form.signIn': 0,
  'form.preview': 0,
  'form.authLine': 0,
  // The inspector: status, quota, tabs, pager, find.
  'inspector.label': 0,
  'status.sending': 1,
  'status.sendingRequest': 0,
  'status.milliseconds': 1,
  'status.bytes': 1,
  'status.kilobytes': 1,
  'status.megabytes': 1,
  'status.records.one': 1,
  'status.records.other': 1,
  'status.warnings.one': 1,
  'status.warnings.other': 1,
  'empty.metric': 0,
  'empty.route': 0,
  'empty.metricOnPage': 0,
  'empty.routeOnPage': 0,
  'quota.left': 2,
  'quota.leftOf': 3,
  'quota.leftToday': 2,
  'quota.leftOfToday': 3,
  'quota.resets': 2,
  'tabs.label': 0,
  'tabs.tree': 0,
  'tabs.table': 0,
  'tabs.raw': 0,
  'tabs.headers': 0,
  'tabs.warnings': 0,
  'tabs.warningsCount': 1,
  'tabs.chart': 0,
  'tabs.empty': 0,
  'pager.label': 0,
  'pager.previous': 0,
  'pager.next': 0,
  'pager.jump': 0,
  'pager.go': 0,
  'pager.page': 1,
  'pager.pageUnknown': 0,
  'find.placeholder': 0,
  'find.matchCase': 0,
  'find.matchCaseGlyph': 0,
  'find.previous': 0,
  'find.next': 0,
  'find.searching': 0,
  'find.none': 0,
  'find.count': 2,
  'find.countMore': 2,
  // Copy and code.
  'copy.curl': 0,
  'copy.curlTitle': 0,
  'copy.fetch': 0,
  'copy.fetchTitle': 0,
  'copy.withToken': 0,
  'copy.withTokenTitle': 0,
  'copy.client': 0,
  'copy.clientTitle': 0,
  'copy.types': 0,
  'copy.typesTitle': 0,
  'copy.saveQuery': 0,
  'copy.path': 0,
  'copy.pathTitle': 0,
  'copy.value': 0,
  'copy.valueTitle': 0,
  'copy.tooDeep': 0,
  // The views of the response.
  'tree.label': 0,
  'tree.tooDeep': 0,
  'value.items.one': 1,
  'value.items.other': 1,
  'value.keys.one': 1,
  'value.keys.other': 1,
  'table.label': 0,
  'raw.label': 0,
  'raw.openInEditor': 0,
  'raw.loading': 0,
  'raw.truncated': 2,
  'raw.complete': 1,
  'headers.label': 0,
  'headers.notKept': 0,
  'warnings.none': 0,
  // The whole result: fetch all, record search, export.
  'whole.label': 0,
  'whole.fetchAll': 0,
  'whole.fetchAllTitle': 0,
  'whole.cancel': 0,
  'whole.fetching': 3,
  'whole.fetchingOf': 4,
  'whole.outcome': 2,
  'whole.resume': 0,
  'whole.resumeTitle': 0,
  'reason.complete': 0,
  'reason.cancelled': 0,
  'reason.stopped': 0,
  'reason.quota': 0,
  'reason.page_cap': 0,
  'reason.record_cap': 0,
  'reason.error': 0,
  'search.placeholder': 0,
  'search.label': 0,
  'search.previous': 0,
  'search.next': 0,
  'search.searching': 0,
  'search.none': 0,
  'search.count': 2,
  'search.countMore': 2,
  'export.format': 0,
  'export.button': 0,
  'export.title': 0,
  // The Chart tab.
  'chart.bucket': 0,
  'chart.byDay': 0,
  'chart.byWeek': 0,
  'chart.byMonth': 0,
  'chart.showTable': 0,
  'chart.showTableTitle': 0,
  'chart.hideTable': 0,
  'chart.readingSleep': 0,
  'chart.aggregating': 0,
  'chart.roleDescription': 0,
  'chart.empty': 1,
  'chart.label.day': 2,
  'chart.label.week': 2,
  'chart.label.month': 2,
  'chart.bucketValue': 4,
  'chart.bucketRange': 3,
  'chart.bucketRecords.one': 1,
  'chart.bucketRecords.other': 1,
  'chart.summary.day': 3,
  'chart.summary.week': 3,
  'chart.summary.month': 3,
  'chart.skipped': 1,
  'chart.caption.day': 2,
  'chart.caption.week': 2,
  'chart.caption.month': 2,
  'chart.column.day': 0,
  'chart.column.week': 0,
  'chart.column.month': 0,
  'chart.withUnit': 2,
  'chart.minimum': 0,
  'chart.maximum': 0,
  'chart.records': 0,
  'chart.weekOf': 1,
  'aggregation.sum.value': 0,
  'aggregation.sum.heading': 0,
  'aggregation.sum.summary': 0,
  'aggregation.sum.caption': 0,
  'aggregation.average.value': 0,
  'aggregation.average.heading': 0,
  'aggregation.average.summary': 0,
  'aggregation.average.caption': 0,
  'aggregation.min.value': 0,
  'aggregation.min.heading': 0,
  'aggregation.min.summary': 0,
  'aggregation.min.caption': 0,
  'aggregation.max.value': 0,
  'aggregation.max.heading': 0,
  'aggregation.max.summary': 0,
  'aggregation.max.caption': 0,
  'duration.hoursMinutes': 2,
  'duration.minutes': 1,
  // The hypnogram.
  'sleep.summary': 1,
  'sleep.withoutStages': 1,
  'sleep.segmentsDrawn': 2,
  'sleep.tableCaption': 2,
  'sleep.from': 0,
  'sleep.to': 0,
  'sleep.stage': 0,
  'sleep.minutes': 0,
  'sleep.previous': 0,
  'sleep.previousText': 0,
  'sleep.next': 0,
  'sleep.nextText': 0,
  'sleep.caption': 5,
  'sleep.noStages': 0,
  'sleep.label': 3,
  'sleep.roleDescription': 0,
  'sleep.segment': 4,
  'stage.awake': 0,
  'stage.asleepREM': 0,
  'stage.asleepCore': 0,
  'stage.asleepDeep': 0,
  'stage.inBed': 0,
  'stage.asleepUnspecified': 0,
  'stage.other': 0,
  // A notebook cell's output (the records renderer).
  'notebook.views': 0,
  'notebook.table': 0,
  'notebook.tree': 0,
  'notebook.chart': 0,
  'notebook.hypnogram': 0,
  'notebook.latestNights': 2,
  'notebook.nights': 1,
} as const satisfies Record<string, number>;

export type WebviewStringKey = keyof typeof WEBVIEW_STRING_ARGS;
export const WEBVIEW_STRING_KEYS = Object.keys(WEBVIEW_STRING_ARGS) as WebviewStringKey[];

/** The table: one message per key, `{0}`… where its values go. */
export type WebviewStrings = Readonly<Record<WebviewStringKey, string>>;

/** A value put into a message: numbers are written the user's way (digit grouping, decimal sign). */
export type MessageArg = string | number;
type ArgList<N extends number, T extends MessageArg[] = []> = T['length'] extends N
  ? T
  : ArgList<N, [...T, MessageArg]>;
export type ArgsOf<K extends WebviewStringKey> = ArgList<(typeof WEBVIEW_STRING_ARGS)[K]>;
/** Keys whose message takes exactly one value: the pairs `plural` picks from. */
export type CountKey = {
  [K in WebviewStringKey]: (typeof WEBVIEW_STRING_ARGS)[K] extends 1 ? K : never;
}[WebviewStringKey];

/** The name of the page's meta element that carries the bootstrap (JSON in its `content`). */
export const L10N_META_NAME = 'onetwentyone-l10n';

/**
 * What the host hands the webview at load: the user's locale (`vscode.env.language`), the table, and
 * the catalogue's marked texts (route, parameter and metric names, checks, presets) whose translation
 * is not their English, keyed by their English; a text left out shows in English.
 */
export interface WebviewBootstrap {
  readonly locale: string;
  readonly strings: WebviewStrings;
  readonly catalogue?: Readonly<Record<string, string>> | undefined;
}

const MAX_MESSAGE = 500;
/** Far above the catalogue's few hundred texts. */
const MAX_CATALOGUE = 2_000;

/**
 * The bootstrap's schema, built on first use: the host loads this module for the table's keys, and
 * only the webview checks a bootstrap (docs/performance.md, B11).
 */
function bootstrapSchemaOf() {
  const message = z.string().check(z.maxLength(MAX_MESSAGE));
  return z.strictObject({
    locale: z.string().check(z.maxLength(64)),
    strings: z.strictObject(
      Object.fromEntries(WEBVIEW_STRING_KEYS.map((key) => [key, message])) as Record<WebviewStringKey, typeof message>,
    ),
    catalogue: z.optional(
      z
        .record(message, message)
        .check(z.refine((table) => Object.keys(table).length <= MAX_CATALOGUE, 'too many catalogue texts')),
    ),
  });
}
let bootstrapSchema: ReturnType<typeof bootstrapSchemaOf> | undefined;

/** The table as the webview and its views use it: messages by key, numbers and dates in the user's locale. */
export interface WebviewL10n {
  /** The locale Intl formats with (the pseudo-locale falls back to English formats). */
  readonly locale: string;
  t<K extends WebviewStringKey>(key: K, ...args: ArgsOf<K>): string;
  /** `one` when the locale calls `count` singular, else `other`, with `count` as its value. */
  plural(count: number, one: CountKey, other: CountKey): string;
  number(value: number, options?: Intl.NumberFormatOptions): string;
  date(ms: number, options: Intl.DateTimeFormatOptions): string;
  /** A catalogue word (a route's or metric's name, a preset…) in the user's language. */
  word(text: string): string;
  /** A catalogue message with its values (a field's problem), worded the user's way. */
  text(message: LocalizableText): string;
}

/**
 * Builds the accessor over a table. Without one (a view drawn outside the query panel before its
 * owner passed a table), each message is its key, so a missing table shows at once and never crashes.
 */
export function createWebviewL10n(bootstrap: WebviewBootstrap | undefined): WebviewL10n {
  const locale = usableLocale(bootstrap?.locale ?? 'en');
  const numbers = new Intl.NumberFormat(locale);
  const plurals = new Intl.PluralRules(locale);
  const number = (value: number, options?: Intl.NumberFormatOptions): string =>
    options ? value.toLocaleString(locale, options) : numbers.format(value);
  const fill = (text: string, args: readonly MessageArg[]): string =>
    text.replace(/\{(\d+)\}/g, (whole, index: string) => {
      const arg = args[Number(index)];
      if (arg === undefined) return whole;
      return typeof arg === 'number' ? number(arg) : arg;
    });
  const t = <K extends WebviewStringKey>(key: K, ...args: ArgsOf<K>): string =>
    fill(bootstrap?.strings[key] ?? key, args);
  const catalogue = bootstrap?.catalogue ?? {};
  const word = (text: string): string => (Object.hasOwn(catalogue, text) ? (catalogue[text] ?? text) : text);
  return {
    locale,
    t,
    plural: (count, one, other) =>
      fill(bootstrap?.strings[plurals.select(count) === 'one' ? one : other] ?? other, [count]),
    number,
    date: (ms, options) => new Date(ms).toLocaleString(locale, options),
    word,
    text: (message) => renderText(message, { translate: word, number: (value) => number(value) }),
  };
}

/** The bootstrap from its JSON text, or undefined when it is missing or not what the protocol allows. */
export function parseWebviewBootstrap(json: string | null | undefined): WebviewBootstrap | undefined {
  if (!json) return undefined;
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch {
    return undefined;
  }
  bootstrapSchema ??= bootstrapSchemaOf();
  const parsed = bootstrapSchema.safeParse(data);
  return parsed.success ? parsed.data : undefined;
}
