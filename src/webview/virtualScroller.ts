/**
 * A fixed-row-height virtualized list: a pool of row elements reused while scrolling, so the DOM holds
 * only the visible rows plus overscan, however many rows there are (docs/performance.md, B8).
 */
import { el } from './dom';
import { computeWindow, scrollTopForRow, type ViewportWindow } from './windowMath';

export const ROW_HEIGHT = 22;
const OVERSCAN = 6;

export interface RowRenderer {
  /** Fills the reused element for row `index`; may return the id of the focused row's active part (a grid's cell). */
  render(row: HTMLElement, index: number, focused: boolean): string | void;
  /** Rows [first, end) are about to be shown (used to ask the host for their records). */
  onWindow?(first: number, end: number): void;
}

export class VirtualScroller {
  readonly element: HTMLDivElement;
  private readonly _spacer: HTMLDivElement;
  private readonly _rows: HTMLDivElement;
  private readonly _pool: HTMLDivElement[] = [];
  private _rowCount = 0;
  private _window: ViewportWindow | undefined;
  private _focused = 0;
  private _lastKey = '';
  private _dataVersion = 0;
  /** Layout values cached from scroll and resize events, so re-rendering for new data never forces a layout. */
  private _scrollTop = 0;
  private _viewportHeight = 0;

  constructor(
    private readonly _renderer: RowRenderer,
    role: 'tree' | 'grid' | 'list',
    label: string,
    private readonly _idPrefix: string,
  ) {
    this._spacer = el('div', { className: 'virtual-spacer' });
    this._rows = el('div', { className: 'virtual-rows', attrs: { role: 'presentation' } });
    this._spacer.appendChild(this._rows);
    this.element = el('div', { className: 'virtual-scroller', attrs: { role, tabindex: '0', 'aria-label': label } }, [
      this._spacer,
    ]);
    this.element.addEventListener('scroll', () => {
      this._scrollTop = this.element.scrollTop;
      this.render();
    });
    new ResizeObserver((entries) => {
      this._viewportHeight = entries[entries.length - 1]?.contentRect.height ?? this._viewportHeight;
      this.render(true);
    }).observe(this.element);
  }

  get rowCount(): number {
    return this._rowCount;
  }

  get focused(): number {
    return this._focused;
  }

  get pageRows(): number {
    return Math.max(1, Math.floor(this._height() / ROW_HEIGHT) - 1);
  }

  private _height(): number {
    return this._viewportHeight || 400;
  }

  private _setScrollTop(value: number): void {
    this.element.scrollTop = value;
    this._scrollTop = this.element.scrollTop;
  }

  setRowCount(count: number, render = true): void {
    this._rowCount = count;
    if (this._focused >= count) this._focused = Math.max(0, count - 1);
    if (render) this.render(true);
  }

  /** Re-renders the visible rows (new data arrived or rows changed). */
  invalidate(): void {
    this._dataVersion++;
    this.render(true);
  }

  setFocused(index: number, reveal = true): void {
    if (this._rowCount === 0) return;
    this._focused = Math.max(0, Math.min(this._rowCount - 1, index));
    if (reveal) this.reveal(this._focused);
    this.render(true);
  }

  reveal(index: number): void {
    const w = this._window;
    const visible = Math.max(1, Math.floor(this._height() / ROW_HEIGHT));
    const input = { viewportHeight: this._height(), rowHeight: ROW_HEIGHT, totalRows: this._rowCount };
    if (!w || index < w.topRow) this._setScrollTop(scrollTopForRow(index, input));
    else if (index >= w.topRow + visible) this._setScrollTop(scrollTopForRow(index - visible + 1, input));
    this.render();
  }

  scrollToRow(index: number): void {
    this._setScrollTop(
      scrollTopForRow(index, { viewportHeight: this._height(), rowHeight: ROW_HEIGHT, totalRows: this._rowCount }),
    );
    this.render();
  }

  /** Sets the scroll position (restoring state) and renders for it. */
  scrollTo(top: number): void {
    this._setScrollTop(top);
    this.render();
  }

  render(force = false): void {
    const w = computeWindow({
      scrollTop: this._scrollTop,
      viewportHeight: this._height(),
      rowHeight: ROW_HEIGHT,
      totalRows: this._rowCount,
      overscan: OVERSCAN,
    });
    this._window = w;
    const key = `${w.first}:${w.end}:${w.offsetTop}:${this._focused}:${this._rowCount}:${this._dataVersion}`;
    if (!force && key === this._lastKey) return;
    this._lastKey = key;
    this._spacer.style.height = `${w.scrollHeight}px`;
    this._rows.style.transform = `translateY(${w.offsetTop}px)`;
    this._renderer.onWindow?.(w.first, w.end);
    const needed = w.end - w.first;
    while (this._pool.length < needed) {
      const row = el('div', { className: 'virtual-row' });
      row.style.height = `${ROW_HEIGHT}px`;
      this._rows.appendChild(row);
      this._pool.push(row);
    }
    for (let i = 0; i < this._pool.length; i++) {
      const row = this._pool[i]!;
      if (i >= needed) {
        // A spare row keeps nothing of what it showed: a shorter result must not leave an earlier
        // one's rows behind, whatever a stylesheet does with `hidden`.
        if (!row.hidden) retire(row);
        continue;
      }
      row.hidden = false;
      const index = w.first + i;
      const focused = index === this._focused;
      // Named by the row it shows, not the pooled element: the active descendant names a record.
      row.id = `${this._idPrefix}-${index}`;
      row.dataset.index = String(index);
      row.classList.toggle('focused', focused);
      const activePart = this._renderer.render(row, index, focused);
      if (focused) this.element.setAttribute('aria-activedescendant', activePart || row.id);
    }
  }

  /** Row index of an element inside the list (for clicks). */
  indexOf(target: EventTarget | null): number | undefined {
    const row = (target as HTMLElement | null)?.closest?.('.virtual-row') as HTMLElement | null;
    return row?.dataset.index !== undefined ? Number(row.dataset.index) : undefined;
  }

  /** The standard list keys: arrows, Page Up/Down, Home/End. Returns true when handled. */
  handleNavigationKey(e: KeyboardEvent): boolean {
    const moves: Record<string, number> = {
      ArrowDown: 1,
      ArrowUp: -1,
      PageDown: this.pageRows,
      PageUp: -this.pageRows,
    };
    if (e.key in moves) this.setFocused(this._focused + moves[e.key]!);
    else if (e.key === 'Home') this.setFocused(0);
    else if (e.key === 'End') this.setFocused(this._rowCount - 1);
    else return false;
    e.preventDefault();
    return true;
  }

  get domRowCount(): number {
    return this._rows.childElementCount;
  }
}

function retire(row: HTMLElement): void {
  row.hidden = true;
  row.replaceChildren();
  row.removeAttribute('id');
  delete row.dataset.index;
  row.classList.remove('focused');
}
