import * as vscode from 'vscode';
import { describeApiError, isApiError } from '../../core/api/errors';
import type { ExportFormat, ExportOutcome } from '../../core/dataset/exportResult';
import type { FetchAllOutcome } from '../../core/dataset/fetchAll';
import { oldestRecordLookup } from '../../core/dataset/fetchAllPages';
import { QueryError } from '../../core/dataset/queryParser';
import { searchResult } from '../../core/dataset/search';
import type { Logger } from '../../core/ports';
import { routeById } from '../../core/routes';
import {
  assertNever,
  hostToWebview,
  MAX_SEARCH_HITS_SENT,
  webviewToHost,
  type FormState,
  type HostMessage,
  type HostMessageType,
  type HostToWebview,
  type WebviewToHost,
} from '../../shared/protocol';
import {
  buildRequestPath,
  describeQuery,
  formatLocalDate,
  sameQueryIgnoringPage,
  validateQuery,
} from '../../shared/query';
import { toCurl, toFetch } from '../../shared/requestSnippets';
import type { Account, AccountsService } from '../auth/accountsContract';
import { QUERY_PANEL_VIEW_TYPE } from '../commandIds';
import { Disposable } from '../util/lifecycle';
import type { ApiAccess } from './apiAccess';
import { answerQuantityChart, HypnogramAnswers } from './chartAnswers';
import { buildQueryPanelHtml, queryPanelOptions } from './html';
import type { HistoryStore } from './historyStore';
import { QueryResult } from './queryResult';
import {
  confirmFetchAll,
  exportToFile,
  finishedStatus,
  pickExportTarget,
  planFor,
  readFetchAllSettings,
  runFetchAll,
} from './resultJobs';

export interface QueryPanelDeps {
  readonly extensionUri: vscode.Uri;
  readonly accounts: AccountsService;
  readonly api: ApiAccess;
  readonly history: HistoryStore;
  readonly logger: Logger;
  /** Keep the last messages both ways for tests (test mode only: rows can be a megabyte each). */
  readonly recordMessages: boolean;
  /** The extension's own storage folder for records spilled by large results (deleted on close). */
  readonly spillDirectory: string | undefined;
}

/** Test and command hooks of "Fetch All Pages": skip the confirmation (the caller asked the user itself). */
export interface FetchAllRequest {
  readonly confirmed?: boolean;
  readonly spendReserve?: boolean;
}

const FETCH_STATUS_INTERVAL_MS = 250;

/** Token bucket against message floods from the webview (reliability case 43). */
class FloodGate {
  private _tokens: number;
  private _last = Date.now();
  dropped = 0;

  constructor(
    private readonly _capacity: number,
    private readonly _perSecond: number,
  ) {
    this._tokens = _capacity;
  }

  take(): boolean {
    const now = Date.now();
    this._tokens = Math.min(this._capacity, this._tokens + ((now - this._last) / 1000) * this._perSecond);
    this._last = now;
    if (this._tokens < 1) {
      this.dropped++;
      return false;
    }
    this._tokens -= 1;
    return true;
  }
}

const MESSAGE_LOG_SIZE = 300;
const PANEL_TITLE = 'OneTwentyOne Query';

/**
 * The query panel (house style 17): one panel, revived after reloads by the serializer. The host
 * keeps the result; the webview gets a summary and asks for windows of rows.
 */
export class QueryPanel extends Disposable {
  static current: QueryPanel | undefined;

  /** For tests: the messages sent to and received from the webview, newest last. */
  readonly sentLog: HostToWebview[] = [];
  readonly receivedLog: unknown[] = [];
  private _ready = false;
  /** The run in progress and the last failure, re-sent when the webview (re)loads. */
  private _currentRun: { requestId: number; url: string } | undefined;
  private _lastFailure: HostMessage<'didFailRequest'> | undefined;
  private _nextHostRequestId = 1_000_000_000;
  /** The result this webview instance has already shown (so a reload restores its view state). */
  private _shownResultId: number | undefined;
  private _pendingForm: { form: FormState; run: boolean } | undefined;
  private _result: QueryResult | undefined;
  private _nextResultId = 1;
  private readonly _inFlight = new Map<number, AbortController>();
  private readonly _gate = new FloodGate(200, 100);
  private _fetch: { resultId: number; controller: AbortController } | undefined;
  private _lastFetchPost = 0;
  private _search: { resultId: number; controller: AbortController; hits: Int32Array | undefined } | undefined;
  private _export: AbortController | undefined;
  private readonly _hypnograms = new HypnogramAnswers();

