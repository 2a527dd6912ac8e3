import * as assert from 'assert';
import type { ApiClient } from '../../../src/core/api/apiClient';
import type { RouteParams } from '../../../src/core/api/params';
import {
  processRefreshResponse,
  processTokenResponse,
  refreshRequest,
  tokenRequest,
} from '../../../src/core/auth/tokenEndpoint';
import type { PageWarning } from '../../../src/core/dataset/fetchAll';
import { fetchAllPages } from '../../../src/core/dataset/fetchAllPages';
import { type ResultStore } from '../../../src/core/dataset/resultStore';
import type { RouteId } from '../../../src/core/routes';
import { DIALECT_NAMES, type DialectName } from '../../../src/sandbox/main';
import { QueryResult } from '../../../src/vscode/explorer/queryResult';
import { expectAuthError } from '../api/helpers';
import { consent, pkcePair } from '../sandbox/sandboxClient';
import { connectSandbox, referenceRecords, sandboxUser, type SandboxConnection } from '../support/localApi';

/**
 * The explorer's core against every sandbox dialect: the API client's first page, then fetch all
 * (paginate feeding the result store) as the query panel runs it, checked record for record
 * against the pages read independently; and, for the token routes, the core's code exchange and
 * refresh. What the views make of each record shape is tested with the views.
 */

const DAY_MS = 86_400_000;

/** Two whole days of data, ending where the sandbox's data ends (00:00 UTC today). */
function lastTwoDays(): { startDate: string; endDate: string } {
  const today = Math.floor(Date.now() / DAY_MS) * DAY_MS;
  const day = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
  return { startDate: day(today - 2 * DAY_MS), endDate: day(today - DAY_MS) };
}

interface Query {
  readonly route: RouteId;
  readonly path: (userId: string) => string;
  readonly metric?: string;
  /** As sent: the client takes `true` for the flags, the reference reader the string. */
  readonly query: Record<string, string>;
  readonly pageSize: number;
}

/** The query as the API client takes it: flags as booleans. */
function clientQuery(q: Query): RouteParams['query'] {
  const typed: Record<string, string | number | boolean> = { pageSize: q.pageSize };
  for (const [name, value] of Object.entries(q.query)) typed[name] = value === 'true' ? true : value;
  return typed;
}

const QUERIES: readonly Query[] = [
  {
    route: 'quantity',
    metric: 'stepCount',
    path: (u) => `/api/v1/quantity/${u}/stepCount`,
    query: lastTwoDays(),
    pageSize: 10,
  },
  {
    route: 'sleep',
    path: (u) => `/api/v1/sleep/${u}`,
    query: { startDate: '2025-01-01', include_stages: 'true', include_metrics: 'true' },
    pageSize: 40,
  },
  { route: 'workout', path: (u) => `/api/v1/workout/user/${u}`, query: { startDate: '2025-01-01' }, pageSize: 25 },
  { route: 'labs', path: (u) => `/api/v1/labs/user/${u}`, query: {}, pageSize: 30 },
];

