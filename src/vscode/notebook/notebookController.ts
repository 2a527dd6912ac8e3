import type { SparePageWorker } from '../../core/worker/sparePageWorker';
import * as vscode from 'vscode';
import { isApiError } from '../../core/api/errors';
import { parseCellOutput, type CellOutput } from '../../core/notebook/cellOutput';
import { outputMetadata } from './notebookSerializer';
import { cellOutputText } from '../../core/notebook/outputText';
import { routeById } from '../../core/routes';
import { parseQueryCell } from '../../core/notebook/queryCell';
import { parseSettings } from '../../core/notebook/settings';
import type { Account, AccountsService } from '../auth/accountsContract';
import type { ApiAccess } from '../explorer/apiAccess';
import { accountHandles, handleOf } from '../lm/accountRefs';
import { messageFor } from '../userMessages';
import { Disposable } from '../util/lifecycle';
import { CellFetches, pageRecords, type FetchedRecords } from './cellFetchAll';
import { NOTEBOOK_CONTROLLER_ID, NOTEBOOK_TYPE, QUERY_LANGUAGE, RECORDS_MIME } from './notebookIds';
import { notebookSettingsCell } from './notebookSerializer';
import { catalogueText } from '../catalogueL10n';
import { formatCount, l10n } from '../l10n';

/** The settings cell's text: the notebook's front matter. */
export function settingsOf(notebook: vscode.NotebookDocument) {
  const cell = notebookSettingsCell(notebook);
  return parseSettings(cell ? cell.document.getText() : '');
}

/**
 * The account a cell names, by the name the Accounts view shows (made unique as the language-model
 * tools make it); a cell that names none runs as the active account.
 */
export function accountNamed(
  name: string | undefined,
  accounts: Pick<AccountsService, 'list' | 'activeAccount'>,
): Account | string {
  const all = accounts.list();
  if (all.length === 0) return l10n.t('No OneTwentyOne user is signed in: sign in, add a token or try the sandbox.');
  if (name === undefined) return accounts.activeAccount ?? all[0] ?? l10n.t('No account is active.');
  const wanted = name.trim().toLowerCase();
  for (const [handle, account] of accountHandles(all)) if (handle.toLowerCase() === wanted) return account;
  const names = [...accountHandles(all).keys()].map((h) => JSON.stringify(h)).join(', ');
  return l10n.t('No signed-in user is called {0}; signed in: {1}.', JSON.stringify(name.slice(0, 80)), names);
}

/** Runs query cells: each with its account, through the same API client (and quota) as the query panel. */
export class NotebookKernel extends Disposable {
  private readonly _controller: vscode.NotebookController;
  private _order = 0;
  /** `fetch: all` cells, and those that stopped partway, kept to resume. */
  private readonly _fetches: CellFetches;

  constructor(
    private readonly _accounts: AccountsService,
    private readonly _api: ApiAccess,
    pageWorkers: SparePageWorker,
  ) {
    super();
    this._fetches = this._register(new CellFetches(pageWorkers));
    this._controller = this._register(
      vscode.notebooks.createNotebookController(NOTEBOOK_CONTROLLER_ID, NOTEBOOK_TYPE, 'OneTwentyOne'),
    );
    this._controller.supportedLanguages = [QUERY_LANGUAGE];
    this._controller.supportsExecutionOrder = true;
    this._controller.description = l10n.t('Runs query cells with the signed-in users');
    // Cells run one after another, top to bottom (Run All), as a reader would.
    this._controller.executeHandler = async (cells, notebook) => {
      for (const cell of cells) if (cell.document.languageId === QUERY_LANGUAGE) await this.run(cell, notebook);
    };
  }

  /** Runs one cell; resolves with whether it succeeded. */
  async run(cell: vscode.NotebookCell, notebook: vscode.NotebookDocument): Promise<boolean> {
    const execution = this._controller.createNotebookCellExecution(cell);
    execution.executionOrder = ++this._order;
    execution.start(Date.now());
    try {
      const couldResume = lastOutputOf(cell)?.resumable === true;
      await execution.clearOutput();
      const output = await this._query(cell, notebook, execution.token, couldResume);
      await execution.replaceOutput(
        new vscode.NotebookCellOutput(
          [
            vscode.NotebookCellOutputItem.text(cellOutputText(output), RECORDS_MIME),
            vscode.NotebookCellOutputItem.text(summaryOf(output), 'text/plain'),
          ],
          outputMetadata(),
        ),
      );
      execution.end(true, Date.now());
      return true;
    } catch (error) {
      const text = error instanceof CellProblem ? error.message : messageFor(error, 'The request').text;
      await execution.replaceOutput(
        new vscode.NotebookCellOutput([vscode.NotebookCellOutputItem.stderr(text.slice(0, 4000))]),
      );
      execution.end(false, Date.now());
      return false;
    }
  }

