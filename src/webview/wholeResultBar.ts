/**
 * The panel's "whole result" bar: Fetch All Pages (with its progress and Cancel), record search over
 * the whole result (text and conditions such as `value > 180`, hit count, previous/next hit) and
 * export. The host does the work; this only shows its state and asks for hits one at a time.
 */
import { MAX_FIND_QUERY, type FetchStatus, type ReplyOf } from '../shared/protocol';
import type { Announce } from './announcer';
import { handOffFocus, focusIfNowhere } from './focus';
import { el, icon, iconButton, setText, textButton } from './dom';
import { t } from './l10n';
import type { WebviewStringKey } from '../shared/webviewStrings';
import { showFailure, type RequestClient } from './requestClient';

export interface WholeResultActions {
  readonly client: RequestClient;
  /** A status for the panel's live region (the bar's own texts are not live regions). */
  readonly announce: Announce;
  /** Progress that keeps moving: said at most once in a while. */
  readonly announceProgress: Announce;
  fetchAll(): void;
  cancelFetchAll(): void;
  exportAs(format: 'json' | 'ndjson' | 'csv'): void;
  revealRecord(row: number): void;
}

const REASON_LABELS = {
  complete: 'reason.complete',
  cancelled: 'reason.cancelled',
  stopped: 'reason.stopped',
  quota: 'reason.quota',
  page_cap: 'reason.page_cap',
  record_cap: 'reason.record_cap',
  error: 'reason.error',
} as const satisfies Record<NonNullable<FetchStatus['reason']>, WebviewStringKey>;

export class WholeResultBar {
  readonly element: HTMLDivElement;
  private readonly _fetchButton: HTMLButtonElement;
  private readonly _cancelButton: HTMLButtonElement;
  /** Shown when a run stopped partway: asks the host to fetch all again, which goes on where it stopped. */
  private readonly _resumeButton: HTMLButtonElement;
  private readonly _runsLine: HTMLSpanElement;
  private readonly _fetchLine: HTMLSpanElement;
  private readonly _badge: HTMLSpanElement;
  private readonly _searchInput: HTMLInputElement;
  private readonly _searchCount: HTMLSpanElement;
  private readonly _exportFormat: HTMLSelectElement;
  private readonly _exportButton: HTMLButtonElement;
  private readonly _exportLine: HTMLSpanElement;
  private _resultId: number | undefined;
  /** The search on its way: a new search or result abandons it. */
  private _searching: AbortController | undefined;
  /** The hit asked for last: a newer step, search or result abandons it. */
  private _hitting: AbortController | undefined;
  private _firstHits: number[] = [];
  private _total = 0;
  private _done = false;
  private _hitIndex = -1;
  private _searchedText = '';

