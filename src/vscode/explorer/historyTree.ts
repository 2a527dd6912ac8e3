import * as vscode from 'vscode';
import { describeQuery } from '../../shared/query';
import type { AccountsService } from '../auth/accountsContract';
import { commandLink } from '../commands';
import { Disposable, toDisposable } from '../util/lifecycle';
import { resolveTooltip, treeItem } from '../util/treeItem';
import type { HistoryEntry, HistoryStore, SavedQuery } from './historyStore';
import { describeOwner, ownerOf, recordedLabels, type QueryOwner } from './queryOwner';

export type HistoryNode =
  | { readonly kind: 'savedSection' }
  | { readonly kind: 'saved'; readonly saved: SavedQuery }
  | { readonly kind: 'entry'; readonly entry: HistoryEntry };

/**
 * History of requests (newest first) and, above it, the saved queries, each with the user it was for.
 * A click opens the query in the panel; the inline action runs it. Labels never hold a token.
 */
export class HistoryTreeProvider extends Disposable implements vscode.TreeDataProvider<HistoryNode> {
  private readonly _onDidChangeTreeData = this._register(new vscode.EventEmitter<HistoryNode | undefined>());
  readonly onDidChangeTreeData = this._onDidChangeTreeData.event;
  private readonly _savedSection: HistoryNode = { kind: 'savedSection' };
  private _labels: ReadonlyMap<string, string> | undefined;

  constructor(
    private readonly _store: HistoryStore,
    private readonly _accounts: Pick<AccountsService, 'get' | 'onDidChange'>,
  ) {
    super();
    const sub = _store.onDidChange(() => {
      this._labels = undefined;
      this._onDidChangeTreeData.fire(undefined);
    });
    this._register(toDisposable(() => sub.dispose()));
    // A sign-in or sign-out changes how each entry names its user.
    this._register(_accounts.onDidChange(() => this._onDidChangeTreeData.fire(undefined)));
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

  /** Read once per change, not once per saved query: each read parses the whole history. */
  private _recordedLabels(): ReadonlyMap<string, string> {
    this._labels ??= recordedLabels(this._store.history());
    return this._labels;
  }

  getTreeItem(element: HistoryNode): vscode.TreeItem {
    // A click opens the query: the explorer checks its user first (a signed-out user is asked about).
    const open = commandLink('onetwentyone.query.open', vscode.l10n.t('Open in Query Panel'), element);
    switch (element.kind) {
      case 'savedSection':
        return treeItem({
          label: vscode.l10n.t('Saved queries'),
          collapsible: vscode.TreeItemCollapsibleState.Expanded,
          id: 'savedSection',
          icon: 'bookmark',
          contextValue: 'savedSection',
        });
      case 'saved': {
        const s = element.saved;
        const owner = ownerOf(s, this._accounts, this._recordedLabels());
        return treeItem({
          label: s.name,
          id: `saved:${s.id}`,
          description: [describeQuery(s.query), ...(owner ? [describeOwner(owner)] : [])].join(' · '),
          icon: 'bookmark',
          contextValue: 'savedQuery',
          command: open,
        });
      }
      case 'entry': {
        const e = element.entry;
        const when = new Date(e.time).toLocaleTimeString(undefined, {
          hour: '2-digit',
          minute: '2-digit',
          second: '2-digit',
        });
        const { outcome, count, duration } = entryStatus(e);
        const owner = ownerOf(e, this._accounts);
        const ok = e.status !== null && e.status >= 200 && e.status < 300 && !e.errorCode;
        return treeItem({
          label: describeQuery(e.query),
          id: `history:${e.id}`,
          description: `${owner ? `${describeOwner(owner)} · ` : ''}${when} · ${outcome}${count}${duration}`,
          icon: new vscode.ThemeIcon(
            ok ? 'pass' : 'error',
            new vscode.ThemeColor(ok ? 'testing.iconPassed' : 'testing.iconFailed'),
          ),
          contextValue: 'historyEntry',
          command: open,
        });
      }
    }
  }

  /** The tooltip, on hover only (see `resolveTooltip`). */
  resolveTreeItem(item: vscode.TreeItem, element: HistoryNode): vscode.TreeItem {
    return resolveTooltip(item, () => {
      switch (element.kind) {
        case 'savedSection':
          return undefined;
        case 'saved': {
          const s = element.saved;
          const owner = ownerOf(s, this._accounts, this._recordedLabels());
          return new vscode.MarkdownString(undefined, false).appendText(
            `${s.name}\n${describeQuery(s.query)}\n${userLine(owner)}`,
          );
        }
        case 'entry': {
          const e = element.entry;
          const { outcome, count, duration } = entryStatus(e);
          return new vscode.MarkdownString(undefined, false).appendText(
            `${describeQuery(e.query)}\n${new Date(e.time).toLocaleString()}\n${userLine(ownerOf(e, this._accounts))}\n${vscode.l10n.t('Status: {0}', `${outcome}${count}${duration}`)}`,
          );
        }
      }
    });
  }
}

/** An entry's outcome (status or error), record count and duration, as its row and tooltip show them. */
function entryStatus(e: HistoryEntry): { outcome: string; count: string; duration: string } {
  const outcome = e.errorCode ? `${e.status ?? e.errorCode}` : `${e.status}`;
  const count =
    e.recordCount === null
      ? ''
      : ` · ${e.recordCount === 1 ? vscode.l10n.t('1 record') : vscode.l10n.t('{0} records', e.recordCount.toLocaleString())}`;
  const duration = e.durationMs === null ? '' : ` · ${vscode.l10n.t('{0} ms', Math.round(e.durationMs))}`;
  return { outcome, count, duration };
}

function userLine(owner: QueryOwner | undefined): string {
  return owner ? vscode.l10n.t('User: {0}', describeOwner(owner)) : vscode.l10n.t('User: the active user');
}
