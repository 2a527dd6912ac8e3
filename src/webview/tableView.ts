/** The `data` records as a virtualized table: one row per record, dotted columns for nested fields. */
import { el, setText } from './dom';
import { t } from './l10n';
import type { ResultSession } from './resultSession';
import { cellValue, formatScalar } from './tableModel';
import { VirtualScroller } from './virtualScroller';

export interface TableViewHost {
  requestRecords(first: number, end: number): void;
  copyValue(record: number): void;
}

export class TableView {
  readonly element: HTMLDivElement;
  readonly scroller: VirtualScroller;
  private readonly _header: HTMLDivElement;
  private _session: ResultSession | undefined;
  private _columnCount = -1;
  private _headerStale = false;
  /** The focused cell's column along the focused row (0: the index column). */
  private _focusedColumn = 0;

  constructor(private readonly _host: TableViewHost) {
    this._header = el('div', {
      className: 'table-header',
      attrs: { role: 'row', id: 'table-header-row', 'aria-rowindex': '1' },
    });
    this.scroller = new VirtualScroller(
      {
        render: (row, index, focused) => this._renderRow(row, index, focused),
        onWindow: (first, end) => this._host.requestRecords(first, end),
      },
      'grid',
      t('table.label'),
      'table-row',
    );
    this.element = el('div', { className: 'table-view' }, [this._header, this.scroller.element]);
    // The header row sits outside the scrolling grid (it must not scroll away); the grid owns it.
    this.scroller.element.setAttribute('aria-owns', 'table-header-row');
    this.scroller.element.addEventListener('scroll', () => {
      this._header.scrollLeft = this.scroller.element.scrollLeft;
    });
    this.scroller.element.addEventListener('click', (e) => {
      const index = this.scroller.indexOf(e.target);
      if (index !== undefined) this.scroller.setFocused(index, false);
    });
    this.scroller.element.addEventListener('keydown', (e) => {
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'c') {
        e.preventDefault();
        this._host.copyValue(this.scroller.focused);
        return;
      }
      if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
        // Cell by cell along the focused row (the grid pattern); the index column is cell 0.
        e.preventDefault();
        const last = this._session?.columns.columns.length ?? 0;
        this._focusedColumn = Math.max(0, Math.min(last, this._focusedColumn + (e.key === 'ArrowRight' ? 1 : -1)));
        this.scroller.invalidate();
        return;
      }
      this.scroller.handleNavigationKey(e);
    });
  }

  setSession(session: ResultSession | undefined): void {
    this._session = session;
    this._columnCount = -1;
    this.refresh();
  }

  refresh(): void {
    const columns = this._session?.columns.columns ?? [];
    if (columns.length !== this._columnCount) {
      this._columnCount = columns.length;
      this._header.replaceChildren(
        el('span', { className: 'cell index', text: '#', attrs: { role: 'columnheader', 'aria-colindex': '1' } }),
        ...columns.map((c, i) =>
          el('span', {
            className: 'cell',
            text: formatScalar(c, 80),
            title: formatScalar(c, 500),
            attrs: { role: 'columnheader', 'aria-colindex': String(i + 2) },
          }),
        ),
      );
      this.scroller.element.setAttribute('aria-colcount', String(columns.length + 1));
      this.scroller.element.style.setProperty('--table-columns', String(columns.length));
      this._header.style.setProperty('--table-columns', String(columns.length));
    }
    // The DOM holds a window of rows: the grid says how many there are, each row and cell its place.
    this.scroller.element.setAttribute('aria-rowcount', String((this._session?.recordCount ?? 0) + 1));
    this.scroller.setRowCount(this._session?.recordCount ?? 0, false);
    this.scroller.invalidate();
  }

  private _renderRow(element: HTMLElement, index: number, focused: boolean): string | void {
    const session = this._session;
    if (!session) return;
    const record = session.cache.get(index);
    // Records drawn may have fields the sample missed: add them and redraw the header once.
    if (record !== undefined && session.columns.addFrom(record) && !this._headerStale) {
      this._headerStale = true;
      queueMicrotask(() => {
        this._headerStale = false;
        this.refresh();
      });
    }
    const columns = session.columns.columns;
    const needed = columns.length + 1;
    if (element.childElementCount !== needed) {
      element.setAttribute('role', 'row');
      element.replaceChildren(
        ...Array.from({ length: needed }, (_, i) =>
          el('span', {
            className: i === 0 ? 'cell index' : 'cell',
            attrs: { role: 'gridcell', 'aria-colindex': String(i + 1) },
          }),
        ),
      );
    }
    element.setAttribute('aria-rowindex', String(index + 2));
    const cells = element.children;
    setText(cells[0]!, String(index));
    const activeColumn = focused ? Math.min(this._focusedColumn, columns.length) : -1;
    for (let c = 0; c < cells.length; c++) {
      const cell = cells[c] as HTMLElement;
      if (c === activeColumn) cell.id = `table-cell-${index}-${c}`;
      else if (cell.id) cell.removeAttribute('id');
      cell.classList.toggle('active-cell', c === activeColumn);
    }
    for (let c = 0; c < columns.length; c++) {
      const cell = cells[c + 1] as HTMLElement;
      if (record === undefined) {
        setText(cell, c === 0 ? '…' : '');
        continue;
      }
      const value = cellValue(record, columns[c]!);
      cell.className = `cell kind-${value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value}${c + 1 === activeColumn ? ' active-cell' : ''}`;
      setText(cell, formatScalar(value, 120));
    }
    return activeColumn >= 0 ? `table-cell-${index}-${activeColumn}` : undefined;
  }
}
