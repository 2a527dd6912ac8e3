import * as vscode from 'vscode';
import type { FetchAllOutcome, FetchAllPlan } from '../../core/dataset/fetchAll';
import { oldestRecordLookup } from '../../core/dataset/fetchAllPages';
import { addRun, describeRunsText, EMPTY_RUN_LOG, type FetchRunLog } from '../../core/dataset/fetchRuns';
import type { FetchStatus } from '../../shared/protocol';
import { catalogueText } from '../catalogueL10n';
import type { ApiClient } from '../../core/api/apiClient';
import type { FetchAllSettings } from '../../core/dataset/fetchAllPages';
import type { Account } from '../auth/accountsContract';
import type { PanelContext } from './panelContext';
import type { QueryResult } from './queryResult';
import type { QueryRuns } from './queryRuns';
import {
  confirmFetchAll,
  finishedStatus,
  planFor,
  readFetchAllSettings,
  runFetchAll,
  type FetchAllRunOptions,
} from './resultJobs';

/** Test and command hooks of "Fetch All Pages": skip the confirmation (the caller asked the user itself). */
export interface FetchAllRequest {
  readonly confirmed?: boolean;
  readonly spendReserve?: boolean;
}

/** A few updates a second: enough to watch the count grow without flooding the webview. */
const FETCH_STATUS_INTERVAL_MS = 250;

/** Which runs fetched which pages, in the user's language; empty before the first run. */
function runsOf(log: FetchRunLog): string {
  const text = describeRunsText(log);
  return text ? catalogueText(text) : '';
}

/** What a result's earlier runs leave for the next: the plan the user agreed to, and the run log. */
interface Runs {
  readonly plan: FetchAllPlan;
  readonly spendReserve: boolean;
  readonly log: FetchRunLog;
}

/**
 * The runs of each result, shared by every panel: a stopped result the closed panel kept (see
 * QueryPanel) resumes in the next panel under the plan the user agreed to in the first.
 */
const RUNS_OF_RESULTS = new WeakMap<QueryResult, Runs>();

/**
 * "Fetch All Pages" of the panel's result, at most one run at a time. A run that stopped partway
 * (quota, cancel, an error) can be resumed: asked again, the job goes on from the next page the
 * result needs, into the same result, under the plan and reserve choice the user agreed to.
 */
export class FetchAllJob {
  private _running: { resultId: number; controller: AbortController } | undefined;
  private _lastPost = 0;
  /** Kept with the result's lifetime: its records, which resuming needs, live only in memory. */
  private readonly _runs = RUNS_OF_RESULTS;

  constructor(
    private readonly _panel: PanelContext,
    private readonly _queryRuns: Pick<QueryRuns, 'track'>,
    private readonly _finished: (outcome: FetchAllOutcome) => void,
  ) {}

  cancel(resultId: number): void {
    if (this._running?.resultId === resultId) this._running.controller.abort();
  }

  /**
   * The plan first (asked unless `confirmed`), then every page into the result's store, the webview
   * told of the growing count a few times a second. Resolves with the outcome (partial with its
   * reason when it stopped early), or undefined when there was nothing to fetch or the user said no.
   */
  async run(request: FetchAllRequest = {}): Promise<FetchAllOutcome | undefined> {
    const { deps } = this._panel;
    const result = this._panel.result;
    if (!result?.store) {
      void vscode.window.showInformationMessage(
        vscode.l10n.t('Send a request for a list of records first; then all its pages can be fetched.'),
      );
      return undefined;
    }
    const earlier = this._runs.get(result);
    if (result.fetch && (result.fetch.running || !earlier?.log.resume)) {
      void vscode.window.showInformationMessage(
        result.fetch.running
          ? vscode.l10n.t('All pages of this result are already being fetched.')
          : vscode.l10n.t('All pages of this result were fetched already; send the request again for a new run.'),
      );
      return undefined;
    }
    const account = deps.accounts.get(result.accountId);
    if (!account) return undefined;
    const settings = readFetchAllSettings();
    const query = result.query.params as Record<string, string | number | boolean | undefined>;
    const params = { userId: account.userId, ...(result.query.metric ? { metric: result.query.metric } : {}), query };
    const client = deps.api.clientFor(account);
    // Resuming is the user going on with the plan they agreed to: no second question.
    if (earlier) return this._go(result, account, client, params, settings, earlier);
    const plan = await planFor(
      result,
      settings,
      oldestRecordLookup(client, result.query.route, params, deps.accounts.signalFor(account.id)),
    );
    if (this._panel.result !== result) return undefined;
    if (plan.basis === 'exact') {
      void vscode.window.showInformationMessage(catalogueText(plan.summaryText));
      return undefined;
    }
    const consent = request.confirmed
      ? { go: true as const, spendReserve: request.spendReserve ?? false }
      : await confirmFetchAll(
          plan,
          settings.quotaReserve,
          typeof result.query.params.pageSize === 'number' ? result.query.params.pageSize : undefined,
        );
    if (!consent.go || this._panel.result !== result || result.fetch) return undefined;
    return this._go(result, account, client, params, settings, {
      plan,
      spendReserve: consent.spendReserve,
      log: EMPTY_RUN_LOG,
    });
  }

