/**
 * The query panel's page: the request form and the response inspector (tree, table, raw, headers,
 * warnings, chart). One object holds what the page knows: the result on screen, the query run it waits
 * for, and the components; it talks to the host only through protocol messages.
 */
import type { PathSegment } from '../shared/jsonPath';
import type { FindHit, FormState, HostMessage, Quota, ResponseSummary } from '../shared/protocol';
import { describeQuery } from '../shared/query';
import { Announcer } from './announcer';
import { ChartView } from './chartView';
import { CopyBar, type FocusedValue } from './copyBar';
import { el, setText } from './dom';
import { FindBar } from './findBar';
import { t } from './l10n';
import { focusIfNowhere } from './focus';
import { InspectorTabs } from './inspectorTabs';
import { Pager } from './pager';
import { QueryForm } from './queryForm';
import { RawView } from './rawView';
import { RecordLoader } from './recordLoader';
import { RequestClient } from './requestClient';
import { HeadersView, WarningsView } from './resultDetails';
import { ResultSession } from './resultSession';
import { emptyResultNote, statusOf } from './resultText';
import { StatusLine } from './statusLine';
import { TableView } from './tableView';
import { TreeView } from './treeView';
import { loadState, post, saveState, type InspectorTab, type PersistedState } from './vscodeApi';
import { WholeResultBar } from './wholeResultBar';

export class QueryPage {
  readonly client = new RequestClient(post);
  private _result: ResultSession | undefined;
  /** The query run the panel waits for: its own or one the host started (Cancel stops either). */
  private _activeRun: number | undefined;
  private _nextRunId = 1;
  /** A hit to reveal once its record has arrived. */
  private _pendingReveal: FindHit | undefined;
  private _pendingRevealFocuses = true;

  private readonly _form: QueryForm;
  private readonly _announcer = new Announcer();
  private readonly _status = new StatusLine(this._announcer.say);
  private readonly _resultNote = el('div', { className: 'result-note', attrs: { id: 'result-note', hidden: '' } });
  private readonly _pager: Pager;
  private readonly _find: FindBar;
  private readonly _copy: CopyBar;
  private readonly _wholeResult: WholeResultBar;
  private readonly _records: RecordLoader;
  private readonly _tree: TreeView;
  private readonly _table: TableView;
  private readonly _raw: RawView;
  private readonly _warnings: WarningsView;
  private readonly _headers = new HeadersView();
  private readonly _chart: ChartView;
  private readonly _tabs: InspectorTabs;

  constructor(private readonly _persisted: PersistedState) {
    const client = this.client;
    const resultId = (): number | undefined => this._result?.summary.resultId;
    this._form = new QueryForm({
      send: (form) => this.runQuery(form),
      cancel: () => {
        if (this._activeRun !== undefined) post({ type: 'cancel', requestId: this._activeRun });
      },
      changed: (form) => saveState({ form }),
      signIn: () => post({ type: 'selectAccount' }),
    });
    this._pager = new Pager({
      step: (delta) => {
        const summary = this._result?.summary;
        const current = summary?.pagination?.currentPage ?? summary?.query.params.page ?? 1;
        this._form.sendPage(Math.max(1, current + delta));
      },
      goTo: (page) => this._form.sendPage(page),
    });
    this._find = new FindBar({
      client,
      announce: this._announcer.say,
      resultId,
      // The focus stays in the find input, so Enter steps on to the next match.
      reveal: (hit) => this._reveal(hit, false),
      save: (find) => saveState({ find }),
    });
    this._copy = new CopyBar({
      post,
      form: () => this._form.state,
      focused: () => this._focused(),
      explain: (text) => this._status.show(text),
      generateCode: (what) => this._withResult((id) => post({ type: 'generateCode', resultId: id, what })),
    });
    this._wholeResult = new WholeResultBar({
      client,
      announce: this._announcer.say,
      announceProgress: this._announcer.progress,
      fetchAll: () => this._withResult((id) => post({ type: 'fetchAll', resultId: id })),
      cancelFetchAll: () => this._withResult((id) => post({ type: 'cancelFetchAll', resultId: id })),
      exportAs: (format) => this._withResult((id) => post({ type: 'exportResult', resultId: id, format })),
      revealRecord: (row) => this._reveal({ record: row, path: [] }, false),
    });
    this._records = new RecordLoader({
      client,
      result: () => this._result,
      received: (newColumns) => this._onRecords(newColumns),
      failed: (message) => this._status.showError(message),
    });
    const requestRecords = (first: number, end: number): void => this._records.load(first, end);
    this._tree = new TreeView({
      requestRecords,
      copyPath: (row) => this._copy.copyPath(row.segments),
      copyValue: (row) => this._copy.copyValue(row.value),
      onDidChangeExpansion: () => saveState({ expanded: this._result?.tree.expandedPaths() ?? [] }),
    });
    this._table = new TableView({
      requestRecords,
      copyValue: (record) => this._copy.copyValue(this._result?.cache.get(record)),
    });
    this._raw = new RawView(client, () => this._withResult((id) => post({ type: 'openRawInEditor', resultId: id })));
    this._warnings = new WarningsView((path) => this._revealWarning(path));
    this._chart = new ChartView({
      client,
      announce: this._announcer.say,
      resultId,
      title: () => (this._result ? describeQuery(this._result.summary.query) : ''),
    });
    this._tabs = new InspectorTabs(
      {
        tree: this._tree.scroller.element,
        table: this._table.element,
        raw: this._raw.element,
        headers: this._headers.element,
        warnings: this._warnings.element,
        chart: this._chart.element,
      },
      _persisted.tab ?? 'tree',
      (tab) => this.showTab(tab),
    );
    const inspector = el('section', { className: 'inspector', attrs: { 'aria-label': t('inspector.label') } }, [
      this._announcer.element,
      this._status.element,
      this._resultNote,
      el('div', { className: 'inspector-toolbar' }, [this._tabs.tabList, this._pager.element, this._find.element]),
      this._copy.element,
      this._wholeResult.element,
      this._tabs.panel,
    ]);
    document.body.append(el('main', { className: 'layout' }, [this._form.element, inspector]));
  }