  /** Messages dropped by the flood gate (for tests). */
  get droppedMessages(): number {
    return this._gate.dropped;
  }
  private readonly _onDidRespond = this._register(new vscode.EventEmitter<QueryResult | Error>());
  /** Fires after every response or failure (tests wait on it). */
  readonly onDidRespond = this._onDidRespond.event;
  private readonly _onDidFinishFetchAll = this._register(new vscode.EventEmitter<FetchAllOutcome>());
  /** Fires when a "Fetch All Pages" run ends, complete or partial (tests wait on it). */
  readonly onDidFinishFetchAll = this._onDidFinishFetchAll.event;

  static createOrShow(deps: QueryPanelDeps, form?: FormState, run = false): QueryPanel {
    if (QueryPanel.current) {
      QueryPanel.current._panel.reveal(vscode.ViewColumn.Active);
      if (form) QueryPanel.current.setForm(form, run);
      return QueryPanel.current;
    }
    const panel = vscode.window.createWebviewPanel(
      QUERY_PANEL_VIEW_TYPE,
      PANEL_TITLE,
      vscode.ViewColumn.Active,
      queryPanelOptions(deps.extensionUri, vscode.Uri.joinPath),
    );
    const created = new QueryPanel(panel, deps);
    if (form) created.setForm(form, run);
    return created;
  }

  static revive(panel: vscode.WebviewPanel, deps: QueryPanelDeps): QueryPanel {
    QueryPanel.current?.dispose();
    return new QueryPanel(panel, deps);
  }

  private constructor(
    private readonly _panel: vscode.WebviewPanel,
    private readonly _deps: QueryPanelDeps,
  ) {
    super();
    QueryPanel.current = this;
    _panel.iconPath = vscode.Uri.joinPath(_deps.extensionUri, 'media', 'activity-bar.svg');
    _panel.webview.options = queryPanelOptions(_deps.extensionUri, vscode.Uri.joinPath);
    _panel.webview.html = buildQueryPanelHtml(_panel.webview, _deps.extensionUri, vscode.Uri.joinPath);
    this._register(_panel.onDidDispose(() => this.dispose()));
    this._register(_panel.webview.onDidReceiveMessage((raw: unknown) => void this.handleWebviewMessage(raw)));
    // Messages to a hidden webview are lost (and without retainContextWhenHidden its page is unloaded):
    // stop posting while hidden; its script says ready again when shown, and gets the whole state then.
    this._register(
      _panel.onDidChangeViewState(() => {
        if (!_panel.visible) this._ready = false;
      }),
    );
    this._register(_deps.accounts.onDidChange(() => this._notifyAccounts()));
    this._register(
      _deps.api.onDidChangeQuota(() => this.notify('didChangeQuota', { quota: this._quota(this._selectedAccount()) })),
    );
    this._register(
      _deps.accounts.onDidSignOut((id) => {
        if (this._result?.accountId === id) this._dropResult();
      }),
    );
  }

  get result(): QueryResult | undefined {
    return this._result;
  }

  get panel(): vscode.WebviewPanel {
    return this._panel;
  }

  override dispose(): void {
    if (QueryPanel.current === this) QueryPanel.current = undefined;
    for (const c of this._inFlight.values()) c.abort();
    this._inFlight.clear();
    this._search?.controller.abort();
    this._export?.abort();
    this._result?.dispose();
    this._result = undefined;
    this._hypnograms.clear();
    super.dispose();
    this._panel.dispose();
  }

  setForm(form: FormState, run: boolean): void {
    // A different query in the form (an endpoint opened from the tree, a metric typed): the result
    // below it would answer another question, so it goes; the same query (a page of it) keeps it.
    if (!run && this._result && !sameQueryIgnoringPage(this._result.query, form.query)) this._dropResult();
    if (this._ready) this.notify('setForm', { form, run });
    else this._pendingForm = { form, run };
  }

  /** Forgets the result on screen: its store, searches and charts; the webview shows the empty state. */
  private _dropResult(): void {
    if (!this._result) return;
    this._result.dispose();
    this._result = undefined;
    this._hypnograms.clear();
    this._search?.controller.abort();
    this._search = undefined;
    this._panel.title = PANEL_TITLE;
    this.notify('didClearResult', {});
  }

