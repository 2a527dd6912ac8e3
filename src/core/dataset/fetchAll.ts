import { describeApiError, isApiError } from '../api/errors';
import { localizable, renderText, textOf, type LocalizableText } from '../localizable';
import { type Clock, systemClock } from '../ports';
import { DEFAULT_SLICE_MS, yieldToEventLoop } from './cooperative';
import type { FetchStopReason } from '../routes/stopReasons';
import type { ResumePoint } from './fetchRuns';
import { recordTime } from './recordReading';
import type { ResultStore } from './resultStore';
import type { PageWorker } from '../worker/pageWorker';

/**
 * "Fetch all pages" into a `ResultStore`: a plan before it starts (how many requests, what share
 * of today's remaining quota), progress while it runs, cancel at any moment, and an outcome that
 * says whether the result is partial and why. The paging itself (link checks, caps, quota checks
 * before each request, look-ahead concurrency) is the API client's pagination iterator; this
 * module only needs the small structural contract below, which `paginate()` in
 * `src/core/api/pagination.ts` satisfies.
 * See docs/reliability.md, "Rate limits and quota" and "Responses and paging"; docs/performance.md, B4.
 */

/** A schema drift of a page (`SchemaWarning` of the API client). */
export interface PageWarning {
  readonly path: string;
  readonly message: string;
  readonly count: number;
}

/** Where a fetched page sits: its number when the API said, and the result's row of its first record. */
export interface PageWhere {
  readonly page: number | undefined;
  readonly firstRow: number;
}

/** Records handed out a chunk at a time, parsed and checked when taken (`RecordChunks`). */
export interface ChunkedRecords {
  readonly done: boolean;
  take(): unknown[];
  /** Drift in the records taken so far. */
  warnings(): readonly PageWarning[];
}

/** The parts of a fetched page this module reads (a `PageResult` of the API client). */
export interface FetchedPage {
  readonly data: unknown;
  /** When present, the page's records (and `data` is empty). */
  readonly records?: ChunkedRecords;
  /** Drift found when the page was parsed (with `records`: in its envelope only). */
  readonly warnings?: readonly PageWarning[];
  readonly bytes: number;
  /** As the response schema parsed it: zod's optional members may hold undefined. */
  readonly pagination?: {
    readonly has_more?: boolean | undefined;
    readonly current_page?: number | undefined;
    readonly next_page?: string | null | undefined;
  };
  readonly rateLimit?: { readonly remaining?: number; readonly limit?: number; readonly resetAt?: number };
}

/** How the page source ended (the pagination iterator's outcome). */
export interface PageSourceOutcome {
  readonly reason: FetchStopReason;
  readonly partial: boolean;
  readonly requests: number;
  readonly message: string;
  readonly error?: Error;
}

export interface PageSource extends AsyncIterable<FetchedPage> {
  readonly outcome: Promise<PageSourceOutcome>;
}

/** Opens the pages of the query from `fromPage` on, leaving `quotaReserve` requests of today's quota unspent. */
export type OpenPages = (args: {
  readonly fromPage: number;
  readonly quotaReserve: number;
  readonly signal: AbortSignal;
}) => PageSource;

export interface FetchAllPlan {
  /** Requests still needed after the first page; undefined when it cannot be estimated. */
  readonly remainingRequests: number | undefined;
  /** `exact`: the first page was the last; `time-span`: from the first page's time span and the date range; `unknown`: open-ended range. */
  readonly basis: 'exact' | 'time-span' | 'unknown';
  /** Requests left today (after the first page), when the API said. */
  readonly quotaRemaining: number | undefined;
  readonly quotaLimit: number | undefined;
  readonly quotaResetAt: number | undefined;
  /** `remainingRequests / quotaRemaining` (0…1+), when both are known. */
  readonly quotaShare: number | undefined;
  /** False when the estimate reaches into the reserve: ask the user before spending it. */
  readonly fitsBeforeReserve: boolean;
  /** One plain sentence for the confirmation prompt. */
  readonly summary: string;
  /** `summary` still to be worded: the host shows it in the user's language. */
  readonly summaryText: LocalizableText;
}

