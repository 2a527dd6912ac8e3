import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { createApiClient, type ApiClient } from '../../../src/core/api/apiClient';
import type { HttpTransport } from '../../../src/core/api/httpTypes';
import { paginate } from '../../../src/core/api/pagination';
import { createRateLimitState } from '../../../src/core/api/rateLimit';
import { formatWarning } from '../../../src/core/api/validation';
import { METRICS, ROUTES } from '../../../src/core/routes';
import { DATE_PRESETS, defaultQuery, presetRange } from '../../../src/shared/query';
import { parseQuery } from '../../../src/core/dataset/queryParser';
import { matchesRecord } from '../../../src/core/dataset/recordMatcher';
import { startSandbox, type SandboxHandle } from '../../../src/sandbox/main';
import type { SandboxUserInfo } from '../../../src/sandbox/types';
import { json } from '../../support/servers/faults';
import { startTestServer, type TestServer } from '../../support/servers/testServer';
import { localTransport, patClient, patCredentials, sandboxUser } from '../support/localApi';
import { expectApiError } from './helpers';

/** The client against the real sandbox and its fault injection. */
suite('API client against the sandbox', () => {
  let sandbox: SandboxHandle;
  let foreign: TestServer;
  let transport: HttpTransport;
  let ada: SandboxUserInfo;
  let hostile: SandboxUserInfo;
  let empty: SandboxUserInfo;
  let fiveYear: SandboxUserInfo;

  const clientFor = (user: { pat: string }): ApiClient => patClient(transport, user.pat);

  suiteSetup(async () => {
    sandbox = await startSandbox({ port: 0 });
    foreign = await startTestServer(json(200, { data: [] }));
    ada = sandboxUser(sandbox, 'ada');
    hostile = sandboxUser(sandbox, 'hostile');
    empty = sandboxUser(sandbox, 'empty');
    fiveYear = sandboxUser(sandbox, 'five');
  });
  suiteTeardown(async () => {
    await foreign.close();
    await sandbox.close();
  });
  setup(() => {
    sandbox.setFaults(undefined);
    transport = localTransport(sandbox.baseUrl, {
      deadlineMs: 10_000,
      headersTimeoutMs: 5000,
      maxResponseBytes: 20 * 1024 * 1024,
    });
  });
  teardown(async () => {
    sandbox.setFaults(undefined);
    await transport.close();
  });

  test("a new query of every route, and every date preset of a route with daily records, finds the demo user's records", async () => {
    const client = clientFor(ada);
    const today = new Date();
    for (const route of ROUTES) {
      const dated = route.params.some((p) => p.name === 'startDate');
      for (const preset of dated && !route.sparse ? [undefined, ...DATE_PRESETS] : [undefined]) {
        const query = defaultQuery(route.id, today);
        // As the form applies a preset: only the dates the route has.
        const range = Object.entries(preset ? presetRange(preset.id, today) : {}).filter(([name]) =>
          route.params.some((p) => p.name === name),
        );
        const params = { ...query.params, ...Object.fromEntries(range) };
        const result = await client.getPage(route.id, {
          userId: ada.userId,
          ...(query.metric ? { metric: query.metric } : {}),
          query: params,
        });
        const found = Array.isArray(result.data) ? result.data.length : 1;
        assert.ok(
          found > 0,
          `${route.id} ${preset ? `with the preset "${preset.label}"` : 'with its defaults'} found no records`,
        );
      }
    }
  });

  test("the README's search examples find records in the five-year user's heart rate", async () => {
    const readme = fs.readFileSync(path.join(__dirname, '..', '..', '..', '..', 'README.md'), 'utf8');
    const examples =
      /\*\*Search records\*\* filters the whole result \(([^)]*)\)/
        .exec(readme)?.[1]
        ?.match(/`[^`]+`/g)
        ?.map((e) => e.slice(1, -1)) ?? [];
    assert.ok(examples.length >= 2, `examples found: ${JSON.stringify(examples)}`);
    const page = await clientFor(fiveYear).getPage('quantity', {
      userId: fiveYear.userId,
      metric: 'heartRate',
      query: { pageSize: 10_000 },
    });
    const records = page.data as unknown[];
    for (const example of examples) {
      const { clauses } = parseQuery(example);
      assert.ok(
        records.some((r) => matchesRecord(r, clauses)),
        `"${example}" finds nothing in 10,000 records`,
      );
    }
  });

  test('every route of the regular user validates without warnings', async () => {
    const client = clientFor(ada);
    for (const route of ROUTES) {
      const params = route.id === 'quantity' ? { userId: ada.userId, metric: 'heartRate' } : { userId: ada.userId };
      const query =
        route.id === 'sleep'
          ? { include_stages: true, include_metrics: true, pageSize: 200 }
          : route.paginated
            ? { pageSize: 200 }
            : undefined;
      const result = await client.getPage(route.id, { ...params, ...(query ? { query } : {}) });
      assert.strictEqual(result.status, 200, route.id);
      assert.deepStrictEqual(result.warnings.map(formatWarning), [], `${route.id} drifted from its schema`);
      if (route.paginated) assert.ok(Array.isArray(result.data) && result.data.length > 0, `${route.id} has records`);
    }
  });

  test('every known quantity metric validates', async () => {
    const client = clientFor(ada);
    for (const metric of METRICS.slice(0, 12)) {
      const result = await client.quantity(ada.userId, metric.name, { pageSize: 100 });
      assert.deepStrictEqual(result.warnings.map(formatWarning), [], metric.name);
    }
  });

  test('the hostile user is read without crashing; odd fields become warnings, not failures', async () => {
    const client = clientFor(hostile);
    for (const route of ROUTES) {
      const params =
        route.id === 'quantity' ? { userId: hostile.userId, metric: 'heartRate' } : { userId: hostile.userId };
      const result = await client.getPage(route.id, params);
      assert.strictEqual(result.status, 200, route.id);
    }
  });

  test('the empty user has empty pages', async () => {
    const result = await clientFor(empty).quantity(empty.userId, 'stepCount');
    assert.deepStrictEqual(result.data, []);
    assert.strictEqual(result.pagination?.has_more, false);
  });

  test("the sandbox's validation errors arrive as bad_request with its description", async () => {
    const client = clientFor(ada);
    const err = await expectApiError(client.quantity(ada.userId, 'notARealMetric'), 'bad_request');
    assert.match(err.message, /HTTP 400/);
  });

  test('a wrong token is unauthorized (the PAT cannot be refreshed)', async () => {
    await expectApiError(
      createApiClient({ transport, credentials: patCredentials('sbx_pat_wrong_00000000') }).profile(ada.userId),
      'unauthorized',
    );
  });

  test('an injected burst of 503s is retried through', async () => {
    sandbox.setFaults({ serverErrors: { count: 2, status: 503 } });
    const result = await clientFor(ada).quantity(ada.userId, 'stepCount', { pageSize: 10 });
    assert.strictEqual(result.attempts, 3);
  });

  test('a reset mid-body is retried, never parsed partially', async () => {
    sandbox.setFaults({ resetAfterBytes: 200 });
    const err = await expectApiError(clientFor(ada).quantity(ada.userId, 'stepCount', { pageSize: 100 }), 'network');
    assert.ok(err);
  });

  test('truncated and malformed JSON are invalid responses', async () => {
    sandbox.setFaults({ truncatedJson: true });
    await expectApiError(clientFor(ada).quantity(ada.userId, 'stepCount', { pageSize: 50 }), 'invalid_response');
    sandbox.setFaults({ malformedJson: true });
    await expectApiError(clientFor(ada).quantity(ada.userId, 'stepCount', { pageSize: 50 }), 'invalid_response');
  });

  test('a captive-portal page and a text/plain body fail on content type', async () => {
    sandbox.setFaults({ wrongContentType: 'html' });
    await expectApiError(clientFor(ada).quantity(ada.userId, 'stepCount'), 'unexpected_content_type');
    sandbox.setFaults({ wrongContentType: 'text' });
    await expectApiError(clientFor(ada).quantity(ada.userId, 'stepCount'), 'unexpected_content_type');
  });

  test('a slow trickle is cut by the deadline', async () => {
    await transport.close();
    transport = localTransport(sandbox.baseUrl, { deadlineMs: 300, bodyTimeoutMs: 5000 });
    sandbox.setFaults({ trickle: { chunkBytes: 1, intervalMs: 20 } });
    await expectApiError(clientFor(ada).quantity(ada.userId, 'stepCount', { pageSize: 100 }), 'timeout');
  });

  test('a huge streamed body is cut at the cap', async () => {
    await transport.close();
    transport = localTransport(sandbox.baseUrl, { maxResponseBytes: 2 * 1024 * 1024 });
    sandbox.setFaults({ hugeBodyBytes: 50 * 1024 * 1024 });
    await expectApiError(clientFor(ada).quantity(ada.userId, 'stepCount'), 'too_large');
  });

  test('a foreign next_page from the sandbox never reaches the foreign server', async () => {
    sandbox.setFaults({ nextPage: 'foreign', foreignOrigin: foreign.origin });
    const run = paginate(
      clientFor(ada),
      'quantity',
      { userId: ada.userId, metric: 'heartRate', query: { pageSize: 10 } },
      { concurrency: 4, maxPages: 3 },
    );
    let pages = 0;
    for await (const _page of run) pages++;
    const outcome = await run.outcome;
    assert.strictEqual(pages, 3);
    assert.strictEqual(outcome.reason, 'page_cap');
    assert.strictEqual(foreign.requests.length, 0);
    assert.ok(foreign.requests.every((r) => r.authorization === undefined));
  });

  test('loop and self next_page faults stop with a partial result', async () => {
    for (const mode of ['loop', 'self'] as const) {
      sandbox.setFaults({ nextPage: mode });
      const run = paginate(
        clientFor(ada),
        'quantity',
        { userId: ada.userId, metric: 'heartRate', query: { pageSize: 10, page: 2 } },
        { maxPages: 20 },
      );
      for await (const _page of run) {
        /* drain */
      }
      const outcome = await run.outcome;
      assert.strictEqual(outcome.reason, 'error', mode);
      assert.strictEqual(outcome.partial, true, mode);
      assert.ok(outcome.pages <= 2, `${mode}: ${outcome.pages} pages`);
    }
  });

  test('an injected 429 with Retry-After is waited out, then succeeds', async () => {
    sandbox.setFaults({ rateLimited: { retryAfter: '1', count: 1 } });
    const slept: number[] = [];
    const client = createApiClient({
      transport,
      credentials: patCredentials(ada.pat),
      retry: {
        sleep: async (ms) => {
          slept.push(ms);
        },
      },
    });
    const result = await client.quantity(ada.userId, 'stepCount', { pageSize: 5 });
    assert.strictEqual(result.attempts, 2);
    assert.ok(
      slept.some((ms) => ms >= 1000),
      `slept ${slept.join(',')}`,
    );
  });

  test('a full multi-page run of the regular user is complete and ordered', async () => {
    const run = paginate(
      clientFor(ada),
      'quantity',
      { userId: ada.userId, metric: 'restingHeartRate', query: { pageSize: 100, sort: 'asc' } },
      { concurrency: 3 },
    );
    let last = '';
    let records = 0;
    for await (const page of run) {
      for (const record of page.data as Array<{ start_date: string }>) {
        assert.ok(record.start_date >= last, 'ascending across pages');
        last = record.start_date;
        records++;
      }
    }
    const outcome = await run.outcome;
    assert.strictEqual(outcome.reason, 'complete');
    assert.strictEqual(outcome.records, records);
    assert.ok(outcome.pages > 1);
  });

  test('a small daily quota stops pagination in time; the exhausted state refuses without a request', async () => {
    const limited = await startSandbox({ port: 0, dailyLimit: 5 });
    const limitedTransport = localTransport(limited.baseUrl);
    try {
      const rateLimits = createRateLimitState({ now: () => limited.clock.now() });
      const client = createApiClient({
        transport: limitedTransport,
        credentials: patCredentials(fiveYear.pat),
        rateLimits,
        clock: { now: () => limited.clock.now() },
      });
      const run = paginate(
        client,
        'quantity',
        { userId: fiveYear.userId, metric: 'heartRate', query: { pageSize: 10 } },
        { concurrency: 2, quotaReserve: 1 },
      );
      for await (const _page of run) {
        /* drain */
      }
      const outcome = await run.outcome;
      assert.strictEqual(outcome.reason, 'quota');
      assert.strictEqual(outcome.partial, true);
      assert.ok(limited.quotaUsed(fiveYear.userId) <= 4, `spent ${limited.quotaUsed(fiveYear.userId)}`);
      // Spend the rest, then the client holds the exhausted state itself.
      while (limited.quotaUsed(fiveYear.userId) < 5)
        await client.quantity(fiveYear.userId, 'heartRate', { pageSize: 1 });
      await expectApiError(client.quantity(fiveYear.userId, 'heartRate', { pageSize: 1 }), 'quota_exhausted');
      const before = limited.requestLog.length;
      const err = await expectApiError(
        client.quantity(fiveYear.userId, 'heartRate', { pageSize: 1 }),
        'quota_exhausted',
      );
      assert.strictEqual(limited.requestLog.length, before, 'no request while exhausted');
      assert.ok(err.resetAt !== undefined && err.resetAt > limited.clock.now());
    } finally {
      await limitedTransport.close();
      await limited.close();
    }
  });
});