  constructor(private readonly _actions: WholeResultActions) {
    this._fetchButton = textButton(t('whole.fetchAll'), () => _actions.fetchAll(), {
      iconName: 'cloud-download',
      title: t('whole.fetchAllTitle'),
    });
    this._fetchButton.id = 'fetch-all';
    this._cancelButton = textButton(t('whole.cancel'), () => _actions.cancelFetchAll(), { iconName: 'debug-stop' });
    this._cancelButton.id = 'fetch-all-cancel';
    this._resumeButton = textButton(t('whole.resume'), () => _actions.fetchAll(), {
      iconName: 'debug-continue',
      title: t('whole.resumeTitle'),
    });
    this._resumeButton.id = 'fetch-all-resume';
    this._runsLine = el('span', { className: 'fetch-line', attrs: { id: 'fetch-runs' } });
    this._fetchLine = el('span', {
      className: 'fetch-line',
      attrs: { id: 'fetch-line' },
    });
    this._badge = el('span', { className: 'partial-badge', attrs: { id: 'fetch-badge' } });
    this._searchInput = el('input', {
      className: 'record-search-input',
      attrs: {
        type: 'search',
        id: 'record-search',
        maxlength: String(MAX_FIND_QUERY),
        placeholder: t('search.placeholder'),
        'aria-label': t('search.label'),
      },
    });
    this._searchCount = el('span', {
      className: 'record-search-count',
      attrs: { id: 'record-search-count' },
    });
    this._exportFormat = el('select', { attrs: { id: 'export-format', 'aria-label': t('export.format') } }, [
      el('option', { text: 'CSV', attrs: { value: 'csv' } }),
      el('option', { text: 'JSON', attrs: { value: 'json' } }),
      el('option', { text: 'NDJSON', attrs: { value: 'ndjson' } }),
    ]);
    this._exportButton = textButton(
      t('export.button'),
      () => {
        const f = this._exportFormat.value;
        if (f === 'csv' || f === 'json' || f === 'ndjson') _actions.exportAs(f);
      },
      { iconName: 'export', title: t('export.title') },
    );
    this._exportButton.id = 'export-result';
    this._exportLine = el('span', { className: 'export-line', attrs: { id: 'export-line' } });
    this._searchInput.addEventListener('keydown', (e) => {
      if (e.key !== 'Enter') return;
      e.preventDefault();
      if (this._searchInput.value && this._searchInput.value === this._searchedText && this._firstHits.length)
        this.step(e.shiftKey ? -1 : 1);
      else void this._search();
    });
    this.element = el(
      'div',
      { className: 'whole-result-bar', attrs: { role: 'group', 'aria-label': t('whole.label') } },
      [
        el('div', { className: 'fetch-group' }, [
          this._fetchButton,
          this._cancelButton,
          this._resumeButton,
          this._badge,
          this._fetchLine,
          this._runsLine,
        ]),
        el('div', { className: 'record-search', attrs: { role: 'search' } }, [
          icon('filter'),
          this._searchInput,
          iconButton('arrow-up', t('search.previous'), () => this.step(-1)),
          iconButton('arrow-down', t('search.next'), () => this.step(1)),
          this._searchCount,
        ]),
        el('div', { className: 'export-group' }, [this._exportFormat, this._exportButton, this._exportLine]),
      ],
    );
    this.setResult(undefined, false);
  }

  /** A new result (or none): the bar applies to list results only. */
  setResult(resultId: number | undefined, isList: boolean): void {
    if (resultId !== this._resultId) this._resetSearch();
    this._resultId = resultId;
    this.element.hidden = resultId === undefined || !isList;
    this._fetchButton.disabled = false;
    this._cancelButton.hidden = true;
    this._resumeButton.hidden = true;
    setText(this._runsLine, '');
    setText(this._fetchLine, '');
    setText(this._badge, '');
    setText(this._exportLine, '');
  }

  showFetch(status: FetchStatus | null): void {
    if (!status) return;
    this._resumeButton.hidden = status.running || status.resumable !== true;
    setText(this._runsLine, status.runs ?? '');
    if (!status.running) handOffFocus(this._cancelButton, this._resumeButton, this._searchInput);
    this._cancelButton.hidden = !status.running;
    // Resume pressed: the run it started can be cancelled from where the keyboard is.
    if (status.running) handOffFocus(this._resumeButton, this._cancelButton, this._searchInput);
    handOffFocus(this._fetchButton, this._cancelButton, this._searchInput);
    this._fetchButton.disabled = true;
    if (status.running) {
      const progress = status.expectedPages
        ? t('whole.fetchingOf', status.pages, status.expectedPages, status.records, status.recordsPerSecond)
        : t('whole.fetching', status.pages, status.records, status.recordsPerSecond);
      setText(this._fetchLine, progress);
      this._actions.announceProgress(progress);
      setText(this._badge, '');
      return;
    }
    const badge = status.reason ? t(REASON_LABELS[status.reason]) : '';
    setText(this._badge, badge);
    this._badge.classList.toggle('partial', status.partial);
    setText(this._fetchLine, status.message);
    const said = status.runs ? `${status.message} ${status.runs}` : status.message;
    this._actions.announce(badge ? t('whole.outcome', badge, said) : said);
    // The result grew: a search made before covers only part of it.
    if (this._searchedText) void this._search();
  }

