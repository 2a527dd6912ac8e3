import * as assert from 'assert';
import * as path from 'path';
import type { Frame, Locator } from 'playwright-core';
import type { SandboxHandle } from '../../src/sandbox/main';
import { REPO } from '../support/repo';
import { waitFor } from '../support/waitFor';
import { sandboxSettings, startBuiltSandbox, workbenchPerSuite } from './support/suiteWorkbench';

interface L10nScript {
  pseudo(text: string): string;
  accent(text: string): string;
  PSEUDO_LOCALE: string;
}

// The same wrapping `npm run l10n` writes into the pseudo-locale files.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const script = require(path.join(REPO, 'scripts', 'l10n.js')) as L10nScript;
const { pseudo, accent } = script;

/** A whole string in the pseudo-locale: English left anywhere in it would stand outside the brackets. */
const WRAPPED = /^\[!! [\s\S]* !!\]$/;
/** A palette row of ours: "[!! category !!]: [!! title !!]". */
const WRAPPED_COMMAND = /^\[!! [^\]]* !!\]: \[!! [\s\S]* !!\]$/;
const CATEGORY = pseudo('OneTwentyOne');
/** Commands VS Code makes for our views, its words around our (wrapped) names: "Focus on Accounts View". */
const VSCODE_TEMPLATES = ['{}: Focus on {} View', 'View: Show {}'];

