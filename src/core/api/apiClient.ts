import { performance } from 'perf_hooks';
import type { z } from 'zod';
import { awaitTurn } from '../eventLoopTurns';
import type { Clock, Logger } from '../ports';
import { silentLogger, systemClock } from '../ports';
import type { RouteId, RouteQuery } from '../routes';
import { ApiError, cancelledError, redactSecrets } from './errors';
import type { Credentials, HttpResponse, HttpTransport, KeptBody, TransportRunner } from './httpTypes';
import { scanListHead } from './envelopeScan';
import { decodeUtf8, parseJsonText, readJsonBody, requireJsonContentType } from './jsonBody';
import { resolveNextPageLink } from './linkGuard';
import { buildRouteRequest, requestUrl, type BuiltRequest, type RouteParams } from './params';
import {
  budgetOf,
  budgetSpentMessage,
  createRateLimitState,
  parseRetryAfter,
  readRateLimitFields,
  type RateLimitSnapshot,
  type RateLimitState,
} from './rateLimit';
import { RecordChunks } from './recordChunks';
import { DEFAULT_RETRY_POLICY, withRetry, type RetryPolicy } from './retry';
import type {
  labRecordSchema,
  LimitObject,
  medicationRecordSchema,
  Pagination,
  profileSchema,
  quantityRecordSchema,
  sleepRecordSchema,
  supplementRecordSchema,
  workoutRecordSchema,
} from './schemas';
import { errorBodySchema } from './schemas';
import { checkEnvelope, type SchemaWarning } from './validation';

/**
 * The OneTwentyOne API client: typed calls for every data route, parameters checked
 * before sending, responses checked (content type, JSON, zod) before use, rate limits shared,
 * transient faults retried, and a 401 handed to the auth layer exactly once (refresh, then one
 * replay). The token goes only into the `Authorization` header of requests to the transport's
 * origin; it is never in a URL, a result, a log line or an error message.
 */

export interface ApiClientOptions {
  readonly transport: HttpTransport;
  readonly credentials: Credentials;
  /** Shared across the extension so every panel sees the same quota; one is made if absent. */
  readonly rateLimits?: RateLimitState;
  readonly logger?: Logger;
  readonly clock?: Clock;
  readonly retry?: Partial<RetryPolicy>;
}

export interface RequestOptions {
  readonly signal?: AbortSignal;
  /** Keep the decoded response text (bounded by the transport's size cap) for a raw view. */
  readonly keepRaw?: boolean;
  /**
   * Called once a 200's body is in, before it is parsed (which may wait for a turn), with `has_more`
   * as read from the envelope's head when it is there (a hint: the parsed page is what counts).
   */
  readonly onBodyReceived?: (hint: { readonly hasMore: boolean | undefined }) => void;
  /**
   * Awaited between receiving a 200's body and parsing it. Fetch-all opens it when the page is next
   * to be delivered: bodies wait as bytes outside the JS heap, and only the page being stored is
   * parsed objects, which keeps garbage collection short while many pages are in.
   */
  readonly beforeParse?: () => Promise<void>;
  /**
   * For a list route (without `keepRaw`): parse only the envelope now and hand the records out in
   * chunks (`PageResult.records`), each parsed and checked when taken. Fetch-all stores a page this
   * way, so no page is ever one big string and ten thousand objects at once.
   */
  readonly recordsInChunks?: boolean;
  /**
   * Send from this runner's thread (Fetch All's page worker) with the client's own transport's copy
   * there, when the transport has one (`HttpTransport.elsewhere`). A 200's list body may then stay
   * in that thread (`HttpResponse.kept`): with `recordsInChunks`, its records are read there.
   */
  readonly sendFrom?: TransportRunner;
}

/** How far into a body the envelope's `pagination` block is looked for (it comes first). */
const HEAD_BYTES = 1024;
const HAS_MORE = Buffer.from('"has_more"');

/** `has_more` from the first bytes of an envelope, without parsing it; undefined when not there. */
export function peekHasMore(body: Buffer): boolean | undefined {
  const head = body.subarray(0, HEAD_BYTES);
  const at = head.indexOf(HAS_MORE);
  if (at === -1) return undefined;
  const rest = /^\s*:\s*(true|false)\b/.exec(
    head.subarray(at + HAS_MORE.length, at + HAS_MORE.length + 16).toString('latin1'),
  );
  return rest ? rest[1] === 'true' : undefined;
}

