import * as assert from 'assert';
import * as path from 'path';
import type { Browser, Page } from 'playwright-core';
import { localizableTexts } from '../../src/core/localizable';
import { METRIC_CATEGORIES, METRICS, ROUTES } from '../../src/core/routes';
import type { WebviewBootstrap, WebviewStrings } from '../../src/shared/webviewStrings';
import { webviewStrings } from '../../src/vscode/explorer/webviewStrings';
import { REPO } from '../support/repo';
import { launch, webviewPage } from '../support/webviewHarness';

/**
 * The query panel's page (the real dist/webview.js and media/query.css in Chromium) given the host's
 * table in the pseudo-locale, where every message is wrapped in [!! … !!] as `npm run l10n` writes it.
 * The page is taken through each of its states (form, every tab, fetch all, record search, find,
 * export, empty and failed results, quantity chart, hypnogram, chart tables); in each, every text the
 * user sees or hears (text nodes, live regions, aria-labels, titles, placeholders, options) must be
 * wrapped. English left outside a wrapper is a string hard-coded in src/webview. The route
 * catalogue's words (route, parameter, metric and category names, descriptions, choices, date presets
 * and field errors, marked in src/core) come with the table, pseudo-localized the same way.
 *
 * Text that is not the panel's own words is left out, each for its reason: the response's keys,
 * values, raw text, headers and JSON paths, the URL; the user's accounts; file format names; examples
 * of API names in empty fields (`stepCount`); and dates and times that Intl writes for the locale (the
 * pseudo-locale formats as English).
 */

// eslint-disable-next-line @typescript-eslint/no-require-imports -- the same wrapping `npm run l10n` writes
const { pseudo } = require(path.join(REPO, 'scripts', 'l10n.js')) as { pseudo(text: string): string };

const PSEUDO_LOCALE = 'qps-ploc';

function pseudoBootstrap(): WebviewBootstrap {
  const strings = Object.fromEntries(
    Object.entries(webviewStrings()).map(([key, message]) => [key, pseudo(message)]),
  ) as unknown as WebviewStrings;
  const catalogue = Object.fromEntries(localizableTexts().map((text) => [text, pseudo(text)]));
  return { locale: PSEUDO_LOCALE, strings, catalogue };
}

/** Runs in the page: answers the last request of `type` the page posted, as the host would. */
const ANSWER = String.raw`
window.__answer = (type, reply) => {
  const request = [...window.__posted].reverse().find((m) => m.type === type);
  if (!request) throw new Error('the page asked for no ' + type);
  window.__send({ ...reply(request), requestId: request.requestId, resultId: request.resultId });
};
`;

/** Runs in the page: the texts of the panel that are not wrapped, with where they are. */
const FIND_UNWRAPPED = String.raw`(() => {
  // Innermost first: a message's values may be messages themselves.
  const INNERMOST = /\[!! (?:(?!\[!! )[\s\S])*? !!\]/g;
  const WORD = /\p{L}{2,}/u;
  // What Intl writes in dates for the pseudo-locale (formatted as English): month names and AM/PM.
  const monthName = new Intl.DateTimeFormat('en', { month: 'short', timeZone: 'UTC' });
  const INTL_WORDS = new RegExp('\\b(' + [...Array.from({ length: 12 }, (_, m) => monthName.format(Date.UTC(2024, m, 1))), 'AM', 'PM'].join('|') + ')\\b', 'g');
  const unwrapped = (text) => {
    let rest = text;
    for (let before = ''; before !== rest; ) {
      before = rest;
      rest = rest.replace(INNERMOST, '');
    }
    return rest.replace(INTL_WORDS, '');
  };
  // Not the panel's words (see the comment at the top of the test file).
  const DATA_TEXT = [
    '#account', '#request-line',
    '.tree-key', '.tree-value', '.table-view', '#raw-text', '#headers-list li:not(.no-headers)',
    '#warnings-list button.link', '#export-format', 'svg text:not([text-anchor])',
  ].join(', ');
  const DATA_ATTRIBUTES = ['.table-header .cell', '#status-line'].join(', ');
  // An empty field's example of an API name (stepCount, serumALT): the API's word, not the panel's.
  const API_NAME = /^[a-z]+[A-Z][A-Za-z0-9]*$/;
  const bad = (text) => WORD.test(unwrapped(text ?? ''));
  const where = (e) => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className && typeof e.className === 'string' ? '.' + e.className.split(' ').join('.') : '');
  const rendered = (e) => e.getClientRects().length > 0;
  const found = [];
  for (const e of document.body.querySelectorAll('*')) {
    if (!rendered(e) && e.tagName !== 'OPTION') continue;
    if (e.tagName === 'OPTION' && !rendered(e.parentElement)) continue;
    if (!e.closest(DATA_TEXT)) {
      for (const node of e.childNodes) {
        if (node.nodeType === Node.TEXT_NODE && bad(node.textContent)) found.push(where(e) + ': ' + JSON.stringify(node.textContent));
      }
    }
    if (!e.matches(DATA_ATTRIBUTES)) {
      for (const name of ['aria-label', 'title', 'placeholder', 'aria-roledescription']) {
        if (name === 'placeholder' && API_NAME.test(e.getAttribute(name) ?? '')) continue;
        if (bad(e.getAttribute(name))) found.push(where(e) + ' [' + name + ']: ' + JSON.stringify(e.getAttribute(name)));
      }
    }
  }
  return found;
})()`;