  notify<K extends HostMessageType>(type: K, params: Omit<HostMessage<K>, 'type'>): void {
    // Before `ready` nothing is sent: the ready handler sends the whole current state instead.
    if (this._ready) this._send({ type, ...params } as HostToWebview);
  }

  private _send(message: HostToWebview): void {
    if (this.isDisposed) return;
    // The webview drops anything outside the protocol; checking here turns a silent drop into a log line.
    const checked = hostToWebview.safeParse(message);
    if (!checked.success) {
      this._deps.logger.error(
        `Query panel: not posting a ${message.type} message that breaks the protocol (${checked.error.issues[0]?.path.join('.') ?? '?'}).`,
      );
      return;
    }
    if (this._deps.recordMessages) {
      this.sentLog.push(message);
      if (this.sentLog.length > MESSAGE_LOG_SIZE) this.sentLog.shift();
    }
    void this._panel.webview.postMessage(message).then(undefined, () => undefined);
  }

  private _selectedAccount(accountId?: string): Account | undefined {
    return (
      (accountId ? this._deps.accounts.get(accountId) : undefined) ??
      this._deps.accounts.activeAccount ??
      this._deps.accounts.list()[0]
    );
  }

  private _accountSummaries() {
    return this._deps.accounts.list().map((a) => ({
      id: a.id.slice(0, 300),
      label: a.label.slice(0, 300),
      userId: a.userId.slice(0, 300),
      environment: a.environment.kind,
      origin: a.environment.origin.slice(0, 300),
    }));
  }

  private _notifyAccounts(): void {
    this.notify('didChangeAccounts', {
      accounts: this._accountSummaries(),
      activeAccountId: this._deps.accounts.activeAccount?.id ?? null,
    });
  }

  private _quota(account: Account | undefined) {
    // The budget the shown result's route spends; before any result, the daily one.
    const q = this._deps.api.quotaFor(
      account,
      this._result?.accountId === account?.id ? this._result?.query.route : undefined,
    );
    if (!q) return null;
    return {
      budget: q.budget.label,
      daily: q.budget.daily,
      limit: q.limit ?? null,
      remaining: q.remaining ?? null,
      resetAt: q.resetAt ?? null,
    };
  }

  /** Everything the webview posts comes through here (tests call it too, with the same checks). */
  handleWebviewMessage(raw: unknown): Promise<void> {
    if (!this._gate.take()) {
      if (this._gate.dropped % 100 === 1)
        this._deps.logger.warn('Query panel: too many messages from the webview; some were dropped.');
      return Promise.resolve();
    }
    if (this._deps.recordMessages) {
      this.receivedLog.push(raw);
      if (this.receivedLog.length > MESSAGE_LOG_SIZE) this.receivedLog.shift();
    }
    const parsed = webviewToHost.safeParse(raw);
    if (!parsed.success) {
      // Never log the payload: it may hold health data. The shape problem is enough.
      this._deps.logger.warn(
        `Query panel: ignored a message that is not in the protocol (${parsed.error.issues[0]?.code ?? 'invalid'}).`,
      );
      return Promise.resolve();
    }
    return this._handle(parsed.data).catch((err: unknown) => {
      // Only the error's type and first stack frame: messages of unexpected errors may quote data.
      const where =
        err instanceof Error ? ` [${err.name}${err.stack?.split('\n')[1]?.trim().replace(/^at /, ' at ') ?? ''}]` : '';
      this._deps.logger.error(
        `Query panel: ${parsed.data.type}: ${describeApiError(err)}${isApiError(err) ? '' : where}`,
      );
      // A request must not wait forever for an answer that will not come.
      if ('requestId' in parsed.data && parsed.data.type !== 'runQuery') {
        this.notify('didFail', {
          requestId: parsed.data.requestId,
          message: 'That did not work; the OneTwentyOne output has the details.',
        });
      }
    });
  }

