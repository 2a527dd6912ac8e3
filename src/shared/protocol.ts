/**
 * The query panel's message protocol, both directions, validated with zod on receipt (house style 13–15).
 * Webview → host: commands (`ready`, `runQuery`, `cancel`, …) and requests with a `requestId` that get a
 * `…/result` reply. Host → webview: notifications (`did…`) and those replies.
 * Rules that hold for every message: no token, ever; no message carries the whole result, only windows
 * of rows as compact JSON text (≤ MAX_MESSAGE_CHARS); URLs shown are built by the host, never chosen
 * by the webview.
 */
import { z } from 'zod';
import { MAX_PAGE_SIZE, ROUTES, type RouteId } from '../core/routes';
import { ISO_DATE_PATTERN, UUID_PATTERN } from './query';

/** Upper bound of one host → webview message's text payload (rows, raw text). */
export const MAX_MESSAGE_CHARS = 1_000_000;
/** Most records the webview may ask for in one `getRows`. */
export const MAX_ROWS_PER_REQUEST = 2_000;
export const MAX_FIND_QUERY = 200;

const routeIds = ROUTES.map((r) => r.id) as [RouteId, ...RouteId[]];
const requestId = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const resultId = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const shortText = z.string().max(300);

export const queryParamsSchema = z.object({
  startDate: z.string().regex(ISO_DATE_PATTERN).optional(),
  endDate: z.string().regex(ISO_DATE_PATTERN).optional(),
  sort: z.enum(['asc', 'desc']).optional(),
  page: z.number().int().min(1).max(1_000_000).optional(),
  pageSize: z.number().int().min(1).max(MAX_PAGE_SIZE).optional(),
  include_stages: z.boolean().optional(),
  include_metrics: z.boolean().optional(),
  type: z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,127}$/).optional(),
  supplementID: z.string().regex(UUID_PATTERN).optional(),
  medicationID: z.string().regex(UUID_PATTERN).optional(),
}).strict();

export const querySpecSchema = z.object({
  route: z.enum(routeIds),
  metric: z.string().regex(/^[a-z][A-Za-z0-9]{1,63}$/).optional(),
  params: queryParamsSchema,
}).strict();

/** Everything the form holds; restored with `setState` and sent with `runQuery`. */
export const formStateSchema = z.object({
  query: querySpecSchema,
  accountId: shortText.optional(),
}).strict();
export type FormState = z.infer<typeof formStateSchema>;

// ---------- webview → host ----------

export const webviewToHost = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }).strict(),
  z.object({ type: z.literal('runQuery'), requestId, form: formStateSchema }).strict(),
  z.object({ type: z.literal('cancel'), requestId }).strict(),
  z.object({ type: z.literal('getRows'), requestId, resultId, offset: z.number().int().nonnegative(), count: z.number().int().min(1).max(MAX_ROWS_PER_REQUEST) }).strict(),
  z.object({ type: z.literal('getRaw'), requestId, resultId }).strict(),
  z.object({ type: z.literal('find'), requestId, resultId, text: z.string().min(1).max(MAX_FIND_QUERY), caseSensitive: z.boolean() }).strict(),
  z.object({ type: z.literal('copyRequest'), format: z.enum(['curl', 'fetch']), withToken: z.boolean() }).strict(),
  z.object({ type: z.literal('copyText'), what: z.enum(['path', 'value']), text: z.string().max(MAX_MESSAGE_CHARS) }).strict(),
  z.object({ type: z.literal('saveQuery'), form: formStateSchema }).strict(),
  z.object({ type: z.literal('selectAccount') }).strict(),
  z.object({ type: z.literal('openRawInEditor'), resultId }).strict(),
]);
export type WebviewToHost = z.infer<typeof webviewToHost>;

// ---------- host → webview ----------

export const accountSummarySchema = z.object({
  id: shortText,
  label: shortText,
  userId: shortText,
  environment: shortText,
  origin: shortText,
}).strict();
export type AccountSummary = z.infer<typeof accountSummarySchema>;

export const quotaSchema = z.object({
  limit: z.number().nullable(),
  remaining: z.number().nullable(),
  /** ms since epoch, or null when unknown. */
  resetAt: z.number().nullable(),
}).strict();
export type Quota = z.infer<typeof quotaSchema>;