  /** What the webview kept across a reload, back on screen. */
  restore(): void {
    if (this._persisted.form) this._form.setState(this._persisted.form);
    if (this._persisted.find) this._find.restore(this._persisted.find);
    this.showTab(this._tabs.current);
  }

  focusFind(): void {
    this._find.focus();
  }

  init(msg: HostMessage<'didInit'>): void {
    this._form.setToday(msg.today);
    this._form.setAccounts(msg.accounts, msg.activeAccountId);
    const form = msg.form ?? this._persisted.form;
    if (form) this._form.setState(form);
    this._status.showQuota(msg.quota);
  }

  setAccounts(msg: HostMessage<'didChangeAccounts'>): void {
    this._form.setAccounts(msg.accounts, msg.activeAccountId);
  }

  setQuota(quota: Quota | null): void {
    this._status.showQuota(quota);
  }

  setForm(form: FormState, run: boolean): void {
    this._form.setState(form);
    saveState({ form });
    if (run) this.runQuery(this._form.state);
  }

  runQuery(form: FormState): void {
    const requestId = this._nextRunId++;
    this._activeRun = requestId;
    this._form.setBusy(true);
    this._status.show(t('status.sending', describeQuery(form.query)));
    post({ type: 'runQuery', requestId, form });
  }

  /** Also for runs the host starts (commands, history): Cancel then stops them too. */
  runStarted(msg: HostMessage<'didStartRequest'>): void {
    // The panel's own run was said as it was sent; one the host started is said here.
    const own = this._activeRun === msg.requestId;
    this._activeRun = msg.requestId;
    this._form.setBusy(true);
    this._status.showQuietly(`GET ${msg.url} …`);
    if (!own) this._announcer.say(t('status.sendingRequest'));
  }

  runSucceeded(msg: HostMessage<'didReceiveResponse'>): void {
    if (!msg.restored) {
      // A response to an older run than the one awaited is stale.
      if (this._activeRun !== undefined && msg.requestId !== this._activeRun) return;
      this._activeRun = undefined;
      this._form.setBusy(false);
      const { accountId } = this._form.state;
      this._form.setState({ query: msg.summary.query, ...(accountId ? { accountId } : {}) });
    }
    this._showResponse(msg.summary, msg.restored);
  }

  runFailed(msg: HostMessage<'didFailRequest'>): void {
    if (msg.requestId !== this._activeRun) return;
    this._activeRun = undefined;
    this._form.setBusy(false);
    this._status.showError(`${msg.status ? `${msg.status} · ` : ''}${msg.message}`);
  }

  showFailure(message: string): void {
    this._status.showError(message);
  }

  /** The result grew, or its "Fetch All Pages" run moved on. */
  resultUpdated(msg: HostMessage<'didUpdateResult'>): void {
    const shown = this._result?.summary;
    if (!shown || msg.summary.resultId !== shown.resultId) return;
    // More records (or a fetched page brought warnings): a new session over the longer list,
    // keeping expansion and scroll (as when restoring).
    if (msg.summary.recordCount !== shown.recordCount || msg.summary.warnings.length !== shown.warnings.length)
      this._showResponse(msg.summary, true);
    this._wholeResult.showFetch(msg.fetch);
  }

  exportChanged(msg: HostMessage<'didChangeExport'>): void {
    this._wholeResult.showExport(msg.running, msg.message);
  }

  clearResult(): void {
    this._result = undefined;
    this._forgetResult();
    this._find.clearText();
    this._wholeResult.setResult(undefined, false);
    this._tree.setSession(undefined);
    this._table.setSession(undefined);
    this._status.show('');
    this._resultNote.hidden = true;
    this._headers.clear();
    saveState({ expanded: [], scrollTop: {} });
    this.showTab(this._tabs.current);
  }

