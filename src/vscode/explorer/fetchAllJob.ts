import * as vscode from 'vscode';
import type { FetchAllOutcome } from '../../core/dataset/fetchAll';
import { oldestRecordLookup } from '../../core/dataset/fetchAllPages';
import type { PanelContext } from './panelContext';
import type { QueryResult } from './queryResult';
import type { QueryRuns } from './queryRuns';
import { confirmFetchAll, finishedStatus, planFor, readFetchAllSettings, runFetchAll } from './resultJobs';

/** Test and command hooks of "Fetch All Pages": skip the confirmation (the caller asked the user itself). */
export interface FetchAllRequest {
  readonly confirmed?: boolean;
  readonly spendReserve?: boolean;
}

/** A few updates a second: enough to watch the count grow without flooding the webview. */
const FETCH_STATUS_INTERVAL_MS = 250;

/** "Fetch All Pages" of the panel's result, at most one run at a time. */
export class FetchAllJob {
  private _running: { resultId: number; controller: AbortController } | undefined;
  private _lastPost = 0;

  constructor(
    private readonly _panel: PanelContext,
    private readonly _runs: Pick<QueryRuns, 'track'>,
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
    if (result.fetch) {
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
    const plan = await planFor(
      result,
      settings,
      oldestRecordLookup(client, result.query.route, params, deps.accounts.signalFor(account.id)),
    );
    if (this._panel.result !== result) return undefined;
    if (plan.basis === 'exact') {
      void vscode.window.showInformationMessage(plan.summary);
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
    const controller = new AbortController();
    const release = this._runs.track(controller);
    this._running = { resultId: result.resultId, controller };
    const signal = AbortSignal.any([controller.signal, deps.accounts.signalFor(account.id)]);
    result.fetch = {
      running: true,
      pages: 1,
      expectedPages: plan.remainingRequests !== undefined ? plan.remainingRequests + 1 : null,
      records: result.recordCount,
      recordsPerSecond: 0,
      reason: null,
      partial: false,
      message: plan.summary.slice(0, 2000),
    };
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
          spendReserve: consent.spendReserve,
          signal,
          onStatus: (status) => {
            result.fetch = status;
            this._post(result, false);
          },
        },
        controller,
      );
      result.fetch = finishedStatus(outcome);
      if (this._panel.result === result) {
        this._post(result, true);
        this._panel.notify('didChangeQuota', { quota: this._panel.quotaFor(account) });
        const show = outcome.partial ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
        void show(outcome.message);
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
