/** Previous/next page and a page number to jump to, for results the API pages. */
import type { ResponseSummary } from '../shared/protocol';
import { handOffFocus } from './focus';
import { el, iconButton, setText, textButton } from './dom';
import { t } from './l10n';

export interface PagerActions {
  /** One page back (-1) or on (+1) from the page shown. */
  step(delta: -1 | 1): void;
  goTo(page: number): void;
}

export class Pager {
  readonly element: HTMLDivElement;
  private readonly _label: HTMLSpanElement;
  private readonly _input: HTMLInputElement;
  private readonly _prev: HTMLButtonElement;
  private readonly _next: HTMLButtonElement;

  constructor(actions: PagerActions) {
    this._label = el('span', { className: 'page-label', attrs: { id: 'page-label' } });
    this._input = el('input', {
      className: 'page-input',
      attrs: { type: 'number', min: '1', 'aria-label': t('pager.jump'), id: 'page-input' },
    });
    this._prev = iconButton('arrow-left', t('pager.previous'), () => actions.step(-1));
    this._next = iconButton('arrow-right', t('pager.next'), () => actions.step(1));
    const jump = textButton(t('pager.go'), () => {
      const n = Number(this._input.value);
      if (Number.isInteger(n) && n >= 1) actions.goTo(n);
    });
    this.element = el('div', { className: 'pager', attrs: { role: 'group', 'aria-label': t('pager.label') } }, [
      this._prev,
      this._label,
      this._next,
      this._input,
      jump,
    ]);
  }

  /** Hidden for a result without pages. */
  show(pagination: ResponseSummary['pagination']): void {
    this.element.hidden = !pagination;
    if (!pagination) return;
    setText(
      this._label,
      pagination.currentPage === null ? t('pager.pageUnknown') : t('pager.page', pagination.currentPage),
    );
    if (!pagination.hasPrev) handOffFocus(this._prev, this._next, this._input);
    if (!pagination.hasMore) handOffFocus(this._next, this._prev, this._input);
    this._prev.disabled = !pagination.hasPrev;
    this._next.disabled = !pagination.hasMore;
    this._input.value = String(pagination.currentPage ?? 1);
  }
}
