/**
 * Find in response (Ctrl+F): the host finds the text in the whole result and answers with the first
 * hits; Enter and Shift+Enter step through them, each revealed in the tree or the table.
 */
import { MAX_FIND_QUERY, type FindHit } from '../shared/protocol';
import type { Announce } from './announcer';
import { el, icon, iconButton, setText } from './dom';
import { t } from './l10n';
import { showFailure, type RequestClient } from './requestClient';
import type { PersistedState } from './vscodeApi';

export interface FindBarHost {
  readonly client: RequestClient;
  /** Says the count (the panel's live region; the count itself is not one). */
  readonly announce: Announce;
  /** The result on screen, if any. */
  resultId(): number | undefined;
  reveal(hit: FindHit): void;
  save(find: NonNullable<PersistedState['find']>): void;
}

export class FindBar {
  readonly element: HTMLDivElement;
  private readonly _input: HTMLInputElement;
  private readonly _caseToggle: HTMLInputElement;
  private readonly _count: HTMLSpanElement;
  private _hits: FindHit[] = [];
  private _index = -1;
  private _total = 0;
  private _capped = false;
  /** The text the hits are of: Enter steps through them while the input still says it. */
  private _foundText = '';
  /** The `find` on its way, if any: a newer one or a new result abandons it. */
  private _finding: AbortController | undefined;
  /** Where the focus was before Ctrl+F: Escape gives it back there. */
  private _returnFocusTo: HTMLElement | undefined;

  constructor(private readonly _host: FindBarHost) {
    this._input = el('input', {
      className: 'find-input',
      attrs: {
        type: 'search',
        placeholder: t('find.placeholder'),
        'aria-label': t('find.placeholder'),
        id: 'find-input',
      },
    });
    this._caseToggle = el('input', { attrs: { type: 'checkbox', id: 'find-case', 'aria-label': t('find.matchCase') } });
    this._count = el('span', { className: 'find-count', attrs: { id: 'find-count' } });
    this.element = el('div', { className: 'find-bar', attrs: { role: 'search' } }, [
      icon('search'),
      this._input,
      el('label', { className: 'case-label', title: t('find.matchCase') }, [
        this._caseToggle,
        el('span', { text: t('find.matchCaseGlyph') }),
      ]),
      iconButton('arrow-up', t('find.previous'), () => this.step(-1)),
      iconButton('arrow-down', t('find.next'), () => this.step(1)),
      this._count,
    ]);
    this._input.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') {
        e.preventDefault();
        this._leave();
        return;
      }
      if (e.key !== 'Enter') return;
      e.preventDefault();
      if (this._hits.length && this._input.value === this._foundText) this.step(e.shiftKey ? -1 : 1);
      else void this.find();
    });
    this._caseToggle.addEventListener('change', () => void this.find());
  }

  focus(): void {
    const before = document.activeElement;
    if (before instanceof HTMLElement && before !== document.body && !this.element.contains(before))
      this._returnFocusTo = before;
    this._input.focus();
    this._input.select();
  }

  /** Escape: back to where Ctrl+F was pressed, if that is still on screen (else the focus stays here). */
  private _leave(): void {
    const target = this._returnFocusTo;
    this._returnFocusTo = undefined;
    if (target?.isConnected && target.getClientRects().length) target.focus();
  }

  /** The find text and case choice kept across reloads. */
  restore(find: NonNullable<PersistedState['find']>): void {
    this._input.value = find.text;
    this._caseToggle.checked = find.caseSensitive;
  }

  async find(): Promise<void> {
    const text = this._input.value;
    const caseSensitive = this._caseToggle.checked;
    this._host.save({ text, caseSensitive });
    this._finding?.abort();
    this._finding = undefined;
    const resultId = this._host.resultId();
    if (resultId === undefined || !text) {
      this._hits = [];
      this._index = -1;
      setText(this._count, '');
      return;
    }
    const finding = new AbortController();
    this._finding = finding;
    this._showCount(t('find.searching'));
    try {
      const reply = await this._host.client.request(
        'find',
        { resultId, text: text.slice(0, MAX_FIND_QUERY), caseSensitive },
        { signal: finding.signal },
      );
      this._hits = reply.hits;
      this._total = reply.total;
      this._capped = reply.capped;
      this._foundText = this._input.value;
      this._index = -1;
      if (!this._hits.length) this._showCount(t('find.none'));
      else this.step(1);
    } catch (error) {
      showFailure(error, (message) => this._showCount(message));
    } finally {
      if (this._finding === finding) this._finding = undefined;
    }
  }

  step(delta: -1 | 1): void {
    if (!this._hits.length) {
      void this.find();
      return;
    }
    this._index = (this._index + delta + this._hits.length) % this._hits.length;
    const hit = this._hits[this._index];
    if (!hit) return;
    this._showCount(
      this._capped ? t('find.countMore', this._index + 1, this._total) : t('find.count', this._index + 1, this._total),
    );
    this._host.reveal(hit);
  }

  private _showCount(text: string): void {
    setText(this._count, text);
    this._host.announce(text);
  }

  /** Something else moved the selection: the next step starts again from the first hit. */
  rewind(): void {
    this._index = -1;
  }

  /** The result went away: its hits, and any answer still on its way for it. */
  forget(): void {
    this._finding?.abort();
    this._finding = undefined;
    this._hits = [];
    this._index = -1;
    this._total = 0;
    this._capped = false;
    this._foundText = '';
    setText(this._count, '');
  }

  /** The find text belonged to the question asked before: a new one starts without it. */
  clearText(): void {
    this._input.value = '';
    this._host.save({ text: '', caseSensitive: this._caseToggle.checked });
  }
}
