import * as assert from 'assert';
import { ADA_USER_ID } from '../../src/sandbox/demoAccounts';
import { executeCommand } from '../../src/vscode/commands';
import type { QueryPanel } from '../../src/vscode/explorer/queryPanel';
import { waitFor } from '../support/waitFor';
import { addDemoPat, hooks, useSandboxEnvironment } from './support/extension';
import { useSandbox } from './support/sandbox';

/**
 * What the panel shows under a new question: opening another endpoint from the tree or typing a
 * metric leaves no older result (with its Fetch All and Export) on screen; neither does a request
 * that failed. The same query again (another page of it) keeps the result until its answer comes.
 */
suite('Query panel: no result under another question', function () {
  this.timeout(60_000);
  const sandbox = useSandbox();
  let panel: QueryPanel;

  suiteSetup(async () => {
    await useSandboxEnvironment(sandbox().baseUrl);
    await addDemoPat(ADA_USER_ID, sandbox().baseUrl, 'Ada');
  });

  suiteTeardown(async () => {
    await executeCommand('onetwentyone.auth.signOutAll', 'confirmed');
  });

  async function showSleep(): Promise<void> {
    await executeCommand('onetwentyone.endpoints.open', { kind: 'route', route: { id: 'sleep' } });
    const h = await hooks();
    panel = await waitFor('the query panel', () => h.panel());
    await panel.runFromHost({ query: { route: 'sleep', params: { pageSize: 50 } } });
    assert.ok(panel.result, 'a sleep result');
  }

  test('opening another endpoint from the tree, or typing a metric, drops the result on screen', async () => {
    await showSleep();
    await executeCommand('onetwentyone.endpoints.open', { kind: 'route', route: { id: 'workout' } });
    // Dropped on the host: the webview is told at once, or (hidden) gets no result when it shows again.
    assert.strictEqual(panel.result, undefined);
    assert.strictEqual(panel.panel.title, 'OneTwentyOne Query');

    await showSleep();
    await executeCommand('onetwentyone.endpoints.enterMetric', 'heartRate');
    assert.strictEqual(panel.result, undefined);
  });

  test('a request that fails leaves no older result under its error', async () => {
    await showSleep();
    // 501 is not retried: the request fails at once.
    sandbox().setFaults({ serverErrors: { count: 1, status: 501 } });
    try {
      await panel.runFromHost({ query: { route: 'workout', params: { pageSize: 50 } } });
    } finally {
      sandbox().setFaults(undefined);
    }
    assert.strictEqual(panel.result, undefined);
  });
});
