import { localizable } from '../localizable';
import type { RouteId } from '../routes';
import { routeById } from '../routes';
import type { FetchStopReason } from '../routes/stopReasons';
import type { ApiClient, PageResult, RequestOptions } from './apiClient';
import { ApiError } from './errors';
import type { RecordChunks } from './recordChunks';
import type { TransportRunner } from './httpTypes';
import { acceptedRoutePaths, pageNumberOf, resolveNextPageLink, type TrustedLink } from './linkGuard';
import type { SchemaWarning } from './validation';
import { buildRouteRequest, type RouteParams } from './params';
import { budgetOf } from './rateLimit';

/**
 * "Fetch all pages" as an async iterator (docs/reliability.md, "Responses and paging";
 * docs/performance.md, B4).
 *
 * - `next_page` is followed only after the link guard accepts it (same origin, same route, same
 *   user); the request itself is rebuilt from our own parameters plus the link's page number.
 *   Two ways servers get the link wrong are worked around, each with one warning per run rather
 *   than a run stopped as partial: `has_more: true` without a `next_page` asks for the next page by
 *   number, and an absolute link on another origin or scheme (a proxy or gateway writing its own
 *   address) gives only its page number, asked of the configured origin: the token never goes
 *   anywhere else. A page number that goes back is refused either way.
 * - Cycles are detected: every page number may be asked for once, and page numbers must advance.
 * - Caps on pages and records; the remaining daily quota (of a route that spends it) is checked before every request, and the
 *   run stops in time (leaving `quotaReserve` requests unspent) instead of running into a 429.
 * - With `concurrency` > 1, once the links have shown they count pages (page N links to N+1),
 *   later pages are requested ahead by number: `concurrency` requests stay on the network while
 *   answered pages wait for the consumer (a page that arrived frees its request's place at once,
 *   not when it is consumed; B4's bound assumes c requests always in flight). Pages are always
 *   delivered in order; at most `concurrency + 2` are held; nothing is requested past a page that
 *   said it was the last, so at most `concurrency − 1` requests are spent past the end.
 * - The outcome says why the run ended and whether the data is partial.
 */

/** Paging ends for every reason of a run but `stopped`, which only its caller knows. */
export type StopReason = Exclude<FetchStopReason, 'stopped'>;

export interface PaginateOptions {
  readonly signal?: AbortSignal;
  /** Most pages fetched (default 1000). */
  readonly maxPages?: number;
  /**
   * Stop once this many records were delivered (default 10,000,000); the last page is delivered
   * whole. A chunked page (`recordsInChunks`) counts as its records are taken, so a consumer that
   * asks for the next page before taking this one's may get one page more.
   */
  readonly maxRecords?: number;
  /** Requests in flight at once (1–8, default 1). */
  readonly concurrency?: number;
  /** Requests of today's quota to leave unspent (default 0). */
  readonly quotaReserve?: number;
  /**
   * Deliver each page's records as `PageResult.records`, parsed a chunk at a time by the consumer;
   * their records count towards `maxRecords` and the outcome as they are taken.
   */
  readonly recordsInChunks?: boolean;
  /** Send the requests from this thread (Fetch All's page worker: `RequestOptions.sendFrom`). */
  readonly sendFrom?: TransportRunner;
}

export interface PaginationOutcome {
  readonly reason: StopReason;
  /** True when more data exists (or may exist) than was delivered. */
  readonly partial: boolean;
  readonly pages: number;
  readonly records: number;
  /** HTTP requests sent, retries included. */
  readonly requests: number;
  readonly error?: ApiError;
  /** Plain-words summary for the UI. */
  readonly message: string;
}

export interface PageRun extends AsyncIterable<PageResult<unknown[]>> {
  /** Settles when the iteration ends (also when the consumer stops early). */
  readonly outcome: Promise<PaginationOutcome>;
}

interface Slot {
  readonly page: number;
  readonly controller: AbortController;
  readonly result: Promise<PageResult<unknown[]>>;
  /** Its body is in and its head said whether more pages follow: no longer on the network. */
  received: boolean;
  /** What the head of its body said: the last page. */
  receivedLast: boolean;
  /** Lets its body be parsed: opened when it is the page to deliver next (or the run ends). */
  readonly openParse: () => void;
  /** Parsed (or failed): its rate-limit fields are recorded. */
  settled: boolean;
  /** Parsed with `has_more: false`. */
  last: boolean;
}

type Fallback = 'missing' | 'foreign';

