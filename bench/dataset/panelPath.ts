import type { ApiClient } from '../../src/core/api/apiClient';
import type { HttpTransport } from '../../src/core/api/httpTypes';
import type { FetchAllOutcome } from '../../src/core/dataset/fetchAll';
import {
  fetchAllPages,
  oldestRecordLookup,
  planFetchAllRun,
  type FetchAllSettings,
} from '../../src/core/dataset/fetchAllPages';
import { SparePageWorker } from '../../src/core/worker/sparePageWorker';
import type { ResultStore } from '../../src/core/dataset/resultStore';
import { QueryResult } from '../../src/vscode/explorer/queryResult';
import { clientFor, startMockApi, type MockApi, type MockApiConfig } from '../support/mockApi';
import { BENCH_USER } from '../support/pages';

/**
 * The query panel's own path to a whole result, without VS Code (the dataset benchmarks B4, B6,
 * B9, B10 all start here): the first page through `ApiClient.getPage` with its raw text kept (as
 * `QueryPanel._run` asks), a `QueryResult` holding it, then "Fetch All Pages" through
 * `fetchAllPages` with the panel's plan and default settings (`onetwentyone.fetchAll.*`).
 */

/** The defaults of `onetwentyone.fetchAll.*` in package.json, as `readFetchAllSettings` returns them. */
export const DEFAULT_SETTINGS: FetchAllSettings = { maxPages: 1000, concurrency: 4, quotaReserve: 10 };

export interface PanelServer {
  readonly api: MockApi;
  readonly transport: HttpTransport;
  readonly client: ApiClient;
  close(): Promise<void>;
}

/** The benchmarks' mock API in a child process and the real client (undici) talking to it. */
export async function startPanelServer(
  config: MockApiConfig,
  connections = DEFAULT_SETTINGS.concurrency,
): Promise<PanelServer> {
  const api = await startMockApi(config);
  const { transport, client } = clientFor(api, connections);
  return {
    api,
    transport,
    client,
    async close() {
      await transport.close();
      await api.close();
    },
  };
}

export interface PanelImport {
  readonly result: QueryResult;
  readonly store: ResultStore;
  readonly outcome: FetchAllOutcome;
  /** From the first request to the last page stored. */
  readonly wallMs: number;
}

/**
 * Five years, as a user asks for them: oldest first, with the range's dates, so that the panel's
 * plan knows how many pages remain (`data: 'fiveYears'` serves pages in that order with those times).
 */
const QUERY = {
  pageSize: 10_000,
  sort: 'asc' as const,
  startDate: '2021-01-01T00:00:00Z',
  endDate: '2026-01-01T06:00:00Z',
};

/** Sends the query as the panel does, then fetches all its pages into the result's store. */
export async function importThroughPanel(
  client: ApiClient,
  settings: FetchAllSettings = DEFAULT_SETTINGS,
  spillDirectory?: string,
  /** False: every page read on the main thread, as before the page worker (B4's comparison). */
  pageWorker?: false,
): Promise<PanelImport> {
  const params = { userId: BENCH_USER, metric: 'heartRate', query: QUERY };
  const start = performance.now();
  const page = await client.getPage('quantity', params, { keepRaw: true });
  const result = new QueryResult(
    1,
    { route: 'quantity', metric: 'heartRate', params: QUERY },
    page,
    'bench',
    spillDirectory,
  );
  const store = result.store;
  if (!store) throw new Error('The first page held no list of records');
  // As the panel does: the page worker starts loading when a first page with more after it is shown.
  const pageWorkers = new SparePageWorker();
  if (pageWorker !== false && result.summary.pagination?.hasMore) pageWorkers.warm();
  const plan = await planFetchAllRun(
    result.planningPage(),
    QUERY,
    settings,
    oldestRecordLookup(client, 'quantity', params),
  );
  const outcome = await fetchAllPages({
    client,
    routeId: 'quantity',
    params,
    store,
    firstPage: result.firstPage,
    plan,
    settings,
    spendReserve: false,
    pageWorker: pageWorker === false ? false : pageWorkers,
  }).finally(() => pageWorkers.dispose());
  const wallMs = performance.now() - start;
  if (outcome.reason !== 'complete') throw new Error(`The import stopped early: ${outcome.message}`);
  return { result, store, outcome, wallMs };
}