export interface FetchAllProgress {
  readonly pages: number;
  readonly records: number;
  readonly elapsedMs: number;
  readonly recordsPerSecond: number;
  /** Total pages expected (first page included), when the plan could estimate it. */
  readonly expectedPages: number | undefined;
  readonly quotaRemaining: number | undefined;
}

export interface FetchAllOutcome {
  readonly reason: FetchStopReason;
  readonly partial: boolean;
  readonly pages: number;
  readonly records: number;
  /** Requests sent by this run (the first page, fetched before, not included). */
  readonly requests: number;
  readonly elapsedMs: number;
  readonly message: string;
  /** `message` still to be worded: the host shows it in the user's language. */
  readonly text: LocalizableText;
  readonly error?: Error;
  /** The first page this run stored (the first page's number, or where it resumed). */
  readonly fromPage: number;
  /** Where a next run resumes so that the result ends whole; undefined when it is complete. */
  readonly resume: ResumePoint | undefined;
}

export interface FetchAllOptions {
  readonly store: ResultStore;
  readonly openPages: OpenPages;
  /** The page already fetched and shown (page 1): appended, not requested again. */
  readonly firstPage?: FetchedPage;
  /** Without `firstPage`: where an earlier run of the same result stopped (its records are in `store`). */
  readonly resumeFrom?: ResumePoint;
  /** Requests of today's quota left unspent (setting `onetwentyone.fetchAll.quotaReserve`). */
  readonly quotaReserve: number;
  /** The user agreed to spend the reserve too. */
  readonly spendReserve?: boolean;
  readonly plan?: FetchAllPlan;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: FetchAllProgress) => void;
  /** Drift in a fetched page, once it is stored. */
  readonly onWarnings?: (warnings: readonly PageWarning[], where: PageWhere) => void;
  readonly clock?: Clock;
  /** Records appended between two turns of the event loop at most. */
  readonly appendBatch?: number;
  /** Takes chunked pages' records off the main thread (docs/performance.md, B4); else this thread does. */
  readonly pageWorker?: Pick<PageWorker, 'append'>;
}

/** A range the plan can bound without looking anything up: oldest-first, or with a start date. */
function ascendingOrBounded(query: Readonly<Record<string, unknown>> | undefined): boolean {
  return query?.sort === 'asc' || typeof query?.startDate === 'string';
}

function percent(share: number): LocalizableText {
  return share < 0.001
    ? textOf(localizable('< 0.1 %'))
    : textOf(localizable('{0} %'), (share * 100).toFixed(share < 0.1 ? 1 : 0));
}

/** Sentences shown one after the other. */
function sentences(first: LocalizableText, ...rest: LocalizableText[]): LocalizableText {
  return rest.reduce((all, next) => textOf(localizable('{0} {1}'), all, next), first);
}

/** "About 12 more requests", with how the oldest record was found when it was looked up. */
function requestEstimate(requests: number, oldestRecordMs: number | undefined): LocalizableText {
  if (oldestRecordMs === undefined)
    return requests === 1
      ? textOf(localizable('About {0} more request'), requests)
      : textOf(localizable('About {0} more requests'), requests);
  const oldest = new Date(oldestRecordMs).toISOString().slice(0, 10);
  return requests === 1
    ? textOf(
        localizable('About {0} more request (down to the oldest record, of {1}, found with one extra request)'),
        requests,
        oldest,
      )
    : textOf(
        localizable('About {0} more requests (down to the oldest record, of {1}, found with one extra request)'),
        requests,
        oldest,
      );
}

/** What else the plan may know: the oldest record of an open range (probed), the page limit. */
export interface PlanContext {
  /** Time of the query's oldest record, when the range has no start (newest-first) and it was looked up. */
  readonly oldestRecordMs?: number;
  /** Pages a run fetches at most (setting `onetwentyone.fetchAll.maxPages`). */
  readonly maxPages?: number;
}

/**
 * Estimates the requests a fetch-all will take from the first page: the time span one page covers
 * against the time range still to go (`startDate` when newest-first, `endDate` or now when
 * oldest-first). The API reports no total count: a newest-first range without a start is estimated
 * down to its oldest record when the caller looked it up, else it stays "unknown".
 */
