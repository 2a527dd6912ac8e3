import * as assert from 'assert';
import * as path from 'path';
import type { Frame } from 'playwright-core';
import type * as SandboxBundle from '../../src/sandbox/main';
import type { SandboxHandle } from '../../src/sandbox/main';
import { DEMO_USERS, FIVE_YEAR_USER_ID } from '../../src/sandbox/demoAccounts';
import { REPO } from './support/codeServerHarness';
import { waitFor } from '../support/waitFor';
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
      settings: {
        'onetwentyone.environment': 'sandbox',
        'onetwentyone.sandbox.url': sandbox.baseUrl,
        'workbench.colorTheme': 'Default Dark Modern',
      },
    });
  });

  teardown(async function () {
    await workbench?.screenshotIfFailed(this.currentTest);
  });

  suiteTeardown(async () => {
    await workbench?.close();
    await sandbox?.close();
  });

  test('fetch all pages of 7 days, search them, chart them by week', async function () {
    // Fetch All Pages asks in a modal first; workbenches run with the smoke-test switch refuse modals.
    if (!workbench.modalDialogs) this.skip();
    await workbench.addPersonalAccessToken(
      FIVE_YEAR_USER_ID,
      DEMO_USERS.find((u) => u.userId === FIVE_YEAR_USER_ID)!.pat,
      'Five years',
    );
    await workbench.runCommandIntoInput('OneTwentyOne: Run Quantity Query…');
    await workbench.quickInput('heartRate');
    await workbench.quickInput('7 days');
    frame = await workbench.webviewFrame('#status-line');
    await waitFor(
      'the first page',
      async () => /^200 · /.test((await frame.locator('#status-line').textContent()) ?? ''),
      30_000,
    );
    await frame.locator('#fetch-all').click();
    // The plan comes first, in a modal of the workbench; nothing is fetched before it is accepted.
    const dialog = workbench.page.locator('.monaco-dialog-box');
    await dialog.waitFor({ state: 'visible', timeout: 15_000 });
    assert.match((await dialog.textContent()) ?? '', /request/);
    assert.match(
      (await dialog.textContent()) ?? '',
      /page size is 1,000: at 10,000 it would take about 10 times fewer requests/,
    );
    await dialog.getByRole('button', { name: 'Fetch All Pages' }).click();
    await waitFor(
      'the whole result',
      async () => ((await frame.locator('#fetch-badge').textContent()) ?? '') === 'Complete',
      60_000,
    );
    const status = (await frame.locator('#status-line').textContent()) ?? '';
    const records = Number(/([\d,]+) records/.exec(status)?.[1]?.replace(/,/g, ''));
    assert.ok(records >= 7 * 1440 - 1440, `records after fetch all: ${status}`);
    // The table reaches the last record fetched, drawn from a row window the host sent.
    await frame.locator('#tab-table').click();
    const grid = frame.locator('.table-view .virtual-scroller');
    await grid.focus();
    await workbench.page.keyboard.press('End');
    const lastRow = frame.locator('.table-view .virtual-row', {
      has: frame.locator('.cell.index', { hasText: new RegExp(`^${records - 1}$`) }),
    });
    await waitFor(
      'the last record in the table',
      async () => {
        const cells = await lastRow.locator('.cell').allTextContents();
        return cells.length > 2 && cells[1] !== '…' && cells[1] !== '';
      },
      30_000,
    );
    await frame.locator('#record-search').fill('value > 80');
    await frame.locator('#record-search').press('Enter');
    const count = await waitFor(
      'search hits',
      async () => {
        const text = (await frame.locator('#record-search-count').textContent()) ?? '';
        return /^1 of [\d,]+ records$/.test(text) ? text : undefined;
      },
      30_000,
    );
    assert.ok(count);
    await frame.locator('#tab-chart').click();
    await waitFor(
      'the weekly chart',
      async () => /records in \d+ weeks/.test((await frame.locator('#chart-note').textContent()) ?? ''),
      30_000,
    );
    await frame.locator('#chart-canvas svg').first().waitFor({ state: 'visible', timeout: 15_000 });
    await workbench.page.waitForTimeout(300);
    await workbench.screenshot('years-chart-by-week-dark');
  });
});
