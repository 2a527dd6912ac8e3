import * as assert from 'assert';
import * as vscode from 'vscode';
import { ADA_USER_ID } from '../../src/sandbox/demoAccounts';
import { DAY_MS } from '../../src/sandbox/clock';
import type { FetchStatus } from '../../src/shared/protocol';
import { executeCommand } from '../../src/vscode/commands';
import { waitFor } from '../support/waitFor';
import { addDemoPat, demoPat, hooks, useSandboxEnvironment } from './support/extension';
import { messagesOf, readyPanel } from './support/panel';
import { startSandbox, type SandboxHandle } from './support/sandbox';

const DAILY_LIMIT = 6;
const PAGE_SIZE = 20;
/** Ten days of hourly step counts: 240 records, 12 pages of 20. */
const RANGE = { startDate: '2024-01-01', endDate: '2024-01-10' };

/** Every record of the range as a sandbox of its own serves it, read page by page with Node's fetch. */
async function referenceRecords(): Promise<unknown[]> {
  const fresh = await startSandbox();
  try {
    const all: unknown[] = [];
    for (let page = 1; ; page++) {
      const url = new URL(`/api/v1/quantity/${ADA_USER_ID}/stepCount`, fresh.baseUrl);
      for (const [k, v] of Object.entries({ ...RANGE, page: String(page), pageSize: String(PAGE_SIZE) }))
        url.searchParams.set(k, v);
      const response = await fetch(url, { headers: { Authorization: `Bearer ${demoPat(ADA_USER_ID)}` } });
      assert.strictEqual(response.status, 200);
      const body = (await response.json()) as { data: unknown[]; pagination: { has_more: boolean } };
      all.push(...body.data);
      if (!body.pagination.has_more) return all;
    }
  } finally {
    await fresh.close();
  }
}

function tenMinutesBeforeLastMidnight(): number {
  return Math.floor(Date.now() / DAY_MS) * DAY_MS - 10 * 60_000;
}

/**
 * A fetch of all pages stopped by the sandbox's daily quota, resumed after the sandbox's clock passes
 * the reset, in a real VS Code: the query panel's result ends with exactly the records of an
 * uninterrupted fetch, each once, and says which pages came in which run.
 */
