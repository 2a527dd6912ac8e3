/**
 * The query panel's message protocol, both directions, validated with zod on receipt: neither side
 * trusts a message's shape, and the webview starts only after its `ready` handshake.
 * Webview → host: commands (`ready`, `runQuery`, `cancel`, …) and requests (REPLY_TYPES) with a
 * `requestId` that get one reply type each. Host → webview: notifications (`did…`) and those replies.
 * Rules that hold for every message: no token, ever; no message carries the whole result, only windows
 * of rows as row lines (src/shared/rowLines.ts, ≤ MAX_MESSAGE_CHARS); URLs shown are built by the host, never chosen
 * by the webview.
 */
// zod/mini: the same checks as classic zod with a tree-shakable API, so the webview bundle stays small.
import * as z from 'zod/mini';
import { querySpecSchema } from '../core/routes/request';
import { STOP_REASONS } from '../core/routes/stopReasons';

/** Upper bound of one host → webview message's text payload (rows, raw text). */
export const MAX_MESSAGE_CHARS = 1_000_000;
/** Most records the webview may ask for in one `getRows`. */
export const MAX_ROWS_PER_REQUEST = 2_000;
export const MAX_FIND_QUERY = 200;
/** Search hits sent in one `search/result` (the host keeps all of them; `getHit` reaches the rest). */
export const MAX_SEARCH_HITS_SENT = 1000;
/** Buckets in one `chart/result`: ten years of days, still far below MAX_MESSAGE_CHARS. */
export const MAX_CHART_BUCKETS = 4000;
/** Stage segments in one `hypnogram/result` (one session has a few dozen). */
export const MAX_HYPNOGRAM_SEGMENTS = 5000;

const intIn = (min: number, max: number) => z.int().check(z.gte(min), z.lte(max));
/** Names a query run (`runQuery`, `cancel`, `did…Request`): host-started runs have one too. */
const runId = intIn(0, Number.MAX_SAFE_INTEGER);
/**
 * Pairs a request with its reply: the host copies it into every reply to that request, `didFail`
 * included, so the webview settles exactly the request that was answered.
 */
const requestId = z.optional(intIn(0, Number.MAX_SAFE_INTEGER));
const resultId = intIn(0, Number.MAX_SAFE_INTEGER);
const text = (max: number) => z.string().check(z.maxLength(max));
const shortText = text(300);
const matching = (pattern: RegExp) => z.string().check(z.regex(pattern));
const listOf = <T extends z.ZodMiniType>(item: T, max: number) => z.array(item).check(z.maxLength(max));

// A query (route, metric, parameters) is checked by its route's own schema, derived from the route
// descriptions in src/core/routes.ts: the form, the API client and history use the same one.

/** Everything the form holds; restored with `setState` and sent with `runQuery`. */
export const formStateSchema = z.strictObject({
  query: querySpecSchema,
  accountId: z.optional(shortText),
});
export type FormState = z.infer<typeof formStateSchema>;

// ---------- webview → host ----------