  /** One run: from after the first page, or from where the last run of `runs` stopped. */
  private async _go(
    result: QueryResult,
    account: Account,
    client: ApiClient,
    params: FetchAllRunOptions['params'],
    settings: FetchAllSettings,
    runs: Runs,
  ): Promise<FetchAllOutcome> {
    const { deps } = this._panel;
    const { plan, log } = runs;
    const controller = new AbortController();
    const release = this._queryRuns.track(controller);
    this._running = { resultId: result.resultId, controller };
    const signal = AbortSignal.any([controller.signal, deps.accounts.signalFor(account.id)]);
    const pagesBefore = log.runs.reduce((n, run) => n + run.pages, 0);
    // The first run counts the first page's records, already in the store, as its own.
    const recordsBefore = log.runs.length ? result.recordCount : 0;
    const expectedPages = plan.remainingRequests !== undefined ? plan.remainingRequests + 1 : null;
    const runsText = runsOf(log);
    const withRuns = (status: FetchStatus): FetchStatus => ({
      ...status,
      pages: status.pages + pagesBefore,
      expectedPages,
      ...(runsText ? { runs: runsText.slice(0, 2000) } : {}),
    });
    result.fetch = withRuns({
      running: true,
      pages: pagesBefore ? 0 : 1,
      expectedPages,
      records: result.recordCount,
      recordsPerSecond: 0,
      reason: null,
      partial: false,
      message: (log.resume
        ? vscode.l10n.t('Resuming at page {0}.', log.resume.page)
        : catalogueText(plan.summaryText)
      ).slice(0, 2000),
    });
    this._post(result, true);
    try {
      const outcome = await runFetchAll(
        {
          result,
          client,
          routeId: result.query.route,
          params,
          settings,
          plan,
          spendReserve: runs.spendReserve,
          resumeFrom: log.resume,
          signal,
          pageWorkers: deps.pageWorkers,
          onStatus: (status) => {
            result.fetch = withRuns(status);
            this._post(result, false);
          },
        },
        controller,
      );
      const after = addRun(log, { ...outcome, records: outcome.records - recordsBefore });
      this._runs.set(result, { ...runs, log: after });
      result.fetch = {
        ...finishedStatus(outcome),
        pages: pagesBefore + outcome.pages,
        resumable: after.resume !== undefined,
        runs: runsOf(after).slice(0, 2000),
      };
      if (this._panel.result === result) {
        this._post(result, true);
        this._panel.notify('didChangeQuota', { quota: this._panel.quotaFor(account) });
        const show = outcome.partial ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
        void show(catalogueText(outcome.text));
      }
      this._finished(outcome);
      return outcome;
    } finally {
      release();
      if (this._running?.controller === controller) this._running = undefined;
    }
  }

  private _post(result: QueryResult, force: boolean): void {
    const now = Date.now();
    if (!force && now - this._lastPost < FETCH_STATUS_INTERVAL_MS) return;
    this._lastPost = now;
    if (this._panel.result === result)
      this._panel.notify('didUpdateResult', { summary: result.summary, fetch: result.fetch ?? null });
  }
}
