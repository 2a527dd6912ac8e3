import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { ADA_USER_ID, HOSTILE_USER_ID } from '../../src/sandbox/demoAccounts';
import type { Account } from '../../src/vscode/auth/accountsContract';
import { executeCommand } from '../../src/vscode/commands';
import { NOTEBOOK_TYPE, RECORDS_MIME } from '../../src/vscode/notebook/notebookIds';
import { waitFor } from '../support/waitFor';
import { addDemoPat, demoPat, hooks, useSandboxEnvironment } from './support/extension';
import { useSandbox } from './support/sandbox';

type Json = Record<string, unknown>;

/** Every leaf of a record by dotted name, nulls left out (a missing field and a null compare alike). */
function leaves(record: unknown, prefix = '', out = new Map<string, string>()): Map<string, string> {
  for (const [key, value] of Object.entries(record as Json)) {
    const name = prefix ? `${prefix}.${key}` : key;
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) leaves(value, name, out);
    else if (value !== null) out.set(name, JSON.stringify(value));
  }
  return out;
}

/** The differences of two lists of records paired by start time, worked out here from the records alone. */
function expectedDiff(a: readonly Json[], b: readonly Json[]) {
  const byTime = (records: readonly Json[]) => new Map(records.map((r) => [Date.parse(String(r.start_date)), r]));
  const ta = byTime(a);
  const tb = byTime(b);
  const changed = new Map<number, string[]>();
  let unchanged = 0;
  for (const [time, ra] of ta) {
    const rb = tb.get(time);
    if (!rb) continue;
    const la = leaves(ra);
    const lb = leaves(rb);
    const fields = [...new Set([...la.keys(), ...lb.keys()])].filter((f) => la.get(f) !== lb.get(f));
    if (fields.length) changed.set(time, fields);
    else unchanged++;
  }
  return {
    ta,
    tb,
    changed,
    counts: {
      a: a.length,
      b: b.length,
      unchanged,
      changed: changed.size,
      added: [...tb.keys()].filter((t) => !ta.has(t)).length,
      removed: [...ta.keys()].filter((t) => !tb.has(t)).length,
    },
  };
}

function utcDate(daysAgo: number): string {
  return new Date(Date.now() - daysAgo * 86_400_000).toISOString().slice(0, 10);
}

