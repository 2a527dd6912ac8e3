import * as assert from 'assert';
import type { Frame, Page } from 'playwright-core';
import { ADA_USER_ID } from '../../src/sandbox/demoAccounts';
import { waitFor } from '../support/waitFor';
import { sandboxWorkbenchPerSuite } from './support/suiteWorkbench';

/**
 * The whole story with the keyboard only, in the real workbench: once the panel is open no click is
 * made. After each step the test asserts which element of the panel has the focus (never the body),
 * and that the keyboard is in the panel at all (its document has the focus).
 */
suite('Keyboard only: the query panel without a mouse', function () {
  this.timeout(300_000);
  const session = sandboxWorkbenchPerSuite('Default Light Modern');
  let frame: Frame;
  let page: Page;

  /** The focused element of the panel: `#id`, else `role[aria-label]`; "body" when nothing is. */
  const focused = (): Promise<string> =>
    frame.evaluate<string>(`(() => {
      const a = document.activeElement;
      if (!a || a === document.body || a === document.documentElement) return 'body';
      if (a.id) return '#' + a.id;
      return (a.getAttribute('role') || a.tagName.toLowerCase()) + '[' + (a.getAttribute('aria-label') || '') + ']';
    })()`);
  const panelHasKeyboard = (): Promise<boolean> => frame.evaluate<boolean>('document.hasFocus()');

  async function assertFocus(expected: string, step: string): Promise<void> {
    const where = await waitFor(`the focus on ${expected} after ${step}`, async () => {
      const now = await focused();
      return now === expected && (await panelHasKeyboard()) ? now : undefined;
    }).catch(async () => `${await focused()} (panel has the keyboard: ${await panelHasKeyboard()})`);
    assert.strictEqual(where, expected, `after ${step}`);
  }

  /** Presses Tab (or Shift+Tab) until `target` has the focus; every stop on the way is an element, not the body. */
  async function tabTo(target: string, backwards = false, max = 60): Promise<void> {
    const stops: string[] = [];
    for (let i = 0; i < max; i++) {
      if ((await focused()) === target && (await panelHasKeyboard())) return;
      await page.keyboard.press(backwards ? 'Shift+Tab' : 'Tab');
      const now = await focused();
      stops.push(now);
      assert.notStrictEqual(now, 'body', `Tab stopped on nothing after ${stops.join(' → ')}`);
    }
    assert.fail(`${target} is not reachable with ${backwards ? 'Shift+Tab' : 'Tab'}: ${stops.join(' → ')}`);
  }

  const textOf = async (selector: string): Promise<string> => (await frame.locator(selector).textContent()) ?? '';
  const activeDescendant = (selector: string): Promise<string | null> =>
    frame.locator(selector).getAttribute('aria-activedescendant');

  test('query, tabs, tree, table, paging, find, fetch all, export and chart with the keyboard', async () => {
    const { workbench } = session;
    page = workbench.page;
    await workbench.addDemoUserToken(ADA_USER_ID, 'Ada');

    // The query: from the palette, every step typed.
    frame = await workbench.runQuantityQuery('heartRate', '7 days');
    await waitFor('a 200 response', async () => /^200 · /.test(await textOf('#status-line')), 30_000);
    await waitFor('pages', async () => (await textOf('#page-label')) === 'Page 1', 30_000);
    // The response puts the focus on the selected tab, not on nothing.
    await assertFocus('#tab-tree', "the query's response");

    // Tabs: arrows, Home and End move between tabs and show each.
    await page.keyboard.press('ArrowRight');
    await assertFocus('#tab-table', 'ArrowRight in the tab list');
    assert.strictEqual(await frame.locator('#tab-table').getAttribute('aria-selected'), 'true');
    await page.keyboard.press('End');
    await assertFocus('#tab-chart', 'End in the tab list');
    await page.keyboard.press('Home');
    await assertFocus('#tab-tree', 'Home in the tab list');

    // The tree: Tab into it; arrows move the active row, Right expands, Left collapses.
    const tree = '[role="tree"]';
    await tabTo('tree[Response as a JSON tree]');
    await page.keyboard.press('Home');
    const first = await activeDescendant(tree);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    const moved = await activeDescendant(tree);
    assert.ok(first && moved && first !== moved, `the active row moved: ${first} → ${moved}`);
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowLeft');
    await assertFocus('tree[Response as a JSON tree]', 'arrows in the tree');

    // The table: back to the tab list, ArrowRight to Table, Tab into the grid; End, Home, Left/Right cells.
    await tabTo('#tab-tree', true);
    await page.keyboard.press('ArrowRight');
    await assertFocus('#tab-table', 'ArrowRight to the Table tab');
    const grid = '[role="grid"]';
    await tabTo('grid[Records as a table]');
    const lastRecord = Number(await frame.locator(grid).getAttribute('aria-rowcount')) - 2;
    assert.ok(lastRecord > 0, `records in the table: ${lastRecord + 1}`);
    await page.keyboard.press('End');
    await waitFor('the last record active', async () =>
      (await activeDescendant(grid))?.startsWith(`table-cell-${lastRecord}-`),
    );
    await page.keyboard.press('Home');
    await waitFor('the first record active', async () => /^table-cell-0-0$/.test((await activeDescendant(grid)) ?? ''));
    await page.keyboard.press('ArrowRight');
    await waitFor('the second cell', async () => (await activeDescendant(grid)) === 'table-cell-0-1');
    await page.keyboard.press('ArrowLeft');
    await waitFor('the first cell again', async () => (await activeDescendant(grid)) === 'table-cell-0-0');
    await assertFocus('grid[Records as a table]', 'Home, End, Left and Right in the table');

    // Find: Ctrl+F from the table, Enter finds and steps, Escape goes back to the table.
    await page.keyboard.press('Control+f');
    await assertFocus('#find-input', 'Ctrl+F');
    await page.keyboard.type('count/min');
    await page.keyboard.press('Enter');
    await waitFor('a match', async () => /^1 of /.test(await textOf('#find-count')), 30_000);
    await assertFocus('#find-input', 'Enter in the find input');
    await page.keyboard.press('Enter');
    await waitFor('the next match', async () => /^2 of /.test(await textOf('#find-count')), 30_000);
    await assertFocus('#find-input', 'Enter again in the find input');
    await page.keyboard.press('Escape');
    await assertFocus('grid[Records as a table]', 'Escape in the find input');

    // Paging: Next, then Previous, which becomes disabled on page 1 and hands the focus to Next.
    await tabTo('button[Next page]', true);
    await page.keyboard.press('Enter');
    await waitFor('page 2', async () => (await textOf('#page-label')) === 'Page 2', 30_000);
    await assertFocus('button[Next page]', 'Next page');
    await page.keyboard.press('Shift+Tab');
    await assertFocus('button[Previous page]', 'Shift+Tab to Previous page');
    await page.keyboard.press('Enter');
    await waitFor('page 1', async () => (await textOf('#page-label')) === 'Page 1', 30_000);
    assert.strictEqual(await frame.locator('[aria-label="Previous page"]').isDisabled(), true);
    await assertFocus('button[Next page]', 'Previous page on page 1');

    // Fetch All Pages: the plan's modal dialog answered with the keyboard; the focus comes back to the panel.
    await tabTo('#fetch-all');
    if (workbench.modalDialogs) {
      await page.keyboard.press('Enter');
      const dialog = page.locator('.monaco-dialog-box');
      await dialog.waitFor({ state: 'visible', timeout: 15_000 });
      await waitFor('the dialog has the keyboard', async () =>
        page.evaluate(`Boolean(document.activeElement?.closest('.monaco-dialog-box'))`),
      );
      // Its default button is the first: Tab wraps within the dialog until the focus is on it.
      for (let i = 0; i < 6; i++) {
        const label = await page.evaluate(`document.activeElement?.textContent ?? ''`);
        if (label === 'Fetch All Pages') break;
        await page.keyboard.press('Tab');
      }
      assert.strictEqual(await page.evaluate(`document.activeElement?.textContent ?? ''`), 'Fetch All Pages');
      await page.keyboard.press('Enter');
      await dialog.waitFor({ state: 'hidden', timeout: 15_000 });
      await waitFor('the whole result', async () => (await textOf('#fetch-badge')) === 'Complete', 120_000);
      // Fetch All Pages is disabled once done, and its Cancel hidden: the focus went on to the record search.
      await assertFocus('#record-search', 'Fetch All Pages confirmed and done');
    } else {
      await page.keyboard.press('Tab');
    }

    // Export: the save dialog cancelled with Escape; the focus returns to Export.
    await tabTo('#export-result');
    await page.keyboard.press('Enter');
    const pathInput = page.locator('.quick-input-widget input');
    await pathInput.waitFor({ state: 'visible', timeout: 15_000 });
    await waitFor('the save dialog has the keyboard', async () =>
      page.evaluate(`Boolean(document.activeElement?.closest('.quick-input-widget'))`),
    );
    await page.keyboard.press('Escape');
    await pathInput.waitFor({ state: 'hidden', timeout: 15_000 });
    await assertFocus('#export-result', 'Escape in the save dialog');

    // The chart and its table: End in the tab list, Tab to "Show as table", Space, Tab into the table.
    await tabTo('#tab-table', true);
    await page.keyboard.press('End');
    await assertFocus('#tab-chart', 'End to the Chart tab');
    await tabTo('#chart-table-toggle');
    await page.keyboard.press('Space');
    await waitFor(
      'the chart data table',
      async () => (await frame.locator('.chart-data-table tbody tr').count()) > 0,
      30_000,
    );
    assert.strictEqual(await frame.locator('#chart-table-toggle').getAttribute('aria-expanded'), 'true');
    await assertFocus('#chart-table-toggle', 'Space on Show as table');
    const tableLabel = (await frame.locator('.chart-data').getAttribute('aria-label')) ?? '';
    await tabTo(`region[${tableLabel}]`);
    // Back past the chart itself (a group read with the arrow keys) to the toggle.
    await tabTo('#chart-table-toggle', true);
    await page.keyboard.press('Enter');
    assert.strictEqual(await frame.locator('#chart-table-toggle').getAttribute('aria-expanded'), 'false');
    await assertFocus('#chart-table-toggle', 'Enter on Hide table');
    await workbench.screenshot('keyboard-only-chart');
  });
});
