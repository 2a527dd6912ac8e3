import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { parseCellOutput } from '../../src/core/notebook/cellOutput';
import { ADA_USER_ID } from '../../src/sandbox/demoAccounts';
import { executeCommand } from '../../src/vscode/commands';
import type { HistoryNode } from '../../src/vscode/explorer/historyTree';
import { NOTEBOOK_CONTROLLER_ID, NOTEBOOK_TYPE, RECORDS_MIME } from '../../src/vscode/notebook/notebookIds';
import { waitFor } from '../support/waitFor';
import { addDemoPat, demoPat, EXTENSION_ID, hooks, useSandboxEnvironment } from './support/extension';
import { readyPanel } from './support/panel';
import { useSandbox } from './support/sandbox';

const QUERY = { metric: 'stepCount', startDate: '2024-01-01', endDate: '2024-01-02', pageSize: 50 };

/**
 * "Open in Notebook" in a real VS Code: the query panel's query, and a History row's, become a query
 * cell of a new notebook or of an open one, naming the account as the Accounts view does (never a
 * token or the user ID), and the cell, run, answers what the panel answered.
 */
suite('Open in Notebook from the query panel and from History', function () {
  this.timeout(90_000);
  const sandbox = useSandbox();
  let folder: string;

  suiteSetup(async () => {
    await executeCommand('onetwentyone.auth.signOutAll', 'confirmed');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await useSandboxEnvironment(sandbox().baseUrl);
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'open-in-notebook-'));
  });

  suiteTeardown(async () => {
    (await hooks()).panel()?.dispose();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await executeCommand('onetwentyone.auth.signOutAll', 'confirmed');
    fs.rmSync(folder, { recursive: true, force: true });
  });

  test('the panel’s query becomes a cell of a new notebook that, run, answers the panel’s records', async () => {
    const ada = await addDemoPat(ADA_USER_ID, sandbox().baseUrl, 'Ada');
    const summary = await executeCommand('onetwentyone.query.runQuantity', { accountId: ada.id, ...QUERY });
    assert.ok(summary && summary.recordCount > 0);
    const panel = await readyPanel();
    const store = panel.result!.store!;
    const panelRecords = JSON.parse(store.getRows(0, store.count, Number.MAX_SAFE_INTEGER).json) as unknown[];

    await executeCommand('onetwentyone.query.openInNotebook', undefined, 'new');
    const notebook = await waitFor('the new notebook in front', () => {
      const shown = vscode.window.activeNotebookEditor?.notebook;
      return shown?.notebookType === NOTEBOOK_TYPE ? shown : undefined;
    });
    assert.deepStrictEqual(
      notebook.getCells().map((c) => [c.document.languageId, c.document.getText()]),
      [
        ['yaml', 'saveOutputs: false'],
        [
          'onetwentyone-query',
          'route: quantity\nmetric: stepCount\naccount: Ada\nstartDate: 2024-01-01\nendDate: 2024-01-02\npage: 1\npageSize: 50',
        ],
      ],
    );
    const text = notebook.cellAt(1).document.getText();
    assert.ok(!text.includes(ADA_USER_ID) && !text.includes(demoPat(ADA_USER_ID)), 'no user ID, no token');

    await vscode.commands.executeCommand('notebook.selectKernel', {
      id: NOTEBOOK_CONTROLLER_ID,
      extension: EXTENSION_ID,
    });
    await vscode.commands.executeCommand('notebook.cell.execute', {
      ranges: [{ start: 1, end: 2 }],
      document: notebook.uri,
    });
    const output = await waitFor('the cell’s output', () => {
      const item = notebook
        .cellAt(1)
        .outputs.flatMap((o) => o.items)
        .find((i) => i.mime === RECORDS_MIME);
      return item && parseCellOutput(new TextDecoder().decode(item.data));
    });
    assert.deepStrictEqual(output.records, panelRecords);
  });

  test('a History row becomes a cell at the end of an open notebook', async () => {
    const file = path.join(folder, 'mine.121nb');
    fs.writeFileSync(file, '# My queries\n');
    const notebook = await vscode.workspace.openNotebookDocument(vscode.Uri.file(file));
    await vscode.window.showNotebookDocument(notebook);
    const before = notebook.cellCount;
    const entry = (await hooks()).explorer.history.history()[0];
    assert.ok(entry, 'the panel’s request is in History');
    const node: HistoryNode = { kind: 'entry', entry };
    await executeCommand('onetwentyone.query.openInNotebook', node, { uri: notebook.uri.toString() });
    assert.strictEqual(notebook.cellCount, before + 1);
    const added = notebook.cellAt(notebook.cellCount - 1);
    assert.strictEqual(added.document.languageId, 'onetwentyone-query');
    assert.strictEqual(
      added.document.getText(),
      'route: quantity\nmetric: stepCount\naccount: Ada\nstartDate: 2024-01-01\nendDate: 2024-01-02\npage: 1\npageSize: 50',
    );
    assert.strictEqual(notebook.cellAt(0).document.getText(), '# My queries', 'the notebook’s own cells stay');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
});