suite('Pseudo-locale e2e: no English of ours is left in the workbench', () => {
  let sandbox: SandboxHandle | undefined;
  const session = workbenchPerSuite({
    prepare: async () => {
      sandbox = await startBuiltSandbox();
      return { settings: sandboxSettings(sandbox), locale: script.PSEUDO_LOCALE };
    },
    release: async () => {
      await sandbox?.close();
    },
  });

  async function texts(locator: Locator): Promise<string[]> {
    return (await locator.allTextContents()).map((t) => t.replace(/\s+/g, ' ').trim()).filter((t) => t !== '');
  }

  /**
   * Opens the palette on `filter` and returns the titles of the rows it lists once `ready` accepts them.
   * A row shows the title in the display language and, under it, the English title it is also found by.
   */
  async function paletteTitles(filter: string, ready: (titles: string[]) => boolean): Promise<string[]> {
    const { page } = session.workbench;
    const input = page.locator('.quick-input-widget input');
    // The first line of each row: the second holds the English title.
    const titles = page.locator('.quick-input-list .monaco-list-row .quick-input-list-row:first-child .label-name');
    let seen: string[] = [];
    await waitFor(
      `the palette's rows for "${filter}"`,
      async () => {
        // Opened afresh each time: an open palette keeps the commands it found when it opened.
        await page.keyboard.press('Escape');
        await page.keyboard.press('F1');
        await input.waitFor({ state: 'visible', timeout: 5_000 });
        await input.fill(`>${filter}`);
        await page.waitForTimeout(300);
        seen = await texts(titles);
        return ready(seen);
      },
      60_000,
    );
    return seen;
  }

  /**
   * Runs one of our commands from the palette, found by its English title, chosen by its pseudo-locale
   * one; `asks`: the command goes on with a quick input of its own.
   */
  async function runOurCommand(englishTitle: string, asks = false): Promise<void> {
    const title = `${CATEGORY}: ${pseudo(englishTitle)}`;
    await paletteTitles(`OneTwentyOne: ${englishTitle}`, (titles) => titles.includes(title));
    const { page } = session.workbench;
    await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().click();
    if (!asks) await page.locator('.quick-input-widget input').waitFor({ state: 'hidden', timeout: 10_000 });
  }

  test('the Command Palette lists every command of ours wrapped, category and title', async () => {
    const { page } = session.workbench;
    const first = await paletteTitles('OneTwentyOne', (titles) => titles.length >= 8);
    await session.workbench.screenshot('pseudo-locale-palette');
    // The list draws only the rows in view: page down through it to read every one.
    const all = new Set(first);
    const titles = page.locator('.quick-input-list .monaco-list-row .quick-input-list-row:first-child .label-name');
    for (let unchanged = 0; unchanged < 2;) {
      const before = all.size;
      await page.keyboard.press('PageDown');
      await page.waitForTimeout(300);
      for (const title of await texts(titles)) all.add(title);
      unchanged = all.size === before ? unchanged + 1 : 0;
    }
    const seen = [...all];
    const ours = seen.filter((label) => WRAPPED_COMMAND.test(label));
    assert.ok(ours.length >= 15, `only ${ours.length} commands listed: ${seen.join(' | ')}`);
    assert.ok(ours.includes(`${CATEGORY}: ${pseudo('Add Personal Access Token…')}`), seen.join(' | '));
    // VS Code adds commands for views in its own words around our names, which this run leaves English.
    const vscodeWords = seen
      .filter((label) => !WRAPPED_COMMAND.test(label))
      .filter((label) => !VSCODE_TEMPLATES.includes(label.replace(/\[!! [^\]]* !!\]/g, '{}')));
    assert.deepStrictEqual(vscodeWords, [], `palette rows not in the pseudo-locale (all: ${seen.join(' | ')})`);
    await session.workbench.page.keyboard.press('Escape');
  });

  test("our views' titles, welcome text and its buttons are wrapped", async () => {
    const { page } = session.workbench;
    const container = page.locator(`.part.activitybar .action-item > a[aria-label^="${CATEGORY}"]`).first();
    await container.waitFor({ state: 'visible', timeout: 30_000 });
    await container.click();
    const sidebarTitle = page.locator('.part.sidebar .composite.title');
    await sidebarTitle.waitFor({ state: 'visible', timeout: 15_000 });
    const headers = page.locator('.part.sidebar .pane-header .title');
    let names: string[] = [];
    await waitFor('the three views', async () => {
      names = await texts(headers);
      return names.length >= 3;
    });
    // The text as written (the header shows it in capitals through CSS).
    assert.deepStrictEqual(
      names.slice(0, 3),
      ['Accounts', 'Endpoints', 'History'].map((n) => pseudo(n)),
    );
    const welcome = page.locator('.part.sidebar .welcome-view-content').first();
    await welcome.waitFor({ state: 'visible', timeout: 15_000 });
    const paragraphs = await texts(welcome.locator('p'));
    const buttons = await texts(welcome.locator('.monaco-button'));
    assert.ok(paragraphs.length > 0, 'the welcome text has paragraphs');
    for (const text of paragraphs) assert.match(text, WRAPPED, text);
    // A button is a line that is one link, whose text cannot hold brackets: it carries the accents only.
    assert.deepStrictEqual(buttons, ['Sign In', 'Add Personal Access Token', 'Try the Sandbox'].map(accent));
    await session.workbench.screenshot('pseudo-locale-views');
  });

  test('a notification of ours is wrapped', async () => {
    // No one is signed in yet, so there is no token to refresh, and the command says so.
    await runOurCommand('Refresh Access Token');
    await session.workbench.waitForText(pseudo('No matching OneTwentyOne account is signed in.'));
    await session.workbench.screenshot('pseudo-locale-notification');
  });

  test('the query panel shows its words wrapped, before and after a response', async () => {
    const { workbench } = session;
    await runOurCommand('Add Personal Access Token…', true);
    await workbench.quickInput('Ada (demo)');
    await workbench.page
      .locator('.part.statusbar', { hasText: 'Ada (demo)' })
      .first()
      .waitFor({ state: 'visible', timeout: 20_000 });
    await runOurCommand('Open Query Panel');
    const frame = await workbench.webviewFrame('#status-line');
    assert.deepStrictEqual(englishLeftIn(await visibleWords(frame)), []);
    await frame.locator('#field-metric').fill('stepCount');
    await frame.getByRole('button', { name: pseudo('Send'), exact: true }).click();
    await frame.locator('#status-line', { hasText: accent('records') }).waitFor({ timeout: 30_000 });
    const words = await visibleWords(frame);
    assert.ok(
      words.some((w) => w.text === pseudo('Table')),
      'the result tabs are shown',
    );
    assert.deepStrictEqual(englishLeftIn(words), []);
    await workbench.screenshot('pseudo-locale-panel');
  });

  test('the query panel in the High Contrast theme', async () => {
    const { workbench } = session;
    const { page } = workbench;
    const input = page.locator('.quick-input-widget input');
    const row = (label: RegExp) =>
      page
        .locator('.quick-input-list .monaco-list-row', { has: page.locator('.label-name', { hasText: label }) })
        .first();
    const shown = (locator: Locator) =>
      locator.waitFor({ state: 'visible', timeout: 5000 }).then(
        () => true,
        () => false,
      );
    // The workbench's own words stay English here: the language pack of the run translates nothing.
    // The theme picker fills its list a moment after it opens, and sometimes not at all: open it again then.
    await waitFor(
      'the theme Dark High Contrast',
      async () => {
        await page.keyboard.press('Escape');
        await page.keyboard.press('F1');
        await input.fill('>Preferences: Color Theme');
        if (!(await shown(row(/^Preferences: Color Theme$/)))) return false;
        await row(/^Preferences: Color Theme$/).click();
        await input.fill('Dark High Contrast');
        if (!(await shown(row(/^(Default )?Dark High Contrast$/)))) return false;
        await row(/^(Default )?Dark High Contrast$/).click();
        return true;
      },
      90_000,
    );
    await page.locator('.monaco-workbench.hc-black').waitFor({ state: 'attached', timeout: 20_000 });
    const frame = await workbench.webviewFrame('#status-line');
    await waitFor('the panel in the high-contrast theme', () =>
      frame.evaluate<boolean>(`document.body.classList.contains('vscode-high-contrast')`),
    );
    await workbench.screenshot('high-contrast-panel');
  });
});

