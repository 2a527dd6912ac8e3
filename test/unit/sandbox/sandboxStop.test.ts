import * as assert from 'assert';
import * as http from 'http';
import { ApiError, describeApiError } from '../../../src/core/api/errors';
import type { FetchAllOutcome } from '../../../src/core/dataset/fetchAll';
import { fetchAllPages, type FetchAllPagesOptions } from '../../../src/core/dataset/fetchAllPages';
import { ResultStore } from '../../../src/core/dataset/resultStore';
import { FIVE_YEAR_USER_ID } from '../../../src/sandbox/demoAccounts';
import { startSandbox } from '../../../src/sandbox/main';
import { movedMessage, notRunningHint, originOf } from '../../../src/vscode/sandbox/sandboxSettings';
import { demoUser } from '../../support/demoUsers';
import { connectSandbox, type SandboxConnection } from '../support/localApi';
import { ada } from './sandboxClient';

const PAGE_SIZE = 2_000;
const DAY_MS = 86_400_000;

/** `days` of the five-year series, ending ten days ago (the series ends about now). */
function lastDays(days: number): { startDate: string; endDate: string } {
  const end = Date.now() - 10 * DAY_MS;
  return {
    startDate: new Date(end - days * DAY_MS).toISOString().slice(0, 10),
    endDate: new Date(end).toISOString().slice(0, 10),
  };
}

/** A GET on a keep-alive agent; resolves with the status, or the socket error's code. */
function keepAliveGet(agent: http.Agent, url: string, token: string): Promise<number | string> {
  return new Promise((resolve) => {
    const req = http.get(url, { agent, headers: { Authorization: `Bearer ${token}` } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode!));
      res.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
    });
    req.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
  });
}

suite('sandbox: stopping it ends its connections', () => {
  test('close() ends idle keep-alive connections and requests in flight, instead of serving them on', async () => {
    const h = await startSandbox();
    const agent = new http.Agent({ keepAlive: true, maxSockets: 2 });
    try {
      const url = `${h.baseUrl}/api/v1/quantity/${ada(h).userId}/stepCount?pageSize=5`;
      assert.strictEqual(await keepAliveGet(agent, url, ada(h).pat), 200);
      const idle = Object.values(agent.freeSockets).flat()[0];
      assert.ok(idle, 'the first request left an idle keep-alive connection');
      const idleClosed = new Promise<void>((resolve) => idle.once('close', () => resolve()));
      // Far longer than the test's timeout: only a closed connection ends this request.
      h.setFaults({ latencyMs: 60_000 });
      const inFlight = keepAliveGet(agent, url, ada(h).pat);
      await new Promise<void>((resolve) => {
        const poll = (): void => {
          if (Object.values(agent.sockets).flat().length) resolve();
          else setTimeout(poll, 10);
        };
        poll();
      });
      await h.close();
      await idleClosed;
      assert.notStrictEqual(await inFlight, 200, 'the request in flight got no answer');
      assert.strictEqual(
        typeof (await keepAliveGet(agent, url, ada(h).pat)),
        'string',
        'nothing answers after the stop',
      );
    } finally {
      agent.destroy();
      await h.close();
    }
  });
});

