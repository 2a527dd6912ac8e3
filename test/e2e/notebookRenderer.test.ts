import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { Browser, Page } from 'playwright-core';
import { OUTPUT_STRINGS_KEY, type CellOutput } from '../../src/core/notebook/cellOutput';
import { webviewBootstrap } from '../../src/vscode/explorer/webviewStrings';
import { launchChromium } from '../support/chromium';
import { REPO } from '../support/repo';
import { waitFor } from '../support/waitFor';

const RECORD_COUNT = 3_000;

function records(): unknown[] {
  return Array.from({ length: RECORD_COUNT }, (_, i) => ({
    value: 1000 + i,
    unit: 'count',
    start_date: new Date(Date.UTC(2024, 0, 1) + i * 60_000).toISOString(),
    source: i === 7 ? '<img src=x onerror="document.title=\'pwned\'">' : 'watch',
  }));
}

/**
 * The notebook renderer's bundle (dist/notebookRenderer.js) in headless Chromium, as VS Code loads
 * it: an ES module whose `activate` returns the renderer; each output is a query cell's result.
 */
suite('Notebook renderer: records in the panel’s virtualized table and tree', function () {
  this.timeout(120_000);
  let browser: Browser;
  let page: Page;

  suiteSetup(async () => {
    const bundle = path.join(REPO, 'dist', 'notebookRenderer.js');
    assert.ok(fs.existsSync(bundle), 'dist/notebookRenderer.js is built');
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
    await page.setContent('<!DOCTYPE html><html><head><meta charset="utf-8"></head><body></body></html>');
    const source = Buffer.from(fs.readFileSync(bundle)).toString('base64');
    await page.evaluate(
      `import('data:text/javascript;base64,${source}').then((m) => { window.__renderer = m.activate(); })`,
    );
  });

  suiteTeardown(async () => {
    await browser?.close();
  });

  async function render(output: unknown): Promise<void> {
    await page.evaluate(`(() => {
      const element = document.createElement('div');
      element.id = 'output';
      document.getElementById('output')?.remove();
      document.body.appendChild(element);
      const text = ${JSON.stringify(JSON.stringify(output))};
      const metadata = ${JSON.stringify({ [OUTPUT_STRINGS_KEY]: webviewBootstrap() })};
      window.__renderer.renderOutputItem({ id: 'x', mime: 'application/vnd.onetwentyone.records+json', metadata, text: () => text }, element);
    })()`);
  }

  const visibleRows = (selector: string) =>
    page.evaluate<string[][]>(
      `[...document.querySelectorAll('${selector} .virtual-row:not([hidden])')].map((row) => [...row.children].map((c) => c.textContent))`,
    );

  test('a large result: a window of rows in the DOM, the header from the records, text only', async () => {
    const output: CellOutput = {
      route: 'quantity',
      metric: 'stepCount',
      account: 'Ada (demo)',
      status: 200,
      ranAt: '2024-01-08T00:00:00.000Z',
      records: records(),
      recordCount: RECORD_COUNT,
    };
    await render(output);
    const rows = await waitFor('table rows', async () => {
      const found = await visibleRows('.table-view');
      return found.length ? found : undefined;
    });
    assert.ok(rows.length < 100, `only a window is drawn: ${rows.length} rows`);
    assert.deepStrictEqual(rows[0], ['0', '1000', 'count', '2024-01-01T00:00:00.000Z', 'watch']);
    const header = await page.evaluate<string[]>(
      `[...document.querySelectorAll('.table-header .cell')].map((c) => c.textContent)`,
    );
    assert.deepStrictEqual(header, ['#', 'value', 'unit', 'start_date', 'source']);
    const hostile = rows.find((r) => r[0] === '7');
    assert.strictEqual(hostile?.[4], '<img src=x onerror="document.title=\'pwned\'">');
    assert.strictEqual(await page.evaluate('document.querySelectorAll("#output img").length'), 0);
    assert.match(
      (await page.textContent('#output .switch')) ?? '',
      /3,000 records · quantity · stepCount · Ada \(demo\) · HTTP 200/,
    );

    await page.evaluate(
      `(() => { const s = document.querySelector('.table-view .virtual-scroller'); s.scrollTop = s.scrollHeight; s.dispatchEvent(new Event('scroll')); })()`,
    );
    const last = await waitFor('the last record drawn', async () => {
      const found = await visibleRows('.table-view');
      return found.find((r) => r[0] === String(RECORD_COUNT - 1));
    });
    assert.strictEqual(last[1], String(1000 + RECORD_COUNT - 1));
  });

  test('the tree shows the same records; a profile is one record', async () => {
    await page.click('#output .switch button:has-text("Tree")');
    assert.strictEqual(await page.getAttribute('#output .switch button:has-text("Tree")', 'aria-pressed'), 'true');
    const tree = await waitFor('tree rows', async () => {
      const found = await visibleRows('.virtual-scroller[role="tree"]');
      return found.length > 1 ? found : undefined;
    });
    assert.ok(
      tree.some((row) => row.join('').includes('data')),
      JSON.stringify(tree.slice(0, 3)),
    );
    await render({
      route: 'profile',
      account: 'Ada (demo)',
      status: 200,
      ranAt: '2024-01-08T00:00:00.000Z',
      records: { timezone: 'Europe/Paris' },
      recordCount: 1,
    });
    const rows = await waitFor('the profile row', async () => {
      const found = await visibleRows('.table-view');
      return found.length ? found : undefined;
    });
    assert.deepStrictEqual(rows, [['0', 'Europe/Paris']]);
  });

  test('a quantity output draws its chart, every bucket, with the words of the host', async () => {
    const day = Date.UTC(2024, 0, 1);
    const bucketStart = Array.from({ length: 1_826 }, (_, i) => day + i * 86_400_000);
    const output: CellOutput = {
      route: 'quantity',
      metric: 'heartRate',
      account: 'Five years',
      status: 200,
      ranAt: '2029-01-01T00:00:00.000Z',
      records: records(),
      recordCount: 2_629_800,
      note: 'The first 50,000 of 2,629,800 records are shown; the chart covers them all.',
      chart: {
        bucket: 'day',
        aggregation: 'average',
        unit: 'count/min',
        bucketStart,
        value: bucketStart.map((_, i) => 60 + (i % 30)),
        min: bucketStart.map(() => 50),
        max: bucketStart.map(() => 120),
        count: bucketStart.map(() => 1_440),
        skippedRecords: 0,
      },
    };
    await render(output);
    assert.deepStrictEqual(
      await page.$$eval('#output .switch button', (buttons) => buttons.map((b) => b.textContent)),
      ['Table', 'Tree', 'Chart'],
    );
    await page.click('#output .switch button:has-text("Chart")');
    const note = await waitFor('the chart note', async () => {
      const text = await page.textContent('#output .chart-host:not([hidden]) .chart-note');
      return text || undefined;
    });
    assert.match(note, /2,629,440 records in 1,826 days/);
    // Drawn as an SVG, reachable by keyboard; the table view hidden.
    assert.ok(await page.isVisible('#output .chart-host svg'));
    assert.strictEqual(await page.getAttribute('#output .chart [aria-roledescription="chart"]', 'tabindex'), '0');
    assert.ok(await page.isHidden('#output .table-view'));
  });

  test('a sleep output draws its latest night as a hypnogram, the earlier ones a step back', async () => {
    const night = (n: number) => {
      const start = Date.UTC(2024, 0, 1 + n, 23);
      const stages = ['awake', 'asleepCore', 'asleepDeep', 'asleepREM'];
      return {
        start,
        end: start + 4 * 3_600_000,
        stage: stages,
        segmentStart: stages.map((_, k) => start + k * 3_600_000),
        segmentEnd: stages.map((_, k) => start + (k + 1) * 3_600_000),
      };
    };
    await render({
      route: 'sleep',
      account: 'Ada (demo)',
      status: 200,
      ranAt: '2024-01-08T00:00:00.000Z',
      records: [{ start_date: '2024-01-01T23:00:00Z' }],
      recordCount: 90,
      hypnogram: { nights: [night(0), night(1), night(2)], nightCount: 90 },
    });
    await page.click('#output .switch button:has-text("Hypnogram")');
    const caption = await waitFor('the hypnogram caption', async () => {
      const text = await page.textContent('#output #hypnogram-caption');
      return text || undefined;
    });
    assert.match(caption, /^\s*Session 3 of 3/);
    assert.match(
      (await page.textContent('#output .chart-host:not([hidden]) .chart-note')) ?? '',
      /The latest 3 of 90 nights\./,
    );
    await page.click('#output .chart-toolbar button:has-text("Previous")');
    await waitFor(
      'the night before',
      async () => /^\s*Session 2 of 3/.test((await page.textContent('#output #hypnogram-caption')) ?? '') || undefined,
    );
  });

  test('an output that is not a result says so', async () => {
    await page.evaluate(`(() => {
      const element = document.getElementById('output');
      window.__renderer.renderOutputItem({ id: 'y', mime: 'x', text: () => '{"token":"x"}' }, element);
    })()`);
    assert.strictEqual(await page.textContent('#output'), 'This output is not a OneTwentyOne result.');
  });
});
