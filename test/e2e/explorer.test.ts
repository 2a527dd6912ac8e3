import * as assert from 'assert';
import type { Frame } from 'playwright-core';
import { ADA_USER_ID, HOSTILE_USER_ID } from '../../src/sandbox/demoAccounts';
import { waitFor } from '../support/waitFor';
import { sandboxWorkbenchPerSuite } from './support/suiteWorkbench';

/**
 * The explorer as a person uses it, in Chromium through the real workbench, against a sandbox:
 * palette runs, the tree, table and raw views, find, paging, keyboard, the hostile user's strings,
 * and screenshots of each view in a light and a dark theme.
 */
suite('Explorer e2e: query panel and inspector', function () {
  this.timeout(120_000);
  const session = sandboxWorkbenchPerSuite('Default Light Modern');
  let frame: Frame;

  async function statusOk(): Promise<string> {
    return waitFor(
      'a 200 response in the panel',
      async () => {
        const text = await frame.locator('#status-line').textContent();
        return text && /^200 · /.test(text) ? text : undefined;
      },
      30_000,
    );
  }

  async function shoot(name: string, theme: string): Promise<void> {
    await session.workbench.page.waitForTimeout(300);
    await session.workbench.screenshot(`explorer-${name}-${theme}`);
  }

  test('Run Quantity Query from the palette shows the response in the virtualized tree', async () => {
    await session.workbench.addDemoUserToken(ADA_USER_ID, 'Ada');
    frame = await session.workbench.runQuantityQuery('heartRate', '7 days');
    const status = await statusOk();
    assert.match(status, /records/);
    const rows = frame.locator('.tree-value');
    await waitFor('tree rows', async () => (await rows.count()) > 3);
    // The data list is expanded; the DOM holds a window of rows, not one per record.
    const domRows = await frame.locator('.virtual-row').count();
    assert.ok(domRows < 120, `${domRows} row elements`);
    await waitFor('records loaded into the tree', async () => (await frame.locator('.kind-pending').count()) === 0);
    await shoot('tree', 'light');
  });

  test('keyboard: arrows move, Right expands, Left collapses', async () => {
    const tree = frame.locator('.virtual-scroller[role="tree"]');
    await tree.focus();
    await session.workbench.page.keyboard.press('Home');
    for (let i = 0; i < 3; i++) await session.workbench.page.keyboard.press('ArrowDown');
    const focused = tree.locator('.virtual-row.focused');
    assert.strictEqual(await focused.getAttribute('aria-expanded'), 'false');
    await session.workbench.page.keyboard.press('ArrowRight');
    await waitFor('the record to expand', async () => (await focused.getAttribute('aria-expanded')) === 'true');
    await session.workbench.page.keyboard.press('ArrowLeft');
    await waitFor('the record to collapse', async () => (await focused.getAttribute('aria-expanded')) === 'false');
  });

  test('table and raw views', async () => {
    await frame.locator('#tab-table').click();
    await waitFor('table columns', async () => (await frame.locator('.table-header .cell').count()) > 2);
    await waitFor('table cells', async () => (await frame.locator('.table-view .virtual-row .cell').count()) > 10);
    await shoot('table', 'light');
    await frame.locator('#tab-raw').click();
    await waitFor('the raw text', async () =>
      (await frame.locator('#raw-text').textContent())?.includes('"pagination"'),
    );
    await shoot('raw', 'light');
    await frame.locator('#tab-headers').click();
    await waitFor('the response headers', async () =>
      /content-type: application\/json/.test((await frame.locator('#headers-list').textContent()) ?? ''),
    );
    assert.ok(
      !(await frame.locator('#headers-list').textContent())?.includes('sbx_pat_'),
      'no token among the headers',
    );
    await frame.locator('#tab-tree').click();
  });

  test('find within the response jumps to the match', async () => {
    await frame.locator('#find-input').fill('has_more');
    await frame.locator('#find-input').press('Enter');
    await waitFor('one match', async () => (await frame.locator('#find-count').textContent()) === '1 of 1');
    assert.match((await frame.locator('.virtual-row.focused .tree-key').textContent()) ?? '', /has_more/);
  });

  test('next and previous page follow pagination', async () => {
    await frame.getByRole('button', { name: 'Next page' }).click();
    await waitFor('page 2', async () => (await frame.locator('#page-label').textContent()) === 'Page 2', 30_000);
    await statusOk();
    await frame.getByRole('button', { name: 'Previous page' }).click();
    await waitFor('page 1', async () => (await frame.locator('#page-label').textContent()) === 'Page 1', 30_000);
  });

  test('Run Sleep Query from the palette', async () => {
    await session.workbench.runCommandIntoInput('OneTwentyOne: Run Sleep Query…');
    await session.workbench.quickInput('30 days');
    await waitFor(
      'the sleep route in the form',
      async () => (await frame.locator('#route').inputValue()) === 'sleep',
      30_000,
    );
    await statusOk();
    await frame.locator('#request-line').waitFor();
    const line = await frame.locator('#request-line').textContent();
    assert.ok(line?.includes(`/api/v1/sleep/${ADA_USER_ID}?`), line ?? '');
    assert.ok(!(await frame.locator('body').textContent())?.includes('sbx_pat_'), 'a token is in the webview');
  });

  test('the Chart tab draws a sleep result as a hypnogram, one night at a time', async () => {
    await frame.locator('#tab-chart').click();
    const caption = frame.locator('#hypnogram-caption');
    const latest = await waitFor(
      'the latest night',
      async () => /Session (\d+) of \1:/.exec((await caption.textContent()) ?? '')?.[1],
      30_000,
    );
    const nights = Number(latest);
    assert.ok(nights >= 28, `nights: ${nights}`);
    await frame.locator('.hypnogram svg rect').first().waitFor({ state: 'visible', timeout: 15_000 });
    assert.match((await frame.locator('#hypnogram-totals').textContent()) ?? '', /Deep \d/);
    await frame.getByRole('button', { name: 'Previous session' }).click();
    await waitFor(
      'the night before',
      async () => ((await caption.textContent()) ?? '').includes(`Session ${nights - 1} of ${nights}:`),
      15_000,
    );
    assert.strictEqual(await frame.getByRole('button', { name: 'Next session' }).isDisabled(), false);
    await shoot('hypnogram', 'light');
    await frame.locator('#tab-tree').click();
  });

  test("a shorter result after a longer one: the table shows only the new result's rows", async () => {
    // The sleep result of the test before is on screen; a week of workouts for the same user is shorter.
    const sleepCount = recordCount(await statusOk());
    await frame.locator('#tab-table').click();
    await waitFor('sleep rows in the table', async () => (await drawnTableRows()).length > 0);
    await frame.locator('#route').selectOption('workout');
    await frame.getByRole('button', { name: '7 days' }).click();
    await frame.getByRole('button', { name: 'Send' }).click();
    const workoutCount = await waitFor(
      'the workout result',
      async () => {
        const status = await frame.locator('#status-line').textContent();
        return status &&
          /^200 · /.test(status) &&
          (await frame.locator('#request-line').textContent())?.includes('/workout/')
          ? recordCount(status)
          : undefined;
      },
      30_000,
    );
    assert.ok(
      workoutCount < sleepCount,
      `the workouts (${workoutCount}) must be fewer than the sleep sessions (${sleepCount}) for this test to mean anything`,
    );
    // Scroll to the end of the table: nothing is drawn past the last workout.
    const grid = frame.locator('.table-view .virtual-scroller');
    await grid.evaluate('(el) => { el.scrollTop = el.scrollHeight; el.dispatchEvent(new Event("scroll")); }');
    await waitFor(
      'the workout rows',
      async () => (await frame.locator('.table-view .virtual-row .cell', { hasText: '…' }).count()) === 0,
    );
    const drawn = await drawnTableRows();
    assert.ok(
      drawn.length > 0 && drawn.length <= workoutCount,
      `${drawn.length} rows drawn for ${workoutCount} records`,
    );
    assert.ok(
      drawn.every((index) => index >= 0 && index < workoutCount),
      `rows drawn: ${drawn.join(', ')}`,
    );
    await frame.locator('#tab-tree').click();
  });

  function recordCount(status: string): number {
    return Number(/([\d,]+) records?/.exec(status)?.[1]?.replace(/,/g, '') ?? NaN);
  }

  /** Indexes of the table rows the user can see (laid out, not display:none). */
  async function drawnTableRows(): Promise<number[]> {
    return await frame.evaluate<number[]>(`[...document.querySelectorAll('.table-view .virtual-row')]
      .filter((row) => row.getClientRects().length > 0)
      .map((row) => row.dataset.index === undefined ? -1 : Number(row.dataset.index))`);
  }

  test("the hostile user's strings render as inert text", async () => {
    await session.workbench.addDemoUserToken(HOSTILE_USER_ID, 'Hostile');
    await waitFor('the hostile user in the form', async () => (await frame.locator('#account option').count()) >= 2);
    const hostileOption = await frame.locator('#account option', { hasText: 'Hostile' }).getAttribute('value');
    await frame.locator('#account').selectOption(hostileOption);
    await frame.locator('#route').selectOption('labs');
    await frame.getByRole('button', { name: 'All', exact: true }).click();
    await frame.getByRole('button', { name: 'Send' }).click();
    await statusOk();
    await frame.locator('#tab-table').click();
    await waitFor(
      'hostile cells',
      async () =>
        (await frame.locator('.table-view .virtual-row .cell', { hasText: '<img src=x onerror=' }).count()) > 0,
    );
    // No element came from the data: only the panel's own kinds exist, and the page title is untouched.
    // Evaluated in the webview (a string: this file is compiled without the DOM library).
    const injected = await frame.evaluate<{ tags: string[]; scripts: string[]; title: string }>(`({
      tags: [...new Set([...document.body.querySelectorAll('*')].map((e) => e.tagName.toLowerCase()))].sort(),
      scripts: [...document.scripts].map((s) => s.textContent),
      title: document.title,
    })`);
    for (const bad of ['img', 'iframe', 'svg', 'style', 'a', 'object', 'embed'])
      assert.ok(!injected.tags.includes(bad), `a <${bad}> element appeared`);
    assert.ok(!injected.scripts.some((text) => text.includes('pwned')), 'a script from the data exists');
    assert.notStrictEqual(injected.title, 'pwned');
    // Text round-trips: the cell shows the payload as written (bidi controls shown escaped).
    const cell = await frame
      .locator('.table-view .virtual-row .cell', { hasText: '<img src=x onerror=' })
      .first()
      .textContent();
    assert.ok(cell?.includes(`<img src=x onerror="document.title='pwned'">`), cell ?? '');
    await shoot('hostile-table', 'light');
    await frame.locator('#tab-tree').click();
    await shoot('hostile-tree', 'light');
  });

  test('dark theme screenshots of each view', async () => {
    await session.workbench.runCommand('Preferences: Toggle between Light/Dark Themes');
    await waitFor(
      'the dark theme',
      async () => (await session.workbench.page.locator('.monaco-workbench.vs-dark').count()) > 0,
      20_000,
    );
    await frame
      .locator('#account')
      .selectOption({ label: `Ada · sandbox` })
      .catch(() => undefined);
    await frame.locator('#route').selectOption('quantity');
    await frame.locator('#field-metric').fill('heartRate');
    await frame.getByRole('button', { name: '7 days' }).click();
    await frame.getByRole('button', { name: 'Send' }).click();
    await statusOk();
    for (const view of ['tree', 'table', 'raw'] as const) {
      await frame.locator(`#tab-${view}`).click();
      await shoot(view, 'dark');
    }
  });
});