interface VisibleWord {
  readonly where: string;
  readonly text: string;
}

/**
 * Every text, label, tooltip and placeholder the panel shows, except what is data: the request line,
 * the metric typed, the options of the pickers (users, routes) and the records of the response.
 */
async function visibleWords(frame: Frame): Promise<VisibleWord[]> {
  // Runs in the webview (a string: this file has no DOM types).
  return frame.evaluate<VisibleWord[]>(`(() => {
    const words = [];
    for (const element of document.querySelectorAll('body *')) {
      if (!element.offsetParent || element.closest('#request-line, option, select, .virtual-rows')) continue;
      const own = [...element.childNodes]
        .filter((node) => node.nodeType === Node.TEXT_NODE)
        .map((node) => node.textContent ?? '')
        .join('')
        .trim();
      const where = element.tagName.toLowerCase() + (element.id ? '#' + element.id : '');
      if (own) words.push({ where, text: own });
      for (const attribute of ['aria-label', 'title', 'placeholder']) {
        const value = element.getAttribute(attribute)?.trim();
        if (value && !(element.id === 'field-metric' && attribute === 'placeholder'))
          words.push({ where: where + '[' + attribute + ']', text: value });
      }
    }
    return words;
  })()`);
}

/** Innermost first: a message's values may be messages themselves. */
const INNERMOST = /\[!! (?:(?!\[!! )[\s\S])*? !!\]/g;
/** What Intl writes in dates for the pseudo-locale, which it formats as English. */
const INTL_WORDS = /\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|AM|PM)\b/g;

/** What is left of a text once every wrapped message is taken out. */
function outsideWrappers(text: string): string {
  let rest = text;
  for (let before = ''; before !== rest;) {
    before = rest;
    rest = rest.replace(INNERMOST, '');
  }
  return rest.replace(INTL_WORDS, '');
}

/** The words left outside the pseudo-locale's wrappers: English, unless it is a URL. */
function englishLeftIn(words: readonly VisibleWord[]): string[] {
  return words
    .filter((w) => /\p{L}{2,}/u.test(outsideWrappers(w.text)))
    .filter((w) => !/^https?:\/\/\S+$/.test(w.text))
    .map((w) => `${w.where}: ${w.text}`);
}
