import * as vscode from 'vscode';
import type { ApiClient, PageResult } from '../../core/api/apiClient';
import type { FetchAllPlan } from '../../core/dataset/fetchAll';
import { oldestRecordLookup } from '../../core/dataset/fetchAllPages';
import { addRun, describeRunsText, EMPTY_RUN_LOG, type FetchRunLog } from '../../core/dataset/fetchRuns';
import type { OutputChart, OutputHypnogram } from '../../core/notebook/cellOutput';
import type { QuerySpec } from '../../core/routes';
import { QueryResult } from '../explorer/queryResult';
import {
  confirmFetchAll,
  planFor,
  readFetchAllSettings,
  runFetchAll,
  type FetchAllRunOptions,
} from '../explorer/resultJobs';
import { chartsOfResult } from './cellCharts';
import { l10n } from '../l10n';
import { catalogueText } from '../catalogueL10n';
import type { SparePageWorker } from '../../core/worker/sparePageWorker';

/**
 * The most records one output holds: a cell's output is a message to the renderer (and, when saved,
 * part of the file). A larger result says how many it left out; its chart still covers every record,
 * and the query panel holds any size.
 */
export const MAX_OUTPUT_RECORDS = 50_000;

/** Partial fetches kept for resuming: each holds its records in memory, so only the latest few. */
const MAX_KEPT = 2;

export interface FetchedRecords {
  readonly records: unknown[];
  readonly recordCount: number;
  readonly note?: string;
  readonly runs?: string;
  readonly resumable?: boolean;
  readonly chart?: OutputChart;
  readonly hypnogram?: OutputHypnogram;
}

/** A cell's fetch that stopped partway: its records (in memory only), the plan agreed to and the run log. */
interface KeptFetch {
  readonly result: QueryResult;
  readonly plan: FetchAllPlan;
  readonly spendReserve: boolean;
  readonly log: FetchRunLog;
}

export interface CellQuery {
  /** The notebook's URI: a kept fetch belongs to its notebook and the cell's query, not to a cell handle. */
  readonly notebook: string;
  readonly spec: QuerySpec;
  readonly client: ApiClient;
  readonly params: FetchAllRunOptions['params'];
  readonly accountId: string;
  readonly signal: AbortSignal;
}

/**
 * `fetch: all` of cells: the query panel's plan, quota check and progress (with its Cancel) over the
 * first page the cell fetched. The cell asking is the consent the panel asks for, but the requests
 * kept in reserve are never spent without the user saying so. A fetch that stopped partway (quota,
 * cancel, an error, the notebook closed) is kept in memory, and running the same query cell again
 * goes on from the page it needs; the records are never written anywhere to make that possible.
 */
export class CellFetches {
  private readonly _kept = new Map<string, KeptFetch>();

  /** `_pageWorkers`: the explorer's, shared with the query panel (it disposes it). */
  constructor(private readonly _pageWorkers: SparePageWorker) {}

  /** A `fetch: all` cell is about to ask its first page: the page worker loads meanwhile, off this thread. */
  warm(): void {
    this._pageWorkers.warm();
  }

  /** Whether running `query` again resumes a fetch that stopped partway. */
  canResume(query: Omit<CellQuery, 'signal' | 'client' | 'params'>): boolean {
    return this._kept.has(keyOf(query));
  }

  /** Every page from the first page on (asking first only when the plan reaches into the reserve). */
  async fetchAll(query: CellQuery, firstPage: PageResult): Promise<FetchedRecords> {
    this._drop(keyOf(query));
    const result = new QueryResult(0, query.spec, firstPage, query.accountId);
    const settings = readFetchAllSettings();
    const plan = await planFor(
      result,
      settings,
      oldestRecordLookup(query.client, query.spec.route, query.params, query.signal),
    );
    if (plan.basis === 'exact') return this._finish(query, { result, plan, spendReserve: false, log: EMPTY_RUN_LOG });
    const pageSize = typeof query.spec.params.pageSize === 'number' ? query.spec.params.pageSize : undefined;
    const consent = plan.fitsBeforeReserve
      ? { go: true as const, spendReserve: false }
      : await confirmFetchAll(plan, settings.quotaReserve, pageSize);
    if (!consent.go) {
      const kept = { result, plan, spendReserve: false, log: EMPTY_RUN_LOG };
      return this._finish(query, kept, l10n.t('Only the first page: fetching the rest was not confirmed.'));
    }
    return this._run(query, { result, plan, spendReserve: consent.spendReserve, log: EMPTY_RUN_LOG });
  }

