import * as assert from 'assert';
import * as vscode from 'vscode';
import { FIVE_YEAR_USER_ID } from '../../src/sandbox/demoAccounts';
import type { FormState } from '../../src/shared/protocol';
import type { Account } from '../../src/vscode/auth/accountsContract';
import { executeCommand } from '../../src/vscode/commands';
import type { QueryPanel } from '../../src/vscode/explorer/queryPanel';
import type { SandboxController } from '../../src/vscode/sandbox/sandboxController';
import { waitFor } from '../support/waitFor';
import { addDemoPat, configuration as config, hooks } from './support/extension';
import { messagesOf, readyCount } from './support/panel';
import { startSandbox, useSandbox, type SandboxHandle } from './support/sandbox';

const DAY_MS = 86_400_000;

/** Adds the five-year user's personal token against the sandbox in use now, under `note`. */
function addPat(origin: string, note: string): Promise<Account> {
  return addDemoPat(FIVE_YEAR_USER_ID, origin, note);
}

/** Heart rate over `days` ending ten days ago, one page of 10,000 records (the five-year series ends about now). */
function heartRate(days: number): FormState['query'] {
  const end = Date.now() - 10 * DAY_MS;
  const day = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
  return {
    route: 'quantity',
    metric: 'heartRate',
    params: { startDate: day(end - (days - 1) * DAY_MS), endDate: day(end), pageSize: 10_000 },
  };
}

/** Sends a query through the panel as its form does; resolves with the failure message it was told. */
async function failedQuery(panel: QueryPanel, requestId: number, account: Account): Promise<string> {
  await panel.handleWebviewMessage({
    type: 'runQuery',
    requestId,
    form: { query: heartRate(1), accountId: account.id },
  });
  const failed = await waitFor(
    `the failure of request ${requestId}`,
    () => messagesOf(panel, 'didFailRequest').find((m) => m.requestId === requestId),
    30_000,
  );
  assert.strictEqual(
    messagesOf(panel, 'didReceiveResponse').some((m) => m.requestId === requestId),
    false,
    'no response',
  );
  return failed.message;
}