export function planFetchAll(
  firstPage: FetchedPage,
  query: Readonly<Record<string, unknown>> | undefined,
  quotaReserve: number,
  clock: Clock = systemClock,
  context: PlanContext = {},
): FetchAllPlan {
  const records = Array.isArray(firstPage.data) ? firstPage.data : [];
  const quotaRemaining = firstPage.rateLimit?.remaining;
  let remainingRequests: number | undefined;
  let basis: FetchAllPlan['basis'] = 'unknown';
  if (firstPage.pagination?.has_more !== true) {
    remainingRequests = 0;
    basis = 'exact';
  } else if (records.length >= 2) {
    const first = recordTime(records[0]);
    const last = recordTime(records[records.length - 1]);
    const ascending = query?.sort === 'asc';
    const boundText = ascending ? query?.endDate : query?.startDate;
    const bound =
      typeof boundText === 'string' ? Date.parse(boundText) : ascending ? clock.now() : (context.oldestRecordMs ?? NaN);
    if (first !== undefined && last !== undefined && first !== last && Number.isFinite(bound)) {
      const perRecord = Math.abs(last - first) / (records.length - 1);
      const toGo = Math.max(0, ascending ? bound - last : last - bound);
      remainingRequests = Math.max(1, Math.ceil(toGo / perRecord / records.length));
      basis = 'time-span';
    }
  }
  const quotaShare =
    remainingRequests !== undefined && quotaRemaining !== undefined && quotaRemaining > 0
      ? remainingRequests / quotaRemaining
      : undefined;
  const fitsBeforeReserve =
    remainingRequests === undefined || quotaRemaining === undefined
      ? true
      : remainingRequests <= quotaRemaining - quotaReserve;
  const summaryText = planSummary(basis, remainingRequests, query, context, {
    quotaRemaining,
    quotaShare,
    fitsBeforeReserve,
    quotaReserve,
  });
  return {
    remainingRequests,
    basis,
    quotaRemaining,
    quotaLimit: firstPage.rateLimit?.limit,
    quotaResetAt: firstPage.rateLimit?.resetAt,
    quotaShare,
    fitsBeforeReserve,
    summary: renderText(summaryText),
    summaryText,
  };
}

/** The plan's sentences for the confirmation prompt. */
function planSummary(
  basis: FetchAllPlan['basis'],
  remainingRequests: number | undefined,
  query: Readonly<Record<string, unknown>> | undefined,
  context: PlanContext,
  quota: {
    quotaRemaining: number | undefined;
    quotaShare: number | undefined;
    fitsBeforeReserve: boolean;
    quotaReserve: number;
  },
): LocalizableText {
  const pageLimit =
    remainingRequests !== undefined && context.maxPages !== undefined && remainingRequests + 1 > context.maxPages
      ? [
          textOf(
            localizable(
              'That is more than the limit of {0} pages a run fetches (setting onetwentyone.fetchAll.maxPages): it would stop there, partial.',
            ),
            context.maxPages,
          ),
        ]
      : [];
  if (basis === 'exact')
    return sentences(
      textOf(localizable('The first page holds the whole result; nothing more to fetch.')),
      ...pageLimit,
    );
  if (remainingRequests === undefined || basis === 'unknown') {
    const unknown = textOf(
      localizable(
        'The number of requests is unknown (open date range): pages will be fetched until the end, a cap or the quota reserve.',
      ),
    );
    return sentences(unknown, ...pageLimit);
  }
  const probed = !ascendingOrBounded(query) ? context.oldestRecordMs : undefined;
  const estimate = requestEstimate(remainingRequests, probed);
  const { quotaRemaining, quotaShare } = quota;
  if (quotaRemaining === undefined) return sentences(textOf(localizable('{0}.'), estimate), ...pageLimit);
  const first =
    quotaShare !== undefined
      ? textOf(localizable('{0}, {1} of the {2} requests left today.'), estimate, percent(quotaShare), quotaRemaining)
      : textOf(localizable('{0}; no requests are left today.'), estimate);
  const reserve = quota.fitsBeforeReserve
    ? []
    : [textOf(localizable('That reaches into the last {0} requests kept in reserve.'), quota.quotaReserve)];
  return sentences(first, ...reserve, ...pageLimit);
}

