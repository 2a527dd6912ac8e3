import * as assert from 'assert';
import { useWebviewPage } from '../support/webviewHarness';

/**
 * Requests and their replies in the real webview bundle (headless Chromium), the test playing the
 * host: a failure (`didFail`) reaches the control that asked, by its `requestId`, and says why there;
 * a failed query run shows in the error colour and stays so.
 */
suite('Query panel requests and replies', function () {
  this.timeout(60_000);
  const { page, respond, textOf } = useWebviewPage();
  /** The result each test starts from: 4,000 records, shown, with nothing posted yet. */
  let resultId = 0;
  setup(async () => {
    resultId = await respond(4000);
    await page().evaluate('window.__posted = [];');
  });

  const hasClass = (selector: string, name: string): Promise<boolean> =>
    page().evaluate<boolean>(
      `Boolean(document.querySelector(${JSON.stringify(selector)})?.classList.contains(${JSON.stringify(name)}))`,
    );
  /** The last message of type `type` the webview posted (as the host would receive it). */
  const lastPosted = async (type: string): Promise<{ requestId: number }> => {
    const found = await page().evaluate<{ requestId?: number } | undefined>(
      `window.__posted.filter((m) => m.type === ${JSON.stringify(type)}).pop()`,
    );
    assert.ok(found, `the webview posted no ${type}`);
    assert.strictEqual(typeof found.requestId, 'number', `${type} carries no requestId`);
    return { requestId: found.requestId! };
  };
  /** Types `text` into the input `selector`, presses Enter, and returns the request that posted. */
  const enter = async (selector: string, text: string, type: 'find' | 'search'): Promise<{ requestId: number }> => {
    await page().fill(selector, text);
    await page().press(selector, 'Enter');
    return lastPosted(type);
  };
  const send = (message: object): Promise<unknown> => page().evaluate(`window.__send(${JSON.stringify(message)})`);
  /** Two frames: anything a frame or a zero timeout would undo has been undone by then. */
  const settle = (): Promise<unknown> =>
    page().evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 20))))');

  test('a record search the host cannot answer says why instead of "Searching…"', async () => {
    const { requestId } = await enter('#record-search', 'value > 100', 'search');
    assert.strictEqual(await textOf('#record-search-count'), 'Searching…');
    await send({
      type: 'didFail',
      requestId,
      message: 'That response is no longer available; send the request again.',
    });
    await settle();
    assert.strictEqual(
      await textOf('#record-search-count'),
      'That response is no longer available; send the request again.',
    );
    assert.strictEqual(await hasClass('#record-search-count', 'error'), true);
  });

  test('a find the host cannot answer says why in the find bar', async () => {
    const { requestId } = await enter('#find-input', 'count', 'find');
    assert.strictEqual(await textOf('#find-count'), 'Searching…');
    await send({ type: 'didFail', requestId, message: 'Find failed here.' });
    await settle();
    assert.strictEqual(await textOf('#find-count'), 'Find failed here.');
  });

  test("one request's failure leaves the others waiting: a failed row window does not stop a search", async () => {
    const search = await enter('#record-search', 'value > 100', 'search');
    await page().evaluate(`window.__tree().scrollTop = 50000`);
    await settle();
    const rows = await lastPosted('getRows');
    assert.notStrictEqual(rows.requestId, search.requestId);
    await send({ type: 'didFail', requestId: rows.requestId, message: 'Rows failed.' });
    await settle();
    assert.strictEqual(await textOf('#status-line'), 'Rows failed.');
    assert.strictEqual(await textOf('#record-search-count'), 'Searching…');
    await send({
      type: 'search/result',
      requestId: search.requestId,
      resultId,
      done: true,
      total: 0,
      scannedRows: 4000,
      firstHits: [],
      error: null,
    });
    await settle();
    assert.strictEqual(await textOf('#record-search-count'), 'No records match');
  });

  test('a reply to an abandoned request is dropped: an old find answers after a newer one', async () => {
    const first = await enter('#find-input', 'first', 'find');
    const second = await enter('#find-input', 'second', 'find');
    const hits = (n: number) => ({
      type: 'find/result',
      resultId,
      hits: Array.from({ length: n }, () => ({ record: -1, path: ['pagination'] })),
      total: n,
      capped: false,
    });
    await send({ ...hits(3), requestId: first.requestId });
    await settle();
    assert.strictEqual(await textOf('#find-count'), 'Searching…');
    await send({ ...hits(2), requestId: second.requestId });
    await settle();
    assert.strictEqual(await textOf('#find-count'), '1 of 2');
  });

  test('a failed query run shows in the error colour, and still does frames later', async () => {
    await send({ type: 'didStartRequest', requestId: 77, url: 'http://127.0.0.1:1/api/v1/profile/u' });
    assert.strictEqual(await hasClass('#status-line', 'error'), false);
    await send({
      type: 'didFailRequest',
      requestId: 77,
      code: 'rate_limited',
      message: 'Too many requests.',
      status: 429,
    });
    await settle();
    assert.strictEqual(await textOf('#status-line'), '429 · Too many requests.');
    assert.strictEqual(await hasClass('#status-line', 'error'), true);
    await send({ type: 'didStartRequest', requestId: 78, url: 'http://127.0.0.1:1/api/v1/profile/u' });
    assert.strictEqual(await hasClass('#status-line', 'error'), false);
  });

  test('a failure that names no request shows in the status line, as an error', async () => {
    await send({ type: 'didFail', message: 'The export could not be written.' });
    assert.strictEqual(await textOf('#status-line'), 'The export could not be written.');
    assert.strictEqual(await hasClass('#status-line', 'error'), true);
  });
});
