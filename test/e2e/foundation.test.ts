import * as assert from 'assert';
import { waitFor } from '../support/waitFor';
import { Workbench } from './support/workbench';

suite('Foundation e2e: the extension in the workbench', () => {
  let workbench: Workbench;

  suiteSetup(async function () {
    this.timeout(180_000);
    workbench = await Workbench.open();
  });

  teardown(async function () {
    await workbench?.screenshotIfFailed(this.currentTest);
  });

  suiteTeardown(async () => {
    await workbench?.close();
  });

  // First, in a fresh window: the command is what activates the extension (its log channel is created
  // in activate()), so this also shows activation on a command.
  test('"OneTwentyOne: Show Log" from the palette shows the OneTwentyOne output channel', async () => {
    await workbench.runCommand('OneTwentyOne: Show Log');
    const panel = workbench.page.locator('.part.panel');
    await panel.waitFor({ state: 'visible', timeout: 15_000 });
    const channel = panel.locator('select.monaco-select-box').first();
    await waitFor(
      'the OneTwentyOne output channel to be selected',
      async () => (await channel.inputValue().catch(() => '')) === 'OneTwentyOne',
    );
    await workbench.screenshot('foundation-show-log');
  });

  test('the activity bar opens the OneTwentyOne view with the Accounts welcome content', async () => {
    await workbench.openOneTwentyOneView();
    const accounts = workbench.viewPane('Accounts');
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
    await workbench.screenshot('foundation-accounts-welcome');
  });
});