export const webviewToHost = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('ready') }),
  z.strictObject({ type: z.literal('runQuery'), requestId: runId, form: formStateSchema }),
  z.strictObject({ type: z.literal('cancel'), requestId: runId }),
  z.strictObject({
    type: z.literal('getRows'),
    requestId,
    resultId,
    offset: intIn(0, Number.MAX_SAFE_INTEGER),
    count: intIn(1, MAX_ROWS_PER_REQUEST),
  }),
  z.strictObject({ type: z.literal('getRaw'), requestId, resultId }),
  z.strictObject({
    type: z.literal('find'),
    requestId,
    resultId,
    text: z.string().check(z.minLength(1), z.maxLength(MAX_FIND_QUERY)),
    caseSensitive: z.boolean(),
  }),
  z.strictObject({ type: z.literal('copyRequest'), format: z.enum(['curl', 'fetch']), withToken: z.boolean() }),
  /** Code from the result's records: a TypeScript type and zod schema, or a client for the query. */
  z.strictObject({ type: z.literal('generateCode'), resultId, what: z.enum(['types', 'client']) }),
  z.strictObject({ type: z.literal('copyText'), what: z.enum(['path', 'value']), text: text(MAX_MESSAGE_CHARS) }),
  z.strictObject({ type: z.literal('saveQuery'), form: formStateSchema }),
  z.strictObject({ type: z.literal('selectAccount') }),
  z.strictObject({ type: z.literal('openRawInEditor'), resultId }),
  /** "Fetch All Pages" for the result shown: the host asks for confirmation first. */
  z.strictObject({ type: z.literal('fetchAll'), resultId }),
  z.strictObject({ type: z.literal('cancelFetchAll'), resultId }),
  /** Dataset search over the whole result (text and field conditions such as `value > 180`). */
  z.strictObject({
    type: z.literal('search'),
    requestId,
    resultId,
    text: z.string().check(z.minLength(1), z.maxLength(MAX_FIND_QUERY)),
  }),
  /** The row of hit number `hitIndex` of the last search (jump to hit beyond the first ones sent). */
  z.strictObject({ type: z.literal('getHit'), requestId, resultId, hitIndex: intIn(0, Number.MAX_SAFE_INTEGER) }),
  z.strictObject({ type: z.literal('exportResult'), resultId, format: z.enum(['json', 'ndjson', 'csv']) }),
  /** A quantity result aggregated over time from the whole result (the host does the work). */
  z.strictObject({ type: z.literal('getChart'), requestId, resultId, bucket: z.enum(['day', 'week', 'month']) }),
  /** One sleep session's hypnogram: `session` counts from the earliest; null asks for the latest. */
  z.strictObject({
    type: z.literal('getHypnogram'),
    requestId,
    resultId,
    session: z.nullable(intIn(0, Number.MAX_SAFE_INTEGER)),
  }),
]);
export type WebviewToHost = z.infer<typeof webviewToHost>;

// ---------- host → webview ----------

export const accountSummarySchema = z.strictObject({
  id: shortText,
  label: shortText,
  userId: shortText,
  environment: shortText,
  origin: shortText,
});
export type AccountSummary = z.infer<typeof accountSummarySchema>;

export const quotaSchema = z.strictObject({
  /** Whose budget: "quantity & sleep" (the daily quota they share) or one route's own. */
  budget: shortText,
  daily: z.boolean(),
  limit: z.nullable(z.number()),
  remaining: z.nullable(z.number()),
  /** ms since epoch, or null when unknown. */
  resetAt: z.nullable(z.number()),
});
export type Quota = z.infer<typeof quotaSchema>;

export const warningSchema = z.strictObject({ path: text(2000), message: text(2000) });
export type SchemaWarning = z.infer<typeof warningSchema>;

export const paginationSchema = z.strictObject({
  currentPage: z.nullable(z.int()),
  hasMore: z.boolean(),
  hasPrev: z.boolean(),
});

export const responseSummarySchema = z.strictObject({
  resultId,
  query: querySpecSchema,
  /** The URL as sent, without any credential (the token is a header, never in the URL). */
  url: text(4000),
  status: z.int(),
  durationMs: z.number().check(z.gte(0)),
  bytes: intIn(0, Number.MAX_SAFE_INTEGER),
  /** The response envelope with `data` left out, as compact JSON text (small: pagination and limit). */
  envelopeJson: text(100_000),
  /** `array`: `data` is a list of `recordCount` records fetched with `getRows`; `object`: a small `data` object included in envelopeJson. */
  dataKind: z.enum(['array', 'object', 'none']),
  recordCount: intIn(0, Number.MAX_SAFE_INTEGER),
  pagination: z.nullable(paginationSchema),
  warnings: listOf(warningSchema, 500),
  receivedAt: z.number(),
  /** The response headers, name and value (cookies withheld by the host); absent for restored results. */
  headers: z.optional(listOf(z.tuple([text(200), text(2000)]), 100)),
});
export type ResponseSummary = z.infer<typeof responseSummarySchema>;

