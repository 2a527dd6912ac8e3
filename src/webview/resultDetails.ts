/** The Warnings and Headers tabs: what the host noticed about the response, and its headers, as text. */
import { parseJsonPath, type PathSegment } from '../shared/jsonPath';
import type { ResponseSummary, SchemaWarning } from '../shared/protocol';
import { el } from './dom';
import { t } from './l10n';
import { escapeInvisible } from './tableModel';

export class WarningsView {
  readonly element: HTMLDivElement;
  private readonly _list: HTMLUListElement;
  private readonly _none: HTMLParagraphElement;

  /** `reveal`: a warning's path was clicked; it names a place in the response. */
  constructor(private readonly _reveal: (path: PathSegment[]) => void) {
    this._list = el('ul', { className: 'warnings-list', attrs: { id: 'warnings-list' } });
    this._none = el('p', {
      className: 'no-warnings',
      text: t('warnings.none'),
      attrs: { id: 'no-warnings' },
    });
    this.element = el('div', { className: 'warnings-view', attrs: { tabindex: '-1' } }, [this._none, this._list]);
  }

  show(warnings: readonly SchemaWarning[]): void {
    this._none.hidden = warnings.length > 0;
    this._list.replaceChildren(
      ...warnings.map((w) => {
        const link = el('button', { className: 'link', text: w.path, attrs: { type: 'button' } });
        link.addEventListener('click', () => {
          const segments = parseJsonPath(w.path);
          if (segments) this._reveal(segments);
        });
        return el('li', {}, [link, el('span', { text: ` ${w.message}` })]);
      }),
    );
  }
}

export class HeadersView {
  readonly element: HTMLDivElement;
  private readonly _list: HTMLUListElement;

  constructor() {
    this._list = el('ul', {
      className: 'headers-list',
      attrs: { id: 'headers-list', 'aria-label': t('headers.label') },
    });
    this.element = el('div', { className: 'headers-view', attrs: { tabindex: '0' } }, [this._list]);
  }

  /** The response headers as text, one per line; a result restored without them says so. */
  show(headers: ResponseSummary['headers']): void {
    if (!headers) {
      this._list.replaceChildren(
        el('li', {
          className: 'no-headers',
          text: t('headers.notKept'),
        }),
      );
      return;
    }
    this._list.replaceChildren(
      ...headers.map(([name, value]) =>
        el('li', {}, [
          el('span', { className: 'header-name', text: `${name}: ` }),
          el('span', { className: 'header-value', text: escapeInvisible(value) }),
        ]),
      ),
    );
  }

  clear(): void {
    this._list.replaceChildren();
  }
}