  showExport(running: boolean, message: string): void {
    if (running) handOffFocus(this._exportButton, this._exportFormat);
    this._exportButton.disabled = running;
    setText(this._exportLine, message);
    if (running) this._actions.announceProgress(message);
    else this._actions.announce(message);
    // Back from the save dialog (done or cancelled): the focus returns to the button that opened it.
    if (!running) focusIfNowhere(this._exportButton);
  }

  private _onSearchResult(msg: ReplyOf<'search'>): void {
    if (msg.error) {
      this._showSearchError(msg.error);
      return;
    }
    this._searchCount.classList.remove('error');
    const first = !this._firstHits.length && msg.firstHits.length > 0;
    this._firstHits = msg.firstHits;
    this._total = msg.total;
    this._done = msg.done;
    if (!msg.total) {
      this._showSearchCount(msg.done ? t('search.none') : t('search.searching'), msg.done);
      return;
    }
    if (first) this.step(1);
    else this._renderCount();
  }

  /** The search could not be made (a query that does not parse, or the host could not answer). */
  private _showSearchError(message: string): void {
    this._firstHits = [];
    this._showSearchCount(message, true);
    this._searchCount.classList.add('error');
  }

  step(delta: number): void {
    if (!this._total) return;
    const known = this._done ? this._total : this._firstHits.length;
    this._hitIndex = (this._hitIndex + delta + known) % known;
    const row = this._firstHits[this._hitIndex];
    if (row !== undefined) {
      this._renderCount(true);
      this._actions.revealRecord(row);
    } else {
      void this._getHit(this._hitIndex);
    }
  }

  /** A hit beyond the first ones sent: the host knows its row. */
  private async _getHit(hitIndex: number): Promise<void> {
    const resultId = this._resultId;
    if (resultId === undefined) return;
    this._hitting?.abort();
    const hitting = new AbortController();
    this._hitting = hitting;
    try {
      const reply = await this._actions.client.request('getHit', { resultId, hitIndex }, { signal: hitting.signal });
      this._hitIndex = reply.hitIndex;
      this._renderCount(true);
      this._actions.revealRecord(reply.row);
    } catch (error) {
      showFailure(error, (message) => this._showSearchError(message));
    }
  }

  /** `stepped`: the user moved to another hit, which is said at once; a count still growing is progress. */
  private _renderCount(stepped = false): void {
    this._showSearchCount(
      this._done
        ? t('search.count', this._hitIndex + 1, this._total)
        : t('search.countMore', this._hitIndex + 1, this._total),
      stepped || this._done,
    );
  }

  /** `settled`: a status to say now; otherwise the count of a search still running (said at most once in a while). */
  private _showSearchCount(text: string, settled: boolean): void {
    setText(this._searchCount, text);
    if (settled) this._actions.announce(text);
    else this._actions.announceProgress(text);
  }

  private async _search(): Promise<void> {
    const text = this._searchInput.value.trim();
    const resultId = this._resultId;
    this._resetSearch();
    if (!text || resultId === undefined) return;
    this._searchedText = this._searchInput.value;
    this._showSearchCount(t('search.searching'), true);
    const searching = new AbortController();
    this._searching = searching;
    try {
      const last = await this._actions.client.request(
        'search',
        { resultId, text: text.slice(0, MAX_FIND_QUERY) },
        { signal: searching.signal, onProgress: (firstHits) => this._onSearchResult(firstHits) },
      );
      this._onSearchResult(last);
    } catch (error) {
      showFailure(error, (message) => this._showSearchError(message));
    }
  }

  private _resetSearch(): void {
    this._searching?.abort();
    this._searching = undefined;
    this._hitting?.abort();
    this._hitting = undefined;
    this._searchCount.classList.remove('error');
    this._firstHits = [];
    this._total = 0;
    this._done = false;
    this._hitIndex = -1;
    this._searchedText = '';
    setText(this._searchCount, '');
  }
}