export const fetchStatusSchema = z.strictObject({
  running: z.boolean(),
  pages: intIn(0, Number.MAX_SAFE_INTEGER),
  expectedPages: z.nullable(intIn(0, Number.MAX_SAFE_INTEGER)),
  records: intIn(0, Number.MAX_SAFE_INTEGER),
  recordsPerSecond: z.number().check(z.gte(0)),
  /** Set when finished: `complete`, or why the result is partial. */
  reason: z.nullable(z.enum(STOP_REASONS)),
  partial: z.boolean(),
  /** The plan while running, the outcome's sentence when finished. */
  message: text(2000),
  /** Stopped partway and can go on from the next page it needs ("Resume", which asks with `fetchAll`). */
  resumable: z.optional(z.boolean()),
  /** Which pages came in which run ("Pages 1–40: run 1 (stopped: quota); pages 41–80: run 2."). */
  runs: z.optional(text(2000)),
});
export type FetchStatus = z.infer<typeof fetchStatusSchema>;

export const findHitSchema = z.strictObject({
  /** Index into `data` or -1 for the envelope. */
  record: intIn(-1, Number.MAX_SAFE_INTEGER),
  /** Path inside the record (or envelope), as JSON segments. */
  path: listOf(z.union([text(1000), intIn(0, Number.MAX_SAFE_INTEGER)]), 256),
});
export type FindHit = z.infer<typeof findHitSchema>;

export const hostToWebview = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('didInit'),
    accounts: listOf(accountSummarySchema, 200),
    activeAccountId: z.nullable(shortText),
    /** Today in the user's time zone (`YYYY-MM-DD`), for the date defaults. */
    today: matching(/^\d{4}-\d{2}-\d{2}$/),
    quota: z.nullable(quotaSchema),
    /** A query the host wants in the form (from the tree, history or a command), or null to keep the webview's own. */
    form: z.nullable(formStateSchema),
  }),
  z.strictObject({
    type: z.literal('didChangeAccounts'),
    accounts: listOf(accountSummarySchema, 200),
    activeAccountId: z.nullable(shortText),
  }),
  z.strictObject({ type: z.literal('didChangeQuota'), quota: z.nullable(quotaSchema) }),
  z.strictObject({ type: z.literal('setForm'), form: formStateSchema, run: z.boolean() }),
  z.strictObject({ type: z.literal('didStartRequest'), requestId: runId, url: text(4000) }),
  /** `restored`: the same result again after the webview reloaded (keep its expand and scroll state). */
  z.strictObject({
    type: z.literal('didReceiveResponse'),
    requestId: runId,
    summary: responseSummarySchema,
    restored: z.boolean(),
  }),
  z.strictObject({
    type: z.literal('didFailRequest'),
    requestId: runId,
    code: shortText,
    message: text(2000),
    status: z.nullable(z.int()),
  }),
  z.strictObject({ type: z.literal('didClearResult') }),
  z.strictObject({
    type: z.literal('getRows/result'),
    requestId,
    resultId,
    offset: intIn(0, Number.MAX_SAFE_INTEGER),
    /** One record's compact JSON per line (src/shared/rowLines.ts), parsed when read. */
    rowLines: text(MAX_MESSAGE_CHARS),
  }),
  z.strictObject({
    type: z.literal('getRaw/result'),
    requestId,
    resultId,
    text: text(MAX_MESSAGE_CHARS),
    totalChars: intIn(0, Number.MAX_SAFE_INTEGER),
    truncated: z.boolean(),
  }),
  z.strictObject({
    type: z.literal('find/result'),
    requestId,
    resultId,
    hits: listOf(findHitSchema, 1000),
    total: intIn(0, Number.MAX_SAFE_INTEGER),
    capped: z.boolean(),
  }),
  z.strictObject({ type: z.literal('didFail'), requestId, message: text(2000) }),
  /** The result grew or its "Fetch All Pages" run moved on (sent at most a few times a second). */
  z.strictObject({
    type: z.literal('didUpdateResult'),
    summary: responseSummarySchema,
    fetch: z.nullable(fetchStatusSchema),
  }),
  /** `done: false` for the first hits while the scan goes on; `error` for a query that does not parse. */
  z.strictObject({
    type: z.literal('search/result'),
    requestId,
    resultId,
    done: z.boolean(),
    total: intIn(0, Number.MAX_SAFE_INTEGER),
    scannedRows: intIn(0, Number.MAX_SAFE_INTEGER),
    firstHits: listOf(intIn(0, Number.MAX_SAFE_INTEGER), MAX_SEARCH_HITS_SENT),
    error: z.nullable(text(2000)),
  }),
  z.strictObject({
    type: z.literal('getHit/result'),
    requestId,
    resultId,
    hitIndex: intIn(0, Number.MAX_SAFE_INTEGER),
    row: intIn(0, Number.MAX_SAFE_INTEGER),
  }),
  z.strictObject({ type: z.literal('didChangeExport'), running: z.boolean(), message: text(2000) }),
  /** One entry per non-empty bucket (5 years by day = 1,826), parallel arrays; `error` when it cannot be charted. */
  z.strictObject({
    type: z.literal('chart/result'),
    requestId,
    resultId,
    bucket: z.enum(['day', 'week', 'month']),
    aggregation: z.enum(['sum', 'average', 'min', 'max']),
    unit: text(100),
    bucketStart: listOf(z.number(), MAX_CHART_BUCKETS),
    value: listOf(z.number(), MAX_CHART_BUCKETS),
    min: listOf(z.number(), MAX_CHART_BUCKETS),
    max: listOf(z.number(), MAX_CHART_BUCKETS),
    count: listOf(z.number(), MAX_CHART_BUCKETS),
    skippedRecords: intIn(0, Number.MAX_SAFE_INTEGER),
    /** What the records say that the chart could not use, one line each. */
    notes: z.optional(listOf(shortText, 20)),
    error: z.nullable(text(2000)),
  }),
  /** One session of a sleep result, its stage segments as parallel arrays; `error` when there is nothing to draw. */
  z.strictObject({
    type: z.literal('hypnogram/result'),
    requestId,
    resultId,
    sessionCount: intIn(0, Number.MAX_SAFE_INTEGER),
    session: intIn(0, Number.MAX_SAFE_INTEGER),
    start: z.number(),
    end: z.number(),
    sessionsWithoutStages: intIn(0, Number.MAX_SAFE_INTEGER),
    segmentsTotal: intIn(0, Number.MAX_SAFE_INTEGER),
    stage: listOf(text(100), MAX_HYPNOGRAM_SEGMENTS),
    segmentStart: listOf(z.number(), MAX_HYPNOGRAM_SEGMENTS),
    segmentEnd: listOf(z.number(), MAX_HYPNOGRAM_SEGMENTS),
    /** Which source the session shows when several logged it, and what could not be read, one line each. */
    notes: z.optional(listOf(shortText, 20)),
    error: z.nullable(text(2000)),
  }),
]);
export type HostToWebview = z.infer<typeof hostToWebview>;