/**
 * Slices of a chunked page are shorter than other cooperative work: a response that came in during
 * a slice frees its place on the network only when the slice ends, and B4's wall time counts on c
 * requests always in flight (8 ms slices: 1.19 × the bound; 4 ms: 1.16).
 */
const CHUNKED_SLICE_MS = 4;

/**
 * Takes, parses and appends a chunked page's records a batch at a time; each batch's objects are
 * garbage before the next is parsed, and the event loop gets a turn between slices.
 */
async function appendChunks(
  store: ResultStore,
  records: ChunkedRecords,
  bytes: number,
  signal: AbortSignal | undefined,
  pageWorker: FetchAllOptions['pageWorker'],
): Promise<void> {
  if (pageWorker && (await pageWorker.append(store, records, bytes, signal))) return;
  let sliceStart = performance.now();
  let first = true;
  while (!records.done && !signal?.aborted) {
    store.append(records.take(), first ? bytes : 0);
    first = false;
    if (!records.done && performance.now() - sliceStart >= CHUNKED_SLICE_MS) {
      await yieldToEventLoop();
      sliceStart = performance.now();
    }
  }
}

/**
 * Appends a page's records in batches, giving the event loop a turn between batches. Once `signal`
 * aborts nothing more is appended: what the result holds at the stop is what it keeps.
 */
async function appendCooperatively(
  store: ResultStore,
  page: FetchedPage,
  batch: number,
  signal?: AbortSignal,
  pageWorker?: FetchAllOptions['pageWorker'],
): Promise<void> {
  if (page.records) return appendChunks(store, page.records, page.bytes, signal, pageWorker);
  const records: readonly unknown[] = Array.isArray(page.data) ? page.data : [];
  const bytes = page.bytes;
  if (records.length <= batch) {
    store.append(records, bytes);
    return;
  }
  let sliceStart = performance.now();
  for (let from = 0; from < records.length && !signal?.aborted; from += batch) {
    const to = Math.min(records.length, from + batch);
    // Bytes are attributed to the first batch; only the total matters.
    store.appendRange(records, from, to, from === 0 ? bytes : 0);
    if (performance.now() - sliceStart >= DEFAULT_SLICE_MS) {
      await yieldToEventLoop();
      sliceStart = performance.now();
    }
  }
}