/** The envelope up to `data` (small), or undefined when it is not JSON: the whole body's parse then says why. */
function parseEnvelopeHead(bytes: Buffer): unknown {
  try {
    return parseJsonText(decodeUtf8(bytes));
  } catch {
    return undefined;
  }
}

/** One page (or the profile object) with everything the UI shows about the exchange. */
export interface PageResult<T = unknown> {
  readonly route: RouteId;
  readonly status: number;
  readonly durationMs: number;
  readonly bytes: number;
  /** The request URL; tokens are never in URLs. */
  readonly url: string;
  readonly pagination?: Pagination;
  readonly limit?: LimitObject;
  /**
   * Records (list routes) or the profile object, exactly as received: unknown fields kept. Empty
   * when the records come in `records` instead.
   */
  readonly data: T;
  /** The records still to parse and check, a chunk at a time (asked with `recordsInChunks`). */
  readonly records?: RecordChunks;
  readonly warnings: readonly SchemaWarning[];
  /** The user's daily quota after the response, shared by every caller; absent for routes that do not spend it. */
  readonly rateLimit?: RateLimitSnapshot;
  /** Requests sent for this result (retries and a replay after refresh included). */
  readonly attempts: number;
  /** Present when `keepRaw` was asked for. */
  readonly rawText?: string;
  /** The response headers as received (`keepRaw` only), cookies' values withheld: see `shownHeaders`. */
  readonly headers?: readonly (readonly [string, string])[];
}

export type QuantityRecord = z.infer<typeof quantityRecordSchema>;
export type SleepRecord = z.infer<typeof sleepRecordSchema>;
export type WorkoutRecord = z.infer<typeof workoutRecordSchema>;
export type SupplementRecord = z.infer<typeof supplementRecordSchema>;
export type MedicationRecord = z.infer<typeof medicationRecordSchema>;
export type LabRecord = z.infer<typeof labRecordSchema>;
export type Profile = z.infer<typeof profileSchema>;

/** Each route's query parameters, typed by the route descriptions' rules (src/core/routes.ts). */
export type QuantityQuery = RouteQuery<'quantity'>;
export type SleepQuery = RouteQuery<'sleep'>;
export type WorkoutQuery = RouteQuery<'workout'>;
export type SupplementsQuery = RouteQuery<'supplements'>;
export type MedicationsQuery = RouteQuery<'medications'>;
export type LabsQuery = RouteQuery<'labs'>;

/**
 * Data as typed here is what the docs and the sandbox describe; a real response may drift, and
 * every drift is listed in `warnings`.
 */
export interface ApiClient {
  readonly origin: string;
  readonly rateLimits: RateLimitState;
  /** The URL a request would use (for showing it before sending); throws `invalid_params`. */
  previewUrl(route: RouteId, params: RouteParams): URL;
  /** Any data route by id: what the query panel uses. */
  getPage(route: RouteId, params: RouteParams, options?: RequestOptions): Promise<PageResult>;
  /**
   * Follows a server-supplied `next_page` link of a previous result, after checking it stays on
   * the origin and the route (the same check the pagination iterator does).
   */
  followLink(route: RouteId, params: RouteParams, link: string, options?: RequestOptions): Promise<PageResult>;
  quantity(
    userId: string,
    metric: string,
    query?: QuantityQuery,
    options?: RequestOptions,
  ): Promise<PageResult<QuantityRecord[]>>;
  sleep(userId: string, query?: SleepQuery, options?: RequestOptions): Promise<PageResult<SleepRecord[]>>;
  workout(userId: string, query?: WorkoutQuery, options?: RequestOptions): Promise<PageResult<WorkoutRecord[]>>;
  profile(userId: string, options?: RequestOptions): Promise<PageResult<Profile>>;
  supplements(
    userId: string,
    query?: SupplementsQuery,
    options?: RequestOptions,
  ): Promise<PageResult<SupplementRecord[]>>;
  medications(
    userId: string,
    query?: MedicationsQuery,
    options?: RequestOptions,
  ): Promise<PageResult<MedicationRecord[]>>;
  labs(userId: string, query?: LabsQuery, options?: RequestOptions): Promise<PageResult<LabRecord[]>>;
}

const MAX_SERVER_TEXT = 200;

