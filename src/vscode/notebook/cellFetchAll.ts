import type { ApiClient, PageResult } from '../../core/api/apiClient';
import { oldestRecordLookup } from '../../core/dataset/fetchAllPages';
import type { QuerySpec } from '../../core/routes';
import { QueryResult } from '../explorer/queryResult';
import {
  confirmFetchAll,
  planFor,
  readFetchAllSettings,
  runFetchAll,
  type FetchAllRunOptions,
} from '../explorer/resultJobs';

/**
 * The most records one output holds: a cell's output is a message to the renderer (and, when saved,
 * part of the file). A larger result says how many it left out; the query panel holds any size.
 */
export const MAX_OUTPUT_RECORDS = 50_000;

export interface FetchedRecords {
  readonly records: unknown[];
  readonly recordCount: number;
  readonly note?: string;
}

/**
 * `fetch: all` of a cell: the query panel's plan, quota check and progress (with its Cancel) over the
 * first page the cell fetched. The cell asking is the consent the panel asks for, but the requests
 * kept in reserve are never spent without the user saying so.
 */
export async function fetchAllOfCell(
  spec: QuerySpec,
  firstPage: PageResult,
  client: ApiClient,
  params: FetchAllRunOptions['params'],
  accountId: string,
  signal: AbortSignal,
): Promise<FetchedRecords> {
  // Kept in memory while the cell runs; only the output outlives it.
  const result = new QueryResult(0, spec, firstPage, accountId);
  try {
    const store = result.store;
    if (!store) return { records: [], recordCount: 0 };
    const settings = readFetchAllSettings();
    const plan = await planFor(result, settings, oldestRecordLookup(client, spec.route, params, signal));
    let note: string | undefined;
    if (plan.basis !== 'exact') {
      const pageSize = typeof spec.params.pageSize === 'number' ? spec.params.pageSize : undefined;
      const consent = plan.fitsBeforeReserve
        ? { go: true as const, spendReserve: false }
        : await confirmFetchAll(plan, settings.quotaReserve, pageSize);
      if (!consent.go) note = 'Only the first page: fetching the rest was not confirmed.';
      else {
        const cancel = new AbortController();
        const outcome = await runFetchAll(
          {
            result,
            client,
            routeId: spec.route,
            params,
            settings,
            plan,
            spendReserve: consent.spendReserve,
            signal: AbortSignal.any([signal, cancel.signal]),
            onStatus: () => undefined,
          },
          cancel,
        );
        note = outcome.message;
      }
    }
    const shown = Math.min(store.count, MAX_OUTPUT_RECORDS);
    const records = JSON.parse(store.getRows(0, shown, Number.MAX_SAFE_INTEGER).json) as unknown[];
    const cut =
      store.count > shown
        ? `The first ${shown.toLocaleString('en-US')} of ${store.count.toLocaleString('en-US')} records are shown; the query panel holds all of them.`
        : undefined;
    const sentence = [note, cut].filter((s) => s !== undefined).join(' ');
    return { records, recordCount: store.count, ...(sentence ? { note: sentence } : {}) };
  } finally {
    result.dispose();
  }
}