/** Fetches every page into `options.store`; never throws for API faults (they end the run as partial). */
export async function fetchAll(options: FetchAllOptions): Promise<FetchAllOutcome> {
  const clock = options.clock ?? systemClock;
  const started = clock.now();
  const store = options.store;
  const batch = options.appendBatch ?? 2_000;
  const expectedPages =
    options.plan?.remainingRequests !== undefined
      ? options.plan.remainingRequests + (options.firstPage ? 1 : 0)
      : undefined;
  let pages = 0;
  let quotaRemaining = options.firstPage?.rateLimit?.remaining;
  const runFrom = options.firstPage
    ? (options.firstPage.pagination?.current_page ?? 1)
    : (options.resumeFrom?.page ?? 1);
  /** Where a next run would start if this one stopped now: moves on once a page is stored whole. */
  let resumeAt: ResumePoint = {
    page: runFrom,
    skipRecords: options.firstPage ? 0 : (options.resumeFrom?.skipRecords ?? 0),
  };
  const report = (): void => {
    const elapsedMs = clock.now() - started;
    options.onProgress?.({
      pages,
      records: store.count,
      elapsedMs,
      recordsPerSecond: elapsedMs > 0 ? store.count / (elapsedMs / 1000) : 0,
      expectedPages,
      quotaRemaining,
    });
  };
  const finish = (
    reason: FetchStopReason,
    partial: boolean,
    requests: number,
    text: LocalizableText,
    error?: Error,
  ): FetchAllOutcome => ({
    reason,
    partial,
    pages,
    records: store.count,
    requests,
    elapsedMs: clock.now() - started,
    message: renderText(text),
    text,
    ...(error ? { error } : {}),
    fromPage: runFrom,
    resume: reason === 'complete' ? undefined : resumeAt,
  });

  const first = options.firstPage;
  if (first) {
    await appendCooperatively(store, first, batch);
    pages++;
    resumeAt = { page: runFrom + 1, skipRecords: 0 };
    report();
    if (first.pagination?.has_more !== true)
      return finish('complete', false, 0, textOf(localizable('All data loaded: 1 page, {0} records.'), store.count));
    // Room for the records the plan expects, pages the size of the first (docs/performance.md, B4).
    const expectedPages = options.plan?.remainingRequests;
    if (expectedPages !== undefined && expectedPages > 0) store.reserve(store.count * (1 + expectedPages));
  }
  if (options.signal?.aborted)
    return finish(
      abortedReason(options.signal.reason),
      true,
      0,
      abortedMessage(options.signal.reason, pages, store.count),
      abortError(options.signal.reason),
    );

  // One controller for the run: the caller's cancel, or a failure to store a page, stops the requests.
  const controller = new AbortController();
  const onAbort = (): void => controller.abort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const fromPage = resumeAt.page;
  const source = options.openPages({
    fromPage,
    quotaReserve: options.spendReserve ? 0 : options.quotaReserve,
    signal: controller.signal,
  });
  let storeError: Error | undefined;
  /** A page's records were unreadable when taken (bad JSON or UTF-8 inside them): the API's fault, not the store's. */
  let unreadablePage = false;
  // The next page is asked for before this one is stored: the iterator then refills its look-ahead
  // window at once, so `concurrency` requests stay in flight while the host appends (B4's bound).
  const iterator = source[Symbol.asyncIterator]();
  let next = iterator.next();
  try {
    for (;;) {
      const step = await next;
      // A page that came in after the stop is dropped, not appended.
      if (step.done || options.signal?.aborted) break;
      next = iterator.next();
      // Settled unobserved when the run stops early; the iterator reports its errors in `outcome`.
      next.catch(() => undefined);
      const pageNumber = step.value.pagination?.current_page ?? resumeAt.page;
      // Records of a page an earlier run stopped halfway through are kept once, not twice.
      const kept = pageNumber === resumeAt.page ? resumeAt.skipRecords : 0;
      const page = kept > 0 ? withoutFirstRecords(step.value, kept) : step.value;
      const firstRow = store.count;
      const stoppedHere = (): void => {
        resumeAt = { page: pageNumber, skipRecords: kept + store.count - firstRow };
      };
      try {
        await appendCooperatively(store, page, batch, options.signal, options.pageWorker);
      } catch (err) {
        storeError = err instanceof Error ? err : new Error(String(err));
        unreadablePage = page.records !== undefined && (err as { code?: unknown }).code === 'invalid_response';
        stoppedHere();
        break;
      }
      if (options.signal?.aborted) {
        stoppedHere();
        break;
      }
      pages++;
      resumeAt = { page: pageNumber + 1, skipRecords: 0 };
      const warnings = [...(page.warnings ?? []), ...(page.records?.warnings() ?? [])];
      if (warnings.length) options.onWarnings?.(warnings, { page: page.pagination?.current_page, firstRow });
      if (page.rateLimit?.remaining !== undefined) quotaRemaining = page.rateLimit.remaining;
      report();
      if (options.signal?.aborted) break;
    }
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    // Stopping early: abort the page asked for ahead, then let the iterator release the rest.
    if (storeError || options.signal?.aborted) controller.abort();
    await iterator.return?.();
  }
  const outcome = await source.outcome;
  if (storeError && unreadablePage) {
    // Its records before the fault were stored: the result holds every record read, in order.
    return finish(
      'error',
      true,
      outcome.requests,
      textOf(
        localizable('Stopped at page {0}: {1} The {2} records before it are kept; the data is partial.'),
        pages + 1,
        storeError.message,
        store.count,
      ),
      storeError,
    );
  }
  if (storeError) {
    return finish(
      'error',
      true,
      outcome.requests,
      textOf(
        localizable('Stopped after {0} pages: the result could not be stored ({1}). The data is partial.'),
        pages,
        storeError.message,
      ),
      storeError,
    );
  }
  if (options.signal?.aborted && outcome.reason !== 'complete') {
    return finish(
      abortedReason(options.signal.reason),
      true,
      outcome.requests,
      abortedMessage(options.signal.reason, pages, store.count),
      abortError(options.signal.reason),
    );
  }
  store.seal();
  const reserve = options.spendReserve ? 0 : options.quotaReserve;
  return finish(
    outcome.reason,
    outcome.partial,
    outcome.requests,
    stopMessage(outcome, pages, store.count, reserve),
    outcome.error,
  );
}