suite('fetch all: a run stopped because its sandbox stopped', function () {
  this.timeout(60_000);
  let connection: SandboxConnection;

  setup(async () => {
    connection = await connectSandbox();
  });
  teardown(() => connection.close());

  /** Fetch All Pages of the last `days` of the five-year heart rate, spending the quota reserve too. */
  const fetchLastDays = (
    days: number,
    concurrency: number,
    run: Pick<FetchAllPagesOptions, 'store' | 'signal' | 'onProgress'>,
  ): Promise<FetchAllOutcome> =>
    fetchAllPages({
      client: connection.client(demoUser(FIVE_YEAR_USER_ID).pat),
      routeId: 'quantity',
      spendReserve: true,
      params: { userId: FIVE_YEAR_USER_ID, metric: 'heartRate', query: { ...lastDays(days), pageSize: PAGE_SIZE } },
      settings: { maxPages: 1000, concurrency, quotaReserve: 0 },
      ...run,
    });

  test('ends as stopped with the sandbox named, keeping exactly the pages stored before the stop', async () => {
    const store = new ResultStore();
    const controller = new AbortController();
    let atStop: number | undefined;
    // Look-ahead requests are on the network (and answered pages held) when the sandbox stops.
    connection.sandbox.setFaults({ target: 'data', latencyMs: 100 });
    const outcome = await fetchLastDays(60, 4, {
      store,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.pages !== 3 || atStop !== undefined) return;
        atStop = store.count;
        // What "Stop Sandbox" does: the runs against it are told first, then its connections close.
        controller.abort(new ApiError('sandbox_stopped', 'The sandbox was stopped.'));
        void connection.sandbox.close();
      },
    });
    assert.strictEqual(atStop, 3 * PAGE_SIZE);
    assert.strictEqual(outcome.reason, 'stopped', outcome.message);
    assert.strictEqual(outcome.partial, true);
    assert.strictEqual(outcome.pages, 3);
    assert.strictEqual(store.count, atStop, 'no page stored after the stop');
    assert.strictEqual(
      outcome.message,
      'Stopped at page 4: The OneTwentyOne sandbox was stopped. The 6,000 records before it are kept; the data is partial.',
    );
    assert.strictEqual((outcome.error as ApiError | undefined)?.code, 'sandbox_stopped');
  });

  test('a plain cancel still says cancelled', async () => {
    const store = new ResultStore();
    const controller = new AbortController();
    const outcome = await fetchLastDays(10, 2, {
      store,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.pages === 2) controller.abort();
      },
    });
    assert.strictEqual(outcome.reason, 'cancelled');
    assert.strictEqual(outcome.message, 'Cancelled after 2 pages, 4,000 records; the data is partial.');
    assert.strictEqual(outcome.error, undefined);
  });
});

suite('sandbox glue: the words for a sandbox that is not running or has moved', () => {
  test('not running: the configured URL gets its npm command, any other origin "Start Sandbox"', () => {
    const configured = notRunningHint('http://127.0.0.1:4010', ' http://127.0.0.1:4010/ ');
    assert.match(
      configured,
      /Nothing answers at http:\/\/127\.0\.0\.1:4010 \(the setting onetwentyone\.sandbox\.url\)/,
    );
    assert.match(configured, /npm run sandbox -- --port 4010/);
    const inProcess = notRunningHint('http://127.0.0.1:39001', '');
    assert.match(inProcess, /Run "OneTwentyOne: Start Sandbox"/);
    assert.doesNotMatch(inProcess, /--port/);
    const described = describeApiError(
      new ApiError('sandbox_not_running', inProcess, { route: '/api/v1/profile/{user_id}' }),
    );
    assert.match(
      described,
      /^The OneTwentyOne sandbox is not running \(\/api\/v1\/profile\/\{user_id\}\)\. Nothing answers at http:\/\/127\.0\.0\.1:39001\./,
    );
    assert.doesNotMatch(described, /network connection|proxy/);
  });

  test('moved: both origins named, and what to do', () => {
    const text = describeApiError(
      new ApiError('origin_changed', movedMessage('http://127.0.0.1:4010', 'http://127.0.0.1:4020')),
    );
    assert.match(
      text,
      /signed in against the sandbox at http:\/\/127\.0\.0\.1:4010, but the sandbox is now http:\/\/127\.0\.0\.1:4020/,
    );
    assert.match(text, /Sign in again/);
  });

  test('stopped: one sentence, reused by the fetch outcome', () => {
    assert.strictEqual(describeApiError(new ApiError('sandbox_stopped', 'x')), 'The OneTwentyOne sandbox was stopped.');
  });

  test('origins of base URLs: empty or unusable ones have none', () => {
    assert.strictEqual(originOf(' http://127.0.0.1:4010/ '), 'http://127.0.0.1:4010');
    assert.strictEqual(originOf(''), undefined);
    assert.strictEqual(originOf(undefined), undefined);
    assert.strictEqual(originOf('not a url'), undefined);
    assert.strictEqual(originOf('http://example.com'), undefined, 'http: only on loopback');
  });
});
