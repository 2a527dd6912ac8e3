import * as assert from 'assert';
import fc from 'fast-check';
import { useWebviewPage } from '../support/webviewHarness';

/**
 * A panel shows exactly the current result, as a property over random sequences of results in the
 * real webview bundle (headless Chromium): results of 0 to many windows of rows, growing and
 * shrinking, page changes, scrolling, tab switches, sign-outs, and the host's answers for rows
 * arriving late (after the result they were asked for was replaced). After every step, every row the
 * tree or table draws belongs to the current result, and the table draws no more rows than it has.
 */

type Step =
  | { kind: 'result'; size: number }
  | { kind: 'scroll'; fraction: number }
  | { kind: 'tab'; tab: 'tree' | 'table' }
  | { kind: 'deliver' }
  | { kind: 'holdAnswers' }
  | { kind: 'deliverHeld' }
  | { kind: 'clear' };

/** Sizes around the edges that matter: empty, one, under and over a screen of rows, a cache chunk (250). */
const SIZES = [0, 1, 3, 18, 39, 47, 60, 249, 250, 251, 700, 3000];

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...SIZES).map((size): Step => ({ kind: 'result', size })) },
  {
    weight: 3,
    arbitrary: fc.double({ min: 0, max: 1, noNaN: true }).map((fraction): Step => ({ kind: 'scroll', fraction })),
  },
  {
    weight: 2,
    arbitrary: fc.constantFrom('tree' as const, 'table' as const).map((tab): Step => ({ kind: 'tab', tab })),
  },
  { weight: 3, arbitrary: fc.constant<Step>({ kind: 'deliver' }) },
  { weight: 1, arbitrary: fc.constant<Step>({ kind: 'holdAnswers' }) },
  { weight: 2, arbitrary: fc.constant<Step>({ kind: 'deliverHeld' }) },
  { weight: 1, arbitrary: fc.constant<Step>({ kind: 'clear' }) },
);

/** Plays the host in the page: records name the result they belong to, `r<resultId>#<index>`. */
const PAGE_SETUP = String.raw`
window.__rowLines = (offset, count, resultId) => {
  const parts = [];
  for (let k = 0; k < count; k++) parts.push(JSON.stringify({ owner: 'r' + resultId + '#' + (offset + k), value: offset + k }));
  return parts.join('\n');
};
window.__held = [];
window.__current = { resultId: 0, size: 0, shown: false };
window.__step = (s) => {
  switch (s.kind) {
    case 'result': {
      const resultId = ++window.__lastResultId;
      const summary = window.__summary(resultId, s.size);
      summary.pagination = { currentPage: resultId, hasMore: true, hasPrev: resultId > 1 };
      window.__send({ type: 'didReceiveResponse', requestId: 0, summary, restored: false });
      window.__current = { resultId, size: s.size, shown: true };
      return;
    }
    case 'scroll': {
      const pane = document.querySelector('.pane-host > :not([hidden]) .virtual-scroller, .pane-host > .virtual-scroller:not([hidden])');
      if (!pane) return;
      pane.scrollTop = s.fraction * (pane.scrollHeight - pane.clientHeight);
      pane.dispatchEvent(new Event('scroll'));
      return;
    }
    case 'tab':
      document.getElementById('tab-' + s.tab).click();
      return;
    case 'deliver':
      window.__deliver();
      return;
    case 'holdAnswers':
      window.__held.push(...window.__posted.filter((m) => m.type === 'getRows'));
      window.__posted = window.__posted.filter((m) => m.type !== 'getRows');
      return;
    case 'deliverHeld': {
      // Late answers, in reverse order: the host answers what it was asked, for whichever result it was.
      for (const r of window.__held.reverse()) {
        window.__send({ type: 'getRows/result', requestId: r.requestId, resultId: r.resultId, offset: r.offset, rowLines: window.__rowLines(r.offset, r.count, r.resultId) });
      }
      window.__held = [];
      return;
    }
    case 'clear':
      window.__send({ type: 'didClearResult' });
      window.__current = { resultId: 0, size: 0, shown: false };
      return;
  }
};
/** Every row drawn on screen (not display:none, inside a shown pane), as the user could see it. */
window.__drawnRows = () => [...document.querySelectorAll('.virtual-row')]
  .filter((row) => row.getClientRects().length > 0)
  .map((row) => ({ pane: row.closest('[role="grid"]') ? 'table' : 'tree', index: row.dataset.index === undefined ? -1 : Number(row.dataset.index), text: [...row.children].map((cell) => cell.textContent).join('|') }));
`;

interface DrawnRow {
  pane: 'tree' | 'table';
  index: number;
  text: string;
}

suite('The panel shows only the current result', function () {
  this.timeout(300_000);
  const { page } = useWebviewPage();

  suiteSetup(async () => {
    await page().evaluate(`window.__lastResultId = 0; ${PAGE_SETUP}`);
  });

  async function check(after: Step[]): Promise<void> {
    const { current, drawn } = await page().evaluate<{
      current: { resultId: number; size: number; shown: boolean };
      drawn: DrawnRow[];
    }>('({ current: window.__current, drawn: window.__drawnRows() })');
    const where = `after ${JSON.stringify(after)}`;
    if (!current.shown) {
      assert.deepStrictEqual(drawn, [], `rows drawn with no result, ${where}`);
      return;
    }
    const tableRows = drawn.filter((r) => r.pane === 'table');
    assert.ok(
      tableRows.length <= current.size,
      `${tableRows.length} table rows drawn for ${current.size} records, ${where}`,
    );
    for (const row of drawn) {
      for (const m of row.text.matchAll(/r(\d+)#(\d+)/g)) {
        assert.strictEqual(
          Number(m[1]),
          current.resultId,
          `a row of result ${m[1]} drawn under result ${current.resultId}: "${row.text}", ${where}`,
        );
        if (row.pane === 'table')
          assert.strictEqual(Number(m[2]), row.index, `record ${m[2]} drawn in table row ${row.index}, ${where}`);
      }
      if (row.pane === 'table')
        assert.ok(row.index >= 0 && row.index < current.size, `table row ${row.index} of ${current.size}, ${where}`);
    }
  }

  test('every drawn row belongs to the current result, through random sequences of results', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 12 }), async (steps) => {
        for (let i = 0; i < steps.length; i++) {
          await page().evaluate(`window.__step(${JSON.stringify(steps[i])})`);
          await check(steps.slice(0, i + 1));
        }
        // Whatever the sequence, the rows asked for last arrive and show the current result.
        await page().evaluate(`window.__step({ kind: 'deliver' })`);
        await check(steps);
      }),
      { numRuns: 150 },
    );
  });

  test('a shorter result after a longer one: the table shows its rows and nothing past them', async () => {
    // The sequence a user meets: a 39-record result scrolled in the table, then an 18-record one.
    for (const s of [
      { kind: 'tab', tab: 'table' },
      { kind: 'result', size: 39 },
      { kind: 'deliver' },
      { kind: 'result', size: 18 },
      { kind: 'deliver' },
    ] as Step[]) {
      await page().evaluate(`window.__step(${JSON.stringify(s)})`);
    }
    const drawn = await page().evaluate<DrawnRow[]>('window.__drawnRows()');
    const table = drawn.filter((r) => r.pane === 'table');
    assert.deepStrictEqual(
      table.map((r) => r.index),
      Array.from({ length: 18 }, (_, i) => i),
    );
    await check([]);
  });
});