/** A page without the records an earlier run already stored. */
function withoutFirstRecords(page: FetchedPage, count: number): FetchedPage {
  const records = page.records;
  if (records) {
    let left = count;
    const rest: ChunkedRecords = {
      get done() {
        return records.done;
      },
      take() {
        const chunk = records.take();
        if (left === 0) return chunk;
        const dropped = Math.min(left, chunk.length);
        left -= dropped;
        return chunk.slice(dropped);
      },
      warnings: () => records.warnings(),
    };
    return { ...page, records: rest };
  }
  return { ...page, data: Array.isArray(page.data) ? page.data.slice(count) : page.data };
}

/** The caller's abort reason when it names a fault (the sandbox was stopped), not a plain cancel. */
function abortError(reason: unknown): Error | undefined {
  return isApiError(reason) && reason.code !== 'cancelled' ? reason : undefined;
}

function abortedReason(reason: unknown): FetchStopReason {
  return abortError(reason) ? 'stopped' : 'cancelled';
}

/** A plain cancel, or a stop for the fault the caller named: the records taken before it are kept. */
function abortedMessage(reason: unknown, pages: number, records: number): LocalizableText {
  const fault = abortError(reason);
  return fault
    ? textOf(
        localizable('Stopped at page {0}: {1} The {2} records before it are kept; the data is partial.'),
        pages + 1,
        describeApiError(fault),
        records,
      )
    : textOf(localizable('Cancelled after {0} pages, {1} records; the data is partial.'), pages, records);
}

/** "1 page" or "12 pages". */
function pageCount(pages: number): LocalizableText {
  return pages === 1 ? textOf(localizable('{0} page'), pages) : textOf(localizable('{0} pages'), pages);
}

/** "1 record" or "1,200 records". */
function recordCount(records: number): LocalizableText {
  return records === 1 ? textOf(localizable('{0} record'), records) : textOf(localizable('{0} records'), records);
}

function stopMessage(outcome: PageSourceOutcome, pages: number, records: number, reserve: number): LocalizableText {
  const got = [pageCount(pages), recordCount(records)] as const;
  switch (outcome.reason) {
    case 'complete':
      return textOf(localizable('All data loaded: {0}, {1}.'), ...got);
    case 'cancelled':
      return textOf(localizable('Cancelled after {0}, {1}; the data is partial.'), ...got);
    case 'stopped':
      return textOf(
        localizable('Stopped after {0}, {1}: {2} The data is partial.'),
        ...got,
        outcome.error ? describeApiError(outcome.error) : outcome.message,
      );
    case 'quota':
      if (outcome.error)
        return textOf(localizable("Today's request quota ran out after {0}, {1}; the data is partial."), ...got);
      return reserve > 0
        ? textOf(
            localizable("Stopped after {0}, {1} to keep today's last {2} requests in reserve; the data is partial."),
            ...got,
            reserve,
          )
        : textOf(localizable("Stopped after {0}, {1}: today's request quota is used up; the data is partial."), ...got);
    case 'page_cap':
      return textOf(localizable('Stopped at the page limit after {0}, {1}; the data is partial.'), ...got);
    case 'record_cap':
      return textOf(localizable('Stopped at the record limit after {0}, {1}; the data is partial.'), ...got);
    case 'error':
      return textOf(
        localizable('Stopped after {0}, {1}: {2} The data is partial.'),
        ...got,
        outcome.error?.message ?? outcome.message,
      );
  }
}
