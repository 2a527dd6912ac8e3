import * as assert from 'assert';
import type { IncomingMessage, ServerResponse } from 'http';
import { createApiClient, type ApiClient } from '../../../src/core/api/apiClient';
import type { HttpTransport } from '../../../src/core/api/httpTypes';
import { paginate } from '../../../src/core/api/pagination';
import { budgetOf, createRateLimitState, type RateLimitState } from '../../../src/core/api/rateLimit';
import { createUndiciTransport } from '../../../src/core/api/transport';
import { ROUTES, type RouteId } from '../../../src/core/routes';
import { sendJson } from '../../support/servers/faults';
import { startTestServer, type TestServer } from '../../support/servers/testServer';
import { countingCredentials, envelope, expectApiError, fakeTime, quantityRecords, USER } from './helpers';

const PROFILE = {
  user_id: USER,
  created_at: '2022-01-01T00:00:00Z',
  home_timezone: 'UTC',
  scopes: ['quantity', 'sleep', 'workout', 'profile'],
};
const DAILY_LIMIT = 10_000;
/** The limit object the docs' profile example shows: a route's own, not the daily quota. */
const PROFILE_LIMIT = 1_000;

suite('quota budgets: only quantity and sleep spend the daily quota', () => {
  let server: TestServer;
  let transport: HttpTransport;
  let time: ReturnType<typeof fakeTime>;
  let rateLimits: RateLimitState;
  let client: ApiClient;
  /** What the fake API says is left of the daily quota; quantity and sleep spend it. */
  let dailyLeft: number;
  let reset: number;

  /**
   * Quantity and sleep spend the daily budget and answer 429 once it is gone; the other routes
   * answer with a limit object of their own, and keep answering.
   */
  function api(req: IncomingMessage, res: ServerResponse): void {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const daily = path.startsWith('/api/v1/quantity/') || path.startsWith('/api/v1/sleep/');
    if (daily) {
      if (dailyLeft === 0) {
        sendJson(
          res,
          429,
          {
            error: 'rate_limit_exceeded',
            limit: { 'X-RateLimit-Limit': DAILY_LIMIT, 'X-RateLimit-Remaining': 0, 'X-RateLimit-Reset': reset },
          },
          { 'retry-after': '3600' },
        );
        return;
      }
      dailyLeft--;
      sendJson(
        res,
        200,
        envelope(path.includes('quantity') ? quantityRecords(2) : [], { remaining: dailyLeft, reset }),
      );
      return;
    }
    const own = {
      'X-RateLimit-Limit': PROFILE_LIMIT,
      'X-RateLimit-Remaining': PROFILE_LIMIT - 1,
      'X-RateLimit-Reset': reset,
    };
    if (path.startsWith('/api/v1/profile/')) sendJson(res, 200, { limit: own, data: PROFILE });
    else sendJson(res, 200, { ...envelope([], { remaining: PROFILE_LIMIT - 1, reset }), limit: own });
  }

  setup(async () => {
    server = await startTestServer(api);
    transport = createUndiciTransport({ origin: server.origin, proxy: { proxyUrl: '' }, env: {}, deadlineMs: 5000 });
    time = fakeTime();
    reset = Math.floor((time.now() + 6 * 3600_000) / 1000);
    dailyLeft = 41;
    rateLimits = createRateLimitState({ now: () => time.now() });
    client = createApiClient({
      transport,
      credentials: countingCredentials(),
      clock: time,
      rateLimits,
      retry: { sleep: time.sleep },
    });
  });
  teardown(async () => {
    await transport.close();
    await server.close();
  });

  const daily = (): ReturnType<RateLimitState['get']> => rateLimits.get(rateLimits.scopeOf(server.origin, USER));
  const others: readonly RouteId[] = ['workout', 'profile', 'labs', 'supplements', 'medications'];
  const call = (route: RouteId): Promise<unknown> =>
    client.getPage(route, { userId: USER, ...(route === 'quantity' ? { metric: 'stepCount' } : {}) });

  test('the daily budget is the one routes.ts marks, named after them', () => {
    assert.deepStrictEqual(
      ROUTES.filter((r) => budgetOf(r.id).daily).map((r) => r.id),
      ['quantity', 'sleep'],
    );
    assert.strictEqual(budgetOf('quantity').label, 'quantity & sleep');
    assert.strictEqual(budgetOf('sleep').key, budgetOf().key, 'without a route: the daily budget');
    assert.strictEqual(budgetOf('profile').label, 'profile');
    assert.notStrictEqual(budgetOf('profile').key, budgetOf('workout').key);
  });

  test("a route's own limit (1000 on profile) is kept apart, never merged into the daily budget", async () => {
    await call('quantity');
    assert.strictEqual(daily()?.remaining, 40);
    assert.strictEqual(daily()?.limit, DAILY_LIMIT);
    await call('profile');
    await call('workout');
    assert.strictEqual(daily()?.remaining, 40, 'the daily budget is untouched by other routes');
    assert.strictEqual(daily()?.limit, DAILY_LIMIT);
    const profile = rateLimits.get(rateLimits.scopeOf(server.origin, USER, 'profile'));
    assert.strictEqual(profile?.limit, PROFILE_LIMIT);
    assert.strictEqual(profile?.remaining, PROFILE_LIMIT - 1);
  });

  test('with quantity and sleep spent, workout, profile, labs, supplements and medications keep working', async () => {
    dailyLeft = 1;
    await call('sleep');
    assert.strictEqual(daily()?.remaining, 0);
    await expectApiError(call('quantity'), 'quota_exhausted');
    await expectApiError(call('sleep'), 'quota_exhausted');
    const before = server.requests.length;
    for (const route of others) await call(route);
    assert.strictEqual(server.requests.length, before + others.length, 'each was sent, none refused locally');
    await expectApiError(call('quantity'), 'quota_exhausted');
    assert.strictEqual(server.requests.length, before + others.length, 'the daily routes are still refused locally');
  });

  test('a route that reports 0 left of a limit it does not spend still works; only the daily quota says so in results', async () => {
    dailyLeft = 0;
    await expectApiError(call('quantity'), 'quota_exhausted');
    server.handle((req, res) => {
      const own = { 'X-RateLimit-Limit': DAILY_LIMIT, 'X-RateLimit-Remaining': 0, 'X-RateLimit-Reset': reset };
      if (req.url?.startsWith('/api/v1/workout/'))
        sendJson(res, 200, {
          ...envelope([], { hasMore: true, nextPage: `/api/v1/workout/user/${USER}?page=2` }),
          limit: own,
        });
      else api(req, res);
    });
    const first = await client.workout(USER);
    assert.strictEqual(first.rateLimit, undefined, 'no daily quota to report for workout');
    await client.workout(USER);
    assert.strictEqual(rateLimits.status(rateLimits.scopeOf(server.origin, USER, 'workout')), 'ok');
  });

  test('fetch all of workout is not stopped by the spent daily quota', async () => {
    dailyLeft = 0;
    await expectApiError(call('sleep'), 'quota_exhausted');
    const run = paginate(client, 'workout', { userId: USER, query: { pageSize: 3 } });
    let pages = 0;
    for await (const _page of run) pages++;
    const outcome = await run.outcome;
    assert.strictEqual(pages, 1);
    assert.strictEqual(outcome.reason, 'complete', outcome.message);
  });

  test('a route the server does refuse (429, nothing left) is refused locally until its reset, alone', async () => {
    server.handle((req, res) => {
      if (req.url?.startsWith('/api/v1/labs/'))
        sendJson(
          res,
          429,
          { limit: { 'X-RateLimit-Limit': PROFILE_LIMIT, 'X-RateLimit-Remaining': 0, 'X-RateLimit-Reset': reset } },
          { 'retry-after': '3600' },
        );
      else api(req, res);
    });
    const err = await expectApiError(call('labs'), 'quota_exhausted');
    assert.match(err.message, /labs/);
    const before = server.requests.length;
    await expectApiError(call('labs'), 'quota_exhausted');
    assert.strictEqual(server.requests.length, before, 'refused locally');
    await call('quantity');
    await call('workout');
    assert.strictEqual(server.requests.length, before + 2);
  });
});