export type HostMessageType = HostToWebview['type'];
export type HostMessage<K extends HostMessageType> = Extract<HostToWebview, { type: K }>;

// ---------- requests and their replies ----------

/**
 * Every webview → host request and the type of its reply. A request the host cannot answer gets
 * `didFail` instead; either way the reply carries the request's `requestId`. A `search` gets first
 * hits (`done: false`) before its last reply (`done: true`).
 */
export const REPLY_TYPES = {
  getRows: 'getRows/result',
  getRaw: 'getRaw/result',
  find: 'find/result',
  search: 'search/result',
  getHit: 'getHit/result',
  getChart: 'chart/result',
  getHypnogram: 'hypnogram/result',
} as const satisfies { [K in WebviewToHost['type']]?: HostMessageType };
export type RequestType = keyof typeof REPLY_TYPES;
export type RequestMessage<K extends RequestType> = Extract<WebviewToHost, { type: K }>;
/** What a request carries besides its type and `requestId`. */
export type RequestPayload<K extends RequestType> = Omit<RequestMessage<K>, 'type' | 'requestId'>;
export type ReplyType = (typeof REPLY_TYPES)[RequestType];
export type ReplyOf<K extends RequestType> = HostMessage<(typeof REPLY_TYPES)[K]>;

const replyTypes: ReadonlySet<HostMessageType> = new Set<HostMessageType>([...Object.values(REPLY_TYPES), 'didFail']);

/** A reply to a request (its result or `didFail`), as opposed to a notification. */
export function isReply(msg: HostToWebview): msg is HostMessage<ReplyType | 'didFail'> {
  return replyTypes.has(msg.type);
}

export function assertNever(value: never): never {
  throw new Error(`Unexpected message ${JSON.stringify(value)}`);
}
