import * as vscode from 'vscode';

/**
 * The parts of a tree row every view sets, in one literal (undefined parts are left unset). No
 * tooltip: each view builds it in `resolveTreeItem`, on hover (see `resolveTooltip`).
 */
export interface TreeRow {
  readonly label: string;
  readonly collapsible?: vscode.TreeItemCollapsibleState;
  readonly id: string;
  readonly description?: string;
  readonly icon: string | vscode.ThemeIcon;
  readonly contextValue: string;
  /** What a click runs (see `commandLink`). */
  readonly command?: vscode.Command | undefined;
}

export function treeItem(row: TreeRow): vscode.TreeItem {
  const item = new vscode.TreeItem(row.label, row.collapsible ?? vscode.TreeItemCollapsibleState.None);
  item.id = row.id;
  if (row.description !== undefined) item.description = row.description;
  item.iconPath = typeof row.icon === 'string' ? new vscode.ThemeIcon(row.icon) : row.icon;
  item.contextValue = row.contextValue;
  if (row.command) item.command = row.command;
  return item;
}

/**
 * A view's `resolveTreeItem`: the row's tooltip, built when the pointer rests on the row rather than
 * with every row the view shows. The extension host lexes each Markdown tooltip as it sends the rows,
 * which made showing the views for the first time slower (docs/performance.md, B11).
 */
export function resolveTooltip(
  item: vscode.TreeItem,
  tooltip: () => string | vscode.MarkdownString | undefined,
): vscode.TreeItem {
  item.tooltip ??= tooltip();
  return item;
}