suite('Compare: two results side by side', function () {
  this.timeout(90_000);
  const sandbox = useSandbox();
  let ada: Account;
  let hostile: Account;
  let tmp: string;
  // Two recent days, where both users have hourly step counts (the sandbox's data ends today).
  const range = { startDate: utcDate(3), endDate: utcDate(2) };

  async function fetchSteps(userId: string): Promise<Json[]> {
    const url = `${sandbox().baseUrl}/api/v1/quantity/${userId}/stepCount?startDate=${range.startDate}&endDate=${range.endDate}&pageSize=1000`;
    const response = await fetch(url, { headers: { Authorization: `Bearer ${demoPat(userId)}` } });
    const body = (await response.json()) as { data: Json[]; pagination: { has_more: boolean } };
    assert.strictEqual(body.pagination.has_more, false, 'the range fits one page');
    return body.data;
  }

  function compareTabs(): vscode.Tab[] {
    return vscode.window.tabGroups.all
      .flatMap((g) => g.tabs)
      .filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.includes('onetwentyone.compare'));
  }

  suiteSetup(async () => {
    await executeCommand('onetwentyone.auth.signOutAll', 'confirmed');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await useSandboxEnvironment(sandbox().baseUrl);
    ada = await addDemoPat(ADA_USER_ID, sandbox().baseUrl, 'Ada');
    hostile = await addDemoPat(HOSTILE_USER_ID, sandbox().baseUrl, 'Hostile');
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'compare-'));
  });

  suiteTeardown(async () => {
    (await hooks()).panel()?.dispose();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await executeCommand('onetwentyone.auth.signOutAll', 'confirmed');
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  /** The range's step counts of one account, in the query panel. */
  const runSteps = (accountId: string) =>
    executeCommand('onetwentyone.query.runQuantity', { accountId, metric: 'stepCount', ...range, pageSize: 1000 });

  test("two users' step counts: the diff's counts and changed values are those of the sandbox's records", async () => {
    assert.strictEqual((await runSteps(ada.id))?.status, 200);
    const kept = await executeCommand('onetwentyone.compare.keepResult');
    assert.ok(kept, 'the panel result was not kept');
    assert.strictEqual((await runSteps(hostile.id))?.status, 200);
    const outcome = await executeCommand('onetwentyone.compare.results', {
      first: { kind: 'kept', id: kept.id },
      second: { kind: 'panel' },
    });
    assert.ok(outcome, 'no comparison');

    const expected = expectedDiff(await fetchSteps(ADA_USER_ID), await fetchSteps(HOSTILE_USER_ID));
    assert.ok(expected.counts.changed > 0 && expected.counts.removed + expected.counts.added > 0, 'a dull range');
    assert.strictEqual(outcome.key, 'time');
    assert.deepStrictEqual(outcome.counts, expected.counts);
    assert.strictEqual(outcome.differences, expected.counts.changed + expected.counts.added + expected.counts.removed);
    const valueChanges = [...expected.changed.values()].filter((fields) => fields.includes('value')).length;
    assert.strictEqual(outcome.fields.find((f) => f.field === 'value')?.changed ?? 0, valueChanges);

    const changedRows = outcome.rows.filter((r) => r.kind === 'changed');
    // The outcome lists the first hundred differences, in key order: here every one of them.
    assert.ok(outcome.differences <= 100);
    assert.strictEqual(changedRows.length, expected.counts.changed);
    for (const row of changedRows) {
      const time = Date.parse(row.key);
      const a = expected.ta.get(time);
      const b = expected.tb.get(time);
      assert.ok(a && b, `no pair at ${row.key}`);
      assert.deepStrictEqual(
        row.fields.map((f) => f.field).sort(),
        [...(expected.changed.get(time) ?? [])].sort(),
        `fields at ${row.key}`,
      );
      const value = row.fields.find((f) => f.field === 'value');
      if (a.value !== b.value)
        assert.deepStrictEqual(value, { field: 'value', a: String(a.value), b: String(b.value) });
    }
    for (const row of outcome.rows.filter((r) => r.kind === 'removed'))
      assert.ok(expected.ta.has(Date.parse(row.key)) && !expected.tb.has(Date.parse(row.key)));

    assert.ok(outcome.chart, 'a quantity comparison has a chart');
    assert.strictEqual(outcome.chart.bucket, 'day');
    assert.ok(outcome.chart.a > 0 && outcome.chart.b > 0, JSON.stringify(outcome.chart));
    await waitFor('the compare view', () => compareTabs().length === 1);
  });

  test('the CSV export of a result compares equal to the result; an edited export shows its change', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const summary = await runSteps(ada.id);
    assert.strictEqual(summary?.status, 200);
    const file = path.join(tmp, 'steps.csv');
    await executeCommand('onetwentyone.query.export', { format: 'csv', path: file });
    await waitFor('the export', () => fs.existsSync(file) && fs.readFileSync(file, 'utf8').split('\n').length > 10);
    const same = await executeCommand('onetwentyone.compare.results', {
      first: { kind: 'panel' },
      second: { kind: 'file', path: file },
    });
    assert.ok(same);
    assert.deepStrictEqual(
      { differences: same.differences, unchanged: same.counts.unchanged },
      { differences: 0, unchanged: summary.recordCount },
    );

    const lines = fs.readFileSync(file, 'utf8').split('\r\n');
    const header = lines[0]!.split(',');
    const valueColumn = header.indexOf('value');
    const cells = lines[1]!.split(',');
    const before = cells[valueColumn]!;
    cells[valueColumn] = String(Number(before) + 1);
    lines[1] = cells.join(',');
    const edited = path.join(tmp, 'edited.csv');
    fs.writeFileSync(edited, lines.join('\r\n'));
    const outcome = await executeCommand('onetwentyone.compare.results', {
      first: { kind: 'panel' },
      second: { kind: 'file', path: edited },
    });
    assert.ok(outcome);
    assert.deepStrictEqual(
      outcome.rows.map((r) => [r.kind, r.fields]),
      [['changed', [{ field: 'value', a: before, b: String(Number(before) + 1) }]]],
    );
  });

  test("a notebook cell's output compares with the query panel's result of the same query", async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const summary = await runSteps(ada.id);
    assert.strictEqual(summary?.status, 200);
    // The output a query cell's run leaves (src/core/notebook/cellOutput.ts), with one value changed.
    const records = await fetchSteps(ADA_USER_ID);
    const edited = records.map((r, i) => (i === 5 ? { ...r, value: Number(r.value) + 7 } : r));
    const output = {
      route: 'quantity',
      metric: 'stepCount',
      account: 'Ada',
      status: 200,
      ranAt: new Date().toISOString(),
      records: edited,
      recordCount: edited.length,
    };
    const cell = new vscode.NotebookCellData(vscode.NotebookCellKind.Code, 'route: quantity', 'onetwentyone-query');
    cell.outputs = [
      new vscode.NotebookCellOutput([vscode.NotebookCellOutputItem.text(JSON.stringify(output), RECORDS_MIME)]),
    ];
    // The workbench learns of the notebook type a moment after activation; until then opening fails.
    const notebook = await waitFor('a OneTwentyOne notebook', async () => {
      try {
        return await vscode.workspace.openNotebookDocument(NOTEBOOK_TYPE, new vscode.NotebookData([cell]));
      } catch {
        return undefined;
      }
    });
    const outcome = await executeCommand('onetwentyone.compare.results', {
      first: { kind: 'panel' },
      second: { kind: 'cell', notebook: notebook.uri.toString(), cell: 0 },
    });
    assert.ok(outcome);
    const changedAt = records[5]!;
    assert.deepStrictEqual(
      outcome.rows.map((r) => [r.kind, Date.parse(r.key), r.fields]),
      [
        [
          'changed',
          Date.parse(String(changedAt.start_date)),
          [{ field: 'value', a: String(changedAt.value), b: String(Number(changedAt.value) + 7) }],
        ],
      ],
    );
    assert.strictEqual(outcome.counts.unchanged, records.length - 1);
  });
});
