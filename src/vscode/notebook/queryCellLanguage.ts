import * as vscode from 'vscode';
import { completionsAt } from '../../core/notebook/completion';
import { parseQueryCell } from '../../core/notebook/queryCell';
import type { LineProblem } from '../../core/notebook/settings';
import type { AccountsService } from '../auth/accountsContract';
import { catalogueText } from '../catalogueL10n';
import { accountHandles } from '../lm/accountRefs';
import { Disposable } from '../util/lifecycle';
import { settingsOf } from './notebookController';
import { NOTEBOOK_TYPE, QUERY_LANGUAGE } from './notebookIds';
import { notebookSettingsCell } from './notebookSerializer';

const CELL_SCHEME = 'vscode-notebook-cell';

function notebookOf(document: vscode.TextDocument): vscode.NotebookDocument | undefined {
  return vscode.workspace.notebookDocuments.find(
    (nb) => nb.notebookType === NOTEBOOK_TYPE && nb.getCells().some((c) => c.document === document),
  );
}

function diagnosticOf(document: vscode.TextDocument, problem: LineProblem): vscode.Diagnostic {
  const line = document.lineAt(Math.min(problem.line, document.lineCount - 1));
  const diagnostic = new vscode.Diagnostic(
    line.range,
    problem.text ? catalogueText(problem.text) : problem.message,
    vscode.DiagnosticSeverity.Error,
  );
  diagnostic.source = 'OneTwentyOne';
  return diagnostic;
}

/**
 * Completion and squiggles in query cells and the settings cell, from the core's checks: the
 * messages are the query form's. A query cell is checked again whenever the settings change.
 */
export class QueryCellLanguage extends Disposable {
  private readonly _diagnostics = this._register(vscode.languages.createDiagnosticCollection('onetwentyone-notebook'));

  constructor(accounts: AccountsService) {
    super();
    this._register(
      vscode.languages.registerCompletionItemProvider(
        { scheme: CELL_SCHEME, language: QUERY_LANGUAGE },
        {
          provideCompletionItems: (document, position) =>
            completionsAt(document.getText(), position.line, position.character, [
              ...accountHandles(accounts.list()).keys(),
            ]).map((c) => {
              const item = new vscode.CompletionItem(
                c.label,
                c.kind === 'key' ? vscode.CompletionItemKind.Property : vscode.CompletionItemKind.Value,
              );
              item.insertText = c.insertText;
              if (c.detail !== undefined) item.detail = catalogueText(c.detail);
              return item;
            }),
        },
        ':',
        ' ',
      ),
    );
    this._register(vscode.workspace.onDidOpenNotebookDocument((nb) => this.check(nb)));
    this._register(
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document.uri.scheme !== CELL_SCHEME) return;
        const notebook = notebookOf(e.document);
        if (notebook) this.check(notebook);
      }),
    );
    this._register(
      vscode.workspace.onDidChangeNotebookDocument((e) => {
        if (e.contentChanges.length) this.check(e.notebook);
      }),
    );
    this._register(
      vscode.workspace.onDidCloseNotebookDocument((nb) => {
        for (const cell of nb.getCells()) this._diagnostics.delete(cell.document.uri);
      }),
    );
    for (const nb of vscode.workspace.notebookDocuments) this.check(nb);
  }

  check(notebook: vscode.NotebookDocument): void {
    if (notebook.notebookType !== NOTEBOOK_TYPE) return;
    const settings = settingsOf(notebook);
    const settingsCell = notebookSettingsCell(notebook);
    for (const cell of notebook.getCells()) {
      const { document } = cell;
      const problems =
        cell === settingsCell
          ? settings.problems
          : document.languageId === QUERY_LANGUAGE
            ? parseQueryCell(document.getText(), settings.variables).problems
            : [];
      this._diagnostics.set(
        document.uri,
        problems.map((p) => diagnosticOf(document, p)),
      );
    }
  }

  /** The squiggles of a cell now (the tests read them). */
  problemsOf(cell: vscode.NotebookCell): readonly vscode.Diagnostic[] {
    return this._diagnostics.get(cell.document.uri) ?? [];
  }
}
