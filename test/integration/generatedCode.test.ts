import * as assert from 'assert';
import * as vscode from 'vscode';
import { ADA_USER_ID, DEMO_USERS } from '../../src/sandbox/demoAccounts';
import { executeCommand } from '../../src/vscode/commands';
import { waitFor } from '../support/waitFor';
import { addDemoPat, hooks, useSandboxEnvironment } from './support/extension';
import { useSandbox } from './support/sandbox';

/**
 * "Generate Types from Result" and "Copy as TypeScript Client" from the palette, on a result in the
 * query panel: the types open in an untitled TypeScript editor, the client goes to the clipboard,
 * and neither holds the token. (What the generated code does is checked in the unit tier, where the
 * client is type-checked with tsc --strict and run against the sandbox.)
 */
suite('Code from a result: types and a TypeScript client', function () {
  this.timeout(60_000);
  const sandbox = useSandbox();
  const adaPat = DEMO_USERS.find((u) => u.userId === ADA_USER_ID)?.pat ?? '';

  suiteSetup(async () => {
    await useSandboxEnvironment(sandbox().baseUrl);
    await addDemoPat(ADA_USER_ID, sandbox().baseUrl, 'Ada');
    // A query panel left by an earlier suite would hold a result.
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  suiteTeardown(async () => {
    await executeCommand('onetwentyone.auth.signOutAll', 'confirmed');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('without a result, each says to run a query first and opens nothing', async () => {
    const editorsBefore = vscode.workspace.textDocuments.length;
    await executeCommand('onetwentyone.query.generateTypes');
    assert.strictEqual(vscode.workspace.textDocuments.length, editorsBefore);
  });

  test('types of a sleep result open beside the panel; the client for its query goes to the clipboard', async () => {
    await executeCommand('onetwentyone.endpoints.open', { kind: 'route', route: { id: 'sleep' } });
    const h = await hooks();
    const panel = await waitFor('the query panel', () => h.panel());
    await panel.runFromHost({ query: { route: 'sleep', params: { pageSize: 20, page: 2, include_stages: true } } });
    const count = panel.result?.recordCount ?? 0;
    assert.ok(count > 0, 'a sleep result');

    await executeCommand('onetwentyone.query.generateTypes');
    const types = await waitFor('the generated types', () =>
      vscode.workspace.textDocuments.find((d) => d.isUntitled && d.languageId === 'typescript'),
    );
    const text = types.getText();
    assert.match(text, new RegExp(`from ${count} records of`));
    assert.match(text, /export type SleepRecord = \{/);
    assert.match(text, /export const SleepRecordSchema = z\.object\(\{/);
    assert.ok(!text.includes(adaPat), 'no token in the types');

    await vscode.env.clipboard.writeText('');
    await executeCommand('onetwentyone.query.copyAsClient');
    const client = await waitFor(
      'the client on the clipboard',
      async () => (await vscode.env.clipboard.readText()) || undefined,
    );
    assert.match(client, new RegExp(`const ORIGIN = "${new URL(sandbox().baseUrl).origin.replace(/\./g, '\\.')}";`));
    assert.match(client, new RegExp(`const FIRST_PAGE = "/api/v1/sleep/${ADA_USER_ID}\\?[^"]*include_stages=true`));
    assert.doesNotMatch(client, /const FIRST_PAGE = "[^"]*[?&]page=/, 'the client starts at the first page');
    assert.match(client, /export async function\* fetchSleepRecords/);
    assert.ok(!client.includes(adaPat), 'no token in the client');
  });
});
