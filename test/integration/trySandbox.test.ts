import * as assert from 'assert';
import * as vscode from 'vscode';
import { ADA_USER_ID } from '../../src/sandbox/demoAccounts';
import { executeCommand } from '../../src/vscode/commands';
import { waitFor } from '../support/waitFor';
import { accountAt, configuration as config, demoPat, hooks } from './support/extension';
import { useSandbox } from './support/sandbox';

const ada = { userId: ADA_USER_ID, token: demoPat(ADA_USER_ID), note: 'Ada' };

/**
 * "Try the Sandbox" (the welcome view's button) under `npm start`, which runs a sandbox and names it
 * in onetwentyone.sandbox.url: that sandbox is the one used, no second one starts, and the command
 * goes on to sign a synthetic user in (the user's pick is scripted here; the e2e test picks it).
 */
suite('Try the Sandbox', function () {
  this.timeout(60_000);
  const configured = useSandbox();

  suiteSetup(async () => {
    await (await hooks()).auth.accounts.whenLoaded();
    await executeCommand('onetwentyone.auth.signOutAll', 'confirmed');
  });

  suiteTeardown(async () => {
    await executeCommand('onetwentyone.auth.signOutAll', 'confirmed');
    await config().update('sandbox.url', undefined, vscode.ConfigurationTarget.Global);
    await config().update('environment', undefined, vscode.ConfigurationTarget.Global);
  });

  test('with onetwentyone.sandbox.url set, it uses that sandbox and signs the picked user in against it', async () => {
    const sandboxController = (await hooks()).sandbox.controller;
    await config().update('environment', 'production', vscode.ConfigurationTarget.Global);
    await config().update('sandbox.url', configured().baseUrl, vscode.ConfigurationTarget.Global);
    await executeCommand('onetwentyone.sandbox.try', ada);
    assert.strictEqual(sandboxController.baseUrl, undefined, 'no second sandbox was started');
    assert.strictEqual(config().get('environment'), 'sandbox');
    const origin = new URL(configured().baseUrl).origin;
    const account = await waitFor('Ada against the configured sandbox', () => accountAt(ADA_USER_ID, origin));
    assert.strictEqual(account.label, 'Ada');
  });

  test('without it, it starts the sandbox inside VS Code and signs the picked user in there', async () => {
    const sandboxController = (await hooks()).sandbox.controller;
    await executeCommand('onetwentyone.auth.signOutAll', 'confirmed');
    await config().update('sandbox.url', undefined, vscode.ConfigurationTarget.Global);
    try {
      await executeCommand('onetwentyone.sandbox.try', ada);
      const started = sandboxController.baseUrl;
      assert.ok(started, 'the sandbox runs inside VS Code');
      const origin = new URL(started).origin;
      await waitFor('Ada against the started sandbox', () => accountAt(ADA_USER_ID, origin));
    } finally {
      await sandboxController.stop();
    }
  });
});
