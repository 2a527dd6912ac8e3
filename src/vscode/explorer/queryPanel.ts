import * as vscode from 'vscode';
import { describeApiError, isApiError } from '../../core/api/errors';
import type { Logger } from '../../core/ports';
import { routeById } from '../../core/routes';
import { assertNever, hostToWebview, webviewToHost, type FormState, type HostMessage, type HostMessageType, type HostToWebview, type WebviewToHost } from '../../shared/protocol';
import { buildRequestPath, describeQuery, formatLocalDate, validateQuery } from '../../shared/query';
import { toCurl, toFetch } from '../../shared/requestSnippets';
import type { Account, AccountsService } from '../auth/accountsContract';
import { QUERY_PANEL_VIEW_TYPE } from '../commandIds';
import { Disposable } from '../util/lifecycle';
import type { ApiAccess } from './apiAccess';
import { buildQueryPanelHtml, queryPanelOptions } from './html';
import type { HistoryStore } from './historyStore';
import { QueryResult } from './queryResult';

export interface QueryPanelDeps {
  readonly extensionUri: vscode.Uri;
  readonly accounts: AccountsService;
  readonly api: ApiAccess;
  readonly history: HistoryStore;
  readonly logger: Logger;
  /** Keep the last messages both ways for tests (test mode only: rows can be a megabyte each). */
  readonly recordMessages: boolean;
}

/** Token bucket against message floods from the webview (reliability case 43). */
class FloodGate {
  private _tokens: number;
  private _last = Date.now();
  dropped = 0;

  constructor(private readonly _capacity: number, private readonly _perSecond: number) {
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

  /** Messages dropped by the flood gate (for tests). */
  get droppedMessages(): number {
    return this._gate.dropped;
  }
  private readonly _onDidRespond = this._register(new vscode.EventEmitter<QueryResult | Error>());
  /** Fires after every response or failure (tests wait on it). */
  readonly onDidRespond = this._onDidRespond.event;

  static createOrShow(deps: QueryPanelDeps, form?: FormState, run = false): QueryPanel {
    if (QueryPanel.current) {
      QueryPanel.current._panel.reveal(vscode.ViewColumn.Active);
      if (form) QueryPanel.current.setForm(form, run);
      return QueryPanel.current;
    }
    const panel = vscode.window.createWebviewPanel(QUERY_PANEL_VIEW_TYPE, 'OneTwentyOne Query', vscode.ViewColumn.Active, queryPanelOptions(deps.extensionUri, vscode.Uri.joinPath));
    const created = new QueryPanel(panel, deps);
    if (form) created.setForm(form, run);
    return created;
  }

  static revive(panel: vscode.WebviewPanel, deps: QueryPanelDeps): QueryPanel {
    QueryPanel.current?.dispose();
    return new QueryPanel(panel, deps);
  }

  private constructor(private readonly _panel: vscode.WebviewPanel, private readonly _deps: QueryPanelDeps) {
    super();
    QueryPanel.current = this;
    _panel.iconPath = vscode.Uri.joinPath(_deps.extensionUri, 'media', 'activity-bar.svg');
    _panel.webview.options = queryPanelOptions(_deps.extensionUri, vscode.Uri.joinPath);
    _panel.webview.html = buildQueryPanelHtml(_panel.webview, _deps.extensionUri, vscode.Uri.joinPath);
    this._register(_panel.onDidDispose(() => this.dispose()));
    this._register(_panel.webview.onDidReceiveMessage((raw: unknown) => void this.handleWebviewMessage(raw)));
    // Messages to a hidden webview are lost (and without retainContextWhenHidden its page is unloaded):
    // stop posting while hidden; its script says ready again when shown, and gets the whole state then.
    this._register(_panel.onDidChangeViewState(() => {
      if (!_panel.visible) this._ready = false;
    }));
    this._register(_deps.accounts.onDidChange(() => this._notifyAccounts()));
    this._register(_deps.api.onDidChangeQuota(() => this.notify('didChangeQuota', { quota: this._quota(this._selectedAccount()) })));
    this._register(_deps.accounts.onDidSignOut((id) => {
      if (this._result?.accountId === id) {
        this._result.dispose();
        this._result = undefined;
        this.notify('didClearResult', {});
      }
    }));
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
    this._result?.dispose();
    this._result = undefined;
    super.dispose();
    this._panel.dispose();
  }

  setForm(form: FormState, run: boolean): void {
    if (this._ready) this.notify('setForm', { form, run });
    else this._pendingForm = { form, run };
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
      this._deps.logger.error(`Query panel: not posting a ${message.type} message that breaks the protocol (${checked.error.issues[0]?.path.join('.') ?? '?'}).`);
      return;
    }
    if (this._deps.recordMessages) {
      this.sentLog.push(message);
      if (this.sentLog.length > MESSAGE_LOG_SIZE) this.sentLog.shift();
    }
    void this._panel.webview.postMessage(message).then(undefined, () => undefined);
  }

  private _selectedAccount(accountId?: string): Account | undefined {
    return (accountId ? this._deps.accounts.get(accountId) : undefined) ?? this._deps.accounts.activeAccount ?? this._deps.accounts.list()[0];
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
    this.notify('didChangeAccounts', { accounts: this._accountSummaries(), activeAccountId: this._deps.accounts.activeAccount?.id ?? null });
  }

  private _quota(account: Account | undefined) {
    const q = this._deps.api.quotaFor(account);
    if (!q) return null;
    return { limit: q.limit ?? null, remaining: q.remaining ?? null, resetAt: q.resetAt ?? null };
  }

