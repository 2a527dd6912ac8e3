/** The response as a virtualized JSON tree: expand/collapse, keyboard navigation, copy path and value. */
import type { PathSegment } from '../shared/jsonPath';
import { el, setText } from './dom';
import { fmt, t } from './l10n';
import type { TreeRow } from './jsonTreeModel';
import type { ResultSession } from './resultSession';
import { formatScalar, itemCount, previewContainer } from './tableModel';
import { VirtualScroller } from './virtualScroller';

const INDENT_PX = 14;

export interface TreeViewHost {
  requestRecords(first: number, end: number): void;
  copyPath(row: TreeRow): void;
  copyValue(row: TreeRow): void;
  onDidChangeExpansion(): void;
}

export class TreeView {
  readonly scroller: VirtualScroller;
  private _session: ResultSession | undefined;

  constructor(private readonly _host: TreeViewHost) {
    this.scroller = new VirtualScroller(
      {
        render: (row, index) => this._renderRow(row, index),
        onWindow: (first, end) => this._onWindow(first, end),
      },
      'tree',
      t('tree.label'),
      'tree-row',
    );
    const element = this.scroller.element;
    element.addEventListener('click', (e) => {
      const index = this.scroller.indexOf(e.target);
      if (index === undefined) return;
      this.scroller.setFocused(index, false);
      if ((e.target as HTMLElement).closest('.twistie')) this._toggle(index);
    });
    element.addEventListener('dblclick', (e) => {
      const index = this.scroller.indexOf(e.target);
      if (index !== undefined) this._toggle(index);
    });
    element.addEventListener('keydown', (e) => this._onKey(e));
  }

  get session(): ResultSession | undefined {
    return this._session;
  }

  setSession(session: ResultSession | undefined, expanded: PathSegment[][] = []): void {
    this._session = session;
    if (session) for (const path of expanded) session.tree.setExpanded(path, true);
    this.refresh();
  }

  refresh(): void {
    this.scroller.setRowCount(this._session?.tree.rowCount ?? 0, false);
    this.scroller.invalidate();
  }

  focusedRow(): TreeRow | undefined {
    return this._session?.tree.rowAt(this.scroller.focused);
  }

  /** Expands down to `segments`, focuses and shows it; false when its record is not loaded yet. */
  reveal(segments: PathSegment[]): boolean {
    const tree = this._session?.tree;
    if (!tree) return false;
    const index = tree.reveal(segments);
    this.scroller.setRowCount(tree.rowCount);
    if (index === undefined) return false;
    this.scroller.setFocused(index);
    this._host.onDidChangeExpansion();
    return true;
  }

  private _toggle(index: number): void {
    const tree = this._session?.tree;
    const row = tree?.rowAt(index);
    if (!tree || !row?.expandable) return;
    tree.toggle(row.segments);
    this.scroller.setRowCount(tree.rowCount);
    this.scroller.invalidate();
    this._host.onDidChangeExpansion();
  }

  private _onKey(e: KeyboardEvent): void {
    const tree = this._session?.tree;
    if (!tree) return;
    const row = tree.rowAt(this.scroller.focused);
    if (row && (e.key === 'ArrowRight' || e.key === 'ArrowLeft' || e.key === 'Enter' || e.key === ' ')) {
      e.preventDefault();
      if (e.key === 'ArrowRight') {
        if (row.expandable && !row.expanded) this._toggle(this.scroller.focused);
        else if (row.expanded) this.scroller.setFocused(this.scroller.focused + 1);
      } else if (e.key === 'ArrowLeft') {
        if (row.expanded) this._toggle(this.scroller.focused);
        else {
          const parent = tree.parentIndex(row);
          if (parent !== undefined) this.scroller.setFocused(parent);
        }
      } else {
        this._toggle(this.scroller.focused);
      }
      return;
    }
    if (row && (e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'c') {
      e.preventDefault();
      if (e.shiftKey) this._host.copyPath(row);
      else this._host.copyValue(row);
      return;
    }
    this.scroller.handleNavigationKey(e);
  }

  private _onWindow(first: number, end: number): void {
    const tree = this._session?.tree;
    if (!tree) return;
    // Ask for the records behind the rows about to show (pending rows say which ones).
    let lo = Infinity;
    let hi = -1;
    for (let i = first; i < end; i++) {
      const row = tree.rowAt(i);
      if (row?.kind === 'pending') {
        const record = row.segments[1] as number;
        lo = Math.min(lo, record);
        hi = Math.max(hi, record);
      }
    }
    if (hi >= 0) this._host.requestRecords(lo, hi + 1);
  }

  private _renderRow(element: HTMLElement, index: number): void {
    const row = this._session?.tree.rowAt(index);
    if (!row) {
      element.replaceChildren();
      return;
    }
    let twistie = element.firstElementChild as HTMLElement | null;
    if (!twistie) {
      twistie = el('span', { className: 'twistie codicon' });
      element.append(
        twistie,
        el('span', { className: 'tree-key' }),
        el('span', { className: 'tree-sep' }),
        el('span', { className: 'tree-value' }),
      );
      element.setAttribute('role', 'treeitem');
    }
    const [, keyEl, sepEl, valueEl] = element.children as unknown as HTMLElement[];
    element.style.paddingLeft = `${row.depth * INDENT_PX}px`;
    element.setAttribute('aria-level', String(row.depth + 1));
    // The DOM holds a window of rows: screen readers learn each row's place from these, not the DOM.
    element.setAttribute('aria-posinset', String(row.position));
    element.setAttribute('aria-setsize', String(row.siblings));
    if (row.expandable) element.setAttribute('aria-expanded', String(row.expanded));
    else element.removeAttribute('aria-expanded');
    twistie.className = `twistie codicon ${row.expandable ? (row.expanded ? 'codicon-chevron-down' : 'codicon-chevron-right') : 'codicon-blank'}`;
    setText(keyEl!, typeof row.label === 'number' ? String(row.label) : formatScalar(row.label, 200));
    keyEl!.className = typeof row.label === 'number' ? 'tree-key index' : 'tree-key';
    setText(sepEl!, ': ');
    valueEl!.className = `tree-value kind-${row.kind}`;
    setText(valueEl!, valueText(row));
  }
}

export function valueText(row: TreeRow): string {
  switch (row.kind) {
    case 'pending':
      return '…';
    case 'tooDeep':
      return t('tree.tooDeep');
    case 'string':
      return `"${formatScalar(row.value, 500)}"`;
    case 'array':
      return row.expanded ? `[${fmt().number(row.childCount)}]` : itemCount(row.childCount);
    case 'object':
      return row.expanded ? `{${fmt().number(row.childCount)}}` : previewContainer(row.value);
    default:
      return formatScalar(row.value);
  }
}
