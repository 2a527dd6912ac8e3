import type { SparePageWorker } from '../../core/worker/sparePageWorker';
import * as vscode from 'vscode';
import type { FileProblem } from '../../core/notebook/notebookFile';
import type { AreaModule } from '../areaModule';
import type { AccountsService } from '../auth/accountsContract';
import type { ApiAccess } from '../explorer/apiAccess';
import type { AreaHost } from '../servicesContract';
import { Disposable } from '../util/lifecycle';
import { NotebookKernel, settingsOf } from './notebookController';
import { NOTEBOOK_TYPE } from './notebookIds';
import { NotebookSerializer } from './notebookSerializer';
import { QueryCellLanguage } from './queryCellLanguage';
import { l10n } from '../l10n';

export interface NotebookModule extends AreaModule<Record<never, never>> {
  readonly serializer: vscode.NotebookSerializer;
  readonly kernel: NotebookKernel;
  readonly language: QueryCellLanguage;
}

function saveOutputsWarning(): string {
  return l10n.t(
    'This notebook now saves query results in its file. They are health data: anyone who can read the file, or the repository it is committed to, can read them. Set saveOutputs: false to keep them out.',
  );
}

/** OneTwentyOne notebooks: the file format, the kernel that runs query cells, completion and squiggles. */
class Notebooks extends Disposable implements NotebookModule {
  readonly commands = {};
  readonly serializer: NotebookSerializer;
  readonly kernel: NotebookKernel;
  readonly language: QueryCellLanguage;
  /** Notebooks known to save outputs, so the warning comes once, when it is turned on. */
  private readonly _savingOutputs = new Set<string>();

  constructor(host: AreaHost, accounts: AccountsService, api: ApiAccess, pageWorkers: SparePageWorker) {
    super();
    const logger = host.logger.scoped('notebook');
    this.serializer = new NotebookSerializer((problems) => reportFileProblems(problems, logger.warn.bind(logger)));
    this.kernel = this._register(new NotebookKernel(accounts, api, pageWorkers));
    this.language = this._register(new QueryCellLanguage(accounts));
    this._register(vscode.workspace.onDidOpenNotebookDocument((nb) => this._noteSaving(nb, false)));
    this._register(vscode.workspace.onDidChangeNotebookDocument((e) => this._noteSaving(e.notebook, true)));
    this._register(vscode.workspace.onDidCloseNotebookDocument((nb) => this._savingOutputs.delete(nb.uri.toString())));
    for (const nb of vscode.workspace.notebookDocuments) this._noteSaving(nb, false);
  }

  private _noteSaving(notebook: vscode.NotebookDocument, warn: boolean): void {
    if (notebook.notebookType !== NOTEBOOK_TYPE) return;
    const key = notebook.uri.toString();
    const saving = settingsOf(notebook).saveOutputs;
    if (saving && !this._savingOutputs.has(key) && warn) void vscode.window.showWarningMessage(saveOutputsWarning());
    if (saving) this._savingOutputs.add(key);
    else this._savingOutputs.delete(key);
  }
}

function reportFileProblems(problems: readonly FileProblem[], log: (message: string) => void): void {
  const lines = problems.slice(0, 5).map((p) => `line ${p.line + 1}: ${p.message}`);
  for (const line of lines) log(`Notebook file: ${line}`);
  void vscode.window.showWarningMessage(
    l10n.t('This notebook file is not quite well-formed; nothing was dropped. {0}', lines.join(' ')),
  );
}

export function createNotebookModule(
  host: AreaHost,
  deps: { accounts: AccountsService; api: ApiAccess; pageWorkers: SparePageWorker },
): NotebookModule {
  return new Notebooks(host, deps.accounts, deps.api, deps.pageWorkers);
}