  private async _handle(msg: WebviewToHost): Promise<void> {
    switch (msg.type) {
      case 'ready': {
        this._ready = true;
        const pending = this._pendingForm;
        this._pendingForm = undefined;
        this._send({
          type: 'didInit',
          accounts: this._accountSummaries(),
          activeAccountId: this._deps.accounts.activeAccount?.id ?? null,
          today: formatLocalDate(new Date()),
          quota: this._quota(this._selectedAccount()),
          form: pending?.form ?? null,
        });
        // A second ready means the webview reloaded: send the current result again.
        if (this._result) {
          const restored = this._shownResultId === this._result.resultId;
          this._send({ type: 'didReceiveResponse', requestId: 0, summary: this._result.summary, restored });
          this._shownResultId = this._result.resultId;
          if (this._result.fetch)
            this._send({ type: 'didUpdateResult', summary: this._result.summary, fetch: this._result.fetch });
        }
        if (this._currentRun) this._send({ type: 'didStartRequest', ...this._currentRun });
        else if (this._lastFailure) this._send(this._lastFailure);
        if (pending?.run) this._send({ type: 'setForm', form: pending.form, run: true });
        return;
      }
      case 'runQuery':
        await this._run(msg.requestId, msg.form);
        return;
      case 'cancel':
        this._inFlight.get(msg.requestId)?.abort();
        return;
      case 'getRows': {
        const result = this._result;
        if (!result || result.resultId !== msg.resultId)
          return this.notify('didFail', {
            requestId: msg.requestId,
            message: 'That response is no longer available; send the request again.',
          });
        const window = result.rows(msg.offset, msg.count);
        return this.notify('getRows/result', {
          requestId: msg.requestId,
          resultId: msg.resultId,
          offset: window.offset,
          rowsJson: window.json,
        });
      }
      case 'getRaw': {
        const result = this._result;
        if (!result || result.resultId !== msg.resultId)
          return this.notify('didFail', {
            requestId: msg.requestId,
            message: 'That response is no longer available; send the request again.',
          });
        const raw = result.raw();
        return this.notify('getRaw/result', {
          requestId: msg.requestId,
          resultId: msg.resultId,
          text: raw.text,
          totalChars: raw.totalChars,
          truncated: raw.truncated,
        });
      }
      case 'find': {
        const result = this._result;
        if (!result || result.resultId !== msg.resultId)
          return this.notify('didFail', {
            requestId: msg.requestId,
            message: 'That response is no longer available; send the request again.',
          });
        const found = result.find(msg.text, msg.caseSensitive);
        return this.notify('find/result', {
          requestId: msg.requestId,
          resultId: msg.resultId,
          hits: found.hits,
          total: found.total,
          capped: found.capped,
        });
      }
      case 'copyRequest':
        return this._copyRequest(msg.format, msg.withToken);
      case 'copyText':
        await vscode.env.clipboard.writeText(msg.text);
        vscode.window.setStatusBarMessage(
          msg.what === 'path' ? '$(copy) JSON path copied' : '$(copy) Value copied',
          2000,
        );
        return;
      case 'saveQuery': {
        const name = await vscode.window.showInputBox({
          title: 'Save Query',
          prompt: 'A name for this query',
          value: msg.form.query.route === 'quantity' ? `${msg.form.query.metric ?? 'quantity'}` : msg.form.query.route,
          validateInput: (v) => (v.trim() && v.length <= 100 ? undefined : 'Between 1 and 100 characters.'),
        });
        if (name) await this._deps.history.save(name.trim(), msg.form.query, msg.form.accountId);
        return;
      }
      case 'selectAccount':
        await vscode.commands.executeCommand('workbench.view.extension.onetwentyone');
        return;
      case 'openRawInEditor': {
        const result = this._result;
        if (!result || result.resultId !== msg.resultId) return;
        const doc = await vscode.workspace.openTextDocument({ language: 'json', content: result.fullRaw() });
        await vscode.window.showTextDocument(doc, { preview: true, viewColumn: vscode.ViewColumn.Beside });
        return;
      }
      case 'fetchAll':
        if (this._result?.resultId === msg.resultId) await this.fetchAll();
        return;
      case 'cancelFetchAll':
        if (this._fetch?.resultId === msg.resultId) this._fetch.controller.abort();
        return;
      case 'search':
        return this._runSearch(msg.requestId, msg.resultId, msg.text);
      case 'getHit': {
        const hits = this._search?.resultId === msg.resultId ? this._search.hits : undefined;
        const row = hits && msg.hitIndex < hits.length ? hits[msg.hitIndex] : undefined;
        if (row === undefined)
          return this.notify('didFail', {
            requestId: msg.requestId,
            message: 'That search result is no longer available; search again.',
          });
        return this.notify('getHit/result', {
          requestId: msg.requestId,
          resultId: msg.resultId,
          hitIndex: msg.hitIndex,
          row,
        });
      }
      case 'exportResult':
        if (this._result?.resultId === msg.resultId) await this.exportResult(msg.format);
        return;
      case 'getChart':
        return this._chart(msg.requestId, msg.resultId, msg.bucket);
      case 'getHypnogram':
        return this._hypnogram(msg.requestId, msg.resultId, msg.session);
      default:
        assertNever(msg);
    }
  }

