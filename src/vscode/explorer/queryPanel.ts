import * as vscode from 'vscode';
import type { ExportFormat, ExportOutcome } from '../../core/dataset/exportResult';
import type { FetchAllOutcome } from '../../core/dataset/fetchAll';
import {
  hostToWebview,
  type FormState,
  type HostMessage,
  type HostMessageType,
  type HostToWebview,
  type Quota,
} from '../../shared/protocol';
import { describeQuery, formatLocalDate, sameQueryIgnoringPage } from '../../shared/query';
import type { Account } from '../auth/accountsContract';
import { QUERY_PANEL_VIEW_TYPE, queryPanelOptions, queryPanelTitle } from '../commandIds';
import { messageFor } from '../userMessages';
import { Disposable } from '../util/lifecycle';
import { HypnogramAnswers } from './chartAnswers';
import { FetchAllJob, type FetchAllRequest } from './fetchAllJob';
import { buildQueryPanelHtml } from './html';
import { MessageDispatcher } from './messageDispatcher';
import type { QueryPanelDeps } from './panelContext';
import { commandHandlers, requestHandlers } from './panelHandlers';
import type { QueryResult } from './queryResult';
import { QueryRuns, selectedAccount, type RunHost } from './queryRuns';
import { ResultExport } from './resultExport';
import { ResultSearch } from './resultSearch';

/**
 * The query panel: one panel, revived after reloads by the serializer. The host keeps the result;
 * the webview gets a summary and asks for windows of rows. This class holds the panel's lifecycle,
 * the result on screen and the way to the webview; the runs, jobs and answers are its parts.
 */
export class QueryPanel extends Disposable {
  static current: QueryPanel | undefined;
  /**
   * A result whose Fetch All Pages stopped partway (or was running) when its panel closed: the next
   * panel shows it again, with Resume. Its records live in memory only, so one is kept at most.
   */
  private static _stoppedWhenClosed: QueryResult | undefined;

  private _ready = false;
  /** The result this webview instance has already shown (so a reload restores its view state). */
  private _shownResultId: number | undefined;
  private _pendingForm: { form: FormState; run: boolean } | undefined;
  private _result: QueryResult | undefined;
  /**
   * The account whose quota the webview shows: the last one a run or job reported (`quotaFor`). A
   * quota change reported later (a few times a second at most) keeps to it, not to the active account.
   */
  private _quotaAccountId: string | undefined;
  private readonly _runs: QueryRuns;
  private readonly _search = new ResultSearch();
  private readonly _hypnograms = new HypnogramAnswers();
  private readonly _fetchAll: FetchAllJob;
  private readonly _export: ResultExport;
  private readonly _dispatcher: MessageDispatcher;

  private readonly _onDidRespond = this._register(new vscode.EventEmitter<QueryResult | Error>());
  /** Fires after every response or failure (tests wait on it). */
  readonly onDidRespond = this._onDidRespond.event;
  private readonly _onDidFinishFetchAll = this._register(new vscode.EventEmitter<FetchAllOutcome>());
  /** Fires when a "Fetch All Pages" run ends, complete or partial (tests wait on it). */
  readonly onDidFinishFetchAll = this._onDidFinishFetchAll.event;

