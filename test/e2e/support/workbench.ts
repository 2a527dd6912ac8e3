import * as fs from 'fs';
import * as path from 'path';
import type { Browser, Frame, Page } from 'playwright-core';
import { REPO } from '../../support/repo';
import { harnessScripts, type RunningCodeServer } from './codeServerHarness';
import { demoUser } from '../../support/demoUsers';
import { waitFor } from '../../support/waitFor';

export interface WorkbenchOptions {
  /** User settings on top of the harness's quiet defaults (e.g. `onetwentyone.environment`). */
  settings?: Record<string, unknown>;
  /** Files (relative path → text) of the throw-away workspace folder. */
  workspaceFiles?: Record<string, string>;
  /** Display language (code-server's --locale), e.g. the pseudo-locale qps-ploc. */
  locale?: string;
}

const RESULTS = path.join(REPO, 'test-results');

/**
 * One code-server with the extension under development, and one headless Chromium page on its
 * workbench, as a person would use it. Open one per test file (suiteSetup) and close it in suiteTeardown.
 * The VS Code version: E2E_VSCODE_VERSION (set by scripts/run-e2e.js), else the first of VSCODE_VERSIONS, else min.
 */
export class Workbench {
  private constructor(
    readonly page: Page,
    readonly codeServer: RunningCodeServer,
    readonly vscodeVersion: string,
    private readonly _browser: Browser,
    /** False where the smoke-test switch is on: the workbench then refuses every modal dialog. */
    readonly modalDialogs: boolean,
  ) {}

  static async open(options: WorkbenchOptions = {}): Promise<Workbench> {
    const harness = harnessScripts();
    const spec = process.env.E2E_VSCODE_VERSION || process.env.VSCODE_VERSIONS?.split(',')[0] || 'min';
    const [version] = harness.selectVersions(spec);
    if (!version) throw new Error(`No VS Code version matches "${spec}"`);
    const installed = await harness.ensureCodeServer(version);
    const codeServer = await harness.startCodeServer({ installed, ...options });
    let browser: Browser | undefined;
    try {
      browser = await harness.launchBrowser();
      const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
      const page = await context.newPage();
      // 1.100 honours the development payload as it is; newer workbenches need the smoke-test switch,
      // which also makes every modal dialog throw, so it is set only where it is needed.
      const modalDialogs = /^1\.100\./.test(installed.vscode);
      if (!modalDialogs) await harness.enableDevelopmentPayload(page);
      await page.goto(
        harness.workbenchUrl(codeServer, { folder: codeServer.workspace, extensionDevelopmentPath: REPO }),
      );
      await page.locator('.monaco-workbench .part.statusbar').waitFor({ state: 'visible', timeout: 60_000 });
      return new Workbench(page, codeServer, installed.vscode, browser, modalDialogs);
    } catch (e) {
      await browser?.close().catch(() => undefined);
      await codeServer.stop();
      throw e;
    }
  }

  /**
   * Runs a command from the F1 palette by its full title ("OneTwentyOne: Show Log"). Retries, because
   * typing may start before the input has focus, or before the extension host has registered the command.
   */
  async runCommand(title: string, attempts = 8): Promise<void> {
    const { page } = this;
    for (let attempt = 1; ; attempt++) {
      await page.keyboard.press('Escape');
      await page.keyboard.press('F1');
      const input = page.locator('.quick-input-widget input');
      try {
        await input.waitFor({ state: 'visible', timeout: 5_000 });
        await input.fill(`>${title}`);
        const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
        await row.waitFor({ state: 'visible', timeout: 5_000 });
        await page.keyboard.press('Enter');
        await input.waitFor({ state: 'hidden', timeout: 5_000 });
        return;
      } catch (e) {
        if (attempt >= attempts)
          throw new Error(`Could not run "${title}" from the command palette: ${(e as Error).message}`);
        await page.waitForTimeout(500 * attempt);
      }
    }
  }

  /**
   * Runs a palette command that opens a quick input of its own. `runCommand` waits for the palette to
   * close, which newer workbenches never show between the two; this waits for the command's own step.
   */
  async runCommandIntoInput(title: string): Promise<void> {
    const { page } = this;
    const input = page.locator('.quick-input-widget input');
    for (let attempt = 1; ; attempt++) {
      await page.keyboard.press('Escape');
      await page.keyboard.press('F1');
      try {
        await input.waitFor({ state: 'visible', timeout: 5_000 });
        await input.fill(`>${title}`);
        await page
          .locator('.quick-input-list .monaco-list-row', { hasText: title })
          .first()
          .waitFor({ state: 'visible', timeout: 5_000 });
        await page.keyboard.press('Enter');
        await waitFor(
          "the command's own input",
          async () => {
            const placeholder = (await input.getAttribute('placeholder').catch(() => null)) ?? '';
            return (
              (await input.isVisible()) &&
              !/name of a command/i.test(placeholder) &&
              !(await input.inputValue()).startsWith('>')
            );
          },
          10_000,
        );
        return;
      } catch (e) {
        if (attempt >= 6) throw e;
        await page.waitForTimeout(500 * attempt);
      }
    }
  }

  /** Types into the quick input once it shows a fresh (empty) step, checks the text landed, accepts it. */
  async quickInput(text: string): Promise<void> {
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible', timeout: 15_000 });
    await waitFor('a fresh quick input step', async () => (await input.inputValue()) === '');
    for (let attempt = 0; attempt < 5; attempt++) {
      await input.fill(text);
      await this.page.waitForTimeout(200);
      if ((await input.inputValue()) === text) break;
    }
    await this.page.keyboard.press('Enter');
    await this.page.waitForTimeout(300);
  }