  /** Runs a query started by a command or the trees; the form shows it too. */
  runFromHost(form: FormState): Promise<QueryResult | undefined> {
    this.setForm(form, false);
    return this._run(this._nextHostRequestId++, form);
  }

  /** Runs a query; resolves when the response (or failure) was posted. */
  private async _run(requestId: number, form: FormState): Promise<QueryResult | undefined> {
    const problems = validateQuery(form.query);
    // A query for a user who has signed out never runs as someone else.
    const signedOut = form.accountId !== undefined && !this._deps.accounts.get(form.accountId);
    const account = signedOut ? undefined : this._selectedAccount(form.accountId);
    if (problems.length || !account) {
      const message =
        problems[0]?.message ??
        (signedOut
          ? 'The user of this query is signed out. Pick a signed-in user in the form, or sign in again.'
          : 'Sign in or add a personal access token first.');
      this._lastFailure = { type: 'didFailRequest', requestId, code: 'invalid_params', message, status: null };
      this.notify('didFailRequest', this._lastFailure);
      this._onDidRespond.fire(new Error(message));
      return undefined;
    }
    for (const c of this._inFlight.values()) c.abort();
    const controller = new AbortController();
    this._inFlight.set(requestId, controller);
    const signOut = this._deps.accounts.signalFor(account.id);
    const signal = AbortSignal.any([controller.signal, signOut]);
    const route = routeById(form.query.route);
    const query = form.query.params as Record<string, string | number | boolean | undefined>;
    const params = { userId: account.userId, ...(form.query.metric ? { metric: form.query.metric } : {}), query };
    this._currentRun = {
      requestId,
      url: `${account.environment.origin}${buildRequestPath(form.query, account.userId)}`,
    };
    this._lastFailure = undefined;
    this.notify('didStartRequest', this._currentRun);
    const started = Date.now();
    try {
      const client = this._deps.api.clientFor(account);
      const page = await vscode.window.withProgress(
        { location: { viewId: 'onetwentyone.history' }, title: `Requesting ${route.label}` },
        () => client.getPage(route.id, params, { signal, keepRaw: true }),
      );
      // Finished: a webview that says ready from now on must not be told it is still running.
      if (this._currentRun?.requestId === requestId) this._currentRun = undefined;
      this._deps.accounts.noteScopeAnswered(account.id, route.scope);
      this._result?.dispose();
      this._hypnograms.clear();
      this._search?.controller.abort();
      this._search = undefined;
      const result = new QueryResult(this._nextResultId++, form.query, page, account.id, this._deps.spillDirectory);
      this._result = result;
      this._panel.title = `Query: ${describeQuery(form.query)}`;
      this.notify('didReceiveResponse', { requestId, summary: result.summary, restored: false });
      if (this._ready) this._shownResultId = result.resultId;
      this.notify('didChangeQuota', { quota: this._quota(account) });
      await this._deps.history.add({
        query: form.query,
        accountId: account.id,
        accountLabel: account.label,
        status: page.status,
        recordCount: result.recordCount,
        durationMs: page.durationMs,
      });
      this._onDidRespond.fire(result);
      return result;
    } catch (caught) {
      // Stopped from outside (the account's sandbox stopped): the reason says why, not "cancelled".
      const err =
        signOut.aborted && isApiError(signOut.reason) && isApiError(caught) && caught.code === 'cancelled'
          ? signOut.reason
          : caught;
      const code = isApiError(err) ? err.code : 'error';
      const status = isApiError(err) ? (err.status ?? null) : null;
      const message = describeApiError(err);
      if (this._currentRun?.requestId === requestId) this._currentRun = undefined;
      // A failed request leaves no older result under its error, with Fetch All and Export that would
      // act on another query; a cancelled one leaves the result as it was.
      if (code !== 'cancelled') this._dropResult();
      this._lastFailure = { type: 'didFailRequest', requestId, code, message: message.slice(0, 2000), status };
      this.notify('didFailRequest', this._lastFailure);
      this.notify('didChangeQuota', { quota: this._quota(account) });
      if (code !== 'cancelled') {
        await this._deps.history.add({
          query: form.query,
          accountId: account.id,
          accountLabel: account.label,
          status,
          recordCount: null,
          durationMs: Date.now() - started,
          errorCode: code.slice(0, 64),
        });
      }
      this._onDidRespond.fire(err instanceof Error ? err : new Error(message));
      return undefined;
    } finally {
      this._inFlight.delete(requestId);
      if (this._currentRun?.requestId === requestId) this._currentRun = undefined;
    }
  }

