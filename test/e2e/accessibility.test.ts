import * as assert from 'assert';
import * as fs from 'fs';
import type { Frame } from 'playwright-core';
import { ADA_USER_ID } from '../../src/sandbox/demoAccounts';
import type { SandboxHandle } from '../../src/sandbox/main';
import { sandboxSettings, startBuiltSandbox } from './support/suiteWorkbench';
import { waitFor } from '../support/waitFor';
import { Workbench } from './support/workbench';

/** axe-core's own bundle, run inside the panel's webview frame. */
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  impact: string;
  nodes: { target: string[] }[];
}

/**
 * The query panel against WCAG 2.1 A and AA with axe-core, in the real workbench and its themes:
 * every tab of a quantity and a sleep result, in the light, dark and high-contrast themes.
 */
suite('Accessibility: axe finds nothing in the query panel', function () {
  this.timeout(300_000);
  let workbench: Workbench;
  let sandbox: SandboxHandle;
  let frame: Frame;

  suiteSetup(async () => {
    sandbox = await startBuiltSandbox();
  });

  teardown(async function () {
    await workbench?.screenshotIfFailed(this.currentTest);
    await workbench?.close();
  });

  suiteTeardown(async () => {
    await sandbox?.close();
  });

  async function violations(): Promise<AxeViolation[]> {
    if (!(await frame.evaluate('typeof window.axe !== "undefined"'))) await frame.evaluate(AXE_SOURCE);
    return await frame.evaluate<
      AxeViolation[]
    >(`window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
      .then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map((n) => ({ target: n.target })) })))`);
  }

  async function checkEveryTab(what: string): Promise<string[]> {
    const found: string[] = [];
    for (const tab of ['tree', 'table', 'raw', 'headers', 'warnings', 'chart']) {
      await frame.locator(`#tab-${tab}`).click();
      await workbench.page.waitForTimeout(400);
      if (tab === 'chart') {
        // The chart's alternative for screen readers and the keyboard: its data as a table.
        await frame.locator('#chart-table-toggle').click();
        await waitFor(
          "the chart's data table",
          async () => (await frame.locator('.chart-data-table tbody tr').count()) > 0,
          30_000,
        );
      }
      for (const v of await violations())
        found.push(`${what} ${tab}: ${v.id} (${v.impact}) at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
      if (tab === 'chart') await frame.locator('#chart-table-toggle').click();
    }
    return found;
  }

  async function run(route: 'quantity' | 'sleep'): Promise<void> {
    await workbench.runCommandIntoInput(
      route === 'quantity' ? 'OneTwentyOne: Run Quantity Query…' : 'OneTwentyOne: Run Sleep Query…',
    );
    if (route === 'quantity') await workbench.quickInput('heartRate');
    await workbench.quickInput('7 days');
    frame = await workbench.webviewFrame('#status-line');
    await waitFor(
      'a 200 response',
      async () =>
        /^200 · /.test((await frame.locator('#status-line').textContent()) ?? '') &&
        (await frame.locator('#route').inputValue()) === route,
      30_000,
    );
  }

  /** Picks a colour theme the way a person does, and waits until the workbench wears it. */
  async function selectTheme(theme: string, workbenchClass: string): Promise<void> {
    const { page } = workbench;
    const input = page.locator('.quick-input-widget input');
    // Labels differ by version ("Default Dark Modern", "Dark Modern").
    const themeRow = page
      .locator('.quick-input-list .monaco-list-row', {
        has: page.locator('.label-name', { hasText: new RegExp(`^(Default )?${theme}$`) }),
      })
      .first();
    // The picker fills its list a moment after it opens, and sometimes not at all: open it again then.
    await waitFor(
      `the theme ${theme}`,
      async () => {
        await page.keyboard.press('Escape');
        await page.keyboard.press('F1');
        await input.fill('>Preferences: Color Theme');
        const command = page
          .locator('.quick-input-list .monaco-list-row', {
            has: page.locator('.label-name', { hasText: /^Preferences: Color Theme$/ }),
          })
          .first();
        if (
          !(await command.waitFor({ state: 'visible', timeout: 5000 }).then(
            () => true,
            () => false,
          ))
        )
          return false;
        await command.click();
        await input.fill(theme);
        if (
          !(await themeRow.waitFor({ state: 'visible', timeout: 5000 }).then(
            () => true,
            () => false,
          ))
        )
          return false;
        await themeRow.click();
        return true;
      },
      90_000,
    );
    await page.locator(`.monaco-workbench.${workbenchClass}`).waitFor({ state: 'attached', timeout: 20_000 });
  }

  const THEMES: [string, string][] = [
    ['Light Modern', 'vs'],
    ['Dark Modern', 'vs-dark'],
    ['Dark High Contrast', 'hc-black'],
    ['Light High Contrast', 'hc-light'],
  ];
  for (const [theme, workbenchClass] of THEMES) {
    test(`no violations on any tab of a quantity and a sleep result: ${theme}`, async () => {
      workbench = await Workbench.open({ settings: sandboxSettings(sandbox) });
      await selectTheme(theme, workbenchClass);
      await workbench.addDemoUserToken(ADA_USER_ID, 'Ada');
      const found: string[] = [];
      await run('quantity');
      found.push(...(await checkEveryTab('quantity')));
      await run('sleep');
      found.push(...(await checkEveryTab('sleep')));
      await workbench.screenshot(`accessibility-${theme.replace(/\W+/g, '-').toLowerCase()}`);
      assert.deepStrictEqual(found, []);
    });
  }
});
