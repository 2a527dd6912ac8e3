import * as assert from 'assert';
import type { Page } from 'playwright-core';
import { ADA_USER_ID } from '../../src/sandbox/demoAccounts';
import { startSandbox } from '../../src/sandbox/main';
import type { SandboxHandle } from '../../src/sandbox/types';
import { waitFor } from './support/waitFor';
import { Workbench } from './support/workbench';

/**
 * The README's promise, as a person does it in the browser-based VS Code: sign in to the sandbox
 * from the palette, approve on the consent page in the browser, and see the user in Accounts.
 * The default redirect in browser-based VS Code is the loopback one, so no manual step is needed.
 */
suite('Sign-in e2e: sandbox consent through the real workbench', () => {
  let workbench: Workbench;
  let sandbox: SandboxHandle;

  suiteSetup(async function () {
    this.timeout(180_000);
    sandbox = await startSandbox({ port: 0 });
    workbench = await Workbench.open({ settings: { 'onetwentyone.environment': 'sandbox', 'onetwentyone.sandbox.url': sandbox.baseUrl } });
  });

  teardown(async function () {
    await workbench?.screenshotIfFailed(this.currentTest);
  });

  suiteTeardown(async () => {
    await workbench?.close();
    await sandbox?.close();
  });

  test('"Sign In" opens the consent page; approving puts the user in the Accounts tree', async function () {
    this.timeout(120_000);
    await workbench.openOneTwentyOneView();
    const popup = workbench.page.context().waitForEvent('page', { timeout: 60_000 });
    await workbench.runCommand('OneTwentyOne: Sign In (Authorize a User)…');
    // VS Code may ask before opening a site it does not trust; a person answers "Open".
    const dialogOpen = workbench.page.locator('.monaco-dialog-box').getByRole('button', { name: 'Open', exact: true });
    const consent: Page = await Promise.race([
      popup,
      dialogOpen.waitFor({ state: 'visible', timeout: 60_000 }).then(async () => {
        await workbench.screenshot('sign-in-open-prompt');
        await dialogOpen.click();
        return popup;
      }),
    ]);
    await consent.waitForLoadState('domcontentloaded');
    // The sandbox's own origin, spelled `localhost` (see avoidWebPortMapping), with the full query.
    const opened = new URL(consent.url());
    assert.strictEqual(`${opened.port}${opened.pathname}`, `${new URL(sandbox.baseUrl).port}/authorize`, consent.url());
    assert.strictEqual(opened.searchParams.get('response_type'), 'code');
    await consent.locator(`input[name="user_id"]`).first().waitFor({ state: 'visible', timeout: 30_000 });
    await consent.locator(`input[name="user_id"][value="${ADA_USER_ID}"]`).check();
    const waiting = await workbench.screenshot('sign-in-waiting-for-consent');
    await consent.screenshot({ path: waiting.replace('sign-in-waiting-for-consent', 'sign-in-consent-page') });
    await consent.getByRole('button', { name: 'Approve' }).click();
    await consent.getByText('You can close this tab and return to VS Code.').waitFor({ state: 'visible', timeout: 30_000 });
    assert.match(consent.url(), /^http:\/\/127\.0\.0\.1:\d+\/callback\?/);

    const accounts = workbench.viewPane('Accounts');
    const row = accounts.locator('.monaco-list-row', { hasText: 'Ada (demo)' }).first();
    await row.waitFor({ state: 'visible', timeout: 30_000 });
    await waitFor('the token status', async () => /sandbox · valid for \d+ min/.test((await row.textContent()) ?? ''));
    assert.strictEqual(sandbox.requestLog.filter((r) => r.method === 'POST' && r.path === '/api/token').length, 1);
    await workbench.screenshot('sign-in-accounts-tree');
  });

  test('Cancel on the progress notification ends the sign-in with no exchange', async function () {
    this.timeout(120_000);
    const posts = () => sandbox.requestLog.filter((r) => r.method === 'POST' && r.path === '/api/token').length;
    const before = posts();
    const popup = workbench.page.context().waitForEvent('page', { timeout: 60_000 });
    await workbench.runCommand('OneTwentyOne: Sign In (Authorize a User)…');
    const consent = await popup;
    const toast = workbench.page.locator('.notification-toast', { hasText: 'Signing in to OneTwentyOne' });
    await toast.waitFor({ state: 'visible', timeout: 30_000 });
    await workbench.screenshot('sign-in-progress');
    await toast.getByRole('button', { name: 'Cancel' }).click();
    await toast.waitFor({ state: 'hidden', timeout: 15_000 });
    // Approving in the still-open consent tab afterwards must not sign anyone in.
    await consent.locator(`input[name="user_id"][value="${ADA_USER_ID}"]`).check();
    await consent.getByRole('button', { name: 'Approve' }).click();
    await consent.waitForLoadState('domcontentloaded');
    await consent.close();
    assert.strictEqual(posts(), before);
  });
});