  /**
   * "Fetch All Pages" for the result shown: the plan first (asked unless `confirmed`), then every
   * page into the result's store, the webview told of the growing count a few times a second.
   * Resolves with the outcome (partial with its reason when it stopped early), or undefined when
   * there was nothing to fetch or the user said no.
   */
  async fetchAll(request: FetchAllRequest = {}): Promise<FetchAllOutcome | undefined> {
    const result = this._result;
    if (!result?.store) {
      void vscode.window.showInformationMessage(
        'Send a request for a list of records first; then all its pages can be fetched.',
      );
      return undefined;
    }
    if (result.fetch) {
      void vscode.window.showInformationMessage(
        result.fetch.running
          ? 'All pages of this result are already being fetched.'
          : 'All pages of this result were fetched already; send the request again for a new run.',
      );
      return undefined;
    }
    const account = this._deps.accounts.get(result.accountId);
    if (!account) return undefined;
    const settings = readFetchAllSettings();
    const query = result.query.params as Record<string, string | number | boolean | undefined>;
    const params = { userId: account.userId, ...(result.query.metric ? { metric: result.query.metric } : {}), query };
    const client = this._deps.api.clientFor(account);
    const plan = await planFor(
      result,
      settings,
      oldestRecordLookup(client, result.query.route, params, this._deps.accounts.signalFor(account.id)),
    );
    if (this._result !== result) return undefined;
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
    if (!consent.go || this._result !== result || result.fetch) return undefined;
    const controller = new AbortController();
    const hostRequestId = this._nextHostRequestId++;
    this._inFlight.set(hostRequestId, controller);
    this._fetch = { resultId: result.resultId, controller };
    const signal = AbortSignal.any([controller.signal, this._deps.accounts.signalFor(account.id)]);
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
    this._postFetch(result, true);
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
            this._postFetch(result, false);
          },
        },
        controller,
      );
      result.fetch = finishedStatus(outcome);
      if (this._result === result) {
        this._postFetch(result, true);
        this.notify('didChangeQuota', { quota: this._quota(account) });
        const show = outcome.partial ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
        void show(outcome.message);
      }
      this._onDidFinishFetchAll.fire(outcome);
      return outcome;
    } finally {
      this._inFlight.delete(hostRequestId);
      if (this._fetch?.controller === controller) this._fetch = undefined;
    }
  }

  private _postFetch(result: QueryResult, force: boolean): void {
    const now = Date.now();
    if (!force && now - this._lastFetchPost < FETCH_STATUS_INTERVAL_MS) return;
    this._lastFetchPost = now;
    if (this._result === result)
      this.notify('didUpdateResult', { summary: result.summary, fetch: result.fetch ?? null });
  }

  private async _runSearch(requestId: number, resultId: number, text: string): Promise<void> {
    this._search?.controller.abort();
    const result = this._result;
    const store = result?.resultId === resultId ? result.store : undefined;
    if (!store)
      return this.notify('didFail', {
        requestId,
        message: 'That response is no longer available; send the request again.',
      });
    const controller = new AbortController();
    const search: { resultId: number; controller: AbortController; hits: Int32Array | undefined } = {
      resultId,
      controller,
      hits: undefined,
    };
    this._search = search;
    const post = (done: boolean, total: number, scannedRows: number, hits: Int32Array, error: string | null): void => {
      if (this._search !== search) return;
      this.notify('search/result', {
        requestId,
        resultId,
        done,
        total,
        scannedRows,
        firstHits: Array.from(hits.subarray(0, MAX_SEARCH_HITS_SENT)),
        error,
      });
    };
    try {
      const outcome = await searchResult(store, text, {
        signal: controller.signal,
        onFirstHits: (hits) => post(false, hits.length, 0, hits, null),
      });
      if (!outcome.complete) return;
      search.hits = outcome.hits;
      post(true, outcome.hits.length, outcome.scannedRows, outcome.hits, null);
    } catch (err) {
      if (err instanceof QueryError) return post(true, 0, 0, new Int32Array(0), err.message.slice(0, 2000));
      if (controller.signal.aborted) return;
      throw err;
    }
  }

  private async _chart(requestId: number, resultId: number, bucket: 'day' | 'week' | 'month'): Promise<void> {
    const result = this._result;
    const answer = await answerQuantityChart(result, requestId, resultId, bucket);
    if (this._result === result) this.notify('chart/result', answer);
  }

  private async _hypnogram(requestId: number, resultId: number, session: number | null): Promise<void> {
    const result = this._result;
    const answer = await this._hypnograms.answer(result, requestId, resultId, session);
    if (this._result === result) this.notify('hypnogram/result', answer);
  }

  /** The last complete search's hit rows (for tests). */
  get searchHits(): Int32Array | undefined {
    return this._search?.hits;
  }

  /**
   * Exports the whole result: through a save dialog, or to `targetPath` when a command or test gives one.
   * Resolves with the outcome, or undefined when there was nothing to export or the user backed out.
   */
  async exportResult(format: ExportFormat, targetPath?: string): Promise<ExportOutcome | undefined> {
    const result = this._result;
    if (!result?.store) {
      void vscode.window.showInformationMessage('Send a request for a list of records first; then it can be exported.');
      return undefined;
    }
    const target = targetPath ?? (await pickExportTarget(format, describeQuery(result.query)));
    if (!target) {
      // The save dialog was dismissed: the webview puts the focus back on its Export button.
      this.notify('didChangeExport', { running: false, message: '' });
      return undefined;
    }
    this._export?.abort();
    const controller = new AbortController();
    this._export = controller;
    this.notify('didChangeExport', {
      running: true,
      message: `Exporting ${result.recordCount.toLocaleString('en-US')} records…`,
    });
    try {
      const outcome = await exportToFile(result, format, target, controller.signal);
      const message = outcome.complete
        ? `Exported ${outcome.records.toLocaleString('en-US')} records (${(outcome.bytes / 1024 / 1024).toFixed(1)} MB).`
        : 'Export cancelled; the incomplete file was deleted.';
      this.notify('didChangeExport', { running: false, message });
      if (outcome.complete && !targetPath) void vscode.window.showInformationMessage(message);
      return outcome;
    } catch (err) {
      const message = `Export failed: ${err instanceof Error ? err.message : String(err)}`.slice(0, 2000);
      this.notify('didChangeExport', { running: false, message });
      void vscode.window.showErrorMessage(message);
      if (targetPath) throw err;
      return undefined;
    } finally {
      if (this._export === controller) this._export = undefined;
    }
  }

  private async _copyRequest(format: 'curl' | 'fetch', withToken: boolean): Promise<void> {
    const result = this._result;
    if (!result) {
      void vscode.window.showInformationMessage('Send the request first; then it can be copied as it was sent.');
      return;
    }
    const url = result.summary.url;
    if (!withToken) {
      await vscode.env.clipboard.writeText(format === 'curl' ? toCurl(url) : toFetch(url));
      vscode.window.setStatusBarMessage(
        `$(copy) Copied as ${format === 'curl' ? 'curl' : 'TypeScript fetch'} (token read from $ONETWENTYONE_TOKEN)`,
        3000,
      );
      return;
    }
    const account = this._deps.accounts.get(result.accountId);
    if (!account) return;
    const choice = await vscode.window.showWarningMessage(
      'Copy the request with the access token in it?',
      {
        modal: true,
        detail:
          "The token will be on your clipboard in plain text. Anyone who sees it can read this user's health data until it expires. It is never shown in the panel.",
      },
      'Copy curl with Token',
      'Copy fetch with Token',
    );
    if (!choice) return;
    const token = await this._deps.accounts.credentialsFor(account.id).getAccessToken();
    await vscode.env.clipboard.writeText(choice.startsWith('Copy curl') ? toCurl(url, token) : toFetch(url, token));
    vscode.window.setStatusBarMessage('$(key) Copied with the token', 3000);
  }
}
