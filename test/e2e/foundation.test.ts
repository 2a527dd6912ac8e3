import * as assert from 'assert';
import { waitFor } from '../support/waitFor';
import { workbenchPerSuite } from './support/suiteWorkbench';

suite('Foundation e2e: the extension in the workbench', () => {
  const session = workbenchPerSuite();

  // First, in a fresh window: the command is what activates the extension (its log channel is created
  // in activate()), so this also shows activation on a command.
  test('"OneTwentyOne: Show Log" from the palette shows the OneTwentyOne output channel', async () => {
    await session.workbench.runCommand('OneTwentyOne: Show Log');
    const panel = session.workbench.page.locator('.part.panel');
    await panel.waitFor({ state: 'visible', timeout: 15_000 });
    const channel = panel.locator('select.monaco-select-box').first();
    await waitFor(
      'the OneTwentyOne output channel to be selected',
      async () => (await channel.inputValue().catch(() => '')) === 'OneTwentyOne',
    );
    await session.workbench.screenshot('foundation-show-log');
  });

  test('the activity bar opens the OneTwentyOne view with the Accounts welcome content', async () => {
    await session.workbench.openOneTwentyOneView();
    const accounts = session.workbench.viewPane('Accounts');
    await accounts.getByText('No OneTwentyOne user is signed in yet.').waitFor({ state: 'visible', timeout: 15_000 });
    for (const action of ['Sign In', 'Add Personal Access Token', 'Try the Sandbox']) {
      assert.ok(
        await accounts.locator('.welcome-view-content').getByRole('button', { name: action, exact: true }).isVisible(),
        `the welcome content offers "${action}"`,
      );
    }
    assert.strictEqual(
      await accounts.locator('.welcome-view-content a', { hasText: 'Configure API Client' }).count(),
      1,
      'the welcome content links client setup',
    );
    await session.workbench.screenshot('foundation-accounts-welcome');
  });
});