/** Marked for translation: the host words a warning whole (`warningText` in ./validation). */
const FALLBACK_WARNINGS: Readonly<Record<Fallback, string>> = {
  missing: localizable(
    "has_more is true but next_page is empty: the next pages were asked for by number, with this query's own parameters.",
  ),
  foreign: localizable(
    'next_page pointed at another origin or scheme: only its page number was used, asked of the configured origin.',
  ),
};

/** Where to go after a page that said `has_more: true`. */
type NextStep =
  | { readonly kind: 'link'; readonly link: TrustedLink }
  | { readonly kind: 'fallback'; readonly fallback: Fallback; readonly page: number }
  | { readonly kind: 'refused'; readonly error: unknown };

/**
 * The page number of an absolute `next_page` on another origin or scheme that is otherwise the
 * route's own link (same path, no user info); `null` when it is not such a link, undefined when it
 * is one without a page number.
 */
function foreignLinkPage(link: unknown, origin: string, expectedPath: string): number | undefined | null {
  if (
    typeof link !== 'string' ||
    !/^https?:\/\//i.test(link) ||
    link.length > 4096 ||
    // eslint-disable-next-line no-control-regex
    /[\u0000-\u001f\u007f\s\\]/.test(link)
  )
    return null;
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    return null;
  }
  if (url.username || url.password || url.origin === new URL(origin).origin) return null;
  if (!acceptedRoutePaths(expectedPath).includes(url.pathname)) return null;
  return pageNumberOf(url);
}

/** Pages held ahead of the one being delivered, beyond the `concurrency` on the network. */
const EXTRA_PAGES_HELD = 2;

const DEFAULT_MAX_PAGES = 1000;
const DEFAULT_MAX_RECORDS = 10_000_000;

function stopMessage(reason: StopReason, pages: number, records: number, error?: ApiError): string {
  const got = `${pages} page${pages === 1 ? '' : 's'}, ${records.toLocaleString('en-US')} record${records === 1 ? '' : 's'}`;
  switch (reason) {
    case 'complete':
      return `All data loaded: ${got}.`;
    case 'cancelled':
      return `Cancelled after ${got}; the data is partial.`;
    case 'quota':
      return `Stopped after ${got} to stay within today's request quota; the data is partial.`;
    case 'page_cap':
      return `Pagination stopped after ${pages} pages (the page limit); the data is partial.`;
    case 'record_cap':
      return `Stopped at the record limit after ${got}; the data is partial.`;
    case 'error':
      return `Stopped after ${got}: ${error?.message ?? 'an error occurred'} The data is partial.`;
  }
}

/**
 * Iterates the pages of a list route. The consumer may stop at any time (`break`); requests in
 * flight are then aborted and their bodies released.
 */
