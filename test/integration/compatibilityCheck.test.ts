import * as assert from 'assert';
import * as vscode from 'vscode';
import type { DialectName } from '../../src/sandbox/dialects';
import { ADA_USER_ID } from '../../src/sandbox/demoAccounts';
import { executeCommand } from '../../src/vscode/commands';
import { demoPat, hooks, useSandboxEnvironment, type TestHooks } from './support/extension';
import { startSandbox, type SandboxHandle } from './support/sandbox';

/** Runs "Check API Compatibility" for Ada's personal access token against a sandbox of `dialect`. */
async function reportFor(
  dialect: DialectName | undefined,
): Promise<{ report: string; shown: string; dataRequests: number }> {
  const sandbox: SandboxHandle = await startSandbox(dialect ? { dialect } : {});
  try {
    await useSandboxEnvironment(sandbox.baseUrl);
    const h: TestHooks = await hooks();
    await h.auth.accounts.whenLoaded();
    const id = await executeCommand('onetwentyone.auth.addPersonalAccessToken', {
      userId: ADA_USER_ID,
      token: demoPat(ADA_USER_ID),
    });
    assert.ok(typeof id === 'string');
    const before = sandbox.requestLog.length;
    const report = await executeCommand('onetwentyone.auth.checkCompatibility', id, 'confirmed');
    assert.ok(typeof report === 'string');
    const shown = vscode.window.activeTextEditor?.document;
    assert.strictEqual(shown?.languageId, 'markdown');
    assert.ok(shown.isUntitled);
    const dataRequests = sandbox.requestLog.slice(before).filter((r) => r.path.startsWith('/api/v1/')).length;
    await executeCommand('onetwentyone.auth.signOut', id);
    return { report, shown: shown.getText(), dataRequests };
  } finally {
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await sandbox.close();
  }
}

function assertNoSecrets(report: string): void {
  for (const secret of [ADA_USER_ID, demoPat(ADA_USER_ID), 'Bearer', '?page=']) {
    assert.ok(!report.includes(secret), `the report holds ${secret}`);
  }
}

suite('Check API Compatibility: a shapes-only report in an untitled editor', function () {
  this.timeout(120_000);

  test('against the default sandbox: one request per route, nothing differs', async () => {
    const { report, shown, dataRequests } = await reportFor(undefined);
    assert.strictEqual(shown, report);
    assert.strictEqual(dataRequests, 7, 'one request per route, not retried');
    assert.match(report, /Nothing: every answer has the shapes the explorer expects\./, report);
    assert.match(report, /Token request body: not used \(a personal access token\)/);
    assert.match(report, /next_page absolute URL, same origin|next_page relative path/);
    assertNoSecrets(report);
  });

  test('against lean paging: the omitted links are flagged', async () => {
    const { report } = await reportFor('lean-paging');
    assert.match(report, /quantity: prev_page is omitted rather than null/, report);
    assert.doesNotMatch(report, /Nothing: every answer/);
    assertNoSecrets(report);
  });

  test('against export-style records: the sleep fields the explorer does not read are named', async () => {
    const { report } = await reportFor('export');
    assert.match(report, /sleep: start_date: expected string \(date-time\), missing/, report);
    assert.match(report, /\| `time_in_bed_start` \| — \| string \| not expected \|/);
    assertNoSecrets(report);
  });
});