  /** Goes on where the kept fetch of `query` stopped; undefined when there is none. */
  resume(query: CellQuery): Promise<FetchedRecords> | undefined {
    const key = keyOf(query);
    const kept = this._kept.get(key);
    if (!kept) return undefined;
    this._kept.delete(key);
    return this._run(query, kept);
  }

  dispose(): void {
    for (const kept of this._kept.values()) kept.result.dispose();
    this._kept.clear();
  }

  private async _run(query: CellQuery, kept: KeptFetch): Promise<FetchedRecords> {
    const { result, log } = kept;
    // The first run counts the first page's records, already in the store, as its own.
    const recordsBefore = log.runs.length ? result.recordCount : 0;
    const cancel = new AbortController();
    try {
      const outcome = await runFetchAll(
        {
          result,
          client: query.client,
          routeId: query.spec.route,
          params: query.params,
          settings: readFetchAllSettings(),
          plan: kept.plan,
          spendReserve: kept.spendReserve,
          resumeFrom: log.resume,
          signal: AbortSignal.any([query.signal, cancel.signal]),
          onStatus: () => undefined,
          pageWorkers: this._pageWorkers,
        },
        cancel,
      );
      const after = addRun(log, { ...outcome, records: outcome.records - recordsBefore });
      return await this._finish(query, { ...kept, log: after }, catalogueText(outcome.text));
    } catch (error) {
      result.dispose();
      throw error;
    }
  }

  /** The output of the result as it stands; a result that can resume is kept, any other is let go. */
  private async _finish(query: CellQuery, kept: KeptFetch, note?: string): Promise<FetchedRecords> {
    const { result, log } = kept;
    const store = result.store;
    try {
      if (!store) return { records: [], recordCount: 0 };
      const shown = Math.min(store.count, MAX_OUTPUT_RECORDS);
      const records = JSON.parse(store.getRows(0, shown, Number.MAX_SAFE_INTEGER).json) as unknown[];
      const cut =
        store.count > shown
          ? l10n.t(
              'The first {0} of {1} records are shown; the chart covers them all, and the query panel holds all of them.',
              shown.toLocaleString(vscode.env.language),
              store.count.toLocaleString(vscode.env.language),
            )
          : undefined;
      const again = log.resume
        ? l10n.t('Run the cell again to resume at page {0}.', log.resume.page.toLocaleString(vscode.env.language))
        : undefined;
      const sentence = [note, cut, again].filter((s) => s !== undefined).join(' ');
      const runsText = log.runs.length > 1 || log.resume ? describeRunsText(log) : undefined;
      const runs = runsText ? catalogueText(runsText) : '';
      return {
        records,
        recordCount: store.count,
        ...(sentence ? { note: sentence } : {}),
        ...(runs ? { runs } : {}),
        ...(log.resume ? { resumable: true } : {}),
        ...(await chartsOfResult(store, query.spec, query.signal).catch(() => ({}))),
      };
    } finally {
      if (log.resume && store) this._keep(keyOf(query), kept);
      else result.dispose();
    }
  }

  private _keep(key: string, kept: KeptFetch): void {
    this._drop(key);
    this._kept.set(key, kept);
    for (const [oldest, fetch] of this._kept) {
      if (this._kept.size <= MAX_KEPT) break;
      fetch.result.dispose();
      this._kept.delete(oldest);
    }
  }

  private _drop(key: string): void {
    this._kept.get(key)?.result.dispose();
    this._kept.delete(key);
  }
}

/** A kept fetch is found again by its notebook, query and account (a cell's handle changes on reopening). */
function keyOf(query: Pick<CellQuery, 'notebook' | 'spec' | 'accountId'>): string {
  return JSON.stringify([
    query.notebook,
    query.accountId,
    query.spec.route,
    query.spec.metric ?? null,
    query.spec.params,
  ]);
}

/** Records of a page the cell fetched alone, with the chart of them. */
export async function pageRecords(spec: QuerySpec, page: PageResult, accountId: string): Promise<FetchedRecords> {
  const records: unknown = page.data;
  if (!Array.isArray(records)) return { records: [], recordCount: 1 };
  const result = new QueryResult(0, spec, page, accountId);
  try {
    const charts = result.store ? await chartsOfResult(result.store, spec).catch(() => ({})) : {};
    return { records, recordCount: records.length, ...charts };
  } finally {
    result.dispose();
  }
}
