import * as assert from 'assert';
import type { Frame } from 'playwright-core';
import { FIVE_YEAR_USER_ID } from '../../src/sandbox/demoAccounts';
import { waitFor } from '../support/waitFor';
import { sandboxWorkbenchPerSuite } from './support/suiteWorkbench';

/**
 * A person's years-of-data flow in Chromium through the real workbench: a heart-rate query of the
 * five-year user, Fetch All Pages (plan confirmed in the modal), search the records, chart by week.
 */
suite('Years of data e2e: fetch all, search, chart by week', function () {
  this.timeout(180_000);
  const session = sandboxWorkbenchPerSuite('Default Dark Modern');
  let frame: Frame;

  test('fetch all pages of 7 days, search them, chart them by week', async function () {
    // Fetch All Pages asks in a modal first; workbenches run with the smoke-test switch refuse modals.
    if (!session.workbench.modalDialogs) this.skip();
    await session.workbench.addDemoUserToken(FIVE_YEAR_USER_ID, 'Five years');
    frame = await session.workbench.runQuantityQuery('heartRate', '7 days');
    await waitFor(
      'the first page',
      async () => /^200 · /.test((await frame.locator('#status-line').textContent()) ?? ''),
      30_000,
    );
    await frame.locator('#fetch-all').click();
    // The plan comes first, in a modal of the workbench; nothing is fetched before it is accepted.
    const dialog = session.workbench.page.locator('.monaco-dialog-box');
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
    await session.workbench.page.keyboard.press('End');
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
    await session.workbench.page.waitForTimeout(300);
    await session.workbench.screenshot('years-chart-by-week-dark');
  });
});