const USER_ID = '123e4567-e89b-12d3-a456-426614174000';
const DAY = 86_400_000;
const START = Date.UTC(2024, 2, 4);

function summary(resultId: number, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    resultId,
    query: { route: 'quantity', metric: 'heartRate', params: { startDate: '2024-03-04', page: 2 } },
    url: `http://127.0.0.1:1/api/v1/quantity/${USER_ID}/heartRate?page=2`,
    status: 200,
    durationMs: 41,
    bytes: 3_300,
    envelopeJson: '{"pagination":{"current_page":2,"has_more":true}}',
    dataKind: 'array',
    recordCount: 12_345,
    pagination: { currentPage: 2, hasMore: true, hasPrev: true },
    warnings: [
      { path: '$.data[0].value', message: pseudo('expected a number') },
      { path: '$.data[1].unit', message: pseudo('missing') },
    ],
    receivedAt: START,
    headers: [['content-type', 'application/json']],
    ...overrides,
  };
}

suite('Query panel in the pseudo-locale: every word of the webview comes from the host', function () {
  this.timeout(180_000);
  let browser: Browser;
  let page: Page;
  let requestId = 1;

  suiteSetup(async () => {
    browser = await launch();
    page = await webviewPage(browser, pseudoBootstrap());
    await page.setViewportSize({ width: 1400, height: 900 });
    await page.addScriptTag({ content: ANSWER });
    await send({
      type: 'didInit',
      accounts: [{ id: 'a', label: 'Ada', userId: USER_ID, environment: 'sandbox', origin: 'http://127.0.0.1:1' }],
      activeAccountId: 'a',
      today: '2024-03-10',
      quota: { budget: pseudo('quantity & sleep'), daily: true, limit: 10_000, remaining: 9_990, resetAt: START },
      form: null,
    });
  });
  suiteTeardown(async () => {
    await browser?.close();
  });

  async function send(message: Record<string, unknown>): Promise<void> {
    await page.evaluate(`window.__send(${JSON.stringify(message)})`);
  }

  async function answer(type: string, reply: Record<string, unknown>): Promise<void> {
    await page.evaluate(`window.__answer(${JSON.stringify(type)}, () => (${JSON.stringify(reply)}))`);
  }

  /** `restored`: as after a reload (expansion kept); otherwise a new answer, with the tree's `data` open. */
  async function respond(result: Record<string, unknown>, restored = true): Promise<void> {
    await send({ type: 'didReceiveResponse', requestId: requestId++, summary: result, restored });
  }

  /** Fails with every unwrapped text of the page as it is now. */
  async function assertAllWrapped(state: string): Promise<void> {
    const unwrapped = await page.evaluate<string[]>(FIND_UNWRAPPED);
    assert.deepStrictEqual(unwrapped, [], `${state}: English outside the host's table`);
  }

  async function tab(name: string): Promise<void> {
    await page.click(`#tab-${name}`);
  }

  test('the check finds English: a hard-coded label is caught', async () => {
    await page.evaluate(
      `document.body.append(Object.assign(document.createElement('button'), { id: 'planted', textContent: 'Send' }))`,
    );
    const found = await page.evaluate<string[]>(FIND_UNWRAPPED);
    await page.evaluate(`document.getElementById('planted').remove()`);
    assert.deepStrictEqual(found, ['button#planted: "Send"']);
  });

  test('the form, the presets, the quota and the empty inspector', async () => {
    assert.strictEqual(await page.textContent('button.primary'), pseudo('Send'));
    assert.match((await page.textContent('#quota-line')) ?? '', /^\[!! \[!! .* !!\], .* !!\]$/);
    await assertAllWrapped('a new panel');
  });

  test('a list result: status, pager, tabs, tree, table, raw, headers and warnings', async () => {
    await respond(summary(1));
    const status = (await page.textContent('#status-line')) ?? '';
    assert.ok(status.includes(pseudo('{0} records').replace('{0}', '12,345')), status);
    await assertAllWrapped('Tree tab');
    await tab('table');
    await assertAllWrapped('Table tab');
    await tab('raw');
    await answer('getRaw', { type: 'getRaw/result', text: '{"data":[]}', totalChars: 40_000, truncated: true });
    await page.waitForFunction(`document.querySelector('.raw-note').textContent.includes('40,000')`);
    await assertAllWrapped('Raw tab');
    await tab('headers');
    await assertAllWrapped('Headers tab');
    await tab('warnings');
    assert.strictEqual(await page.textContent('#tab-warnings'), pseudo('Warnings ({0})').replace('{0}', '2'));
    await assertAllWrapped('Warnings tab');
    await tab('tree');
  });

  test('Fetch All Pages, record search, find and export say their states in the table', async () => {
    const fetch = {
      running: true,
      pages: 3,
      expectedPages: 40,
      records: 30_000,
      recordsPerSecond: 12_000,
      reason: null,
      partial: false,
      message: pseudo('Fetching 40 pages'),
    };
    await send({ type: 'didUpdateResult', summary: summary(1), fetch });
    await assertAllWrapped('Fetch All Pages running');
    await send({
      type: 'didUpdateResult',
      summary: summary(1),
      fetch: { ...fetch, running: false, reason: 'quota', partial: true, message: pseudo('Stopped at the quota') },
    });
    assert.strictEqual(await page.textContent('#fetch-badge'), pseudo('Partial: quota'));
    await assertAllWrapped('Fetch All Pages stopped');

    await page.fill('#record-search', 'value > 180');
    await page.press('#record-search', 'Enter');
    await answer('search', {
      type: 'search/result',
      done: true,
      total: 3,
      scannedRows: 12_345,
      firstHits: [0, 1, 2],
      error: null,
    });
    await assertAllWrapped('record search');

    await page.fill('#find-input', '72');
    await page.press('#find-input', 'Enter');
    await assertAllWrapped('find searching');
    await answer('find', { type: 'find/result', hits: [{ record: 0, path: ['value'] }], total: 1, capped: false });
    await assertAllWrapped('find found');

    await send({ type: 'didChangeExport', running: false, message: pseudo('Exported 12,345 records') });
    await assertAllWrapped('export done');
  });

  test('the quantity chart, its table, and a chart with nothing to draw', async () => {
    await tab('chart');
    await answer('getChart', {
      type: 'chart/result',
      bucket: 'week',
      aggregation: 'average',
      unit: 'count/min',
      bucketStart: [START, START + 7 * DAY, START + 14 * DAY],
      value: [71, 73.5, 70],
      min: [50, 52, 49],
      max: [120, 150, 131],
      count: [700, 710, 690],
      skippedRecords: 4,
      error: null,
    });
    await page.waitForSelector('.chart svg');
    // The focused chart reads its last bucket out in its tooltip.
    await page.focus('.chart [aria-roledescription]');
    await page.waitForFunction(`document.querySelector('.chart-tooltip').textContent !== ''`);
    await page.click('#chart-table-toggle');
    await page.waitForSelector('.chart-data-table');
    await assertAllWrapped('quantity chart and table');
    await page.selectOption('#chart-bucket', 'day');
    const noBuckets = Object.fromEntries(['bucketStart', 'value', 'min', 'max', 'count'].map((list) => [list, []]));
    await answer('getChart', {
      ...noBuckets,
      type: 'chart/result',
      bucket: 'day',
      aggregation: 'sum',
      unit: 'count',
      skippedRecords: 0,
      error: null,
    });
    await page.waitForSelector('.chart-empty');
    await assertAllWrapped('empty chart');
  });

  test('a sleep result: the hypnogram, its session buttons, totals and stage table', async () => {
    await respond(
      summary(2, {
        query: { route: 'sleep', params: { startDate: '2024-03-04' } },
        url: `http://127.0.0.1:1/api/v1/sleep/${USER_ID}`,
        recordCount: 30,
        pagination: null,
        warnings: [],
      }),
    );
    const night = START + 22 * 3_600_000;
    await answer('getHypnogram', {
      type: 'hypnogram/result',
      sessionCount: 30,
      session: 29,
      start: night,
      end: night + 8 * 3_600_000,
      sessionsWithoutStages: 2,
      segmentsTotal: 5,
      stage: ['inBed', 'awake', 'asleepCore', 'asleepDeep', 'asleepREM'],
      segmentStart: [0, 1, 2, 3, 4].map((i) => night + i * 90 * 60_000),
      segmentEnd: [1, 2, 3, 4, 5].map((i) => night + i * 90 * 60_000),
      error: null,
    });
    await page.waitForSelector('.hypnogram svg rect');
    await page.waitForSelector('.chart-data-table');
    await page.focus('.hypnogram [aria-roledescription]');
    await page.keyboard.press('ArrowRight');
    await assertAllWrapped('hypnogram');
  });

  test('a profile: an array counted in the tree; a list without records; a failed request', async () => {
    await respond(
      summary(3, {
        query: { route: 'profile', params: {} },
        url: `http://127.0.0.1:1/api/v1/profile/${USER_ID}`,
        envelopeJson: '{"data":{"scopes":["quantity","sleep"],"timezone":"Europe/Paris"}}',
        dataKind: 'object',
        recordCount: 1,
        pagination: null,
        warnings: [],
      }),
      false,
    );
    await tab('tree');
    await page.waitForFunction(
      `[...document.querySelectorAll('.tree-value')].some((v) => v.textContent === ${JSON.stringify(`[${pseudo('{0} items').replace('{0}', '2')}]`)})`,
    );
    await assertAllWrapped('profile');

    await respond(summary(4, { recordCount: 0, warnings: [] }));
    assert.ok(((await page.textContent('#result-note')) ?? '').startsWith('[!! '));
    await assertAllWrapped('no records');

    await send({
      type: 'setForm',
      form: { query: { route: 'quantity', metric: 'heartRate', params: { page: 1 } }, accountId: 'a' },
      run: true,
    });
    await assertAllWrapped('sending');
    const run = await page.evaluate<number>(
      `[...window.__posted].reverse().find((m) => m.type === 'runQuery').requestId`,
    );
    await send({
      type: 'didFailRequest',
      requestId: run,
      code: 'rate_limited',
      message: pseudo('The quota is used up'),
      status: 429,
    });
    await assertAllWrapped('a failed request');
  });
  test('the route catalogue: every route, its fields, descriptions, choices, presets and a field error', async () => {
    const routeNames = await page.$$eval('#route option', (options) => options.map((o) => o.textContent));
    assert.deepStrictEqual(
      routeNames,
      ROUTES.map((r) => pseudo(r.label)),
    );
    const metricOptions = await page.$$eval('#metric-list option', (options) => options.map((o) => o.textContent));
    assert.deepStrictEqual(
      metricOptions,
      METRIC_CATEGORIES.flatMap((c) =>
        METRICS.filter((m) => m.category === c.id).map((m) => `${pseudo(c.label)}: ${pseudo(m.label)} (${m.unit})`),
      ),
    );
    for (const route of ROUTES) {
      await page.selectOption('#route', route.id);
      for (const param of route.params) {
        const label = page.locator(`label[for="field-${param.name}"]`);
        assert.strictEqual(await label.textContent(), pseudo(param.label), `${route.id}: ${param.name}`);
        assert.strictEqual(await label.getAttribute('title'), pseudo(param.description), `${route.id}: ${param.name}`);
      }
      await assertAllWrapped(`the form of ${route.id}`);
    }
    await page.selectOption('#route', 'quantity');
    assert.strictEqual(await page.textContent('.presets button'), pseudo('7 days'));

    // A problem with a value: the translated template, filled in at run time.
    await page.fill('#field-pageSize', '20000');
    const predicate = pseudo('must be a whole number from 1 to {0}').replace('{0}', '10,000');
    await page.waitForFunction(`document.getElementById('error-pageSize').textContent !== ''`);
    assert.strictEqual(await page.textContent('#error-pageSize'), pseudo('{0}.').replace('{0}', predicate));
    // A range that ends before it starts: the check of two fields, under the end date.
    await page.fill('#field-endDate', '2024-03-01');
    await page.waitForFunction(`document.getElementById('error-endDate').textContent !== ''`);
    await assertAllWrapped('field errors');
  });
});
