import type { ApiClient } from '../api/apiClient';
import { paginate } from '../api/pagination';
import type { RouteParams } from '../api/params';
import type { RouteId } from '../routes';
import {
  fetchAll,
  planFetchAll,
  type FetchAllOptions,
  type FetchAllOutcome,
  type FetchAllPlan,
  type FetchAllProgress,
  type FetchedPage,
} from './fetchAll';
import { recordTime } from './recordReading';
import type { ResultStore } from './resultStore';
import { openPageWorker, type PageWorkerOptions } from '../worker/pageWorker';
import type { PageWorkerSource } from '../worker/sparePageWorker';

/**
 * "Fetch All Pages" as the query panel runs it, without the VS Code parts: the API client's
 * `paginate` (look-ahead, caps, quota checks) feeding `fetchAll` (store, progress, partial outcome).
 * The panel (`runFetchAll`) and the B4 benchmark call this same function.
 */

/** The user's settings `onetwentyone.fetchAll.*`. */
export interface FetchAllSettings {
  readonly maxPages: number;
  readonly concurrency: number;
  readonly quotaReserve: number;
}

export interface FetchAllPagesOptions {
  readonly client: ApiClient;
  readonly routeId: RouteId;
  /** The query of the first page; pages are asked from the one after `firstPage` on. */
  readonly params: RouteParams;
  readonly store: ResultStore;
  /** The page already fetched and shown (its records already in `store` when `data` is empty). */
  readonly firstPage?: FetchedPage;
  /** Without `firstPage`: where an earlier run of the same result stopped. */
  readonly resumeFrom?: FetchAllOptions['resumeFrom'];
  readonly plan?: FetchAllPlan;
  readonly settings: FetchAllSettings;
  /** The user agreed to spend the requests kept in reserve. */
  readonly spendReserve: boolean;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: FetchAllProgress) => void;
  readonly onWarnings?: FetchAllOptions['onWarnings'];
  /**
   * False: read every page on this thread (tests compare both ways); a source: the worker it gives
   * (one started ahead, `SparePageWorker`); else where a new worker's bundle is, and the log.
   */
  readonly pageWorker?: false | PageWorkerOptions | PageWorkerSource;
}

/** Fetches every remaining page into `options.store`; never throws for API faults (they end the run as partial). */
export function fetchAllPages(options: FetchAllPagesOptions): Promise<FetchAllOutcome> {
  const { client, routeId, params, settings } = options;
  // One worker per run: started ahead by the caller, or now, to load while the first pages are requested
  // (docs/performance.md, B4).
  const source = options.pageWorker;
  const pageWorker = source === false ? undefined : source && 'take' in source ? source.take() : openPageWorker(source);
  const run = fetchAll({
    store: options.store,
    ...(options.firstPage ? { firstPage: options.firstPage } : {}),
    ...(options.resumeFrom ? { resumeFrom: options.resumeFrom } : {}),
    ...(options.plan ? { plan: options.plan } : {}),
    quotaReserve: settings.quotaReserve,
    spendReserve: options.spendReserve,
    ...(options.signal ? { signal: options.signal } : {}),
    openPages: ({ fromPage, quotaReserve, signal }) =>
      paginate(
        client,
        routeId,
        { ...params, query: { ...params.query, page: fromPage } },
        {
          signal,
          quotaReserve,
          concurrency: settings.concurrency,
          maxPages: settings.maxPages,
          recordsInChunks: true,
          ...(pageWorker ? { sendFrom: pageWorker } : {}),
        },
      ),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    ...(options.onWarnings ? { onWarnings: options.onWarnings } : {}),
    ...(pageWorker ? { pageWorker } : {}),
  });
  return pageWorker ? run.finally(() => pageWorker.close()) : run;
}

/**
 * The plan of a fetch-all as the query panel and a notebook make it. A newest-first query without a
 * start date has no end the first page can show: one request for its oldest record (oldest-first,
 * one record) gives the estimate one.
 */
export async function planFetchAllRun(
  first: FetchedPage,
  query: Readonly<Record<string, unknown>>,
  settings: FetchAllSettings,
  oldest: OldestRecordLookup,
): Promise<FetchAllPlan> {
  const openEnded = first.pagination?.has_more === true && query.sort !== 'asc' && typeof query.startDate !== 'string';
  const oldestRecordMs = openEnded ? await oldest().catch(() => undefined) : undefined;
  return planFetchAll(first, query, settings.quotaReserve, undefined, {
    maxPages: settings.maxPages,
    ...(oldestRecordMs !== undefined ? { oldestRecordMs } : {}),
  });
}

/** Looks up the time of the query's oldest record; undefined when it has none or none could be read. */
export type OldestRecordLookup = () => Promise<number | undefined>;

/** The oldest record's time: the same query, oldest first, one record (one request of the quota). */
export function oldestRecordLookup(
  client: ApiClient,
  routeId: RouteId,
  params: RouteParams,
  signal?: AbortSignal,
): OldestRecordLookup {
  return async () => {
    const page = await client.getPage(
      routeId,
      { ...params, query: { ...params.query, sort: 'asc', page: 1, pageSize: 1 } },
      signal ? { signal } : {},
    );
    return Array.isArray(page.data) ? recordTime(page.data[0]) : undefined;
  };
}