export const warningSchema = z.object({ path: z.string().max(2000), message: z.string().max(2000) }).strict();
export type SchemaWarning = z.infer<typeof warningSchema>;

export const paginationSchema = z.object({
  currentPage: z.number().int().nullable(),
  hasMore: z.boolean(),
  hasPrev: z.boolean(),
}).strict();

export const responseSummarySchema = z.object({
  resultId,
  query: querySpecSchema,
  /** The URL as sent, without any credential (the token is a header, never in the URL). */
  url: z.string().max(4000),
  status: z.number().int(),
  durationMs: z.number().nonnegative(),
  bytes: z.number().int().nonnegative(),
  /** The response envelope with `data` left out, as compact JSON text (small: pagination and limit). */
  envelopeJson: z.string().max(100_000),
  /** `array`: `data` is a list of `recordCount` records fetched with `getRows`; `object`: a small `data` object included in envelopeJson. */
  dataKind: z.enum(['array', 'object', 'none']),
  recordCount: z.number().int().nonnegative(),
  pagination: paginationSchema.nullable(),
  warnings: z.array(warningSchema).max(500),
  receivedAt: z.number(),
}).strict();
export type ResponseSummary = z.infer<typeof responseSummarySchema>;

export const findHitSchema = z.object({
  /** Index into `data` or -1 for the envelope. */
  record: z.number().int().min(-1),
  /** Path inside the record (or envelope), as JSON segments. */
  path: z.array(z.union([z.string().max(1000), z.number().int().nonnegative()])).max(256),
}).strict();
export type FindHit = z.infer<typeof findHitSchema>;

export const hostToWebview = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('didInit'),
    accounts: z.array(accountSummarySchema).max(200),
    activeAccountId: shortText.nullable(),
    /** Today in the user's time zone (`YYYY-MM-DD`), for the date defaults. */
    today: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    quota: quotaSchema.nullable(),
    /** A query the host wants in the form (from the tree, history or a command), or null to keep the webview's own. */
    form: formStateSchema.nullable(),
  }).strict(),
  z.object({ type: z.literal('didChangeAccounts'), accounts: z.array(accountSummarySchema).max(200), activeAccountId: shortText.nullable() }).strict(),
  z.object({ type: z.literal('didChangeQuota'), quota: quotaSchema.nullable() }).strict(),
  z.object({ type: z.literal('setForm'), form: formStateSchema, run: z.boolean() }).strict(),
  z.object({ type: z.literal('didStartRequest'), requestId, url: z.string().max(4000) }).strict(),
  /** `restored`: the same result again after the webview reloaded (keep its expand and scroll state). */
  z.object({ type: z.literal('didReceiveResponse'), requestId, summary: responseSummarySchema, restored: z.boolean() }).strict(),
  z.object({ type: z.literal('didFailRequest'), requestId, code: shortText, message: z.string().max(2000), status: z.number().int().nullable() }).strict(),
  z.object({ type: z.literal('didClearResult') }).strict(),
  z.object({ type: z.literal('getRows/result'), requestId, resultId, offset: z.number().int().nonnegative(), rowsJson: z.string().max(MAX_MESSAGE_CHARS) }).strict(),
  z.object({ type: z.literal('getRaw/result'), requestId, resultId, text: z.string().max(MAX_MESSAGE_CHARS), totalChars: z.number().int().nonnegative(), truncated: z.boolean() }).strict(),
  z.object({ type: z.literal('find/result'), requestId, resultId, hits: z.array(findHitSchema).max(1000), total: z.number().int().nonnegative(), capped: z.boolean() }).strict(),
  z.object({ type: z.literal('didFail'), requestId, message: z.string().max(2000) }).strict(),
]);
export type HostToWebview = z.infer<typeof hostToWebview>;

export type HostMessageType = HostToWebview['type'];
export type HostMessage<K extends HostMessageType> = Extract<HostToWebview, { type: K }>;

export function assertNever(value: never): never {
  throw new Error(`Unexpected message ${JSON.stringify(value)}`);
}