  /**
   * Shows the panel, or creates it: in `opened` when given, a new panel the activation shell created
   * with the same view type, title and options before the explorer loaded (docs/performance.md, B11).
   */
  static createOrShow(deps: QueryPanelDeps, form?: FormState, run = false, opened?: vscode.WebviewPanel): QueryPanel {
    if (QueryPanel.current) {
      opened?.dispose();
      QueryPanel.current._panel.reveal(vscode.ViewColumn.Active);
      if (form) QueryPanel.current.setForm(form, run);
      return QueryPanel.current;
    }
    const panel =
      opened ??
      vscode.window.createWebviewPanel(
        QUERY_PANEL_VIEW_TYPE,
        queryPanelTitle(vscode.l10n),
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
    const context = this._partsContext();
    this._runs = new QueryRuns(context);
    this._fetchAll = new FetchAllJob(context, this._runs, (outcome) => this._onDidFinishFetchAll.fire(outcome));
    this._export = new ResultExport(context);
    this._takeStoppedResult();
    const { observer } = _deps;
    this._dispatcher = new MessageDispatcher({
      requests: requestHandlers(context, this._search, this._hypnograms),
      commands: commandHandlers(context, {
        runs: this._runs,
        fetchAll: this._fetchAll,
        exports: this._export,
        ready: () => this._onReady(),
      }),
      post: (message) => {
        // Before `ready` nothing is sent: the ready handler sends the whole current state instead.
        if (this._ready) this._send(message);
      },
      logger: _deps.logger,
      failureText: (err) => messageFor(err).text,
      ...(observer ? { received: (raw: unknown) => observer.received(this, raw) } : {}),
    });
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
      _deps.api.onDidChangeQuota(() =>
        this.notify('didChangeQuota', { quota: this._quota(selectedAccount(_deps.accounts, this._quotaAccountId)) }),
      ),
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

  /** Messages dropped by the flood gate (for tests). */
  get droppedMessages(): number {
    return this._dispatcher.dropped;
  }

  /** The last complete search's hit rows (for tests). */
  get searchHits(): Int32Array | undefined {
    return this._search.hits;
  }

  override dispose(): void {
    if (QueryPanel.current === this) QueryPanel.current = undefined;
    // Stops a running Fetch All Pages too: it ends as cancelled, with a resume point, in the kept result.
    this._runs.dispose();
    this._search.clear();
    this._export.cancel();
    this._keepOrDispose(this._result);
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

  notify<K extends HostMessageType>(type: K, params: Omit<HostMessage<K>, 'type'>): void {
    // Before `ready` nothing is sent: the ready handler sends the whole current state instead.
    if (this._ready) this._send({ type, ...params } as HostToWebview);
  }

  /** Everything the webview posts comes through here (tests call it too, with the same checks). */
  handleWebviewMessage(raw: unknown): Promise<void> {
    return this._dispatcher.dispatch(raw);
  }

  /** Runs a query started by a command or the trees; the form shows it too. */
  runFromHost(form: FormState): Promise<QueryResult | undefined> {
    this.setForm(form, false);
    return this._runs.run(this._runs.nextHostRunId(), form);
  }

  /** "Fetch All Pages" for the result shown (see FetchAllJob.run). */
  fetchAll(request: FetchAllRequest = {}): Promise<FetchAllOutcome | undefined> {
    return this._fetchAll.run(request);
  }

  /** Exports the whole result, through a save dialog or to `targetPath` (see ResultExport.run). */
  exportResult(format: ExportFormat, targetPath?: string): Promise<ExportOutcome | undefined> {
    return this._export.run(format, targetPath);
  }

  /** A result that can still resume is kept for the next panel; any other is released. */
  private _keepOrDispose(result: QueryResult | undefined): void {
    if (!result) return;
    if (!(result.fetch?.resumable || result.fetch?.running)) return result.dispose();
    QueryPanel._stoppedWhenClosed?.dispose();
    QueryPanel._stoppedWhenClosed = result;
  }

  /** Shows the result an earlier panel kept, if its user is still signed in. */
  private _takeStoppedResult(): void {
    const kept = QueryPanel._stoppedWhenClosed;
    QueryPanel._stoppedWhenClosed = undefined;
    if (!kept) return;
    if (!this._deps.accounts.get(kept.accountId)) return kept.dispose();
    this._result = kept;
    this._panel.title = vscode.l10n.t('Query: {0}', describeQuery(kept.query));
  }

  /** What the runs, jobs and answers see of the panel. */
  private _partsContext(): RunHost {
    const current = (): QueryResult | undefined => this._result;
    return {
      deps: this._deps,
      get result() {
        return current();
      },
      notify: (type, params) => this.notify(type, params),
      quotaFor: (account) => {
        this._quotaAccountId = account?.id;
        return this._quota(account);
      },
      showResult: (runId, create) => this._showResult(runId, create),
      dropResult: () => this._dropResult(),
      responded: (outcome) => this._onDidRespond.fire(outcome),
    };
  }

  private _showResult(runId: number, create: () => QueryResult): QueryResult {
    this._result?.dispose();
    this._hypnograms.clear();
    this._search.clear();
    const result = create();
    this._result = result;
    // Fetch All Pages may follow: its page worker loads now, off this thread, not when it is asked for.
    if (result.store && result.summary.pagination?.hasMore) this._deps.pageWorkers.warm();
    this._panel.title = vscode.l10n.t('Query: {0}', describeQuery(result.query));
    this.notify('didReceiveResponse', { requestId: runId, summary: result.summary, restored: false });
    if (this._ready) this._shownResultId = result.resultId;
    return result;
  }

  /** Forgets the result on screen: its store, searches and charts; the webview shows the empty state. */
  private _dropResult(): void {
    if (!this._result) return;
    this._result.dispose();
    this._result = undefined;
    this._hypnograms.clear();
    this._search.clear();
    this._panel.title = queryPanelTitle(vscode.l10n);
    this.notify('didClearResult', {});
  }

  /** The webview (re)loaded: it gets the whole current state, as it knows nothing. */
  private _onReady(): void {
    this._ready = true;
    const pending = this._pendingForm;
    this._pendingForm = undefined;
    this._send({
      type: 'didInit',
      accounts: this._accountSummaries(),
      activeAccountId: this._deps.accounts.activeAccount?.id ?? null,
      today: formatLocalDate(new Date()),
      quota: this._quota(selectedAccount(this._deps.accounts, this._quotaAccountId)),
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
    const runStatus = this._runs.statusMessage();
    if (runStatus) this._send(runStatus);
    if (pending?.run) this._send({ type: 'setForm', form: pending.form, run: true });
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
    this._deps.observer?.sent(this, message);
    void this._panel.webview.postMessage(message).then(undefined, () => undefined);
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

  private _quota(account: Account | undefined): Quota | null {
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
}