export function paginate(
  client: ApiClient,
  routeId: RouteId,
  params: RouteParams,
  options: PaginateOptions = {},
): PageRun {
  const route = routeById(routeId);
  const maxPages = Math.max(1, Math.floor(options.maxPages ?? DEFAULT_MAX_PAGES));
  const maxRecords = Math.max(1, Math.floor(options.maxRecords ?? DEFAULT_MAX_RECORDS));
  const concurrency = Math.min(8, Math.max(1, Math.floor(options.concurrency ?? 1)));
  const reserve = Math.max(0, Math.floor(options.quotaReserve ?? 0));
  const scope = client.rateLimits.scopeOf(client.origin, params.userId, routeId);
  const spendsDailyQuota = budgetOf(routeId).daily;

  let settle!: (outcome: PaginationOutcome) => void;
  const outcome = new Promise<PaginationOutcome>((resolve) => {
    settle = resolve;
  });

  async function* run(): AsyncGenerator<PageResult<unknown[]>> {
    let pages = 0;
    let records = 0;
    /** Pages delivered as chunks: their records count as the consumer takes them. */
    const chunkedPages: RecordChunks[] = [];
    const recordsDelivered = (): number => chunkedPages.reduce((n, chunks) => n + chunks.count, records);
    let requests = 0;
    let reason: StopReason = 'complete';
    let partial = false;
    let error: ApiError | undefined;
    const inFlight = new Map<number, Slot>();
    const requested = new Set<number>();
    const fallbacksWarned = new Set<Fallback>();

    /** What follows a page that said `has_more: true` with this `next_page`. */
    const nextStep = (link: unknown, current: number): NextStep => {
      if (link === null || link === undefined || link === '')
        return { kind: 'fallback', fallback: 'missing', page: current + 1 };
      const path = buildRouteRequest(routeId, params).path;
      try {
        return { kind: 'link', link: resolveNextPageLink(link, client.origin, path, route.pathTemplate) };
      } catch (error) {
        const page = foreignLinkPage(link, client.origin, path);
        if (page === null) return { kind: 'refused', error };
        return { kind: 'fallback', fallback: 'foreign', page: page ?? current + 1 };
      }
    };

    let finished = false;
    const finish = (why: StopReason, more: boolean, err?: ApiError): void => {
      finished = true;
      reason = why;
      partial = more;
      error = err;
    };

    /**
     * Requests on the network right now. A page whose body is in no longer is, once it is known
     * whether it is the last (from its head, or parsed): it waits for parsing and for the consumer.
     */
    const active = (): number => {
      let n = 0;
      for (const slot of inFlight.values()) if (!slot.received && !slot.settled) n++;
      return n;
    };

    /** Requests still allowed today, after what is in flight and the reserve. */
    const quotaLeft = (): number => {
      const status = client.rateLimits.status(scope);
      if (status === 'exhausted') return 0;
      const remaining = client.rateLimits.get(scope)?.remaining;
      let unrecorded = 0;
      // A parsed page is already counted in `remaining`; one not parsed yet is not.
      for (const slot of inFlight.values()) if (!slot.settled) unrecorded++;
      // A route outside the daily quota is stopped only by the server refusing it (`exhausted`).
      return remaining === undefined || !spendsDailyQuota ? Number.POSITIVE_INFINITY : remaining - unrecorded - reserve;
    };

    const start = (page: number, link?: URL): Slot => {
      requested.add(page);
      // Assigned before the request can call back (its callbacks run after this function returns).
      // eslint-disable-next-line prefer-const
      let slot: Slot;
      const controller = new AbortController();
      const onAbort = (): void => controller.abort();
      options.signal?.addEventListener('abort', onAbort, { once: true });
      let openParse!: () => void;
      const parseGate = new Promise<void>((resolve) => {
        openParse = resolve;
      });
      const requestOptions: RequestOptions = {
        signal: controller.signal,
        beforeParse: () => parseGate,
        ...(options.recordsInChunks ? { recordsInChunks: true } : {}),
        ...(options.sendFrom ? { sendFrom: options.sendFrom } : {}),
        onBodyReceived: ({ hasMore }) => {
          if (hasMore === undefined || slot.received) return;
          slot.received = true;
          slot.receivedLast = !hasMore;
          fillWindow();
        },
      };
      const call = link
        ? client.followLink(routeId, params, link.href, requestOptions)
        : client.getPage(
            routeId,
            route.paginated ? { ...params, query: { ...params.query, page } } : params,
            requestOptions,
          );
      const result = (call as Promise<PageResult<unknown[]>>)
        .then(
          (r) => {
            requests += r.attempts;
            return r;
          },
          (err: unknown) => {
            requests += 1;
            throw err;
          },
        )
        .finally(() => options.signal?.removeEventListener('abort', onAbort));
      slot = { page, controller, result, openParse, received: false, receivedLast: false, settled: false, last: false };
      // Its place on the network is free once it is parsed, if its head did not tell before.
      // (This also keeps a speculative request's rejection from going unhandled.)
      result.then(
        (r) => {
          slot.settled = true;
          slot.last = r.pagination?.has_more === false;
          // The parsed page overrides what its head seemed to say.
          slot.receivedLast = slot.last;
          fillWindow();
        },
        () => {
          slot.settled = true;
        },
      );
      inFlight.set(page, slot);
      return slot;
    };

    const abortAll = (): void => {
      for (const slot of inFlight.values()) {
        slot.controller.abort();
        slot.openParse();
      }
      inFlight.clear();
    };

    /**
     * Requests pages after the one being awaited while fewer than `concurrency` are on the network,
     * within the pages held, the page cap, the quota and the last page seen.
     */
    const fillWindow = (): void => {
      if (finished || !countsPages || concurrency <= 1 || nextPage === undefined || options.signal?.aborted) return;
      let end = firstPage + maxPages - 1;
      for (const slot of inFlight.values()) if (slot.last || slot.receivedLast) end = Math.min(end, slot.page);
      let onNetwork = active();
      for (
        let page = nextPage + 1;
        page <= nextPage + concurrency - 1 + EXTRA_PAGES_HELD && page <= end && onNetwork < concurrency;
        page++
      ) {
        if (requested.has(page)) continue;
        if (quotaLeft() <= 0) break;
        start(page);
        onNetwork++;
      }
    };

    const firstPage = Number(params.query?.page ?? 1);
    let nextPage: number | undefined = firstPage;
    let nextLink: URL | undefined;
    let countsPages = false;

    try {
      buildRouteRequest(routeId, params);
      while (nextPage !== undefined) {
        if (options.signal?.aborted) {
          finish('cancelled', true);
          break;
        }
        if (pages >= maxPages) {
          finish('page_cap', true);
          break;
        }
        let slot = inFlight.get(nextPage);
        if (!slot) {
          if (quotaLeft() <= 0) {
            finish('quota', true);
            break;
          }
          slot = start(nextPage, nextLink);
        }
        fillWindow();

        let result: PageResult<unknown[]> | undefined;
        try {
          slot.openParse();
          result = await slot.result;
        } catch (err) {
          inFlight.delete(slot.page);
          const apiError =
            err instanceof ApiError ? err : new ApiError('network', 'The request failed.', { cause: err });
          if (apiError.code === 'cancelled' && options.signal?.aborted) finish('cancelled', true);
          else if (apiError.code === 'quota_exhausted') finish('quota', true, apiError);
          else finish('error', true, apiError);
          break;
        }
        inFlight.delete(slot.page);
        const current = slot.page;
        pages++;
        if (result.records) chunkedPages.push(result.records);
        else records += Array.isArray(result.data) ? result.data.length : 0;
        lastHasMore = !route.paginated ? false : result.pagination?.has_more !== false;
        const pagination = result.pagination;
        const step = route.paginated && pagination?.has_more ? nextStep(pagination.next_page, current) : undefined;
        if (step?.kind === 'fallback' && !fallbacksWarned.has(step.fallback)) {
          fallbacksWarned.add(step.fallback);
          const warning: SchemaWarning = {
            path: 'pagination.next_page',
            message: FALLBACK_WARNINGS[step.fallback],
            count: 1,
          };
          result = { ...result, warnings: [...result.warnings, warning] };
        }
        yield result;
        // Not kept while the next page is awaited: the consumer owns the data now.
        result = undefined;

        if (!route.paginated) {
          finish('complete', false);
          break;
        }
        if (!pagination) {
          finish(
            'error',
            true,
            new ApiError('schema', 'the pagination block is missing or unusable, so the next page is unknown.', {
              route: route.pathTemplate,
            }),
          );
          break;
        }
        if (!pagination.has_more || !step) {
          finish('complete', false);
          break;
        }
        if (recordsDelivered() >= maxRecords) {
          finish('record_cap', true);
          break;
        }
        if (step.kind === 'refused') throw step.error;
        let linkedPage: number;
        if (step.kind === 'fallback') linkedPage = step.page;
        else if (step.link.page !== undefined) linkedPage = step.link.page;
        else {
          // A link without a page number: follow it as is, one at a time, never twice.
          const key = step.link.url.href;
          if (seenLinks.has(key))
            throw new ApiError('pagination_loop', 'next_page repeats a page already fetched.', {
              route: route.pathTemplate,
            });
          seenLinks.add(key);
          countsPages = false;
          nextLink = step.link.url;
          nextPage = current + 1;
          if (requested.has(nextPage)) nextPage = Math.max(...requested) + 1;
          continue;
        }
        nextLink = undefined;
        if (linkedPage <= current || (requested.has(linkedPage) && !inFlight.has(linkedPage))) {
          throw new ApiError('pagination_loop', `next_page leads back to page ${linkedPage} after page ${current}.`, {
            route: route.pathTemplate,
          });
        }
        countsPages = linkedPage === current + 1;
        if (!countsPages) {
          // The server skips pages: speculation was wrong, drop it and follow the link.
          abortAll();
        }
        nextPage = linkedPage;
      }
    } catch (err) {
      const apiError = err instanceof ApiError ? err : new ApiError('network', 'Pagination failed.', { cause: err });
      finish(
        apiError.code === 'cancelled' ? 'cancelled' : 'error',
        true,
        apiError.code === 'cancelled' ? undefined : apiError,
      );
    } finally {
      // Also reached when the consumer leaves `for await` early: that is a cancellation, and
      // the data is partial unless the page just delivered was the last one.
      if (!finished) finish('cancelled', lastHasMore);
      abortAll();
      const stop = { reason, partial, pages, requests, ...(error ? { error } : {}) };
      // The iteration can end before the consumer has taken the last chunked page's records, so
      // the count and the message are read when asked for (after the consumer is done with them).
      settle(
        Object.defineProperties(stop, {
          records: { enumerable: true, get: recordsDelivered },
          message: {
            enumerable: true,
            get: () => stopMessage(stop.reason, stop.pages, recordsDelivered(), stop.error),
          },
        }) as PaginationOutcome,
      );
    }
  }

  const seenLinks = new Set<string>();
  let lastHasMore = true;
  let started = false;
  return {
    outcome,
    [Symbol.asyncIterator]() {
      if (started) throw new Error('A page run can be iterated only once.');
      started = true;
      return run();
    },
  };
}