suite('Resume a fetch of all pages stopped by the quota', function () {
  this.timeout(120_000);
  let sandbox: SandboxHandle;

  suiteSetup(async () => {
    await executeCommand('onetwentyone.auth.signOutAll', 'confirmed');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    sandbox = await startSandbox({ dailyLimit: DAILY_LIMIT });
    // Ten minutes before the sandbox's midnight, which is already past on this machine's clock: the
    // quota resets when the test moves the sandbox's clock on, and the reset time it reports does
    // not make the client wait for a real midnight.
    sandbox.clock.set(tenMinutesBeforeLastMidnight());
    await useSandboxEnvironment(sandbox.baseUrl);
  });

  suiteTeardown(async () => {
    (await hooks()).panel()?.dispose();
    await executeCommand('onetwentyone.auth.signOutAll', 'confirmed');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await sandbox?.close();
  });

  test('stops on the quota, resumes after the reset from the next page, and ends with every record once', async () => {
    const account = await addDemoPat(ADA_USER_ID, sandbox.baseUrl, 'Ada (resume)');
    const summary = await executeCommand('onetwentyone.query.runQuantity', {
      accountId: account.id,
      metric: 'stepCount',
      ...RANGE,
      pageSize: PAGE_SIZE,
    });
    assert.strictEqual(summary?.recordCount, PAGE_SIZE);
    const panel = await readyPanel();

    const stopped = await executeCommand('onetwentyone.query.fetchAll', { confirmed: true, spendReserve: true });
    assert.strictEqual(stopped?.reason, 'quota', stopped?.message);
    assert.ok(stopped.resume, 'a partial run leaves a resume point');
    const firstRunPages = stopped.pages;
    assert.ok(firstRunPages >= 1 && firstRunPages <= DAILY_LIMIT, `first run: ${firstRunPages} pages`);
    assert.strictEqual(panel.result?.recordCount, firstRunPages * PAGE_SIZE);
    assert.strictEqual(sandbox.quotaUsed(ADA_USER_ID), DAILY_LIMIT);
    const lastStatus = (): FetchStatus | null | undefined => messagesOf(panel, 'didUpdateResult').at(-1)?.fetch;
    const partial = await waitFor('the partial status', () => {
      const status = lastStatus();
      return status && !status.running ? status : undefined;
    });
    assert.strictEqual(partial.resumable, true);
    assert.strictEqual(
      partial.runs,
      `Pages 1–${firstRunPages}: run 1 (stopped: quota). Resume starts at page ${firstRunPages + 1}.`,
    );

    // Past the sandbox's midnight: a new day's quota. The Resume button asks as Fetch All Pages does.
    sandbox.clock.advance(11 * 60_000);
    assert.strictEqual(sandbox.quotaUsed(ADA_USER_ID), 0);
    const updatesBefore = messagesOf(panel, 'didUpdateResult').length;
    await panel.handleWebviewMessage({ type: 'fetchAll', resultId: summary.resultId });
    const finished = await waitFor('the resumed run to finish', () => {
      const status = lastStatus();
      return messagesOf(panel, 'didUpdateResult').length > updatesBefore && status && !status.running
        ? status
        : undefined;
    });

    const expected = await referenceRecords();
    const pages = Math.ceil(expected.length / PAGE_SIZE);
    assert.ok(pages > firstRunPages, `${pages} pages in all`);
    assert.strictEqual(finished.reason, 'complete', finished.message);
    assert.strictEqual(finished.resumable, false);
    assert.strictEqual(finished.pages, pages);
    assert.strictEqual(
      finished.runs,
      `Pages 1–${firstRunPages}: run 1 (stopped: quota); pages ${firstRunPages + 1}–${pages}: run 2.`,
    );
    // The second run asked for the pages the result still needed (and at most a look-ahead beyond), never page 1 again.
    const spent = sandbox.quotaUsed(ADA_USER_ID);
    assert.ok(spent >= pages - firstRunPages && spent <= pages - firstRunPages + 3, `${spent} requests`);
    const store = panel.result.store!;
    assert.strictEqual(store.count, expected.length);
    assert.deepStrictEqual(JSON.parse(store.getRows(0, store.count, Number.MAX_SAFE_INTEGER).json), expected);

    // Nothing more to resume: asking again says the result is whole.
    const again = await executeCommand('onetwentyone.query.fetchAll', { confirmed: true });
    assert.strictEqual(again, undefined);
  });
  test('a stopped fetch outlives its closed panel: the panel opened again shows it and resumes it', async () => {
    // A sandbox of its own, so that its quota and clock start where the first test's did.
    const second = await startSandbox({ dailyLimit: DAILY_LIMIT });
    try {
      second.clock.set(tenMinutesBeforeLastMidnight());
      await executeCommand('onetwentyone.auth.signOutAll', 'confirmed');
      await useSandboxEnvironment(second.baseUrl);
      const account = await addDemoPat(ADA_USER_ID, second.baseUrl, 'Ada (closed panel)');
      const summary = await executeCommand('onetwentyone.query.runQuantity', {
        accountId: account.id,
        metric: 'stepCount',
        ...RANGE,
        pageSize: PAGE_SIZE,
      });
      assert.ok(summary, 'the first page came');
      const first = await readyPanel();
      const stopped = await executeCommand('onetwentyone.query.fetchAll', { confirmed: true, spendReserve: true });
      assert.strictEqual(stopped?.reason, 'quota', stopped?.message);
      const kept = first.result;
      assert.ok(kept?.fetch?.resumable, 'the stopped result can resume');

      // The user closes the panel's tab, as any editor, then opens the panel again the next day.
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      const h = await hooks();
      await waitFor('the panel to close', () => (h.panel() === undefined ? true : undefined));
      second.clock.advance(11 * 60_000);
      await executeCommand('onetwentyone.query.open');
      const reopened = await readyPanel();
      assert.notStrictEqual(reopened, first);
      assert.strictEqual(reopened.result, kept, 'the new panel shows the stopped result');
      const shown = messagesOf(reopened, 'didUpdateResult').at(-1)?.fetch;
      assert.strictEqual(shown?.resumable, true, 'with Resume');

      const updatesBefore = messagesOf(reopened, 'didUpdateResult').length;
      await reopened.handleWebviewMessage({ type: 'fetchAll', resultId: summary.resultId });
      const finished = await waitFor('the resumed run to finish', () => {
        const updates = messagesOf(reopened, 'didUpdateResult');
        const status = updates.at(-1)?.fetch;
        return updates.length > updatesBefore && status && !status.running ? status : undefined;
      });
      assert.strictEqual(finished.reason, 'complete', finished.message);
      const expected = await referenceRecords();
      const store = reopened.result?.store;
      assert.ok(store, 'the resumed result has its records');
      assert.strictEqual(store.count, expected.length);
      assert.deepStrictEqual(JSON.parse(store.getRows(0, store.count, Number.MAX_SAFE_INTEGER).json), expected);
    } finally {
      (await hooks()).panel()?.dispose();
      await executeCommand('onetwentyone.auth.signOutAll', 'confirmed');
      await second.close();
    }
  });
});
