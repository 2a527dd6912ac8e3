import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { parseCellOutput, type CellOutput } from '../../src/core/notebook/cellOutput';
import { queryProblems } from '../../src/core/routes/request';
import { ADA_USER_ID } from '../../src/sandbox/demoAccounts';
import { NOTEBOOK_CONTROLLER_ID, RECORDS_MIME } from '../../src/vscode/notebook/notebookIds';
import { waitFor } from '../support/waitFor';
import { addDemoPat, demoPat, EXTENSION_ID, getExtension, useSandboxEnvironment } from './support/extension';
import { executeCommand } from '../../src/vscode/commands';
import { startSandbox, useSandbox, type SandboxHandle } from './support/sandbox';

const NOTEBOOK = `---
account: Ada
from: 2024-01-01
to: 2024-01-02
---

# Ada's first days

\`\`\`onetwentyone
route: quantity
metric: stepCount
startDate: {{from}}
endDate: {{to}}
pageSize: 50
\`\`\`

Sleep over the same days.

\`\`\`onetwentyone
route: sleep
startDate: {{from}}
endDate: {{to}}
include_stages: true
\`\`\`

\`\`\`onetwentyone
route: quantity
metric: heartRate
pageSize: 0
\`\`\`

\`\`\`onetwentyone
route: quantity
metric: stepCount
startDate: {{from}}
endDate: {{to}}
pageSize: 10
fetch: all
\`\`\`
`;

const decoder = new TextDecoder();

function outputOf(cell: vscode.NotebookCell): CellOutput | undefined {
  const item = cell.outputs.flatMap((o) => o.items).find((i) => i.mime === RECORDS_MIME);
  return item && parseCellOutput(decoder.decode(item.data));
}

function errorOf(cell: vscode.NotebookCell): string | undefined {
  const item = cell.outputs.flatMap((o) => o.items).find((i) => i.mime === 'application/vnd.code.notebook.stderr');
  return item && decoder.decode(item.data);
}

