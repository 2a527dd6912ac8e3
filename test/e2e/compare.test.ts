import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { Browser, Page } from 'playwright-core';
import { CompareSide } from '../../src/core/compare/compareSide';
import { compareSeries } from '../../src/core/compare/compareSeries';
import { RecordDiff } from '../../src/core/compare/recordDiff';
import { ResultStore } from '../../src/core/dataset/resultStore';
import type { CompareHostMessage, CompareInit } from '../../src/shared/compareProtocol';
import { compareStrings } from '../../src/vscode/compare/compareStrings';
import { launchChromium } from '../support/chromium';
import { REPO } from '../support/repo';
import { waitFor } from '../support/waitFor';

const HOURS = 24 * 40;

function steps(hour: number, value: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const start = Date.UTC(2024, 0, 1) + hour * 3_600_000;
  return {
    value,
    unit: 'count',
    start_date: new Date(start).toISOString().slice(0, 19) + 'Z',
    ...extra,
  };
}

/**
 * The compare view's bundle (dist/compare.js) in headless Chromium, as its webview loads it, with the
 * host's side played here from the real diff: the page asks for windows of differences and draws
 * them, the counts and both series.
 */
suite('Compare view: the diff and both series in Chromium', function () {
  this.timeout(120_000);
  let browser: Browser;
  let page: Page;
  let diff: RecordDiff;
  let init: CompareInit;

  suiteSetup(async () => {
    const bundle = path.join(REPO, 'dist', 'compare.js');
    assert.ok(fs.existsSync(bundle), 'dist/compare.js is built');
    // A: 40 days of hourly steps. B: the same hours with every 10th value changed, the first day gone, a day more.
    const a = new ResultStore();
    a.append(Array.from({ length: HOURS }, (_, h) => steps(h, h % 500)));
    const b = new ResultStore();
    b.append(
      Array.from({ length: HOURS }, (_, h) =>
        steps(
          h + 24,
          (h + 24) % 10 === 0 ? 9999 : (h + 24) % 500,
          h === 30 ? { note: '<img src=x onerror="document.title=1">' } : {},
        ),
      ),
    );
    diff = await RecordDiff.of(new CompareSide(a), new CompareSide(b));
    const series = await compareSeries(a, b, 'stepCount');
    assert.ok(series);
    init = {
      type: 'init',
      locale: 'en',
      strings: compareStrings(),
      a: { label: 'Ada, January', records: a.count },
      b: { label: 'Ada, later', records: b.count },
      key: diff.key,
      counts: {
        unchanged: diff.counts.unchanged,
        changed: diff.counts.changed,
        added: diff.counts.added,
        removed: diff.counts.removed,
      },
      fields: [...diff.fieldCounts],
      differences: diff.length,
      chart: {
        bucket: series.bucket,
        aggregation: 'sum',
        unit: 'count',
        a: { bucketStart: series.a.bucketStart, value: series.a.value, count: series.a.count },
        b: { bucketStart: series.b.bucketStart, value: series.b.value, count: series.b.count },
      },
    };
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    await page.setContent('<!DOCTYPE html><html><head><meta charset="utf-8"></head><body></body></html>');
    // The webview's API: what the page posts is kept for the host played below.
    await page.evaluate(`(() => {
      window.__posted = [];
      window.acquireVsCodeApi = () => ({ postMessage: (m) => window.__posted.push(m), getState: () => undefined, setState: () => {} });
    })()`);
    // The stylesheet the compare view's page links (the query panel's).
    await page.addStyleTag({ path: path.join(REPO, 'media', 'query.css') });
    await page.addScriptTag({ content: fs.readFileSync(bundle, 'utf8') });
  });

  suiteTeardown(async () => {
    await browser?.close();
  });

  /** Answers what the page asked since the last call, as ComparePanel does. */
  async function answer(): Promise<void> {
    const posted = await page.evaluate<{ type: string; from?: number; count?: number }[]>('window.__posted.splice(0)');
    for (const message of posted) {
      const reply: CompareHostMessage =
        message.type === 'ready'
          ? init
          : {
              type: 'rows',
              from: message.from ?? 0,
              rows: diff.rows(message.from ?? 0, (message.from ?? 0) + (message.count ?? 0)).map((r) => ({
                kind: r.kind,
                key: r.key,
                fields: [...r.fields],
              })),
            };
      await page.evaluate(`window.postMessage(${JSON.stringify(reply)}, '*')`);
    }
  }

  const visibleRows = () =>
    page.evaluate<string[][]>(
      `[...document.querySelectorAll('.compare-table .virtual-row:not([hidden])')].map((row) => [...row.children].map((c) => c.textContent))`,
    );

  test('the counts, a window of differences as a grid, text only', async () => {
    await answer();
    await waitFor('the summary', () => page.$('.compare-counts'));
    const counts = await page.evaluate<string[]>(
      `[...document.querySelectorAll('.compare-counts li')].map((li) => li.textContent)`,
    );
    assert.deepStrictEqual(counts, [
      `${diff.counts.added} added (only in B)`,
      `${diff.counts.removed} removed (only in A)`,
      `${diff.counts.changed} changed`,
      `${diff.counts.unchanged} unchanged`,
    ]);
    const rows = await waitFor('rows of differences', async () => {
      await answer();
      const found = await visibleRows();
      return found.length && found[0]?.[0] !== 'Loading…' ? found : undefined;
    });
    assert.ok(rows.length < 100, `only a window is drawn: ${rows.length} rows`);
    const first = diff.row(0);
    assert.deepStrictEqual(rows[0]?.slice(0, 2), [first.kind, first.key]);
    const changed = rows.find((r) => r[0] === 'changed');
    assert.ok(changed, JSON.stringify(rows.slice(0, 3)));
    assert.strictEqual(changed[2], 'value');
    assert.strictEqual(changed[4], '9999');
    assert.strictEqual(await page.getAttribute('.compare-table .virtual-scroller', 'role'), 'grid');
    assert.strictEqual(
      await page.getAttribute('.compare-table .virtual-scroller', 'aria-rowcount'),
      String(diff.length + 1),
    );
    assert.strictEqual(await page.evaluate('document.querySelectorAll("img").length'), 0);
    assert.match((await page.textContent('#announcer')) ?? '', /^Comparison ready: /);
  });

  test('the last differences come when scrolled to, and the keyboard moves through the grid', async () => {
    await page.evaluate(
      `(() => { const s = document.querySelector('.compare-table .virtual-scroller'); s.scrollTop = s.scrollHeight; s.dispatchEvent(new Event('scroll')); })()`,
    );
    const last = diff.row(diff.length - 1);
    await waitFor('the last difference drawn', async () => {
      await answer();
      return (await visibleRows()).some((r) => r[1] === last.key);
    });
    await page.focus('.compare-table .virtual-scroller');
    await page.keyboard.press('Home');
    const active = await page.getAttribute('.compare-table .virtual-scroller', 'aria-activedescendant');
    assert.strictEqual(active, 'compare-row-0');
  });

  test('one chart with both series, read bucket by bucket from the keyboard', async () => {
    const lines = await page.evaluate<number>('document.querySelectorAll(".compare-chart polyline").length');
    assert.strictEqual(lines, 2);
    await page.focus('.compare-chart');
    await page.keyboard.press('Home');
    const status = await page.textContent('.compare-chart-status');
    const day = new Date(init.chart!.a.bucketStart[0]!).toISOString().slice(0, 10);
    assert.match(status ?? '', new RegExp(`^${day}: A [\\d,]+ count, B no records$`));
    const tableRows = await page.evaluate<number>('document.querySelectorAll(".chart-data-table tbody tr").length');
    assert.strictEqual(tableRows, new Set([...init.chart!.a.bucketStart, ...init.chart!.b.bucketStart]).size);
  });
});
