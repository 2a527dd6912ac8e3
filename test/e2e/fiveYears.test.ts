import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { Frame } from 'playwright-core';
import { FIVE_YEAR_USER_ID } from '../../src/sandbox/demoAccounts';
import { waitFor } from '../support/waitFor';
import { sandboxWorkbenchPerSuite } from './support/suiteWorkbench';

const FIVE_YEAR_RECORDS = 2_629_800;

/** Lines of a file, counted while streaming it (the CSV is about 200 MB). */
async function countLines(file: string): Promise<number> {
  let lines = 0;
  for await (const chunk of fs.createReadStream(file)) {
    const bytes = chunk as Buffer;
    for (let i = bytes.indexOf(10); i !== -1; i = bytes.indexOf(10, i + 1)) lines++;
  }
  return lines;
}

/**
 * The years-of-data promise as a person keeps it in the browser: five years of per-minute heart rate
 * from the sandbox (2,629,800 records), Fetch All Pages through the plan dialog, the workbench used
 * while it runs, search, chart by week, export to CSV through the save dialog; the file is checked.
 */
suite('Five years e2e: fetch all, search, chart by week, export CSV', function () {
  this.timeout(300_000);
  const session = sandboxWorkbenchPerSuite('Default Dark Modern');
  let frame: Frame;

  test('five years: fetch all while using the workbench, search, chart by week, export CSV', async function () {
    // Fetch All Pages asks in a modal first; workbenches run with the smoke-test switch refuse modals.
    if (!session.workbench.modalDialogs) this.skip();
    const { page } = session.workbench;
    await session.workbench.addDemoUserToken(FIVE_YEAR_USER_ID, 'Five years');
    frame = await session.workbench.runQuantityQuery('heartRate', 'All');
    await waitFor(
      'the first page',
      async () => /^200 · .* 1,000 records/.test((await frame.locator('#status-line').textContent()) ?? ''),
      30_000,
    );
    // The largest page the API serves: ten times fewer requests for the whole result.
    await frame.locator('#field-pageSize').fill('10000');
    await frame.locator('#field-pageSize').press('Enter');
    await waitFor(
      'the first page of 10,000',
      async () => /^200 · .* 10,000 records/.test((await frame.locator('#status-line').textContent()) ?? ''),
      30_000,
    );

    await frame.locator('#fetch-all').click();
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ state: 'visible', timeout: 15_000 });
    assert.match((await dialog.textContent()) ?? '', /request/);
    await dialog.getByRole('button', { name: 'Fetch All Pages' }).click();

    // While it runs, the workbench and the panel keep answering: the table scrolls to the newest
    // record and back, and a command from the palette runs (each would time out on a blocked host).
    await waitFor(
      'progress',
      async () => /pages/.test((await frame.locator('#fetch-line').textContent()) ?? ''),
      30_000,
    );
    await frame.locator('#tab-table').click();
    const grid = frame.locator('.table-view .virtual-scroller');
    await grid.focus();
    await page.keyboard.press('End');
    await page.keyboard.press('Home');
    await session.workbench.runCommand('OneTwentyOne: Show Log');
    await session.workbench.runCommand('View: Hide Panel');
    await frame.locator('#tab-table').click();
    await session.workbench.screenshot('five-years-fetching-dark');

    await waitFor(
      'the whole result',
      async () => ((await frame.locator('#fetch-badge').textContent()) ?? '') === 'Complete',
      180_000,
    );
    const status = (await frame.locator('#status-line').textContent()) ?? '';
    assert.match(status, /2,629,800 records/);

    await frame.locator('#record-search').fill('value > 100');
    await frame.locator('#record-search').press('Enter');
    const count = await waitFor(
      'search hits',
      async () => /of ([\d,]+) records$/.exec((await frame.locator('#record-search-count').textContent()) ?? '')?.[1],
      60_000,
    );
    assert.ok(Number(count.replace(/,/g, '')) > 0, `hits: ${count}`);

    await frame.locator('#tab-chart').click();
    await frame.locator('#chart-bucket').selectOption('week');
    const weeks = await waitFor(
      'the weekly chart',
      async () => /records in ([\d,]+) weeks/.exec((await frame.locator('#chart-note').textContent()) ?? '')?.[1],
      60_000,
    );
    assert.ok(Number(weeks.replace(/,/g, '')) >= 260, `weeks: ${weeks}`);
    assert.match((await frame.locator('#chart-note').textContent()) ?? '', /2,629,800 records/);
    await frame.locator('#chart-canvas svg').first().waitFor({ state: 'visible', timeout: 15_000 });
    await page.waitForTimeout(300);
    await session.workbench.screenshot('five-years-chart-by-week-dark');

    // Export through the save dialog (in the browser: VS Code's own file dialog, with the path filled in).
    await frame.locator('#export-format').selectOption('csv');
    await frame.locator('#export-result').click();
    const pathInput = page.locator('.quick-input-widget input');
    await pathInput.waitFor({ state: 'visible', timeout: 15_000 });
    const target = await waitFor('the suggested path', async () => {
      const value = await pathInput.inputValue();
      return value.endsWith('.csv') ? value : undefined;
    });
    await page.keyboard.press('Enter');
    await waitFor(
      'the export',
      async () => /^Exported 2,629,800 records/.test((await frame.locator('#export-line').textContent()) ?? ''),
      120_000,
    );
    const file = path.join(session.workbench.codeServer.workspace, path.basename(target));
    assert.ok(fs.existsSync(file), `no file at ${file}`);
    assert.strictEqual(await countLines(file), FIVE_YEAR_RECORDS + 1, 'a header line and one line per record');
    fs.rmSync(file, { force: true });
  });
});
