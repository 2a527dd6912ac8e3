import * as assert from 'assert';
import { useWebviewPage } from '../support/webviewHarness';

/**
 * The query panel's states a newcomer meets, in the real webview bundle (headless Chromium): an
 * empty result and an empty Warnings tab say so, the find text does not carry over to a new result,
 * and a route without dates shows no date presets.
 */
suite('Query panel states', function () {
  this.timeout(60_000);
  const { page, newResultId, respond, textOf, visible } = useWebviewPage();

  test('a result with no records says so, and what to try; one with records does not', async () => {
    await respond(0);
    assert.strictEqual(await visible('#result-note'), true);
    assert.match(await textOf('#result-note'), /^No records\. Try a wider date range/);
    await respond(5);
    assert.strictEqual(await visible('#result-note'), false);
  });

  test('the Warnings tab says when there are none', async () => {
    await page().click('#tab-warnings');
    assert.strictEqual(await visible('#no-warnings'), true);
    assert.match(await textOf('#no-warnings'), /No schema warnings/);
    await page().click('#tab-tree');
  });

  test('the find text of one result does not carry over to the next', async () => {
    await page().fill('#find-input', 'value');
    await respond(7);
    assert.strictEqual(await page().inputValue('#find-input'), '');
  });

  test('virtualized rows tell screen readers their place: row and cell indices and counts tie to the record', async () => {
    await respond(1000);
    await page().click('#tab-table');
    await page().evaluate('window.__deliver()');
    const grid = '.table-view .virtual-scroller';
    await page().focus(grid);
    await page().keyboard.press('End');
    await page().evaluate('window.__deliver()');
    const table = await page().evaluate<{
      rowcount: string;
      colcount: string;
      active: string;
      rowindex: string;
      cells: string[];
    }>(`(() => {
      const grid = document.querySelector(${JSON.stringify(grid)});
      const active = document.getElementById(grid.getAttribute('aria-activedescendant'))?.closest('[role="row"]');
      return { rowcount: grid.getAttribute('aria-rowcount'), colcount: grid.getAttribute('aria-colcount'), active: active?.id, rowindex: active?.getAttribute('aria-rowindex'), cells: [...active.children].map((c) => c.getAttribute('aria-colindex')) };
    })()`);
    assert.strictEqual(table.rowcount, '1001');
    assert.strictEqual(table.active, 'table-row-999');
    assert.strictEqual(table.rowindex, '1001');
    assert.deepStrictEqual(
      table.cells,
      Array.from({ length: Number(table.colcount) }, (_, i) => String(i + 1)),
    );
    // Left and Right move cell by cell along the row; the active descendant names the cell.
    const activeCell = (): Promise<string> =>
      page().evaluate<string>(`document.querySelector(${JSON.stringify(grid)}).getAttribute('aria-activedescendant')`);
    await page().keyboard.press('ArrowRight');
    await page().keyboard.press('ArrowRight');
    assert.strictEqual(await activeCell(), 'table-cell-999-2');
    for (let i = 0; i < 5; i++) await page().keyboard.press('ArrowLeft');
    assert.strictEqual(await activeCell(), 'table-cell-999-0');
    await page().click('#tab-tree');
    await page().evaluate('window.__deliver()');
    const records = await page().evaluate<
      string[][]
    >(`[...document.querySelectorAll('.virtual-scroller[role="tree"] .virtual-row[aria-level="2"]')]
      .filter((r) => r.getClientRects().length).map((r) => [r.querySelector('.tree-key').textContent, r.getAttribute('aria-posinset'), r.getAttribute('aria-setsize')])`);
    const record = records.find(([key]) => key === '3');
    assert.deepStrictEqual(record, ['3', '4', '1000']);
  });

  test('Home and End move through the tabs', async () => {
    await page().focus('#tab-table');
    await page().keyboard.press('End');
    assert.strictEqual(await page().evaluate('document.activeElement.id'), 'tab-chart');
    await page().keyboard.press('Home');
    assert.strictEqual(await page().evaluate('document.activeElement.id'), 'tab-tree');
    assert.strictEqual(
      await page().evaluate(`document.getElementById('pane-host').getAttribute('aria-labelledby')`),
      'tab-tree',
    );
  });

  test('the focus never falls to the page: Previous page, Fetch All Pages and Export hand it on', async () => {
    const active = (): Promise<string> =>
      page().evaluate<string>(
        `document.activeElement?.id || document.activeElement?.getAttribute('aria-label') || document.activeElement?.tagName`,
      );
    let shown = 0;
    const onPage = (n: number, hasPrev: boolean) => {
      shown = newResultId();
      return page().evaluate(`(() => {
      const summary = window.__summary(${shown}, 20);
      summary.pagination = { currentPage: ${n}, hasMore: true, hasPrev: ${hasPrev} };
      window.__send({ type: 'didReceiveResponse', requestId: 0, summary, restored: false });
    })()`);
    };
    await onPage(2, true);
    await page().focus('[aria-label="Previous page"]');
    await onPage(1, false);
    assert.strictEqual(await active(), 'Next page');

    const fetchStatus = (running: boolean) =>
      `{ running: ${running}, pages: 2, expectedPages: 5, records: 40, recordsPerSecond: 10, reason: ${running ? 'null' : "'complete'"}, partial: false, message: 'x' }`;
    const update = (running: boolean) =>
      page().evaluate(
        `window.__send({ type: 'didUpdateResult', summary: window.__summary(${shown}, 20), fetch: ${fetchStatus(running)} })`,
      );
    await page().focus('#fetch-all');
    await update(true);
    assert.strictEqual(await active(), 'fetch-all-cancel');
    await update(false);
    assert.strictEqual(await active(), 'record-search');

    await page().focus('#export-result');
    await page().evaluate(`window.__send({ type: 'didChangeExport', running: true, message: 'Exporting…' })`);
    assert.strictEqual(await active(), 'export-format');
    await page().evaluate('document.activeElement.blur()');
    await page().evaluate(`window.__send({ type: 'didChangeExport', running: false, message: '' })`);
    assert.strictEqual(await active(), 'export-result');
  });

  test('a route without dates (Profile) shows no date presets; a dated one does', async () => {
    await page().selectOption('#route', 'profile');
    assert.strictEqual(await visible('.presets'), false);
    await page().selectOption('#route', 'sleep');
    assert.strictEqual(await visible('.presets'), true);
    const presets = await page().evaluate<string[]>(
      `[...document.querySelectorAll('.presets button')].map((b) => b.textContent.trim())`,
    );
    assert.ok(!presets.includes('Today'), presets.join(', '));
  });
});
