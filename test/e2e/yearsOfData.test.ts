import * as assert from 'assert';
import * as path from 'path';
import type { Frame } from 'playwright-core';
import type * as SandboxBundle from '../../src/sandbox/main';
import type { SandboxHandle } from '../../src/sandbox/main';
import { DEMO_USERS, FIVE_YEAR_USER_ID } from '../../src/sandbox/demoAccounts';
import { REPO } from './support/codeServerHarness';
import { waitFor } from './support/waitFor';
import { Workbench } from './support/workbench';

/**
 * A person's years-of-data flow in Chromium through the real workbench: a heart-rate query of the
 * five-year user, Fetch All Pages (plan confirmed in the modal), search the records, chart by week.
 */
suite('Years of data e2e: fetch all, search, chart by week', function () {
  this.timeout(180_000);
  let workbench: Workbench;
  let sandbox: SandboxHandle;
  let frame: Frame;

  suiteSetup(async function () {
    this.timeout(240_000);
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the built bundle the product loads
    const bundle = require(path.join(REPO, 'dist', 'sandbox.js')) as typeof SandboxBundle;
    sandbox = await bundle.startSandbox({ port: 0 });
    workbench = await Workbench.open({
      settings: { 'onetwentyone.environment': 'sandbox', 'onetwentyone.sandbox.url': sandbox.baseUrl, 'workbench.colorTheme': 'Default Dark Modern' },
    });
  });

  teardown(async function () {
    await workbench?.screenshotIfFailed(this.currentTest);
  });

  suiteTeardown(async () => {
    await workbench?.close();
    await sandbox?.close();
  });


  /**
   * Runs a palette command that opens a quick input of its own. The harness's runCommand waits for the
   * palette to close, which newer workbenches never show between the two; wait for the next step instead.
   */
  async function runCommandIntoInput(title: string): Promise<void> {
    const { page } = workbench;
    const input = page.locator('.quick-input-widget input');
    for (let attempt = 1; ; attempt++) {
      await page.keyboard.press('Escape');
      await page.keyboard.press('F1');
      try {
        await input.waitFor({ state: 'visible', timeout: 5_000 });
        await input.fill(`>${title}`);
        await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor({ state: 'visible', timeout: 5_000 });
        await page.keyboard.press('Enter');
        await waitFor('the command\'s own input', async () => {
          const placeholder = (await input.getAttribute('placeholder').catch(() => null)) ?? '';
          return (await input.isVisible()) && !/name of a command/i.test(placeholder) && !(await input.inputValue()).startsWith('>');
        }, 10_000);
        return;
      } catch (e) {
        if (attempt >= 6) throw e;
        await page.waitForTimeout(500 * attempt);
      }
    }
  }

  /** Types into the quick input once it shows a fresh (empty) step, checks the text landed, accepts it. */
  async function quickInput(text: string): Promise<void> {
    const input = workbench.page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible', timeout: 15_000 });
    await waitFor('a fresh quick input step', async () => (await input.inputValue()) === '');
    for (let attempt = 0; attempt < 5; attempt++) {
      await input.fill(text);
      await workbench.page.waitForTimeout(200);
      if ((await input.inputValue()) === text) break;
    }
    await workbench.page.keyboard.press('Enter');
    await workbench.page.waitForTimeout(300);
  }

  test('fetch all pages of 7 days, search them, chart them by week', async function () {
    // Fetch All Pages asks in a modal first; workbenches run with the smoke-test switch refuse modals.
    if (!workbench.modalDialogs) this.skip();
    await runCommandIntoInput('OneTwentyOne: Add Personal Access Token…');
    await quickInput(FIVE_YEAR_USER_ID);
    await quickInput(DEMO_USERS.find((u) => u.userId === FIVE_YEAR_USER_ID)!.pat);
    await quickInput('Five years');
    await workbench.page.locator('.part.statusbar', { hasText: 'Five years' }).first().waitFor({ state: 'visible', timeout: 20_000 });
    await runCommandIntoInput('OneTwentyOne: Run Quantity Query…');
    await quickInput('heartRate');
    await quickInput('7 days');
    frame = await workbench.webviewFrame('#status-line');
    await waitFor('the first page', async () => /^200 · /.test((await frame.locator('#status-line').textContent()) ?? ''), 30_000);
    await frame.locator('#fetch-all').click();
    // The plan comes first, in a modal of the workbench; nothing is fetched before it is accepted.
    const dialog = workbench.page.locator('.monaco-dialog-box');
    await dialog.waitFor({ state: 'visible', timeout: 15_000 });
    assert.match((await dialog.textContent()) ?? '', /request/);
    await dialog.getByRole('button', { name: 'Fetch All Pages' }).click();
    await waitFor('the whole result', async () => ((await frame.locator('#fetch-badge').textContent()) ?? '') === 'Complete', 60_000);
    const status = (await frame.locator('#status-line').textContent()) ?? '';
    const records = Number(/([\d,]+) records/.exec(status)?.[1]?.replace(/,/g, ''));
    assert.ok(records >= 7 * 1440 - 1440, `records after fetch all: ${status}`);
    await frame.locator('#record-search').fill('value > 80');
    await frame.locator('#record-search').press('Enter');
    const count = await waitFor('search hits', async () => {
      const text = (await frame.locator('#record-search-count').textContent()) ?? '';
      return /^1 of [\d,]+ records$/.test(text) ? text : undefined;
    }, 30_000);
    assert.ok(count);
    await frame.locator('#tab-chart').click();
    await waitFor('the weekly chart', async () => /records in \d+ weeks/.test((await frame.locator('#chart-note').textContent()) ?? ''), 30_000);
    await frame.locator('#chart-canvas svg').first().waitFor({ state: 'visible', timeout: 15_000 });
    await workbench.page.waitForTimeout(300);
    await workbench.screenshot('years-chart-by-week-dark');
  });
});