  private async _query(
    cell: vscode.NotebookCell,
    notebook: vscode.NotebookDocument,
    token: vscode.CancellationToken,
    couldResume: boolean,
  ): Promise<CellOutput> {
    const settings = settingsOf(notebook);
    const parsed = parseQueryCell(cell.document.getText(), settings.variables);
    const problems = [
      ...settings.problems.map((p) => l10n.t('Settings: {0}', p.message)),
      ...parsed.problems.map((p) => l10n.t('Line {0}: {1}', p.line + 1, p.text ? catalogueText(p.text) : p.message)),
    ];
    if (problems.length || !parsed.spec) throw new CellProblem(problems.join('\n'));
    const account = accountNamed(parsed.account, this._accounts);
    if (typeof account === 'string') throw new CellProblem(account);
    const { spec } = parsed;
    const cancel = new AbortController();
    const subscription = token.onCancellationRequested(() => cancel.abort());
    try {
      const client = this._api.clientFor(account);
      const signal = AbortSignal.any([cancel.signal, this._accounts.signalFor(account.id)]);
      const params = {
        userId: account.userId,
        ...(spec.metric !== undefined ? { metric: spec.metric } : {}),
        query: spec.params as Record<string, string | number | boolean | undefined>,
      };
      const query = { notebook: notebook.uri.toString(), spec, client, params, accountId: account.id, signal };
      const what = {
        route: spec.route,
        ...(spec.metric !== undefined ? { metric: spec.metric } : {}),
        account: parsed.account ?? handleOf(account, this._accounts.list()),
      };
      if (parsed.fetchAll) this._fetches.warm();
      // The cell's last run stopped partway and its records are still here: go on where it stopped.
      const resumed = parsed.fetchAll ? this._fetches.resume(query) : undefined;
      if (resumed) return { ...what, status: 200, ranAt: new Date().toISOString(), ...(await resumed) };
      const page = await client.getPage(spec.route, params, { signal });
      this._accounts.noteScopeAnswered(account.id, routeById(spec.route).scope);
      const fetched: Omit<FetchedRecords, 'records'> & { readonly records: unknown } =
        parsed.fetchAll && Array.isArray(page.data)
          ? await this._fetches.fetchAll(query, page)
          : Array.isArray(page.data)
            ? await pageRecords(spec, page, account.id)
            : { records: page.data, recordCount: 1 };
      const restarted = parsed.fetchAll && couldResume ? restartedNote() : undefined;
      return {
        ...what,
        status: page.status,
        ranAt: new Date().toISOString(),
        ...fetched,
        ...(restarted ? { note: fetched.note ? `${restarted} ${fetched.note}` : restarted } : {}),
      };
    } catch (error) {
      if (isApiError(error) && error.code === 'cancelled') throw new CellProblem('Cancelled.');
      throw error;
    } finally {
      subscription.dispose();
    }
  }
}

function restartedNote(): string {
  return l10n.t(
    'The records of the earlier runs were gone (they are kept in memory only, never in a file, and the window was reloaded or the query changed): fetched again from the first page.',
  );
}

/** The cell's output as it stands (before a run clears it). */
function lastOutputOf(cell: vscode.NotebookCell): CellOutput | undefined {
  const item = cell.outputs.flatMap((o) => o.items).find((i) => i.mime === RECORDS_MIME);
  // Buffer.from: output bytes that VS Code made (a cell restored or edited outside this extension) are not
  // always an ArrayBufferView of this realm, which TextDecoder refuses.
  return item && parseCellOutput(Buffer.from(item.data).toString('utf8'));
}

/** A cell that cannot run as written: its text says why. */
class CellProblem extends Error {}

function summaryOf(output: CellOutput): string {
  const what = output.metric ? `${output.route} ${output.metric}` : output.route;
  const line =
    output.recordCount === 1
      ? l10n.t('1 record of {0} for {1} (HTTP {2})', what, output.account, output.status)
      : l10n.t(
          '{0} records of {1} for {2} (HTTP {3})',
          formatCount(output.recordCount),
          what,
          output.account,
          output.status,
        );
  return [line, output.note, output.runs].filter((s) => s !== undefined).join('\n');
}
