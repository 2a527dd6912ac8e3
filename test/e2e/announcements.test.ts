import * as assert from 'assert';
import { useWebviewPage } from '../support/webviewHarness';

interface Announcement {
  region: string;
  text: string;
}

/**
 * What a screen reader hears from the query panel, in the real webview bundle (headless Chromium), the
 * test playing the host: every change of text in a live region is recorded while a query runs, a
 * Fetch All Pages of 263 pages grows the result, and a query fails. Each status is said once, by one
 * polite region, and the fetch's progress is not read out page by page.
 */
suite('Query panel announcements', function () {
  this.timeout(60_000);
  const { page } = useWebviewPage();

  suiteSetup(async () => {
    // Records each new text of any live region, as the accessibility tree would see it change.
    await page().evaluate(`(() => {
      window.__said = [];
      const last = new Map();
      const LIVE = '[aria-live]:not([aria-live="off"]), [role="status"], [role="alert"], [role="log"]';
      new MutationObserver(() => {
        for (const region of document.querySelectorAll(LIVE)) {
          const text = (region.textContent ?? '').trim();
          if (last.get(region) === text) continue;
          last.set(region, text);
          if (text) window.__said.push({ region: region.id || region.className, text, polite: region.getAttribute('aria-live') !== 'assertive' && region.getAttribute('role') !== 'alert' });
        }
      }).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
    })()`);
  });

  const said = (): Promise<(Announcement & { polite: boolean })[]> =>
    page().evaluate<(Announcement & { polite: boolean })[]>('window.__said.splice(0)');
  /** Lets the mutation observer report what the last message changed. */
  const settle = (): Promise<unknown> => page().evaluate('new Promise((r) => setTimeout(r, 20))');
  const send = async (message: object): Promise<void> => {
    await page().evaluate(`window.__send(${JSON.stringify(message)})`);
    await settle();
  };

  function assertSaidOnce(log: Announcement[]): void {
    const counts = new Map<string, number>();
    for (const { text } of log) counts.set(text, (counts.get(text) ?? 0) + 1);
    const repeated = [...counts].filter(([, n]) => n > 1);
    assert.deepStrictEqual(repeated, [], 'a status said more than once');
  }

  /** Sends the form as the user does (Enter in a field) and returns the run's request id. */
  async function sendQuery(): Promise<number> {
    await page().evaluate('window.__posted = []');
    await page().fill('#field-metric', 'heartRate');
    await page().press('#field-metric', 'Enter');
    const run = await page().evaluate<{ requestId: number } | undefined>(
      `window.__posted.find((m) => m.type === 'runQuery')`,
    );
    assert.ok(run, 'Enter in the form sent no query');
    await settle();
    await send({
      type: 'didStartRequest',
      requestId: run.requestId,
      url: 'http://127.0.0.1:1/api/v1/quantity/u/heartRate',
    });
    return run.requestId;
  }

  test('a query: "Sending" and its result are each said once, politely; the request URL is not read out', async () => {
    await said();
    const requestId = await sendQuery();
    await page().evaluate(
      `window.__send({ type: 'didReceiveResponse', requestId: ${requestId}, summary: window.__summary(1, 1000), restored: false })`,
    );
    await settle();
    const log = await said();
    assertSaidOnce(log);
    assert.deepStrictEqual(
      log.map((a) => a.region),
      ['announcer', 'announcer'],
      JSON.stringify(log),
    );
    assert.match(log[0]?.text ?? '', /^Sending /);
    assert.match(log[1]?.text ?? '', /^200 · .* 1,000 records$/);
    assert.ok(
      log.every((a) => a.polite),
      'every announcement is polite',
    );
  });

  test('Fetch All Pages over 263 pages: progress said once, not per page; the outcome said once', async () => {
    await said();
    const pages = 263;
    await page().evaluate(`(async () => {
      for (let p = 2; p <= ${pages}; p++) {
        const summary = window.__summary(1, p * 1000);
        const running = p < ${pages};
        window.__send({ type: 'didUpdateResult', summary, fetch: {
          running, pages: p, expectedPages: ${pages}, records: p * 1000, recordsPerSecond: 20000,
          reason: running ? null : 'complete', partial: false,
          message: running ? 'Fetching' : 'Fetched ${pages} pages: ${pages * 1000} records.',
        } });
        await new Promise((r) => setTimeout(r, 1));
      }
    })()`);
    await settle();
    const log = await said();
    assertSaidOnce(log);
    const progress = log.filter((a) => /^Fetching: /.test(a.text));
    assert.strictEqual(progress.length, 1, `progress said ${progress.length} times: ${JSON.stringify(progress)}`);
    assert.ok(
      !log.some((a) => /^200 · /.test(a.text)),
      `the growing record count is not read out page by page: ${JSON.stringify(log.slice(0, 5))}`,
    );
    const outcome = log.filter((a) => /Fetched 263 pages/.test(a.text));
    assert.strictEqual(outcome.length, 1, JSON.stringify(log));
    assert.match(outcome[0]?.text ?? '', /^Complete\. /);
    assert.deepStrictEqual([...new Set(log.map((a) => a.region))], ['announcer']);
    assert.strictEqual(log.length, 2, JSON.stringify(log));
  });

  test('a failed query: the error is said once, politely', async () => {
    await said();
    const requestId = await sendQuery();
    await send({
      type: 'didFailRequest',
      requestId,
      code: 'server',
      message: 'The server could not answer.',
      status: 503,
    });
    const log = await said();
    assertSaidOnce(log);
    assert.deepStrictEqual(
      log.filter((a) => /could not answer/.test(a.text)),
      [{ region: 'announcer', text: '503 · The server could not answer.', polite: true }],
    );
    assert.ok(
      log.every((a) => a.polite),
      'every announcement is polite',
    );
  });
});
