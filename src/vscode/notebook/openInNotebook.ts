import * as path from 'path';
import * as vscode from 'vscode';
import { queryCellText } from '../../core/notebook/queryCell';
import type { QuerySpec } from '../../core/routes';
import type { Account } from '../auth/accountsContract';
import { handleOf } from '../lm/accountRefs';
import { NOTEBOOK_TYPE, QUERY_LANGUAGE } from './notebookIds';
import { settingsCellData } from './notebookSerializer';
import { l10n } from '../l10n';

/** Where "Open in Notebook" puts the cell: a new notebook, or the open notebook with this URI. */
export type NotebookTarget = 'new' | { readonly uri: string };

/** A new notebook's settings: outputs (health data) stay out of the file unless the user says so. */
const NEW_SETTINGS = 'saveOutputs: false';

/**
 * The name a cell uses for the account: the one the Accounts view shows (as the kernel resolves
 * it). A name that is the user ID (a token added without a note) is left out, so the cell runs as
 * the active user rather than writing an ID nobody typed into a file meant for git.
 */
export function accountAlias(account: Account | undefined, accounts: readonly Account[]): string | undefined {
  if (!account) return undefined;
  const handle = handleOf(account, accounts);
  return handle.includes(account.userId) ? undefined : handle;
}

/** The open `*.121nb` notebooks, for the quick pick. */
function openNotebooks(): vscode.NotebookDocument[] {
  return vscode.workspace.notebookDocuments.filter((nb) => nb.notebookType === NOTEBOOK_TYPE && !nb.isClosed);
}

async function pickTarget(): Promise<NotebookTarget | undefined> {
  const items: (vscode.QuickPickItem & { target: NotebookTarget })[] = [
    { label: `$(new-file) ${vscode.l10n.t('New Notebook')}`, target: 'new' },
    ...openNotebooks().map((nb) => ({
      label: `$(notebook) ${path.basename(nb.uri.path)}`,
      description: vscode.workspace.asRelativePath(nb.uri),
      target: { uri: nb.uri.toString() },
    })),
  ];
  if (items.length === 1) return 'new';
  const choice = await vscode.window.showQuickPick(items, {
    title: vscode.l10n.t('Open the Query in a Notebook'),
    placeHolder: vscode.l10n.t('A new notebook, or a cell at the end of an open one'),
  });
  return choice?.target;
}

/**
 * Turns a query into a query cell at the end of a notebook (asked with a quick pick unless `target`
 * says), shows the notebook and selects the cell. Resolves with the notebook, or undefined when
 * the user backed out.
 */
export async function openQueryInNotebook(
  query: QuerySpec,
  account: string | undefined,
  target?: NotebookTarget,
): Promise<vscode.NotebookDocument | undefined> {
  const where = target ?? (await pickTarget());
  if (!where) return undefined;
  const cell = new vscode.NotebookCellData(vscode.NotebookCellKind.Code, queryCellText(query, account), QUERY_LANGUAGE);
  if (where === 'new') {
    const notebook = await vscode.workspace.openNotebookDocument(
      NOTEBOOK_TYPE,
      new vscode.NotebookData([settingsCellData(NEW_SETTINGS), cell]),
    );
    await vscode.window.showNotebookDocument(notebook, {
      selections: [new vscode.NotebookRange(1, 2)],
    });
    return notebook;
  }
  const notebook = openNotebooks().find((nb) => nb.uri.toString() === where.uri);
  if (!notebook) throw new Error(l10n.t('That notebook is no longer open.'));
  const index = notebook.cellCount;
  const edit = new vscode.WorkspaceEdit();
  edit.set(notebook.uri, [vscode.NotebookEdit.insertCells(index, [cell])]);
  if (!(await vscode.workspace.applyEdit(edit)))
    throw new Error(l10n.t('The cell could not be added to the notebook.'));
  await vscode.window.showNotebookDocument(notebook, {
    selections: [new vscode.NotebookRange(index, index + 1)],
  });
  return notebook;
}