/** A short, scrubbed description from an error body, never the raw body. */
function serverDescription(response: HttpResponse, secrets: readonly string[]): string | undefined {
  try {
    const { json } = readJsonBody(response);
    const parsed = errorBodySchema.safeParse(json);
    if (!parsed.success) return undefined;
    const text = parsed.data.error_description ?? parsed.data.message ?? parsed.data.error;
    if (!text) return undefined;
    // eslint-disable-next-line no-control-regex
    const clean = text.replace(/[\u0000-\u001f\u007f]/g, ' ').slice(0, MAX_SERVER_TEXT);
    return redactSecrets(clean, secrets);
  } catch {
    return undefined;
  }
}

export function createApiClient(options: ApiClientOptions): ApiClient {
  const { transport, credentials } = options;
  const origin = transport.origin;
  const logger = options.logger ?? silentLogger;
  const clock = options.clock ?? systemClock;
  const rateLimits = options.rateLimits ?? createRateLimitState(clock);
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.retry };

  function interpretFailure(
    response: HttpResponse,
    built: BuiltRequest,
    scope: string,
    secrets: readonly string[],
  ): ApiError {
    const route = built.route.pathTemplate;
    const status = response.status;
    const now = clock.now();
    const retryAfterMs = parseRetryAfter(response.headers['retry-after'], now);
    const description = serverDescription(response, secrets);
    const suffix = description ? ` ${description}` : '';
    switch (status) {
      case 400:
        return new ApiError('bad_request', `HTTP 400.${suffix}`, { status, route, secrets });
      case 401:
        return new ApiError('unauthorized', `HTTP 401: the token was rejected.${suffix}`, { status, route, secrets });
      case 403:
        return new ApiError('forbidden', `HTTP 403: missing permission.${suffix}`, { status, route, secrets });
      case 404:
        return new ApiError('not_found', `HTTP 404.${suffix}`, { status, route, secrets });
      case 429: {
        let bodyLimit: Record<string, unknown> | undefined;
        try {
          const { json } = readJsonBody(response);
          const limit = (json as { limit?: unknown } | null)?.limit;
          if (limit && typeof limit === 'object') bodyLimit = limit as Record<string, unknown>;
        } catch {
          // A 429 without a JSON body still has its headers.
        }
        const fields = { ...readRateLimitFields(response.headers, now), ...readRateLimitFields(bodyLimit, now) };
        if (fields.remaining === 0) {
          const resetAt = fields.resetAt ?? (retryAfterMs !== undefined ? now + retryAfterMs : undefined);
          rateLimits.record(scope, { ...fields, ...(resetAt !== undefined ? { resetAt } : {}), refused: true });
          return new ApiError('quota_exhausted', budgetSpentMessage(built.route.id), {
            status,
            route,
            ...(resetAt !== undefined ? { resetAt } : {}),
          });
        }
        if (retryAfterMs !== undefined) rateLimits.record(scope, { ...fields, notBefore: now + retryAfterMs });
        return new ApiError('rate_limited', 'HTTP 429: too many requests.', {
          status,
          route,
          ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
        });
      }
      default:
        return new ApiError('http_status', `HTTP ${status}.${suffix}`, {
          status,
          route,
          secrets,
          ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
        });
    }
  }

  /** Waits out a short `Retry-After` shared by all callers; refuses when the quota is spent. */
  async function respectRateLimit(scope: string, built: BuiltRequest, signal?: AbortSignal): Promise<void> {
    const route = built.route.pathTemplate;
    if (rateLimits.status(scope) === 'exhausted') {
      const resetAt = rateLimits.get(scope)?.resetAt;
      throw new ApiError('quota_exhausted', budgetSpentMessage(built.route.id), {
        route,
        ...(resetAt !== undefined ? { resetAt } : {}),
      });
    }
    const wait = rateLimits.waitMs(scope);
    if (wait <= 0) return;
    if (wait > policy.maxRetryAfterMs)
      throw new ApiError('rate_limited', 'Waiting for the rate limit to lift.', { route, retryAfterMs: wait });
    await policy.sleep(wait, signal);
  }

  async function execute(
    built: BuiltRequest,
    url: URL,
    userId: string,
    requestOptions: RequestOptions = {},
  ): Promise<PageResult> {
    const { signal } = requestOptions;
    const route = built.route;
    const scope = rateLimits.scopeOf(origin, userId, route.id);
    let attempts = 0;
    // Every token used for this request, so an echo of any of them is scrubbed from messages.
    const secrets: string[] = [];
    const started = performance.now();
    const sender = senderFor(requestOptions.sendFrom);

    const attemptWith = (token: string) =>
      withRetry(
        async () => {
          if (!secrets.includes(token)) secrets.push(token);
          await respectRateLimit(scope, built, signal);
          attempts++;
          const response = await sender.send({
            method: route.method,
            url,
            headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
            ...(signal ? { signal } : {}),
          });
          const now = clock.now();
          const headerFields = readRateLimitFields(response.headers, now);
          if (response.status !== 200) {
            if (response.status !== 429 && Object.keys(headerFields).length) rateLimits.record(scope, headerFields);
            throw interpretFailure(response, built, scope, secrets);
          }
          const { kept } = response;
          try {
            return await readOk(response, kept, headerFields, now);
          } catch (err) {
            // A body kept elsewhere and not read is let go there.
            kept?.drop();
            throw err;
          }
        },
        policy,
        signal,
        (error, delayMs, n) => {
          logger.debug(
            `${route.pathTemplate}: retry ${n} in ${delayMs} ms after ${error.code}${error.status ? ` ${error.status}` : ''}`,
          );
        },
      );

    /** A 200: its envelope checked, and its records parsed or left to be taken in chunks. */
    const readOk = async (
      response: HttpResponse,
      kept: KeptBody | undefined,
      headerFields: ReturnType<typeof readRateLimitFields>,
      now: number,
    ) => {
      requestOptions.onBodyReceived?.({ hasMore: peekHasMore(kept ? kept.start : response.body) });
      if (requestOptions.beforeParse) {
        await requestOptions.beforeParse();
        if (signal?.aborted) throw cancelledError();
      }
      // Parsing and validating a 1 MB page are the heavy parts: each takes a turn of its own, ahead
      // of slices of other work, since a page is not known to be the last (and its request's place
      // in a fetch-all window is not free) until it is parsed.
      await awaitTurn('first');
      const context = { route: route.pathTemplate, secrets };
      let checked;
      let text: string | undefined;
      let records: RecordChunks | undefined;
      requireJsonContentType(response, context);
      const head =
        requestOptions.recordsInChunks && route.paginated && !requestOptions.keepRaw
          ? (kept?.head ?? scanListHead(response.body))
          : undefined;
      const provisional = head ? parseEnvelopeHead(head.provisionalEnvelope) : undefined;
      if (head && provisional !== undefined) {
        checked = checkEnvelope(route.id, true, provisional, route.pathTemplate);
        records = new RecordChunks(kept ?? response.body, head, route.id, route.pathTemplate);
      } else {
        const body = kept ? await kept.take() : response.body;
        text = decodeUtf8(body, context);
        const json = parseJsonText(text, context);
        await awaitTurn('first');
        checked = checkEnvelope(route.id, route.paginated, json, route.pathTemplate);
      }
      const bodyFields = checked.limit ? readRateLimitFields(checked.limit, now) : {};
      const fields = { ...headerFields, ...bodyFields };
      if (Object.keys(fields).length) rateLimits.record(scope, fields);
      return { response, checked, text, records };
    };

    const token = await credentials.getAccessToken(signal);
    let outcome;
    try {
      outcome = await attemptWith(token);
    } catch (error) {
      if (!(error instanceof ApiError) || error.code !== 'unauthorized') throw error;
      // Exactly one hand-over to the auth layer, then one replay: a token the refresh could not mend
      // must not loop (docs/reliability.md, "Token endpoint and refresh").
      const fresh = await credentials.handleUnauthorized(token, signal);
      if (!fresh) throw error;
      outcome = await attemptWith(fresh);
    }
    const { response, checked, text, records } = outcome;
    const durationMs = performance.now() - started;
    const bytes = response.kept?.byteLength ?? response.body.length;
    logger.debug(
      `${route.method} ${route.pathTemplate} → ${response.status} in ${Math.round(durationMs)} ms, ${bytes} bytes, ${attempts} attempt(s)`,
    );
    // Only a route that spends the daily quota has one to report: the others' limits are not spent.
    const rateLimit = budgetOf(route.id).daily ? rateLimits.get(scope) : undefined;
    return {
      route: route.id,
      status: response.status,
      durationMs,
      bytes,
      url: url.href,
      ...(checked.pagination ? { pagination: checked.pagination } : {}),
      ...(checked.limit ? { limit: checked.limit } : {}),
      data: checked.data,
      ...(records ? { records } : {}),
      warnings: checked.warnings,
      ...(rateLimit ? { rateLimit } : {}),
      attempts,
      ...(requestOptions.keepRaw ? { headers: shownHeaders(response.headers) } : {}),
      ...(requestOptions.keepRaw && text !== undefined ? { rawText: text } : {}),
    };
  }

  /** The transport, or its copy in `runner`'s thread (made once per runner). */
  const elsewhere = new WeakMap<TransportRunner, HttpTransport>();
  function senderFor(runner: TransportRunner | undefined): HttpTransport {
    if (!runner || !transport.elsewhere) return transport;
    let sender = elsewhere.get(runner);
    if (!sender) {
      sender = transport.elsewhere(runner) ?? transport;
      elsewhere.set(runner, sender);
    }
    return sender;
  }

  function getPage(routeId: RouteId, params: RouteParams, requestOptions?: RequestOptions): Promise<PageResult> {
    let built: BuiltRequest;
    try {
      built = buildRouteRequest(routeId, params);
    } catch (err) {
      return Promise.reject(err);
    }
    return execute(built, requestUrl(origin, built), params.userId, requestOptions);
  }

  function followLink(
    routeId: RouteId,
    params: RouteParams,
    link: string,
    requestOptions?: RequestOptions,
  ): Promise<PageResult> {
    try {
      const built = buildRouteRequest(routeId, params);
      const trusted = resolveNextPageLink(link, origin, built.path, built.route.pathTemplate);
      if (trusted.page !== undefined) {
        // Canonical form: our own path and parameters with the server's page number, so a
        // documented-but-odd link (`/api/workout/…`, `date=` for `startDate`) still asks the right thing.
        return getPage(routeId, { ...params, query: { ...params.query, page: trusted.page } }, requestOptions);
      }
      return execute(built, trusted.url, params.userId, requestOptions);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  const typed = <T>(
    routeId: RouteId,
    userId: string,
    query: object | undefined,
    requestOptions?: RequestOptions,
    metric?: string,
  ) =>
    getPage(
      routeId,
      { userId, ...(metric !== undefined ? { metric } : {}), query: query as RouteParams['query'] },
      requestOptions,
    ) as Promise<PageResult<T>>;

  return {
    origin,
    rateLimits,
    previewUrl: (routeId, params) => requestUrl(origin, buildRouteRequest(routeId, params)),
    getPage,
    followLink,
    quantity: (userId, metric, query, o) => typed<QuantityRecord[]>('quantity', userId, query, o, metric),
    sleep: (userId, query, o) => typed<SleepRecord[]>('sleep', userId, query, o),
    workout: (userId, query, o) => typed<WorkoutRecord[]>('workout', userId, query, o),
    profile: (userId, o) => typed<Profile>('profile', userId, undefined, o),
    supplements: (userId, query, o) => typed<SupplementRecord[]>('supplements', userId, query, o),
    medications: (userId, query, o) => typed<MedicationRecord[]>('medications', userId, query, o),
    labs: (userId, query, o) => typed<LabRecord[]>('labs', userId, query, o),
  };
}

/** Response headers kept for display, at most this many (a hostile server may send thousands). */
export const MAX_SHOWN_HEADERS = 100;
/** Longest header value kept for display. */
export const MAX_HEADER_VALUE = 2000;

/**
 * The headers a person may look at: names lower-cased and sorted, values cut short. A cookie the
 * server sets may be a session credential: its value is withheld, like every credential.
 */
export function shownHeaders(headers: Readonly<Record<string, string | undefined>>): (readonly [string, string])[] {
  return Object.entries(headers)
    .filter((entry): entry is [string, string] => typeof entry[1] === 'string')
    .map(([name, value]): [string, string] => [
      name.toLowerCase().slice(0, 200),
      /^set-cookie2?$/i.test(name) ? '(withheld: a cookie may be a credential)' : value.slice(0, MAX_HEADER_VALUE),
    ])
    .sort((a, b) => a[0].localeCompare(b[0]))
    .slice(0, MAX_SHOWN_HEADERS);
}