suite('dataset: fetch all against every sandbox dialect', function () {
  this.timeout(60_000);

  for (const dialect of DIALECT_NAMES) {
    suite(dialect, () => {
      let connection: SandboxConnection;
      let client: ApiClient;
      let userId: string;
      let pat: string;
      suiteSetup(async () => {
        connection = await connectSandbox({ dialect });
        ({ userId, pat } = sandboxUser(connection.sandbox, 'ada'));
        client = connection.client(pat);
      });
      suiteTeardown(() => connection.close());

      for (const q of QUERIES) {
        test(`${q.route}: every record arrives, in order, and the run ends complete`, async () => {
          const params: RouteParams = {
            userId,
            ...(q.metric ? { metric: q.metric } : {}),
            query: clientQuery(q),
          };
          const page = await client.getPage(q.route, params, { keepRaw: true });
          const result = new QueryResult(1, { route: q.route, params: params.query } as never, page, 'account');
          try {
            const store = result.store as ResultStore;
            const warnings: PageWarning[] = [];
            const outcome = await fetchAllPages({
              client,
              routeId: q.route,
              params,
              store,
              firstPage: result.firstPage,
              settings: { maxPages: 1000, concurrency: 3, quotaReserve: 0 },
              spendReserve: true,
              onWarnings: (w) => warnings.push(...w),
            });
            const expected = await referenceRecords(connection.sandbox, pat, q.path(userId), q.query, q.pageSize);
            assert.ok(expected.length > q.pageSize * 2, `${expected.length} records: several pages`);
            assert.strictEqual(outcome.reason, 'complete', outcome.message);
            assert.strictEqual(outcome.partial, false);
            assert.strictEqual(store.count, expected.length);
            assert.deepStrictEqual(JSON.parse(store.getRows(0, store.count, Infinity).json), expected);
            expectedWarnings(dialect, q.route, warnings);
          } finally {
            result.dispose();
          }
        });
      }
    });
  }

  test("per-route-limits: the client keeps each route's limit apart from the daily quota", async () => {
    const connection = await connectSandbox({ dialect: 'per-route-limits' });
    try {
      const { userId, pat } = sandboxUser(connection.sandbox, 'ada');
      const client = connection.client(pat);
      await client.getPage('profile', { userId, query: {} });
      await client.getPage('profile', { userId, query: {} });
      await client.getPage('quantity', { userId, metric: 'stepCount', query: { pageSize: 1 } });
      const budget = (route: RouteId): [number | undefined, number | undefined] => {
        const seen = client.rateLimits.get(client.rateLimits.scopeOf(client.origin, userId, route));
        return [seen?.limit, seen?.remaining];
      };
      assert.deepStrictEqual(budget('profile'), [1000, 998]);
      assert.deepStrictEqual(budget('quantity'), [10_000, 9_999]);
      assert.strictEqual(client.rateLimits.status(client.rateLimits.scopeOf(client.origin, userId, 'sleep')), 'ok');
    } finally {
      await connection.close();
    }
  });

  suite('form-only token routes', () => {
    test("the core's code exchange and refresh go through (form-encoded after one JSON try), and a wrong secret is reported with the server's own message", async () => {
      const connection = await connectSandbox({ dialect: 'form-only' });
      try {
        const h = connection.sandbox;
        const { verifier, challenge } = pkcePair();
        const redirectUri = 'http://127.0.0.1:53123/callback';
        const { location } = await consent(h, { redirectUri, challenge });
        const code = location?.searchParams.get('code') ?? assert.fail('no code');
        const userId = location?.searchParams.get('user_id') ?? assert.fail('no user_id');
        const client = { clientId: h.demoClient.clientId, clientSecret: h.demoClient.clientSecret };
        const before = h.requestLog.length;
        const sentAt = Date.now();
        const issued = processTokenResponse(
          await tokenRequest(connection.transport, { code, ...client, redirectUri, codeVerifier: verifier }),
          { sentAt, userId },
        );
        const tokens = { refreshToken: issued.refreshToken ?? assert.fail('no refresh token') };
        assert.deepStrictEqual(
          h.requestLog.slice(before).map((e) => `${e.path} ${e.status}`),
          ['/api/token 400', '/api/token 200'],
        );
        const refreshed = processRefreshResponse(
          await refreshRequest(connection.transport, { refreshToken: tokens.refreshToken, ...client, userId }),
          { sentAt: Date.now(), userId, previousRefreshToken: tokens.refreshToken },
        );
        assert.strictEqual(refreshed.refreshToken, tokens.refreshToken);
        // The encoding that worked is remembered: the refresh went form-encoded at once.
        assert.deepStrictEqual(
          h.requestLog.slice(before + 2).map((e) => `${e.path} ${e.status}`),
          ['/api/refresh 200'],
        );
        const wrong = await refreshRequest(connection.transport, {
          refreshToken: tokens.refreshToken,
          ...client,
          clientSecret: 'not-the-secret',
          userId,
        });
        const error = await expectAuthError(
          Promise.resolve().then(() =>
            processRefreshResponse(wrong, { sentAt: Date.now(), userId, previousRefreshToken: tokens.refreshToken }),
          ),
        );
        assert.strictEqual(error.code, 'token_endpoint_error');
        assert.match(error.detail ?? '', /401/);
        assert.match(error.detail ?? '', /Unknown client or wrong client secret/);
      } finally {
        await connection.close();
      }
    });
  });
});

/**
 * The warnings each dialect's pages raise: none where everything is standard; the export's own
 * record shapes are drift the client reports (and keeps every record); a page that says there is
 * more without a link is one line naming the fallback.
 */
function expectedWarnings(dialect: DialectName, route: RouteId, warnings: readonly PageWarning[]): void {
  const where = `${dialect} ${route}`;
  if (dialect === 'export' && (route === 'quantity' || route === 'sleep'))
    assert.ok(warnings.length > 0, `${where}: the export's shapes are reported as drift`);
  else if (dialect === 'lean-paging')
    assert.deepStrictEqual(
      warnings.map((w) => w.path),
      ['pagination.next_page'],
      `${where}: one line for the pages asked by number`,
    );
  else assert.deepStrictEqual(warnings, [], where);
}
