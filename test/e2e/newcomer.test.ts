import * as assert from 'assert';
import type { Frame } from 'playwright-core';
import { ADA_USER_ID } from '../../src/sandbox/demoAccounts';
import { waitFor } from '../support/waitFor';
import { workbenchPerSuite } from './support/suiteWorkbench';

/**
 * A newcomer's first hour, from the welcome view of a fresh VS Code in the browser: Try the Sandbox,
 * Sign In through the consent page, a personal access token from the offered list, a query from the
 * Endpoints tree, and Stop Sandbox while Fetch All Pages runs.
 */
suite('Newcomer e2e: from the welcome view to a stopped fetch', function () {
  this.timeout(180_000);
  const session = workbenchPerSuite();
  let frame: Frame;

  const welcome = () => session.workbench.viewPane('Accounts').locator('.welcome-view-content');
  const accountRow = (name: string) =>
    session.workbench.viewPane('Accounts').locator('.monaco-list-row', { hasText: name }).first();

  test('Try the Sandbox in the welcome view leads to the consent page, which signs Ada in, named as her profile names her', async () => {
    await session.workbench.openOneTwentyOneView();
    await welcome().getByRole('button', { name: 'Try the Sandbox', exact: true }).click();
    // The sandbox starts and its users are offered at once: the consent page is one of the choices.
    const popup = session.workbench.page.context().waitForEvent('page', { timeout: 60_000 });
    await session.workbench.quickInput('Sign in through the consent page');
    const consent = await popup;
    await consent.locator(`input[name="user_id"][value="${ADA_USER_ID}"]`).check();
    await consent.getByRole('button', { name: 'Approve' }).click();
    await consent
      .getByText('You can close this tab and return to VS Code.')
      .waitFor({ state: 'visible', timeout: 30_000 });
    await consent.close();
    await session.workbench.page.bringToFront();
    await accountRow('Ada (demo)').waitFor({ state: 'visible', timeout: 30_000 });
  });

  test('Add Personal Access Token offers the sandbox users; the token is named after its user', async () => {
    await session.workbench.addSandboxUserToken('Five-year heart rate');
    await accountRow('Five-year heart rate').waitFor({ state: 'visible', timeout: 20_000 });
    const labels = await session.workbench
      .viewPane('Accounts')
      .locator('.monaco-list-row .label-name')
      .allTextContents();
    assert.ok(
      !labels.some((l) => /^Personal token/.test(l.trim())),
      `no account is named after its token: ${labels.join(', ')}`,
    );
  });

  test('a query from the Endpoints tree answers in the panel', async () => {
    const endpoints = session.workbench.viewPane('Endpoints');
    const row = (label: RegExp) =>
      endpoints
        .locator('.monaco-list-row')
        .filter({ has: session.workbench.page.locator('.label-name', { hasText: label }) })
        .first();
    await row(/^Quantity$/).click();
    await row(/^Heart$/).click();
    await row(/^Heart rate$/).waitFor({ state: 'visible', timeout: 15_000 });
    // Its tooltip, which the view builds on hover (resolveTreeItem, forwarded by the activation shell).
    await row(/^Heart rate$/).hover();
    await session.workbench.page
      .locator('.monaco-hover, .workbench-hover')
      .filter({ hasText: '/heartRate' })
      .first()
      .waitFor({ state: 'visible', timeout: 15_000 });
    await row(/^Heart rate$/).click();
    frame = await session.workbench.webviewFrame('#status-line');
    await waitFor(
      'heartRate in the form',
      async () => (await frame.locator('#field-metric').inputValue()) === 'heartRate',
      30_000,
    );
    await frame.getByRole('button', { name: 'All', exact: true }).click();
    await frame.locator('#field-pageSize').fill('10000');
    await frame.getByRole('button', { name: 'Send' }).click();
    await waitFor(
      'a 200 response',
      async () => /^200 · /.test((await frame.locator('#status-line').textContent()) ?? ''),
      60_000,
    );
  });

  test('Stop Sandbox during Fetch All Pages stops the fetch, which says the sandbox was stopped', async function () {
    // Fetch All Pages asks in a modal first; workbenches run with the smoke-test switch refuse modals.
    if (!session.workbench.modalDialogs) this.skip();
    await frame.locator('#fetch-all').click();
    const dialog = session.workbench.page.locator('.monaco-dialog-box');
    await dialog.waitFor({ state: 'visible', timeout: 20_000 });
    await dialog.getByRole('button', { name: 'Fetch All Pages' }).click();
    await waitFor(
      'pages arriving',
      async () => /pages/.test((await frame.locator('#fetch-line').textContent()) ?? ''),
      30_000,
    );
    await session.workbench.runCommand('OneTwentyOne: Stop Sandbox');
    const bar = frame.locator('.whole-result-bar');
    await waitFor(
      'the fetch to end as stopped by the sandbox',
      async () => /sandbox was stopped/i.test((await bar.textContent()) ?? ''),
      30_000,
    );
    const after = await bar.textContent();
    await session.workbench.page.waitForTimeout(2000);
    assert.strictEqual(await bar.textContent(), after, 'no page arrived after the stop');
    await session.workbench.screenshot('newcomer-sandbox-stopped-during-fetch');
  });
});
