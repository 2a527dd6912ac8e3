import * as assert from 'assert';
import * as vscode from 'vscode';
import { ADA_USER_ID, DEMO_USERS } from '../../src/sandbox/demoAccounts';
import type { Account } from '../../src/vscode/auth/accountsContract';
import type { SandboxController } from '../../src/vscode/sandbox/sandboxController';
import { activateExtension, waitFor } from './support/extension';
import { useSandbox } from './support/sandbox';

interface Hooks {
  sandboxController: SandboxController;
  auth: { accounts: { list(): readonly Account[]; whenLoaded(): Promise<void> } };
}

async function hooks(): Promise<Hooks> {
  return (await activateExtension()).testHooks() as unknown as Hooks;
}

const config = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('onetwentyone');
const ada = { userId: ADA_USER_ID, token: DEMO_USERS.find((u) => u.userId === ADA_USER_ID)!.pat, note: 'Ada' };

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
    await vscode.commands.executeCommand('onetwentyone.auth.signOutAll', 'confirmed');
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('onetwentyone.auth.signOutAll', 'confirmed');
    await config().update('sandbox.url', undefined, vscode.ConfigurationTarget.Global);
    await config().update('environment', undefined, vscode.ConfigurationTarget.Global);
  });

  test('with onetwentyone.sandbox.url set, it uses that sandbox and signs the picked user in against it', async () => {
    const { sandboxController, auth } = await hooks();
    await config().update('environment', 'production', vscode.ConfigurationTarget.Global);
    await config().update('sandbox.url', configured().baseUrl, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('onetwentyone.sandbox.try', ada);
    assert.strictEqual(sandboxController.baseUrl, undefined, 'no second sandbox was started');
    assert.strictEqual(config().get('environment'), 'sandbox');
    const origin = new URL(configured().baseUrl).origin;
    const account = await waitFor('Ada against the configured sandbox', () =>
      auth.accounts.list().find((a) => a.userId === ADA_USER_ID && a.environment.origin === origin),
    );
    assert.strictEqual(account.label, 'Ada');
  });

  test('without it, it starts the sandbox inside VS Code and signs the picked user in there', async () => {
    const { sandboxController, auth } = await hooks();
    await vscode.commands.executeCommand('onetwentyone.auth.signOutAll', 'confirmed');
    await config().update('sandbox.url', undefined, vscode.ConfigurationTarget.Global);
    try {
      await vscode.commands.executeCommand('onetwentyone.sandbox.try', ada);
      const started = sandboxController.baseUrl;
      assert.ok(started, 'the sandbox runs inside VS Code');
      const origin = new URL(started).origin;
      await waitFor('Ada against the started sandbox', () =>
        auth.accounts.list().find((a) => a.userId === ADA_USER_ID && a.environment.origin === origin),
      );
    } finally {
      await sandboxController.stop();
    }
  });
});
