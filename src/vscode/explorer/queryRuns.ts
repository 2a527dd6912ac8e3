import * as vscode from 'vscode';
import { isApiError } from '../../core/api/errors';
import { routeById } from '../../core/routes';
import type { FormState, HostMessage, HostToWebview } from '../../shared/protocol';
import { requestUrl } from '../../core/api/params';
import { planRequest, queryProblems } from '../../core/routes/request';
import type { Account, AccountsService } from '../auth/accountsContract';
import { messageFor } from '../userMessages';
import { whereThrown } from './messageDispatcher';
import type { PanelContext } from './panelContext';
import { QueryResult } from './queryResult';
import { catalogueText, catalogueWord } from '../catalogueL10n';
import { l10n } from '../l10n';

/** The account a form runs as: its own, else the active one, else the first signed in. */
export function selectedAccount(
  accounts: Pick<AccountsService, 'get' | 'activeAccount' | 'list'>,
  accountId?: string,
): Account | undefined {
  return (accountId ? accounts.get(accountId) : undefined) ?? accounts.activeAccount ?? accounts.list()[0];
}

/** Runs the host starts (commands, tests) are numbered far above the webview's own. */
const FIRST_HOST_RUN_ID = 1_000_000_000;

export interface RunHost extends PanelContext {
  /** Puts a new result on screen in place of the old one (disposed before the new one is made). */
  showResult(runId: number, create: () => QueryResult): QueryResult;
  /** Leaves no result on screen. */
  dropResult(): void;
  /** How a run ended, for whoever waits on it. */
  responded(outcome: QueryResult | Error): void;
}

/**
 * The panel's query runs: one at a time (a new one stops the one before and any long job on the
 * result), each told to the webview as started, answered or failed, and recorded in the history.
 */
export class QueryRuns {
  private readonly _inFlight = new Map<number, AbortController>();
  private _current: { requestId: number; url: string } | undefined;
  private _lastFailure: HostMessage<'didFailRequest'> | undefined;
  private _nextHostRunId = FIRST_HOST_RUN_ID;
  private _nextResultId = 1;

  constructor(private readonly _host: RunHost) {}

  nextHostRunId(): number {
    return this._nextHostRunId++;
  }

  /** Makes a long job on the result stop when the next run starts, like a run; returns the release. */
  track(controller: AbortController): () => void {
    const id = this.nextHostRunId();
    this._inFlight.set(id, controller);
    return () => this._inFlight.delete(id);
  }

  cancel(runId: number): void {
    this._inFlight.get(runId)?.abort();
  }

  /** For a webview that (re)loaded: the run in progress, or else the last failure. */
  statusMessage(): HostToWebview | undefined {
    return this._current ? { type: 'didStartRequest', ...this._current } : this._lastFailure;
  }

  dispose(): void {
    for (const c of this._inFlight.values()) c.abort();
    this._inFlight.clear();
  }

  /** Runs a query; resolves when the response (or failure) was posted. */
  async run(runId: number, form: FormState): Promise<QueryResult | undefined> {
    const { deps } = this._host;
    const problems = queryProblems(form.query);
    // A query for a user who has signed out never runs as someone else.
    const signedOut = form.accountId !== undefined && !deps.accounts.get(form.accountId);
    const account = signedOut ? undefined : selectedAccount(deps.accounts, form.accountId);
    if (problems.length || !account) {
      const message =
        (problems[0] ? catalogueText(problems[0].text) : undefined) ??
        (signedOut
          ? l10n.t('The user of this query is signed out. Pick a signed-in user in the form, or sign in again.')
          : l10n.t('Sign in or add a personal access token first.'));
      this._fail(runId, 'invalid_params', message, null);
      this._host.responded(new Error(message));
      return undefined;
    }
    for (const c of this._inFlight.values()) c.abort();
    const controller = new AbortController();
    this._inFlight.set(runId, controller);
    const signOut = deps.accounts.signalFor(account.id);
    const signal = AbortSignal.any([controller.signal, signOut]);
    const route = routeById(form.query.route);
    const query = form.query.params as Record<string, string | number | boolean | undefined>;
    const params = { userId: account.userId, ...(form.query.metric ? { metric: form.query.metric } : {}), query };
    this._current = {
      requestId: runId,
      url: requestUrl(account.environment.origin, planRequest(form.query, account.userId).target).href,
    };
    this._lastFailure = undefined;
    this._host.notify('didStartRequest', this._current);
    const started = Date.now();
    try {
      const client = deps.api.clientFor(account);
      const page = await vscode.window.withProgress(
        {
          location: { viewId: 'onetwentyone.history' },
          title: vscode.l10n.t('Requesting {0}', catalogueWord(route.label)),
        },
        () => client.getPage(route.id, params, { signal, keepRaw: true }),
      );
      // Finished: a webview that says ready from now on must not be told it is still running.
      this._finished(runId);
      deps.accounts.noteScopeAnswered(account.id, route.scope);
      const result = this._host.showResult(
        runId,
        () => new QueryResult(this._nextResultId++, form.query, page, account.id, deps.spillDirectory),
      );
      this._host.notify('didChangeQuota', { quota: this._host.quotaFor(account) });
      await deps.history.add({
        query: form.query,
        accountId: account.id,
        accountLabel: account.label,
        status: page.status,
        recordCount: result.recordCount,
        durationMs: page.durationMs,
      });
      this._host.responded(result);
      return result;
    } catch (caught) {
      // Stopped from outside (the account's sandbox stopped): the reason says why, not "cancelled".
      const err =
        signOut.aborted && isApiError(signOut.reason) && isApiError(caught) && caught.code === 'cancelled'
          ? signOut.reason
          : caught;
      const code = isApiError(err) ? err.code : 'error';
      const status = isApiError(err) ? (err.status ?? null) : null;
      const message = messageFor(err, l10n.t('The request')).text;
      if (!isApiError(err)) deps.logger.error(`Query panel: the request failed:${whereThrown(err)}`);
      this._finished(runId);
      // A failed request leaves no older result under its error, with Fetch All and Export that would
      // act on another query; a cancelled one leaves the result as it was.
      if (code !== 'cancelled') this._host.dropResult();
      this._fail(runId, code, message, status);
      this._host.notify('didChangeQuota', { quota: this._host.quotaFor(account) });
      if (code !== 'cancelled') {
        await deps.history.add({
          query: form.query,
          accountId: account.id,
          accountLabel: account.label,
          status,
          recordCount: null,
          durationMs: Date.now() - started,
          errorCode: code.slice(0, 64),
        });
      }
      this._host.responded(err instanceof Error ? err : new Error(message));
      return undefined;
    } finally {
      this._inFlight.delete(runId);
      this._finished(runId);
    }
  }

  private _finished(runId: number): void {
    if (this._current?.requestId === runId) this._current = undefined;
  }

  private _fail(runId: number, code: string, message: string, status: number | null): void {
    this._lastFailure = { type: 'didFailRequest', requestId: runId, code, message: message.slice(0, 2000), status };
    this._host.notify('didFailRequest', this._lastFailure);
  }
}