suite('Sandbox: stopped during a fetch, stopped for good, moved to another URL', function () {
  this.timeout(180_000);
  const other = useSandbox();
  let controller: SandboxController;
  /** Signed in against the sandbox "Start Sandbox" runs inside VS Code. */
  let inProcess: Account;
  /** Signed in against another sandbox, given by onetwentyone.sandbox.url. */
  let elsewhere: Account;
  let inProcessOrigin: string;

  suiteSetup(async () => {
    const h = await hooks();
    controller = h.sandbox.controller;
    await h.auth.accounts.whenLoaded();
    await config().update('environment', 'sandbox', vscode.ConfigurationTarget.Global);
    await config().update('sandbox.url', other().baseUrl, vscode.ConfigurationTarget.Global);
    elsewhere = await addPat(other().baseUrl, 'Other sandbox');
    await config().update('sandbox.url', undefined, vscode.ConfigurationTarget.Global);
    await executeCommand('onetwentyone.sandbox.start');
    inProcessOrigin = await waitFor('the sandbox started by the command', () => controller.baseUrl);
    inProcess = await addPat(inProcessOrigin, 'In-process sandbox');
  });

  suiteTeardown(async () => {
    (await hooks()).panel()?.dispose();
    if (controller.baseUrl) await executeCommand('onetwentyone.sandbox.stop');
    for (const account of [inProcess, elsewhere])
      if (account) await executeCommand('onetwentyone.auth.signOut', account.id);
    await config().update('sandbox.url', undefined, vscode.ConfigurationTarget.Global);
  });

  test('"Stop Sandbox" during "Fetch All Pages" ends the fetch as stopped by the sandbox, with no page after the stop; another origin\'s requests go on', async () => {
    const summary = await executeCommand('onetwentyone.query.runQuantity', {
      accountId: inProcess.id,
      metric: 'heartRate',
      ...heartRate(120).params,
    });
    assert.ok(summary, 'no first page');
    assert.ok(summary.url.startsWith(inProcessOrigin), summary.url);
    const panel = (await hooks()).panel()!;
    await waitFor('the webview ready handshake', () => readyCount(panel) > 0, 30_000);
    const otherSignal = (await hooks()).auth.accounts.signalFor(elsewhere.id);
    // A real API's round trip, so that the stop lands while pages are still on their way.
    controller.handle!.setFaults({ target: 'data', latencyMs: 150 });
    const running = panel.fetchAll({ confirmed: true, spendReserve: true });
    await waitFor(
      'a few pages',
      () =>
        messagesOf(panel, 'didUpdateResult').some(
          (m) => m.summary.resultId === summary.resultId && m.fetch?.running && m.fetch.pages >= 3,
        ),
      60_000,
    );

    let recordsAtStop: number | undefined;
    const listener = controller.onDidChange(() => {
      if (!controller.baseUrl) recordsAtStop ??= panel.result!.recordCount;
    });
    try {
      await executeCommand('onetwentyone.sandbox.stop');
    } finally {
      listener.dispose();
    }
    assert.strictEqual(controller.baseUrl, undefined, 'the sandbox stopped');
    assert.ok(recordsAtStop !== undefined, 'the stop was seen');
    const outcome = await running;
    assert.ok(outcome, 'no outcome');
    assert.strictEqual(outcome.reason, 'stopped', outcome.message);
    assert.strictEqual(outcome.partial, true);
    assert.match(
      outcome.message,
      /^Stopped at page \d+: The OneTwentyOne sandbox was stopped\. The [\d,]+ records before it are kept; the data is partial\.$/,
    );
    assert.strictEqual(outcome.records, recordsAtStop, 'no page was stored after the stop');
    assert.strictEqual(panel.result!.recordCount, recordsAtStop);
    assert.ok(recordsAtStop >= 30_000 && recordsAtStop < 120 * 1440, `records at the stop: ${recordsAtStop}`);
    const last = messagesOf(panel, 'didUpdateResult')
      .filter((m) => m.summary.resultId === summary.resultId)
      .pop()!;
    assert.strictEqual(last.fetch?.running, false);
    assert.strictEqual(last.fetch?.message, outcome.message);
    assert.strictEqual(otherSignal.aborted, false, 'requests of another origin are not stopped');
  });

  test('a query against the stopped sandbox says it is not running and how to start it', async () => {
    const panel = (await hooks()).panel()!;
    const message = await failedQuery(panel, 501, inProcess);
    assert.match(message, /^The OneTwentyOne sandbox is not running/);
    assert.match(message, new RegExp(`Nothing answers at ${inProcessOrigin.replace(/\./g, '\\.')}`));
    assert.match(message, /"OneTwentyOne: Start Sandbox"/);
    assert.doesNotMatch(message, /network connection|proxy/);
  });

  test("after onetwentyone.sandbox.url changes, the old URL's account is not active, and a query with it names the old URL and sends nothing", async () => {
    const before: SandboxHandle = other();
    const moved = await startSandbox();
    try {
      await config().update('sandbox.url', moved.baseUrl, vscode.ConfigurationTarget.Global);
      const h = await hooks();
      const row = await waitFor('the old URL in the Accounts view', () =>
        h.accountsTreeItems().find((r) => r.label === 'Other sandbox' && r.description.includes('old URL')),
      );
      assert.ok(row.description.includes(before.baseUrl), row.description);
      assert.doesNotMatch(row.description, /active/);
      assert.notStrictEqual(h.auth.accounts.activeAccount?.id, elsewhere.id);

      const sentBefore = before.requestLog.length;
      const message = await failedQuery(h.panel()!, 502, elsewhere);
      assert.ok(
        message.includes(`signed in against the sandbox at ${before.baseUrl}, but the sandbox is now ${moved.baseUrl}`),
        message,
      );
      assert.match(message, /Sign in again/);
      assert.strictEqual(before.requestLog.length, sentBefore, 'nothing was sent to the old URL');
      assert.strictEqual(moved.requestLog.length, 0, 'the token did not go to the new URL either');
    } finally {
      await config().update('sandbox.url', undefined, vscode.ConfigurationTarget.Global);
      await moved.close();
    }
  });
});