  /** Everything the webview posts comes through here (tests call it too, with the same checks). */
  handleWebviewMessage(raw: unknown): Promise<void> {
    if (!this._gate.take()) {
      if (this._gate.dropped % 100 === 1) this._deps.logger.warn('Query panel: too many messages from the webview; some were dropped.');
      return Promise.resolve();
    }
    if (this._deps.recordMessages) {
      this.receivedLog.push(raw);
      if (this.receivedLog.length > MESSAGE_LOG_SIZE) this.receivedLog.shift();
    }
    const parsed = webviewToHost.safeParse(raw);
    if (!parsed.success) {
      // Never log the payload: it may hold health data. The shape problem is enough.
      this._deps.logger.warn(`Query panel: ignored a message that is not in the protocol (${parsed.error.issues[0]?.code ?? 'invalid'}).`);
      return Promise.resolve();
    }
    return this._handle(parsed.data).catch((err: unknown) => this._deps.logger.error(`Query panel: ${describeApiError(err)}`));
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
        if (!result || result.resultId !== msg.resultId) return this.notify('didFail', { requestId: msg.requestId, message: 'That response is no longer available; send the request again.' });
        const window = result.rows(msg.offset, msg.count);
        return this.notify('getRows/result', { requestId: msg.requestId, resultId: msg.resultId, offset: window.offset, rowsJson: window.json });
      }
      case 'getRaw': {
        const result = this._result;
        if (!result || result.resultId !== msg.resultId) return this.notify('didFail', { requestId: msg.requestId, message: 'That response is no longer available; send the request again.' });
        const raw = result.raw();
        return this.notify('getRaw/result', { requestId: msg.requestId, resultId: msg.resultId, text: raw.text, totalChars: raw.totalChars, truncated: raw.truncated });
      }
      case 'find': {
        const result = this._result;
        if (!result || result.resultId !== msg.resultId) return this.notify('didFail', { requestId: msg.requestId, message: 'That response is no longer available; send the request again.' });
        const found = result.find(msg.text, msg.caseSensitive);
        return this.notify('find/result', { requestId: msg.requestId, resultId: msg.resultId, hits: found.hits, total: found.total, capped: found.capped });
      }
      case 'copyRequest':
        return this._copyRequest(msg.format, msg.withToken);
      case 'copyText':
        await vscode.env.clipboard.writeText(msg.text);
        vscode.window.setStatusBarMessage(msg.what === 'path' ? '$(copy) JSON path copied' : '$(copy) Value copied', 2000);
        return;
      case 'saveQuery': {
        const name = await vscode.window.showInputBox({ title: 'Save Query', prompt: 'A name for this query', value: msg.form.query.route === 'quantity' ? `${msg.form.query.metric ?? 'quantity'}` : msg.form.query.route, validateInput: (v) => (v.trim() && v.length <= 100 ? undefined : 'Between 1 and 100 characters.') });
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
    const account = this._selectedAccount(form.accountId);
    if (problems.length || !account) {
      const message = problems[0]?.message ?? 'Sign in or add a personal access token first.';
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
    this._currentRun = { requestId, url: `${account.environment.origin}${buildRequestPath(form.query, account.userId)}` };
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
      this._result?.dispose();
      const result = new QueryResult(this._nextResultId++, form.query, page, account.id);
      this._result = result;
      this._panel.title = `Query: ${describeQuery(form.query)}`;
      this.notify('didReceiveResponse', { requestId, summary: result.summary, restored: false });
      if (this._ready) this._shownResultId = result.resultId;
      this.notify('didChangeQuota', { quota: this._quota(account) });
      await this._deps.history.add({ query: form.query, accountId: account.id, accountLabel: account.label, status: page.status, recordCount: result.recordCount, durationMs: page.durationMs });
      this._onDidRespond.fire(result);
      return result;
    } catch (err) {
      const code = isApiError(err) ? err.code : 'error';
      const status = isApiError(err) ? err.status ?? null : null;
      const message = describeApiError(err);
      if (this._currentRun?.requestId === requestId) this._currentRun = undefined;
      this._lastFailure = { type: 'didFailRequest', requestId, code, message: message.slice(0, 2000), status };
      this.notify('didFailRequest', this._lastFailure);
      this.notify('didChangeQuota', { quota: this._quota(account) });
      if (code !== 'cancelled') {
        await this._deps.history.add({ query: form.query, accountId: account.id, accountLabel: account.label, status, recordCount: null, durationMs: Date.now() - started, errorCode: code.slice(0, 64) });
      }
      this._onDidRespond.fire(err instanceof Error ? err : new Error(message));
      return undefined;
    } finally {
      this._inFlight.delete(requestId);
      if (this._currentRun?.requestId === requestId) this._currentRun = undefined;
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
      vscode.window.setStatusBarMessage(`$(copy) Copied as ${format === 'curl' ? 'curl' : 'TypeScript fetch'} (token read from $ONETWENTYONE_TOKEN)`, 3000);
      return;
    }
    const account = this._deps.accounts.get(result.accountId);
    if (!account) return;
    const choice = await vscode.window.showWarningMessage(
      'Copy the request with the access token in it?',
      { modal: true, detail: 'The token will be on your clipboard in plain text. Anyone who sees it can read this user\'s health data until it expires. It is never shown in the panel.' },
      'Copy curl with Token', 'Copy fetch with Token',
    );
    if (!choice) return;
    const token = await this._deps.accounts.credentialsFor(account.id).getAccessToken();
    await vscode.env.clipboard.writeText(choice.startsWith('Copy curl') ? toCurl(url, token) : toFetch(url, token));
    vscode.window.setStatusBarMessage('$(key) Copied with the token', 3000);
  }
}
