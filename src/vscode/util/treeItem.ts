import * as vscode from 'vscode';

/** The parts of a tree row every view sets, in one literal (undefined parts are left unset). */
export interface TreeRow {
  readonly label: string;
  readonly collapsible?: vscode.TreeItemCollapsibleState;
  readonly id: string;
  readonly description?: string;
  readonly tooltip?: string | vscode.MarkdownString;
  readonly icon: string | vscode.ThemeIcon;
  readonly contextValue: string;
  /** What a click runs (see `commandLink`). */
  readonly command?: vscode.Command | undefined;
}

export function treeItem(row: TreeRow): vscode.TreeItem {
  const item = new vscode.TreeItem(row.label, row.collapsible ?? vscode.TreeItemCollapsibleState.None);
  item.id = row.id;
  if (row.description !== undefined) item.description = row.description;
  if (row.tooltip !== undefined) item.tooltip = row.tooltip;
  item.iconPath = typeof row.icon === 'string' ? new vscode.ThemeIcon(row.icon) : row.icon;
  item.contextValue = row.contextValue;
  if (row.command) item.command = row.command;
  return item;
}