suite('Notebooks: query cells against the sandbox', function () {
  this.timeout(90_000);
  const sandbox = useSandbox();
  let file: string;
  let notebook: vscode.NotebookDocument;

  /** The records the sandbox itself answers for `path`, asked over plain HTTP with Ada's token. */
  async function sandboxRecords(pathAndQuery: string): Promise<unknown> {
    const response = await fetch(`${sandbox().baseUrl}${pathAndQuery}`, {
      headers: { Authorization: `Bearer ${demoPat(ADA_USER_ID)}` },
    });
    assert.strictEqual(response.status, 200);
    return ((await response.json()) as { data: unknown }).data;
  }

  suiteSetup(async () => {
    // Cells name their account ("Ada"): a user of that name left by an earlier suite would make it ambiguous.
    await executeCommand('onetwentyone.auth.signOutAll', 'confirmed');
    await useSandboxEnvironment(sandbox().baseUrl);
    await addDemoPat(ADA_USER_ID, sandbox().baseUrl, 'Ada');
    file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'notebook-')), 'steps.121nb');
    fs.writeFileSync(file, NOTEBOOK);
    notebook = await vscode.workspace.openNotebookDocument(vscode.Uri.file(file));
    await vscode.window.showNotebookDocument(notebook);
    await vscode.commands.executeCommand('notebook.selectKernel', {
      id: NOTEBOOK_CONTROLLER_ID,
      extension: EXTENSION_ID,
    });
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  });

  test('the file opens as a settings cell, Markdown cells and query cells, text unchanged', () => {
    const cells = notebook.getCells();
    assert.deepStrictEqual(
      cells.map((c) => [c.kind, c.document.languageId]),
      [
        [vscode.NotebookCellKind.Code, 'yaml'],
        [vscode.NotebookCellKind.Markup, 'markdown'],
        [vscode.NotebookCellKind.Code, 'onetwentyone-query'],
        [vscode.NotebookCellKind.Markup, 'markdown'],
        [vscode.NotebookCellKind.Code, 'onetwentyone-query'],
        [vscode.NotebookCellKind.Code, 'onetwentyone-query'],
        [vscode.NotebookCellKind.Code, 'onetwentyone-query'],
      ],
    );
    assert.strictEqual(cells[0]?.document.getText(), 'account: Ada\nfrom: 2024-01-01\nto: 2024-01-02');
    assert.strictEqual(cells[3]?.document.getText(), 'Sleep over the same days.');
  });

  test('an empty file opens with settings and a query cell; a YAML cell put first becomes the settings', async () => {
    const folder = path.dirname(file);
    const empty = path.join(folder, 'empty.121nb');
    fs.writeFileSync(empty, '');
    const opened = await vscode.workspace.openNotebookDocument(vscode.Uri.file(empty));
    assert.deepStrictEqual(
      opened.getCells().map((c) => c.document.languageId),
      ['yaml', 'onetwentyone-query'],
    );
    assert.match(opened.cellAt(0).document.getText(), /^from: \d{4}-\d{2}-\d{2}$/m);

    const bare = path.join(folder, 'bare.121nb');
    fs.writeFileSync(bare, '```onetwentyone\nroute: profile\n```\n');
    const notebookWithout = await vscode.workspace.openNotebookDocument(vscode.Uri.file(bare));
    const edit = new vscode.WorkspaceEdit();
    edit.set(notebookWithout.uri, [
      vscode.NotebookEdit.insertCells(0, [
        new vscode.NotebookCellData(vscode.NotebookCellKind.Code, 'from: 2024-01-01', 'yaml'),
      ]),
    ]);
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.ok(await notebookWithout.save());
    assert.strictEqual(
      fs.readFileSync(bare, 'utf8'),
      '---\nfrom: 2024-01-01\n---\n\n```onetwentyone\nroute: profile\n```\n',
    );
  });

  test('an invalid parameter is squiggled with the query form’s message', async () => {
    const cell = notebook.cellAt(5);
    const [expected] = queryProblems({ route: 'quantity', metric: 'heartRate', params: { pageSize: 0 } });
    assert.ok(expected);
    const diagnostics = await waitFor('diagnostics of the invalid cell', () => {
      const found = vscode.languages.getDiagnostics(cell.document.uri);
      return found.length ? found : undefined;
    });
    assert.deepStrictEqual(
      diagnostics.map((d) => [d.message, d.range.start.line]),
      [[expected.message, 2]],
    );
  });

  test('completion in a query cell offers what the route takes', async () => {
    const labels = async (cell: number, line: number, character: number) => {
      const list = await vscode.commands.executeCommand<vscode.CompletionList>(
        'vscode.executeCompletionItemProvider',
        notebook.cellAt(cell).document.uri,
        new vscode.Position(line, character),
      );
      return list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    };
    // After "include_stages:" of the sleep cell: the flag's values.
    assert.ok((await labels(4, 3, 16)).includes('false'));
    // At the start of the steps cell's last line: the parameters it does not give yet.
    const keys = await labels(2, 4, 0);
    assert.ok(keys.includes('sort') && keys.includes('page'), keys.join(', '));
    assert.ok(!keys.includes('startDate'), 'a parameter given already is not offered');
  });

  test('running a cell shows the sandbox’s records for the notebook’s account and dates', async () => {
    const cell = notebook.cellAt(2);
    await vscode.commands.executeCommand('notebook.cell.execute', {
      ranges: [{ start: 2, end: 3 }],
      document: notebook.uri,
    });
    const output = await waitFor('the steps output', () => outputOf(cell));
    const expected = await sandboxRecords(
      `/api/v1/quantity/${ADA_USER_ID}/stepCount?startDate=2024-01-01&endDate=2024-01-02&pageSize=50`,
    );
    assert.ok(Array.isArray(expected) && expected.length > 0, 'the sandbox has steps on those days');
    assert.deepStrictEqual(output.records, expected);
    assert.strictEqual(output.recordCount, expected.length);
    assert.strictEqual(output.account, 'Ada');
    assert.strictEqual(cell.executionSummary?.success, true);
  });

  test('Run All runs every query cell top to bottom with the variables; the invalid one says why', async () => {
    await vscode.commands.executeCommand('notebook.execute', notebook.uri);
    const sleep = await waitFor('the sleep output', () => outputOf(notebook.cellAt(4)));
    const expected = await sandboxRecords(
      `/api/v1/sleep/${ADA_USER_ID}?startDate=2024-01-01&endDate=2024-01-02&include_stages=true`,
    );
    assert.deepStrictEqual(sleep.records, expected);
    // The hypnogram's nights come from the records' stages.
    assert.ok(sleep.hypnogram && sleep.hypnogram.nights.length > 0, 'a sleep output carries its nights');
    assert.strictEqual(sleep.hypnogram.nightCount, sleep.hypnogram.nights.length);
    assert.ok(sleep.hypnogram.nights.every((n) => n.stage.length > 0 && n.start < n.end));
    const failure = await waitFor('the invalid cell’s error', () => errorOf(notebook.cellAt(5)));
    assert.match(failure, /pageSize must be a whole number from 1 to 10,000\./);
    const order = [2, 4].map((i) => notebook.cellAt(i).executionSummary?.executionOrder ?? -1);
    assert.ok(order[0]! > 0 && order[0]! < order[1]!, `execution order ${order.join(', ')}`);
  });

  test('fetch: all ends with exactly the records of one request for every page', async () => {
    const cell = notebook.cellAt(6);
    const before = outputOf(cell)?.ranAt;
    await vscode.commands.executeCommand('notebook.cell.execute', {
      ranges: [{ start: 6, end: 7 }],
      document: notebook.uri,
    });
    const output = await waitFor('the fetch-all output', () => {
      const found = outputOf(cell);
      return found && found.ranAt !== before ? found : undefined;
    });
    const expected = await sandboxRecords(
      `/api/v1/quantity/${ADA_USER_ID}/stepCount?startDate=2024-01-01&endDate=2024-01-02&pageSize=10000`,
    );
    assert.ok(
      Array.isArray(expected) && expected.length > 20,
      `several pages of 10: ${JSON.stringify(expected).length}`,
    );
    assert.strictEqual(output.recordCount, expected.length);
    assert.deepStrictEqual(output.records, expected);
    assert.match(output.note ?? '', /\S/, 'says how the fetch ended');
    // The chart is computed from every record fetched: steps summed by day.
    const chart = output.chart;
    assert.ok(chart, 'a quantity output carries its chart');
    assert.strictEqual(chart.bucket, 'day');
    assert.strictEqual(chart.aggregation, 'sum');
    const sum = (list: readonly number[]): number => list.reduce((a, b) => a + b, 0);
    assert.strictEqual(sum(chart.count), expected.length);
    assert.strictEqual(sum(chart.value), sum((expected as { value: number }[]).map((r) => r.value)));
  });

  test('the example notebook runs against the sandbox, every query cell answered', async () => {
    const example = fs.readFileSync(path.join(getExtension().extensionPath, 'examples', 'steps.121nb'), 'utf8');
    // The example names the user Try the Sandbox signs in; this suite's token for the same user is "Ada".
    const copy = path.join(path.dirname(file), 'example.121nb');
    fs.writeFileSync(copy, example.replace('account: Ada (demo)', 'account: Ada'));
    const opened = await vscode.workspace.openNotebookDocument(vscode.Uri.file(copy));
    await vscode.window.showNotebookDocument(opened);
    await vscode.commands.executeCommand('notebook.selectKernel', {
      id: NOTEBOOK_CONTROLLER_ID,
      extension: EXTENSION_ID,
    });
    await vscode.commands.executeCommand('notebook.execute', opened.uri);
    const queries = opened.getCells().filter((c) => c.document.languageId === 'onetwentyone-query');
    assert.ok(queries.length >= 5);
    for (const cell of queries) {
      const output = await waitFor(
        `the output of ${cell.document.getText().split('\n')[0]}`,
        () => outputOf(cell),
        30_000,
      );
      assert.strictEqual(output.status, 200, errorOf(cell));
    }
    const steps = outputOf(queries[0]!);
    assert.ok(steps && steps.recordCount > 0, 'Ada has steps in the first week of 2024');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  /** Runs the steps cell again and waits until its fresh output has made the notebook dirty, so a save writes. */
  async function rerunStepsCell(): Promise<void> {
    const before = outputOf(notebook.cellAt(2))?.ranAt;
    await vscode.commands.executeCommand('notebook.cell.execute', {
      ranges: [{ start: 2, end: 3 }],
      document: notebook.uri,
    });
    await waitFor('a fresh steps output', () => {
      const output = outputOf(notebook.cellAt(2));
      return output && output.ranAt !== before ? output : undefined;
    });
    await waitFor('the notebook dirty with that output', () => notebook.isDirty || undefined);
  }

  test('saved without outputs by default, and never with a token or the user ID', async () => {
    // The example test before this one opens, runs and closes a second notebook; a fresh output here makes
    // sure this notebook has unsaved outputs whatever the workbench did meanwhile.
    await rerunStepsCell();
    assert.ok(outputOf(notebook.cellAt(2)), 'the cell has an output to leave out');
    assert.ok(await notebook.save(), 'saved');
    const saved = fs.readFileSync(file, 'utf8');
    assert.strictEqual(saved, NOTEBOOK, 'the file is as written: no outputs');
    assert.ok(!saved.includes(demoPat(ADA_USER_ID)));
  });

  test('with saveOutputs: true the outputs are saved, still without a token or user ID', async () => {
    const settings = notebook.cellAt(0).document;
    const edit = new vscode.WorkspaceEdit();
    edit.insert(settings.uri, new vscode.Position(settings.lineCount, 0), '\nsaveOutputs: true');
    assert.ok(await vscode.workspace.applyEdit(edit));
    await rerunStepsCell();
    assert.ok(await notebook.save(), 'saved');
    const saved = fs.readFileSync(file, 'utf8');
    assert.match(saved, /```onetwentyone-output\n\{"route":"quantity"/);
    assert.ok(!saved.includes(demoPat(ADA_USER_ID)), 'no token');
    assert.ok(!saved.includes(ADA_USER_ID), 'no user ID');
    assert.ok(!/bearer/i.test(saved), 'no authorization header');
  });
});

suite('Notebooks: a fetch: all cell that stopped partway resumes when run again', function () {
  this.timeout(120_000);
  let sandbox: SandboxHandle;
  let file: string;

  suiteSetup(async () => {
    await executeCommand('onetwentyone.auth.signOutAll', 'confirmed');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    sandbox = await startSandbox();
    await useSandboxEnvironment(sandbox.baseUrl);
    await addDemoPat(ADA_USER_ID, sandbox.baseUrl, 'Ada');
    file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'notebook-resume-')), 'resume.121nb');
    fs.writeFileSync(
      file,
      '```onetwentyone\nroute: quantity\nmetric: stepCount\nstartDate: 2024-01-01\nendDate: 2024-01-05\npageSize: 10\nfetch: all\n```\n',
    );
  });

  suiteTeardown(async () => {
    sandbox?.setFaults(undefined);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await executeCommand('onetwentyone.auth.signOutAll', 'confirmed');
    await sandbox?.close();
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  });

  test('cancelled partway, run again: the output says which pages came in which run and holds every record once', async () => {
    const notebook = await vscode.workspace.openNotebookDocument(vscode.Uri.file(file));
    await vscode.window.showNotebookDocument(notebook);
    await vscode.commands.executeCommand('notebook.selectKernel', {
      id: NOTEBOOK_CONTROLLER_ID,
      extension: EXTENSION_ID,
    });
    const cell = notebook.cellAt(0);
    const range = { ranges: [{ start: 0, end: 1 }], document: notebook.uri };
    const nextOutput = (what: string, before: string | undefined): Promise<CellOutput> =>
      waitFor(what, () => {
        const found = outputOf(cell);
        return found && found.ranAt !== before ? found : undefined;
      });

    // Slow pages, and a cancel once a few have come in.
    sandbox.setFaults({ latencyMs: 1_000 });
    // Running a cell resolves once the run ends: the cancel comes while it runs.
    const running = vscode.commands.executeCommand('notebook.cell.execute', range);
    await waitFor('a few pages fetched', () => sandbox.quotaUsed(ADA_USER_ID) >= 4);
    await vscode.commands.executeCommand('notebook.cancelExecution', notebook.uri);
    await running;
    const stopped = await nextOutput('the cancelled output', undefined);
    assert.strictEqual(stopped.resumable, true, stopped.note);
    const firstRunPages = stopped.recordCount / 10;
    assert.ok(Number.isInteger(firstRunPages) && firstRunPages >= 1, `${stopped.recordCount} records`);
    assert.strictEqual(
      stopped.runs,
      `Pages 1–${firstRunPages}: run 1 (cancelled). Resume starts at page ${firstRunPages + 1}.`,
    );
    assert.match(stopped.note ?? '', /Run the cell again to resume at page/);

    sandbox.setFaults(undefined);
    // Requests cancelled in flight are counted when the sandbox answers them, after its delay.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const spentBefore = sandbox.quotaUsed(ADA_USER_ID);
    await vscode.commands.executeCommand('notebook.cell.execute', range);
    const whole = await nextOutput('the resumed output', stopped.ranAt);
    const response = await fetch(
      `${sandbox.baseUrl}/api/v1/quantity/${ADA_USER_ID}/stepCount?startDate=2024-01-01&endDate=2024-01-05&pageSize=10000`,
      { headers: { Authorization: `Bearer ${demoPat(ADA_USER_ID)}` } },
    );
    const expected = ((await response.json()) as { data: unknown[] }).data;
    const pages = Math.ceil(expected.length / 10);
    assert.ok(pages > firstRunPages, `${pages} pages`);
    assert.strictEqual(whole.resumable, undefined);
    assert.deepStrictEqual(whole.records, expected);
    assert.strictEqual(
      whole.runs,
      `Pages 1–${firstRunPages}: run 1 (cancelled); pages ${firstRunPages + 1}–${pages}: run 2.`,
    );
    // The second run asked for the missing pages (and at most a look-ahead beyond), not the first run's again.
    const spent = sandbox.quotaUsed(ADA_USER_ID) - spentBefore;
    assert.ok(spent >= pages - firstRunPages && spent <= pages - firstRunPages + 3, `${spent} requests`);
  });
});