  showTab(tab: InspectorTab): void {
    const previous = this._tabs.current;
    saveState({ scrollTop: { ...loadState().scrollTop, [previous]: this._scrollOf(previous) } });
    this._tabs.select(tab, Boolean(this._result));
    saveState({ tab });
    const session = this._result;
    if (tab === 'tree') this._tree.refresh();
    if (tab === 'table') this._table.refresh();
    if (!session) return;
    const { resultId, recordCount, query } = session.summary;
    if (tab === 'chart') this._chart.show(`${resultId}:${recordCount}`, query.route);
    if (tab === 'raw') void this._raw.load(resultId);
  }

  private _showResponse(summary: ResponseSummary, restoring: boolean): void {
    // The same result again with more records (Fetch All Pages): rows, pending row requests, find and
    // the raw first page stay valid, so they are kept rather than asked for again a few times a second.
    const grown = this._result?.summary.resultId === summary.resultId ? this._result : undefined;
    if (!grown) {
      this._forgetResult();
      if (!restoring) this._find.clearText();
      this._wholeResult.setResult(summary.resultId, summary.dataKind === 'array');
    }
    const session = new ResultSession(summary, grown);
    this._result = session;
    // A result growing under Fetch All Pages is said by the fetch's progress, not once per page.
    if (grown) this._status.showQuietly(statusOf(summary), summary.url);
    else this._status.show(statusOf(summary), summary.url);
    this._pager.show(summary.pagination);
    this._tabs.setWarningCount(summary.warnings.length);
    this._warnings.show(summary.warnings);
    this._headers.show(summary.headers);
    const note = emptyResultNote(summary);
    this._resultNote.hidden = note === undefined;
    setText(this._resultNote, note ?? '');
    const state = loadState();
    const expanded = restoring ? (state.expanded ?? []) : summary.dataKind === 'none' ? [] : [['data']];
    this._tree.setSession(session, expanded);
    this._table.setSession(session);
    if (!restoring) saveState({ expanded, scrollTop: {} });
    const tab = this._tabs.current;
    this.showTab(tab);
    // A run from the palette opens the panel with the focus on nothing: it lands on the result's views.
    if (!grown) focusIfNowhere(this._tabs.selectedButton);
    const top = restoring ? state.scrollTop?.[tab] : undefined;
    if (top) {
      requestAnimationFrame(() => {
        if (tab === 'tree') this._tree.scroller.scrollTo(top);
        if (tab === 'table') this._table.scroller.scrollTo(top);
      });
    }
  }

  /**
   * Drops everything that belonged to the result on screen: its pending row requests, find hits, a
   * reveal waiting for a row, the raw text and the chart. The requests still on their way for it are
   * abandoned, so their answers are dropped, never drawn.
   */
  private _forgetResult(): void {
    this._chart.clear();
    this._records.forget();
    this._pendingReveal = undefined;
    this._find.forget();
    this._raw.clear();
  }

  private _withResult(act: (resultId: number) => void): void {
    if (this._result) act(this._result.summary.resultId);
  }

  private _onRecords(newColumns: boolean): void {
    const tab = this._tabs.current;
    if (tab === 'tree') this._tree.refresh();
    else if (tab === 'table') {
      if (newColumns) this._table.refresh();
      else this._table.scroller.invalidate();
    }
    const waiting = this._pendingReveal;
    if (waiting && this._result?.cache.has(waiting.record)) this._reveal(waiting, this._pendingRevealFocuses);
  }

  /** `focusView`: the view showing the hit takes the focus (not when Enter in a search input steps through hits). */
  private _reveal(hit: FindHit, focusView = true): void {
    const session = this._result;
    if (!session) return;
    if (this._tabs.current === 'table' && hit.record >= 0) {
      this._table.scroller.setFocused(hit.record);
      return;
    }
    if (this._tabs.current !== 'tree') this.showTab('tree');
    const inData = hit.record >= 0 && session.summary.dataKind === 'array';
    if (inData && !session.cache.has(hit.record)) {
      this._pendingReveal = hit;
      this._pendingRevealFocuses = focusView;
      this._records.load(hit.record, hit.record + 1);
      return;
    }
    this._pendingReveal = undefined;
    this._tree.reveal(inData ? ['data', hit.record, ...hit.path] : hit.path);
    if (focusView) this._tree.scroller.element.focus();
  }

  private _revealWarning(path: PathSegment[]): void {
    this.showTab('tree');
    const [first, record] = path;
    if (first === 'data' && typeof record === 'number') {
      this._find.rewind();
      this._reveal({ record, path: path.slice(2) });
    } else {
      this._tree.reveal(path);
    }
  }

  private _focused(): FocusedValue | undefined {
    if (this._tabs.current === 'table') {
      const record = this._table.scroller.focused;
      return { path: ['data', record], value: this._result?.cache.get(record) };
    }
    const row = this._tree.focusedRow();
    return row && { path: row.segments, value: row.value };
  }

  private _scrollOf(tab: InspectorTab): number {
    if (tab === 'tree') return this._tree.scroller.element.scrollTop;
    if (tab === 'table') return this._table.scroller.element.scrollTop;
    if (tab === 'raw') return this._raw.scrollTop;
    return 0;
  }
}