  /** "Add Personal Access Token…" through its three steps; waits until the status bar names the new user. */
  async addPersonalAccessToken(userId: string, token: string, note: string): Promise<void> {
    await this.runCommandIntoInput('OneTwentyOne: Add Personal Access Token…');
    if (await this._offersSandboxUsers()) await this.quickInput('Enter a token…');
    await this.quickInput(userId);
    await this.quickInput(token);
    await this.quickInput(note);
    // The new user becomes the active one: the status bar names it (toasts differ between versions).
    await this.page
      .locator('.part.statusbar', { hasText: note })
      .first()
      .waitFor({ state: 'visible', timeout: 20_000 });
  }

  /** "Add Personal Access Token…" with the token of the sandbox's demo user `userId`. */
  async addDemoUserToken(userId: string, note: string): Promise<void> {
    await this.addPersonalAccessToken(userId, demoUser(userId).pat, note);
  }

  /** "Run Quantity Query…" from the palette for `metric` over `range` (a preset: "7 days", "All"); returns the panel's frame. */
  async runQuantityQuery(metric: string, range: string): Promise<Frame> {
    await this.runCommandIntoInput('OneTwentyOne: Run Quantity Query…');
    await this.quickInput(metric);
    await this.quickInput(range);
    return this.webviewFrame('#status-line');
  }

  /** "Add Personal Access Token…" in the sandbox: picks the synthetic user `name` from the offered list. */
  async addSandboxUserToken(name: string): Promise<void> {
    await this.runCommandIntoInput('OneTwentyOne: Add Personal Access Token…');
    if (!(await this._offersSandboxUsers())) throw new Error('"Add Personal Access Token…" offered no sandbox users');
    await this.quickInput(name);
    await this.page
      .locator('.part.statusbar', { hasText: name })
      .first()
      .waitFor({ state: 'visible', timeout: 20_000 });
  }

  private async _offersSandboxUsers(): Promise<boolean> {
    const placeholder = await this.page
      .locator('.quick-input-widget input')
      .getAttribute('placeholder')
      .catch(() => null);
    return /synthetic user of the sandbox/.test(placeholder ?? '');
  }

  /** Opens the OneTwentyOne view container from its activity-bar icon. */
  async openOneTwentyOneView(): Promise<void> {
    const item = this.page.locator('.part.activitybar .action-item:has(> a[aria-label^="OneTwentyOne"])').first();
    const icon = item.locator('> a');
    await icon.waitFor({ state: 'visible', timeout: 30_000 });
    // Clicking the icon of the visible container would hide it again.
    if ((await item.getAttribute('class'))?.includes('checked')) return;
    await icon.click();
    await this.page
      .locator('.part.sidebar .composite.title', { hasText: /OneTwentyOne/i })
      .waitFor({ state: 'visible', timeout: 15_000 });
  }

  /** The view pane (header and body) of a view by its name, e.g. "Accounts". */
  viewPane(name: string) {
    return this.page
      .locator('.part.sidebar .pane', { has: this.page.locator('.pane-header', { hasText: name }) })
      .first();
  }

  /** The frame of a webview whose document has `selector` (webviews are nested iframes). */
  async webviewFrame(selector: string, timeoutMs = 30_000): Promise<Frame> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      for (const frame of this.page.frames()) {
        if (
          await frame
            .locator(selector)
            .count()
            .catch(() => 0)
        )
          return frame;
      }
      if (Date.now() > deadline) throw new Error(`No webview shows ${selector} after ${timeoutMs} ms`);
      await this.page.waitForTimeout(200);
    }
  }

  /** Waits for text anywhere in the window (notifications, views, dialogs); text locators survive UI changes across versions. */
  async waitForText(text: string | RegExp, timeoutMs = 15_000): Promise<void> {
    await this.page.getByText(text).first().waitFor({ state: 'visible', timeout: timeoutMs });
  }

  /**
   * Clicks `button` on the notification that says `text`: on its toast, or (when the toast has gone,
   * e.g. while another browser tab was in front) in the notification center.
   */
  async clickNotificationButton(text: string | RegExp, button: string): Promise<void> {
    const item = this.page.locator('.notification-list-item', { hasText: text }).first();
    const toast = await item.waitFor({ state: 'visible', timeout: 15_000 }).then(
      () => true,
      () => false,
    );
    if (!toast) {
      await this.runCommand('Notifications: Show Notifications');
      await item.waitFor({ state: 'visible', timeout: 15_000 });
    }
    await item.hover();
    await item.getByRole('button', { name: button }).click();
    await item.waitFor({ state: 'hidden', timeout: 15_000 });
  }

  /**
   * The next browser page the workbench opens: `env.openExternal` (sign-in, the sandbox consent page)
   * opens a popup in the same browser context. Call before triggering it.
   */
  nextPage(timeoutMs = 30_000): Promise<Page> {
    return this.page.context().waitForEvent('page', { timeout: timeoutMs });
  }

  /** Saves a PNG of the whole window under test-results/e2e-<VS Code version>/; returns its path. */
  async screenshot(name: string): Promise<string> {
    const dir = path.join(RESULTS, `e2e-${this.vscodeVersion}`);
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `${name.replace(/[^\w.-]+/g, '-')}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }

  /** For teardown(): keeps a screenshot of the window when the test that just ran failed. */
  async screenshotIfFailed(test: Mocha.Test | undefined): Promise<void> {
    if (test?.state !== 'failed') return;
    const file = await this.screenshot(`FAILED ${test.fullTitle()}`).catch(() => undefined);
    if (file) console.log(`    screenshot of the failure: ${path.relative(REPO, file)}`);
  }

  async close(): Promise<void> {
    await this._browser.close().catch(() => undefined);
    await this.codeServer.stop();
  }
}
