import * as assert from 'assert';
import type { Page } from 'playwright-core';
import { ADA_USER_ID, EMPTY_USER_ID } from '../../src/sandbox/demoAccounts';
import { waitFor } from '../support/waitFor';
import { workbenchPerSuite } from './support/suiteWorkbench';

/**
 * The README's promise, as a person does it in the browser-based VS Code: start the sandbox and
 * sign in from the palette, approve on the consent page in the browser, see the user in Accounts.
 * The default redirect in browser-based VS Code is the loopback one, so no manual step is needed.
 */
suite('Sign-in e2e: sandbox consent through the real workbench', () => {
  const session = workbenchPerSuite();

  /** Runs "Sign In" and returns the consent page the browser opened for it. */
  async function signInFromPalette(): Promise<Page> {
    const popup = session.workbench.page.context().waitForEvent('page', { timeout: 60_000 });
    await session.workbench.runCommand('OneTwentyOne: Sign In (Authorize a User)…');
    const consent = await popup;
    await consent.locator('input[name="user_id"]').first().waitFor({ state: 'visible', timeout: 30_000 });
    return consent;
  }

  const accountRow = (name: string) =>
    session.workbench.viewPane('Accounts').locator('.monaco-list-row', { hasText: name }).first();

  test('"Start Sandbox", then "Sign In": approving on the consent page puts the user in the Accounts tree', async function () {
    this.timeout(120_000);
    await session.workbench.openOneTwentyOneView();
    await session.workbench.runCommand('OneTwentyOne: Start Sandbox');
    // The sandbox area announces itself; the sign-in below is what this test is about.
    await session.workbench
      .waitForText(/OneTwentyOne sandbox running at/, 30_000)
      .catch(() => session.workbench.page.waitForTimeout(3000));
    const consent = await signInFromPalette();
    // The sandbox's own address (spelled `localhost`, see browserUrl.ts) with the whole query.
    const opened = new URL(consent.url());
    assert.strictEqual(opened.pathname, '/authorize');
    assert.strictEqual(opened.searchParams.get('response_type'), 'code');
    assert.match(opened.searchParams.get('redirect_uri') ?? '', /^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    await consent.locator(`input[name="user_id"][value="${ADA_USER_ID}"]`).check();
    const waiting = await session.workbench.screenshot('sign-in-waiting-for-consent');
    await consent.screenshot({ path: waiting.replace('sign-in-waiting-for-consent', 'sign-in-consent-page') });
    await consent.getByRole('button', { name: 'Approve' }).click();
    await consent
      .getByText('You can close this tab and return to VS Code.')
      .waitFor({ state: 'visible', timeout: 30_000 });
    assert.match(consent.url(), /^http:\/\/127\.0\.0\.1:\d+\/callback\?/);
    await consent.close();

    const row = accountRow('Ada (demo)');
    await row.waitFor({ state: 'visible', timeout: 30_000 });
    await waitFor('the token status', async () => /sandbox · valid for \d+ min/.test((await row.textContent()) ?? ''));
    await session.workbench.screenshot('sign-in-accounts-tree');
  });

  test('Cancel on the progress notification ends the sign-in: approving afterwards signs no one in', async function () {
    this.timeout(120_000);
    const consent = await signInFromPalette();
    await session.workbench.page.bringToFront();
    // The progress notification shows as a toast, or (when the browser tab was in the background)
    // only in the notification center.
    const progress = session.workbench.page
      .locator('.notification-list-item', { hasText: 'Signing in to OneTwentyOne' })
      .first();
    if (
      !(await progress.waitFor({ state: 'visible', timeout: 10_000 }).then(
        () => true,
        () => false,
      ))
    ) {
      await session.workbench.runCommand('Notifications: Show Notifications');
      await progress.waitFor({ state: 'visible', timeout: 15_000 });
    }
    await session.workbench.screenshot('sign-in-progress');
    await progress.hover();
    await progress.getByRole('button', { name: 'Cancel' }).click();
    await progress.waitFor({ state: 'hidden', timeout: 15_000 });
    await consent.locator(`input[name="user_id"][value="${EMPTY_USER_ID}"]`).check();
    await consent.getByRole('button', { name: 'Approve' }).click();
    await consent.waitForLoadState('domcontentloaded');
    await consent.close();
    await session.workbench.page.waitForTimeout(2000);
    assert.strictEqual(await accountRow('Empty').count(), 0, 'the cancelled sign-in added no account');
    assert.strictEqual(await session.workbench.viewPane('Accounts').locator('.monaco-list-row').count(), 1);
  });
});
