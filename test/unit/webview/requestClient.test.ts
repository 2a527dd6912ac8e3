import * as assert from 'assert';
import type { HostMessage, WebviewToHost } from '../../../src/shared/protocol';
import { RequestAbandoned, RequestClient, RequestFailed, showFailure } from '../../../src/webview/requestClient';

/** A client whose posts are kept, so the test can answer them as the host would. */
function clientAndPosts(): { client: RequestClient; posted: WebviewToHost[] } {
  const posted: WebviewToHost[] = [];
  return { client: new RequestClient((m) => posted.push(m)), posted };
}

function idOf(message: WebviewToHost | undefined): number {
  assert.ok(message && 'requestId' in message && typeof message.requestId === 'number', 'no requestId posted');
  return message.requestId;
}

const rows = (requestId: number, offset = 0): HostMessage<'getRows/result'> => ({
  type: 'getRows/result',
  requestId,
  resultId: 1,
  offset,
  rowLines: '',
});

suite('webview/requestClient', () => {
  test('each request posts its own requestId, and the reply with that id settles it', async () => {
    const { client, posted } = clientAndPosts();
    const first = client.request('getRows', { resultId: 1, offset: 0, count: 10 });
    const second = client.request('getRows', { resultId: 1, offset: 10, count: 10 });
    const [a, b] = [idOf(posted[0]), idOf(posted[1])];
    assert.notStrictEqual(a, b);
    assert.deepStrictEqual(posted[0], { type: 'getRows', requestId: a, resultId: 1, offset: 0, count: 10 });
    client.receive(rows(b, 10));
    client.receive(rows(a, 0));
    const [ra, rb] = await Promise.all([first, second]);
    // The reply's type follows from the request's: no cast, no check of `type` needed.
    const typed: HostMessage<'getRows/result'> = ra;
    assert.strictEqual(typed.type, 'getRows/result');
    assert.strictEqual(ra.offset, 0);
    assert.strictEqual(rb.offset, 10);
    assert.strictEqual(client.waiting, 0);
  });

  test('didFail rejects the request it names, and only that one', async () => {
    const { client, posted } = clientAndPosts();
    const search = client.request('search', { resultId: 1, text: 'x' });
    const raw = client.request('getRaw', { resultId: 1 });
    client.receive({ type: 'didFail', requestId: idOf(posted[0]), message: 'No longer available.' });
    await assert.rejects(search, (e: unknown) => e instanceof RequestFailed && e.message === 'No longer available.');
    assert.strictEqual(client.waiting, 1);
    client.receive({
      type: 'getRaw/result',
      requestId: idOf(posted[1]),
      resultId: 1,
      text: '{}',
      totalChars: 2,
      truncated: false,
    });
    assert.strictEqual((await raw).text, '{}');
  });

  test('a search hears its first hits, then settles with the last reply', async () => {
    const { client, posted } = clientAndPosts();
    const progress: number[] = [];
    const search = client.request('search', { resultId: 1, text: 'x' }, { onProgress: (r) => progress.push(r.total) });
    const requestId = idOf(posted[0]);
    const reply = (done: boolean, total: number): HostMessage<'search/result'> => ({
      type: 'search/result',
      requestId,
      resultId: 1,
      done,
      total,
      scannedRows: 0,
      firstHits: [],
      error: null,
    });
    client.receive(reply(false, 3));
    assert.strictEqual(client.waiting, 1);
    client.receive(reply(true, 7));
    assert.strictEqual((await search).total, 7);
    assert.deepStrictEqual(progress, [3]);
  });

  test('an abandoned request rejects as such, and its late reply is dropped', async () => {
    const { client, posted } = clientAndPosts();
    const wait = new AbortController();
    const pending = client.request('getRows', { resultId: 1, offset: 0, count: 1 }, { signal: wait.signal });
    wait.abort();
    await assert.rejects(pending, RequestAbandoned);
    assert.strictEqual(client.waiting, 0);
    client.receive(rows(idOf(posted[0])));
    await assert.rejects(
      client.request('getRaw', { resultId: 1 }, { signal: wait.signal }),
      RequestAbandoned,
      'an aborted signal abandons at once',
    );
    assert.strictEqual(posted.length, 1, 'nothing is posted for a request abandoned before it starts');
  });

  test('a reply of another type, or for no request, settles nothing', () => {
    const { client, posted } = clientAndPosts();
    void client.request('getRaw', { resultId: 1 });
    const requestId = idOf(posted[0]);
    client.receive(rows(requestId));
    client.receive(rows(requestId + 100));
    client.receive({ type: 'didFail', message: 'for no request' });
    assert.strictEqual(client.waiting, 1);
  });

  test('send hands the reply over in the task that delivers it, before any microtask', () => {
    const { client, posted } = clientAndPosts();
    const got: string[] = [];
    client.send(
      'getRows',
      { resultId: 1, offset: 0, count: 1 },
      { onReply: (r) => got.push(r.rowLines), onFailure: (e) => got.push(e.message) },
    );
    client.receive(rows(idOf(posted[0])));
    assert.deepStrictEqual(got, ['']);
    client.send('getRaw', { resultId: 1 }, { onReply: () => got.push('raw'), onFailure: (e) => got.push(e.name) });
    client.receive({ type: 'didFail', requestId: idOf(posted[1]), message: 'gone' });
    assert.deepStrictEqual(got, ['', 'RequestFailed']);
  });

  test('showFailure shows the host failure, ignores abandonment, and throws anything else', () => {
    const shown: string[] = [];
    showFailure(new RequestFailed('said by the host'), (m) => shown.push(m));
    showFailure(new RequestAbandoned(), (m) => shown.push(m));
    assert.deepStrictEqual(shown, ['said by the host']);
    assert.throws(() => showFailure(new TypeError('a bug'), (m) => shown.push(m)), TypeError);
  });

  test('request payloads are typed by kind', () => {
    const { client } = clientAndPosts();
    // @ts-expect-error getRaw has no offset
    void client.request('getRaw', { resultId: 1, offset: 0 }).catch(() => undefined);
    // @ts-expect-error runQuery is a command, not a request with a reply
    void client.request('runQuery', {}).catch(() => undefined);
  });
});
