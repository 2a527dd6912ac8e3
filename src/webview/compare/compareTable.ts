/**
 * The differences as a virtualized grid: one row per added, removed or changed record, asked of the
 * host a window at a time as the user scrolls (millions of differences keep a few dozen rows in the
 * DOM). Text only.
 */
import { MAX_COMPARE_ROWS, type CompareRow } from '../../shared/compareProtocol';
import { el } from '../dom';
import { VirtualScroller } from '../virtualScroller';
import type { CompareText } from './compareText';

/** Rows asked for at once, aligned so that neighbouring windows share a request. */
const CHUNK = 100;
/** Change, key, fields, A, B: the grid the query panel's table styles lays its rows on. */
const COLUMNS = '90px 230px 200px 380px 380px';

export class CompareTable {
  readonly element: HTMLElement;
  private readonly scroller: VirtualScroller;
  private readonly rows = new Map<number, CompareRow>();
  private readonly asked = new Set<number>();

  constructor(
    private readonly text: CompareText,
    differences: number,
    private readonly ask: (from: number, count: number) => void,
  ) {
    const headers = [
      text.t('table.change'),
      text.t('table.key'),
      text.t('table.fields'),
      text.t('table.a'),
      text.t('table.b'),
    ];
    const header = el(
      'div',
      { className: 'table-header', attrs: { role: 'row', id: 'compare-header-row', 'aria-rowindex': '1' } },
      headers.map((h, i) =>
        el('span', { className: 'cell', text: h, attrs: { role: 'columnheader', 'aria-colindex': String(i + 1) } }),
      ),
    );
    header.style.gridTemplateColumns = COLUMNS;
    this.scroller = new VirtualScroller(
      {
        render: (row, index, focused) => this.renderRow(row, index, focused),
        onWindow: (first, end) => this.want(first, end),
      },
      'grid',
      text.t('table.label'),
      'compare-row',
    );
    const grid = this.scroller.element;
    grid.setAttribute('aria-owns', 'compare-header-row');
    grid.setAttribute('aria-rowcount', String(differences + 1));
    grid.setAttribute('aria-colcount', String(headers.length));
    grid.addEventListener('keydown', (e) => this.scroller.handleNavigationKey(e));
    grid.addEventListener('click', (e) => {
      const index = this.scroller.indexOf(e.target);
      if (index !== undefined) this.scroller.setFocused(index, false);
    });
    grid.addEventListener('scroll', () => {
      header.scrollLeft = grid.scrollLeft;
    });
    this.element = el('div', { className: 'table-view compare-table' }, [header, grid]);
    Object.assign(this.element.style, { height: '55vh', minHeight: '200px', border: '1px solid var(--border)' });
    this.scroller.setRowCount(differences);
  }

  /** Rows the host sent. */
  receive(from: number, rows: readonly CompareRow[]): void {
    rows.forEach((row, i) => this.rows.set(from + i, row));
    this.scroller.invalidate();
  }

  private want(first: number, end: number): void {
    for (let from = Math.floor(first / CHUNK) * CHUNK; from < end; from += CHUNK) {
      if (this.asked.has(from)) continue;
      this.asked.add(from);
      this.ask(from, Math.min(CHUNK, MAX_COMPARE_ROWS));
    }
  }

  private renderRow(element: HTMLElement, index: number, focused: boolean): void {
    element.setAttribute('role', 'row');
    element.setAttribute('aria-rowindex', String(index + 2));
    element.setAttribute('aria-selected', focused ? 'true' : 'false');
    const row = this.rows.get(index);
    const cells = row ? this.cellTexts(row) : [this.text.t('table.loading'), '', '', '', ''];
    element.replaceChildren(
      ...cells.map((text, i) =>
        el('span', {
          className: i === 0 && row ? `cell compare-${row.kind}` : 'cell',
          text,
          title: text.slice(0, 2000),
          attrs: { role: 'gridcell', 'aria-colindex': String(i + 1) },
        }),
      ),
    );
    element.style.gridTemplateColumns = COLUMNS;
  }

  private cellTexts(row: CompareRow): string[] {
    const kind = this.text.t(
      row.kind === 'added' ? 'kind.added' : row.kind === 'removed' ? 'kind.removed' : 'kind.changed',
    );
    if (row.kind === 'changed')
      return [
        kind,
        row.key,
        row.fields.map((f) => f.field).join(', '),
        row.fields.map((f) => f.a).join('; '),
        row.fields.map((f) => f.b).join('; '),
      ];
    const record = row.fields.map((f) => `${f.field}: ${row.kind === 'added' ? f.b : f.a}`).join(', ');
    return [
      kind,
      row.key,
      this.text.t('table.wholeRecord'),
      row.kind === 'removed' ? record : '',
      row.kind === 'added' ? record : '',
    ];
  }
}
