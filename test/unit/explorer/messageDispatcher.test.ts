import * as assert from 'assert';
import type { Logger } from '../../../src/core/ports';
import type { HostToWebview } from '../../../src/shared/protocol';
import {
  MessageDispatcher,
  type CommandHandlers,
  type RequestHandlers,
} from '../../../src/vscode/explorer/messageDispatcher';

/** A handler table with the handlers a test gives; every other message is answered with nothing. */
function tableOf<T extends object>(given: Partial<T> = {}): T {
  return new Proxy(given, { get: (target, key) => Reflect.get(target, key) ?? (() => undefined) }) as T;
}

function dispatcherWith(handlers: { requests?: Partial<RequestHandlers>; commands?: Partial<CommandHandlers> }) {
  const posted: HostToWebview[] = [];
  const logged: string[] = [];
  const received: unknown[] = [];
  const log = (line: string) => void logged.push(line);
  const logger: Logger = { trace: log, debug: log, info: log, warn: log, error: log };
  const dispatcher = new MessageDispatcher({
    requests: tableOf<RequestHandlers>(handlers.requests),
    commands: tableOf<CommandHandlers>(handlers.commands),
    post: (message) => void posted.push(message),
    logger,
    failureText: () => 'That did not work.',
    received: (raw) => void received.push(raw),
  });
  return { dispatcher, posted, logged, received };
}

const oneRow = { resultId: 3, offset: 0, rowLines: '{}' };

suite('explorer: the query panel pairs each reply with its request', () => {
  test('a reply carries the requestId of the request it answers', async () => {
    const { dispatcher, posted } = dispatcherWith({ requests: { getRows: (_request, reply) => reply.send(oneRow) } });
    await dispatcher.dispatch({ type: 'getRows', requestId: 41, resultId: 3, offset: 0, count: 1 });
    await dispatcher.dispatch({ type: 'getRows', requestId: 42, resultId: 3, offset: 0, count: 1 });
    assert.deepStrictEqual(posted, [
      { type: 'getRows/result', requestId: 41, ...oneRow },
      { type: 'getRows/result', requestId: 42, ...oneRow },
    ]);
  });

  test('every reply of a request that answers more than once carries its requestId', async () => {
    const answer = { resultId: 3, total: 0, scannedRows: 0, firstHits: [], error: null };
    const { dispatcher, posted } = dispatcherWith({
      requests: {
        search: (_request, reply) => {
          reply.send({ ...answer, done: false });
          reply.send({ ...answer, done: true });
        },
      },
    });
    await dispatcher.dispatch({ type: 'search', requestId: 7, resultId: 3, text: 'x' });
    assert.deepStrictEqual(
      posted.map((m) => [m.type, 'requestId' in m ? m.requestId : 'none']),
      [
        ['search/result', 7],
        ['search/result', 7],
      ],
    );
  });

  test("an answer built for another request gets this request's id, or none when the request had none", async () => {
    // The chart answers, for one, are built with a request id of their own; the reply must not keep it.
    const builtElsewhere = { ...oneRow, requestId: 999 };
    const { dispatcher, posted } = dispatcherWith({
      requests: { getRows: (_request, reply) => reply.send(builtElsewhere) },
    });
    await dispatcher.dispatch({ type: 'getRows', requestId: 5, resultId: 3, offset: 0, count: 1 });
    await dispatcher.dispatch({ type: 'getRows', resultId: 3, offset: 0, count: 1 });
    assert.deepStrictEqual(posted, [
      { type: 'getRows/result', requestId: 5, ...oneRow },
      { type: 'getRows/result', ...oneRow },
    ]);
  });

  test('a handler that cannot answer fails with the requestId, and so does one that throws', async () => {
    const { dispatcher, posted, logged } = dispatcherWith({
      requests: {
        getRaw: (_request, reply) => reply.fail('That response is no longer available.'),
        find: async () => {
          throw new TypeError('health data 72 bpm');
        },
      },
    });
    await dispatcher.dispatch({ type: 'getRaw', requestId: 8, resultId: 3 });
    await dispatcher.dispatch({ type: 'find', requestId: 9, resultId: 3, text: '72', caseSensitive: false });
    assert.deepStrictEqual(posted, [
      { type: 'didFail', requestId: 8, message: 'That response is no longer available.' },
      { type: 'didFail', requestId: 9, message: 'That did not work.' },
    ]);
    // The log names the request and the error's type, never the message (it may quote records).
    assert.strictEqual(logged.length, 1);
    assert.match(logged[0] ?? '', /find: .*TypeError/);
    assert.ok(!logged.some((line) => line.includes('72 bpm')), logged.join('\n'));
  });

  test('a command that throws is logged and gets no reply (it is not a request)', async () => {
    const { dispatcher, posted, logged } = dispatcherWith({
      commands: {
        fetchAll: () => {
          throw new Error('boom');
        },
      },
    });
    await dispatcher.dispatch({ type: 'fetchAll', resultId: 3 });
    assert.deepStrictEqual(posted, []);
    assert.strictEqual(logged.length, 1);
    assert.match(logged[0] ?? '', /fetchAll/);
  });

  test('a message outside the protocol reaches no handler, and its payload is not logged', async () => {
    let handled = 0;
    const { dispatcher, posted, logged, received } = dispatcherWith({
      requests: { getRows: () => void handled++ },
    });
    await dispatcher.dispatch({ type: 'getRows', requestId: 1, resultId: 3, offset: 0, count: 1, extra: 'secret' });
    await dispatcher.dispatch('not a message');
    assert.strictEqual(handled, 0);
    assert.deepStrictEqual(posted, []);
    assert.strictEqual(logged.length, 2);
    assert.ok(!logged.some((line) => line.includes('secret')));
    // The observer (test hooks) sees what came, valid or not.
    assert.strictEqual(received.length, 2);
  });

  test('a flood from the webview is cut off by the gate and counted', async () => {
    let handled = 0;
    const { dispatcher } = dispatcherWith({ commands: { cancel: () => void handled++ } });
    for (let i = 0; i < 1000; i++) void dispatcher.dispatch({ type: 'cancel', requestId: i });
    assert.ok(handled >= 200 && handled < 300, `${handled} handled`);
    assert.strictEqual(dispatcher.dropped, 1000 - handled);
  });
});
