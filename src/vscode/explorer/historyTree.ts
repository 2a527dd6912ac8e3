import * as vscode from 'vscode';
import { describeQuery } from '../../shared/query';
import { Disposable, toDisposable } from '../util/lifecycle';
import type { HistoryEntry, HistoryStore, SavedQuery } from './historyStore';

export type HistoryNode =
  | { readonly kind: 'savedSection' }
  | { readonly kind: 'saved'; readonly saved: SavedQuery }
  | { readonly kind: 'entry'; readonly entry: HistoryEntry };

/** History of requests (newest first) and, above it, the saved queries. Labels never hold a token. */
export class HistoryTreeProvider extends Disposable implements vscode.TreeDataProvider<HistoryNode> {
  private readonly _onDidChangeTreeData = this._register(new vscode.EventEmitter<HistoryNode | undefined>());
  readonly onDidChangeTreeData = this._onDidChangeTreeData.event;
  private readonly _savedSection: HistoryNode = { kind: 'savedSection' };

  constructor(private readonly _store: HistoryStore) {
    super();
    const sub = _store.onDidChange(() => this._onDidChangeTreeData.fire(undefined));
    this._register(toDisposable(() => sub.dispose()));
  }

  getChildren(element?: HistoryNode): HistoryNode[] {
    if (!element) {
      const saved = this._store.saved();
      const entries: HistoryNode[] = this._store.history().map((entry) => ({ kind: 'entry', entry }));
      return saved.length ? [this._savedSection, ...entries] : entries;
    }
    if (element.kind === 'savedSection') return this._store.saved().map((saved) => ({ kind: 'saved', saved }));
    return [];
  }

  getParent(element: HistoryNode): HistoryNode | undefined {
    return element.kind === 'saved' ? this._savedSection : undefined;
  }

  getTreeItem(element: HistoryNode): vscode.TreeItem {
    switch (element.kind) {
      case 'savedSection': {
        const item = new vscode.TreeItem('Saved queries', vscode.TreeItemCollapsibleState.Expanded);
        item.id = 'savedSection';
        item.iconPath = new vscode.ThemeIcon('bookmark');
        item.contextValue = 'savedSection';
        return item;
      }
      case 'saved': {
        const s = element.saved;
        const item = new vscode.TreeItem(s.name, vscode.TreeItemCollapsibleState.None);
        item.id = `saved:${s.id}`;
        item.description = describeQuery(s.query);
        item.iconPath = new vscode.ThemeIcon('bookmark');
        item.contextValue = 'savedQuery';
        item.command = { command: 'onetwentyone.query.open', title: 'Open in Query Panel', arguments: [{ query: s.query, ...(s.accountId ? { accountId: s.accountId } : {}) }] };
        return item;
      }
      case 'entry': {
        const e = element.entry;
        const item = new vscode.TreeItem(describeQuery(e.query), vscode.TreeItemCollapsibleState.None);
        item.id = `history:${e.id}`;
        const when = new Date(e.time).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
        const outcome = e.errorCode ? `${e.status ?? e.errorCode}` : `${e.status}`;
        const count = e.recordCount === null ? '' : ` · ${e.recordCount.toLocaleString()} record${e.recordCount === 1 ? '' : 's'}`;
        const duration = e.durationMs === null ? '' : ` · ${Math.round(e.durationMs)} ms`;
        item.description = `${when} · ${outcome}${count}${duration}`;
        const ok = e.status !== null && e.status >= 200 && e.status < 300 && !e.errorCode;
        item.iconPath = new vscode.ThemeIcon(ok ? 'pass' : 'error', new vscode.ThemeColor(ok ? 'testing.iconPassed' : 'testing.iconFailed'));
        item.tooltip = new vscode.MarkdownString(undefined, false).appendText(
          `${describeQuery(e.query)}\n${new Date(e.time).toLocaleString()}\nUser: ${e.accountLabel ?? 'unknown'}\nStatus: ${outcome}${count}${duration}`,
        );
        item.contextValue = 'historyEntry';
        item.command = { command: 'onetwentyone.query.open', title: 'Open in Query Panel', arguments: [{ query: e.query, ...(e.accountId ? { accountId: e.accountId } : {}) }] };
        return item;
      }
    }
  }
}
