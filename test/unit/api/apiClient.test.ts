import * as assert from 'assert';
import { createApiClient, type ApiClient } from '../../../src/core/api/apiClient';
import { ApiError } from '../../../src/core/api/errors';
import { createRateLimitState } from '../../../src/core/api/rateLimit';
import type { HttpTransport } from '../../../src/core/api/httpTypes';
import { createUndiciTransport } from '../../../src/core/api/transport';
import { htmlPage, json, rawJsonBytes, resetAfter, sendJson, sequence } from '../../support/servers/faults';
import { startTestServer, type TestServer } from '../../support/servers/testServer';
import {
  CANARY,
  countingCredentials,
  envelope,
  expectApiError,
  fakeTime,
  OTHER_USER,
  quantityRecords,
  sendEnvelope,
  USER,
} from './helpers';

suite('API client over real HTTP', () => {
  let server: TestServer;
  let foreign: TestServer;
  let transport: HttpTransport;
  let time: ReturnType<typeof fakeTime>;

  const makeClient = (credentials = countingCredentials(), extra: { random?: () => number } = {}): ApiClient => {
    time = fakeTime();
    return createApiClient({
      transport,
      credentials,
      clock: time,
      retry: { sleep: time.sleep, random: extra.random ?? (() => 0.5) },
    });
  };

  setup(async () => {
    server = await startTestServer((_req, res) => sendEnvelope(res, quantityRecords(3)));
    foreign = await startTestServer(json(200, envelope([])));
    transport = createUndiciTransport({
      origin: server.origin,
      proxy: { proxyUrl: '' },
      env: {},
      deadlineMs: 5000,
      maxResponseBytes: 1024 * 1024,
    });
  });
  teardown(async () => {
    await transport.close();
    await server.close();
    await foreign.close();
  });

  test('a quantity page: parsed envelope, bearer header, URL without token, rate-limit snapshot', async () => {
    const client = makeClient();
    const result = await client.quantity(
      USER,
      'heartRate',
      { startDate: '2024-01-01', endDate: '2024-01-31', sort: 'asc', page: 1, pageSize: 50 },
      { keepRaw: true },
    );
    assert.strictEqual(result.status, 200);
    assert.strictEqual(result.data.length, 3);
    assert.deepStrictEqual(result.warnings, []);
    assert.strictEqual(result.pagination?.current_page, 1);
    assert.strictEqual(result.rateLimit?.remaining, 9_990);
    assert.ok(result.bytes > 0 && result.durationMs >= 0);
    assert.strictEqual(
      result.url,
      `${server.origin}/api/v1/quantity/${USER}/heartRate?startDate=2024-01-01&endDate=2024-01-31&sort=asc&page=1&pageSize=50`,
    );
    assert.ok(!result.url.includes(CANARY));
    assert.strictEqual(JSON.parse(result.rawText!).data.length, 3);
    assert.strictEqual(server.requests[0]?.authorization, `Bearer ${CANARY}`);
    assert.strictEqual(server.requests[0]?.headers.accept, 'application/json');
  });

  test('every route has a typed call on its documented path', async () => {
    const client = makeClient();
    server.handle((req, res) => {
      if (req.url?.startsWith('/api/v1/profile/'))
        sendJson(res, 200, {
          limit: envelope([]).limit,
          data: {
            user_id: USER,
            created_at: '2022-01-01T00:00:00Z',
            home_timezone: 'America/New_York',
            scopes: ['profile'],
          },
        });
      else sendEnvelope(res, []);
    });
    await client.sleep(USER, { include_stages: true, include_metrics: false });
    await client.workout(USER, { type: 'traditionalStrengthTraining' });
    const profile = await client.profile(USER);
    await client.supplements(USER, { supplementID: '326aa713-a248-4c98-9a40-a5f39b25ca94' });
    await client.medications(USER, { medicationID: '2e49c0c7-eb90-4d5c-8d86-5b6bee1e352c' });
    await client.labs(USER, { type: 'serumALT' });
    assert.strictEqual(profile.data.home_timezone, 'America/New_York');
    assert.deepStrictEqual(
      server.requests.map((r) => r.url),
      [
        `/api/v1/sleep/${USER}?include_stages=true&include_metrics=false`,
        `/api/v1/workout/user/${USER}?type=traditionalStrengthTraining`,
        `/api/v1/profile/${USER}`,
        `/api/v1/supplements/${USER}?supplementID=326aa713-a248-4c98-9a40-a5f39b25ca94`,
        `/api/v1/medications/${USER}?medicationID=2e49c0c7-eb90-4d5c-8d86-5b6bee1e352c`,
        `/api/v1/labs/user/${USER}?type=serumALT`,
      ],
    );
  });

  test('bad parameters are refused before anything is sent, with a clear message', async () => {
    const client = makeClient();
    const cases: Array<[() => Promise<unknown>, RegExp]> = [
      [() => client.quantity('not-a-uuid', 'stepCount'), /UUID/],
      [() => client.quantity(USER, '../token'), /metric/],
      [() => client.quantity(USER, 'stepCount', { startDate: '2024-02-30' }), /ISO 8601/],
      [() => client.quantity(USER, 'stepCount', { startDate: '01/02/2024' }), /ISO 8601/],
      [
        () => client.quantity(USER, 'stepCount', { startDate: '2024-03-01', endDate: '2024-02-01' }),
        /must not be before startDate/,
      ],
      [() => client.quantity(USER, 'stepCount', { sort: 'up' as 'asc' }), /asc or desc/],
      [() => client.quantity(USER, 'stepCount', { page: 0 }), /page must/],
      [() => client.quantity(USER, 'stepCount', { page: -1 }), /page must/],
      [() => client.quantity(USER, 'stepCount', { page: 1.5 }), /page must/],
      [() => client.quantity(USER, 'stepCount', { pageSize: 1e6 }), /1 to 10,000/],
      [() => client.quantity(USER, 'stepCount', { pageSize: 0 }), /1 to 10,000/],
      [() => client.getPage('labs', { userId: USER, query: { endDate: '2024-01-01' } }), /Unknown parameter "endDate"/],
      [() => client.supplements(USER, { supplementID: 'x' }), /UUID/],
      [() => client.workout(USER, { type: '<script>' }), /name/],
    ];
    for (const [call, message] of cases) {
      const err = await expectApiError(call(), 'invalid_params');
      assert.match(err.message, message);
    }
    assert.strictEqual(server.requests.length, 0);
  });

  test('an HTML page with status 200 fails on its content type', async () => {
    server.handle(htmlPage());
    const err = await expectApiError(makeClient().quantity(USER, 'stepCount'), 'unexpected_content_type');
    assert.match(err.message, /text\/html/);
    assert.ok(!err.message.includes('Wi-Fi'), 'the body is not echoed');
  });

  test('truncated JSON, NaN, trailing comma, BOM and invalid UTF-8 are invalid responses', async () => {
    const client = makeClient();
    const bodies: Array<Buffer | string> = [
      '{"data":[',
      '{"data":[NaN]}',
      '{"data":[1,],}',
      '\ufeff{"data":[]}',
      Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
      '',
    ];
    for (const body of bodies) {
      server.handle(rawJsonBytes(body));
      const err = await expectApiError(client.quantity(USER, 'stepCount'), 'invalid_response');
      assert.ok(!err.message.includes('"data"'), 'the body is not quoted');
    }
    assert.strictEqual(server.requests.length, bodies.length, 'invalid bodies are not retried');
  });

  test('drift becomes warnings with JSON paths; unknown fields are kept; values are not coerced', async () => {
    const records = quantityRecords(5);
    records[3] = { ...records[3], value: '72' };
    records[4] = { ...records[4], extra_field: { nested: true } };
    server.handle((_req, res) =>
      sendJson(res, 200, {
        ...envelope(records),
        pagination: { current_page: 1, has_more: 'yes', next_page: null, prev_page: null },
      }),
    );
    const result = await makeClient().quantity(USER, 'stepCount');
    const lines = result.warnings.map((w) => `${w.path}: ${w.message}`);
    assert.ok(lines.includes('data[3].value: expected number, got string'), lines.join('\n'));
    assert.ok(lines.includes('pagination.has_more: expected boolean, got string'), lines.join('\n'));
    assert.strictEqual(result.pagination, undefined, 'an unusable pagination block is not used');
    assert.strictEqual(result.data[3]?.value, '72' as unknown as number, 'the string is kept as sent');
    assert.deepStrictEqual((result.data[4] as Record<string, unknown>).extra_field, { nested: true });
  });

  test('recordsInChunks: the envelope is checked at once, the records are parsed and checked when taken', async () => {
    const records = quantityRecords(2_500);
    records[2_100] = { ...records[2_100], value: 'high' };
    server.handle((_req, res) =>
      sendEnvelope(res, records, {
        hasMore: true,
        nextPage: `/api/v1/quantity/${USER}/heartRate?page=2`,
        remaining: 4_321,
      }),
    );
    const client = makeClient();
    const chunked = await client.quantity(USER, 'heartRate', { page: 1 }, { recordsInChunks: true });
    assert.deepStrictEqual(chunked.data, [], 'no records parsed yet');
    assert.ok(chunked.records && !chunked.records.done);
    assert.strictEqual(chunked.pagination?.has_more, true);
    assert.strictEqual(chunked.rateLimit?.remaining, 4_321, 'the limit block is read from the envelope');
    const taken: unknown[] = [];
    let chunks = 0;
    for (; !chunked.records.done; chunks++) taken.push(...chunked.records.take());
    assert.deepStrictEqual(taken, records);
    assert.strictEqual(chunked.records.count, 2_500);
    assert.ok(chunks >= 2, `${chunks} chunks`);
    assert.deepStrictEqual(
      chunked.records.warnings().map((w) => `${w.path}: ${w.message}`),
      ['data[2100].value: expected number, got string'],
    );

    const raw = await client.quantity(USER, 'heartRate', { page: 1 }, { recordsInChunks: true, keepRaw: true });
    assert.strictEqual(raw.records, undefined, 'a raw view needs the whole text: parsed whole');
    assert.strictEqual(raw.data.length, 2_500);

    server.handle(
      rawJsonBytes(
        `{"pagination":{"current_page":1,"has_more":false},"d\\u0061ta":${JSON.stringify(quantityRecords(3))}}`,
      ),
    );
    const declined = await client.quantity(USER, 'heartRate', { page: 1 }, { recordsInChunks: true });
    assert.strictEqual(declined.records, undefined, 'a body the scan is unsure of is parsed whole');
    assert.strictEqual(declined.data.length, 3, 'as JSON.parse reads it: the escaped key is data');

    server.handle(
      rawJsonBytes(
        `{"pagination":{"current_page":1,"has_more":false},"data":[],"d\\u0061ta":${JSON.stringify(quantityRecords(3))}}`,
      ),
    );
    const repeated = await client.quantity(USER, 'heartRate', { page: 1 }, { recordsInChunks: true });
    assert.throws(
      () => {
        while (!repeated.records?.done) repeated.records?.take();
      },
      (err: unknown) => err instanceof ApiError && err.code === 'invalid_response',
      'a data member after the records would win in a whole parse: an error, not a silent difference',
    );

    server.handle(
      rawJsonBytes(
        '{"pagination":{"current_page":1,"has_more":false},"data":[{"value":1,"start_date":"2024-01-01T00:00:00Z"},{"value":1.2.3}]}',
      ),
    );
    const broken = await client.quantity(USER, 'heartRate', { page: 1 }, { recordsInChunks: true });
    assert.ok(broken.records, 'the head is sound');
    assert.throws(
      () => broken.records?.take(),
      (err: unknown) => err instanceof ApiError && err.code === 'invalid_response',
    );
  });

  test('a body without data, or data of the wrong kind, is a schema error', async () => {
    const client = makeClient();
    server.handle(json(200, { pagination: envelope([]).pagination }));
    await expectApiError(client.quantity(USER, 'stepCount'), 'schema');
    server.handle(json(200, { data: null }));
    await expectApiError(client.quantity(USER, 'stepCount'), 'schema');
    server.handle(json(200, [1, 2]));
    await expectApiError(client.quantity(USER, 'stepCount'), 'schema');
  });

  test('a 401 triggers exactly one refresh and one replay with the new token', async () => {
    const credentials = countingCredentials(CANARY, 'fresh-token-0123456789');
    server.handle((req, res) => {
      if (req.headers.authorization === `Bearer ${CANARY}`)
        sendJson(res, 401, { error: 'invalid_token' }, { 'www-authenticate': 'Bearer error="invalid_token"' });
      else sendEnvelope(res, quantityRecords(1));
    });
    const result = await makeClient(credentials).quantity(USER, 'stepCount');
    assert.strictEqual(result.attempts, 2);
    assert.deepStrictEqual(credentials.refreshes, [CANARY]);
    assert.deepStrictEqual(
      server.requests.map((r) => r.authorization),
      [`Bearer ${CANARY}`, 'Bearer fresh-token-0123456789'],
    );
  });

  test('a second 401 after the refresh stops with unauthorized; no loop', async () => {
    const credentials = countingCredentials(CANARY, 'fresh-token-0123456789');
    server.handle(json(401, { error: 'invalid_token', error_description: `token ${CANARY} expired` }));
    const err = await expectApiError(makeClient(credentials).quantity(USER, 'stepCount'), 'unauthorized');
    assert.strictEqual(credentials.refreshes.length, 1);
    assert.strictEqual(server.requests.length, 2);
    assert.ok(!err.message.includes(CANARY) && !err.message.includes('fresh-token'), err.message);
  });

  test('when the grant is dead the 401 is final and nothing is replayed', async () => {
    const credentials = countingCredentials(CANARY);
    server.handle(json(401, { error: 'invalid_token' }));
    await expectApiError(makeClient(credentials).quantity(USER, 'stepCount'), 'unauthorized');
    assert.strictEqual(server.requests.length, 1);
    assert.strictEqual(credentials.refreshes.length, 1);
  });

  test('400, 403 and 404 are never retried and never refresh', async () => {
    const credentials = countingCredentials(CANARY, 'fresh-token-0123456789');
    const client = makeClient(credentials);
    for (const [status, code] of [
      [400, 'bad_request'],
      [403, 'forbidden'],
      [404, 'not_found'],
    ] as const) {
      server.handle(json(status, { error: 'x', error_description: 'described <b>problem</b>' }));
      const before = server.requests.length;
      const err = await expectApiError(client.quantity(USER, 'stepCount'), code);
      assert.strictEqual(server.requests.length - before, 1);
      assert.strictEqual(err.status, status);
    }
    assert.strictEqual(credentials.refreshes.length, 0);
    assert.deepStrictEqual(time.delays, []);
  });

  test('502/503/504 are retried with capped, jittered backoff, then succeed', async () => {
    server.handle(
      sequence(json(503, {}), json(502, {}), json(504, {}), (_req, res) => sendEnvelope(res, quantityRecords(1))),
    );
    const result = await makeClient(countingCredentials(), { random: () => 0.5 }).quantity(USER, 'stepCount');
    assert.strictEqual(result.attempts, 4);
    // full jitter: random(0, min(cap, 250·2^n)) with random = 0.5
    assert.deepStrictEqual(time.delays, [125, 250, 500]);
  });

  test('retries are capped: 1 + 3 requests, then the status error', async () => {
    server.handle(json(503, { error: 'unavailable' }));
    const err = await expectApiError(makeClient().quantity(USER, 'stepCount'), 'http_status');
    assert.strictEqual(err.status, 503);
    assert.strictEqual(server.requests.length, 4);
  });

  test('a 500 on a GET is retried like the gateway errors; a 501 is not', async () => {
    server.handle(sequence(json(500, {}), (_req, res) => sendEnvelope(res, quantityRecords(1))));
    const result = await makeClient().quantity(USER, 'stepCount');
    assert.strictEqual(result.attempts, 2);
    server.handle(json(501, {}));
    const before = server.requests.length;
    await expectApiError(makeClient().quantity(USER, 'stepCount'), 'http_status');
    assert.strictEqual(server.requests.length - before, 1);
  });

  test('a connection reset is retried within its budget', async () => {
    server.handle(sequence(resetAfter(100), (_req, res) => sendEnvelope(res, quantityRecords(2))));
    const result = await makeClient().quantity(USER, 'stepCount');
    assert.strictEqual(result.attempts, 2);
  });

  test('a 429 with a short Retry-After is retried no sooner than asked', async () => {
    server.handle(
      sequence(json(429, { error: 'slow_down' }, { 'retry-after': '2' }), (_req, res) =>
        sendEnvelope(res, quantityRecords(1)),
      ),
    );
    const client = makeClient();
    const result = await client.quantity(USER, 'stepCount');
    assert.strictEqual(result.attempts, 2);
    assert.ok(time.delays.reduce((a, b) => a + b, 0) >= 2000, `waited ${time.delays.join('+')} ms`);
  });

  test('garbage, negative or huge Retry-After values are not retried and make no NaN', async () => {
    const client = makeClient();
    for (const value of ['soon', '-5', '999999999']) {
      server.handle(json(429, {}, { 'retry-after': value }));
      const err = await expectApiError(client.quantity(OTHER_USER, 'stepCount'), 'rate_limited');
      assert.ok(err.retryAfterMs === undefined || (Number.isFinite(err.retryAfterMs) && err.retryAfterMs >= 0));
      time.advance(25 * 3600 * 1000);
    }
    assert.deepStrictEqual(time.delays, []);
  });

  test('an exhausted daily quota is a state, not a retry loop; other users keep working', async () => {
    const rateLimits = createRateLimitState({ now: () => time.now() });
    time = fakeTime();
    const client = createApiClient({
      transport,
      credentials: countingCredentials(),
      clock: time,
      rateLimits,
      retry: { sleep: time.sleep },
    });
    const reset = Math.floor((time.now() + 6 * 3600_000) / 1000);
    server.handle((req, res) => {
      if (req.url?.includes(USER))
        sendJson(res, 429, envelope([], { remaining: 0, reset }), {
          'retry-after': String(6 * 3600),
          'x-ratelimit-remaining': '0',
        });
      else sendEnvelope(res, []);
    });
    const err = await expectApiError(client.quantity(USER, 'stepCount'), 'quota_exhausted');
    assert.strictEqual(err.resetAt, reset * 1000);
    assert.strictEqual(server.requests.length, 1);
    await expectApiError(client.sleep(USER), 'quota_exhausted');
    assert.strictEqual(server.requests.length, 1, 'refused locally without a request');
    assert.strictEqual(rateLimits.status(rateLimits.scopeOf(server.origin, USER)), 'exhausted');
    await client.quantity(OTHER_USER, 'stepCount');
    time.advance(6 * 3600_000 + 1000);
    server.handle((_req, res) => sendEnvelope(res, []));
    await client.quantity(USER, 'stepCount');
    assert.deepStrictEqual(time.delays, []);
  });

  test('followLink refuses a foreign next_page and never contacts the foreign host', async () => {
    const client = makeClient();
    await expectApiError(
      client.followLink(
        'quantity',
        { userId: USER, metric: 'stepCount' },
        `${foreign.origin}/api/v1/quantity/${USER}/stepCount?page=2`,
      ),
      'untrusted_link',
    );
    assert.strictEqual(foreign.requests.length, 0);
  });

  test("followLink builds the canonical request from the server's page number", async () => {
    const client = makeClient();
    await client.followLink(
      'workout',
      { userId: USER, query: { startDate: '2022-01-01', pageSize: 50 } },
      `/api/workout/user/${USER}?startDate=2022-01-01&type=traditionalStrengthTraining&page=2&pageSize=50`,
    );
    assert.strictEqual(server.requests[0]?.url, `/api/v1/workout/user/${USER}?startDate=2022-01-01&page=2&pageSize=50`);
  });

  test('across faults the token appears only in the Authorization header: not in logs, errors, URLs or results', async () => {
    const lines: string[] = [];
    const log = (m: string) => {
      lines.push(m);
    };
    time = fakeTime();
    const client = createApiClient({
      transport,
      credentials: countingCredentials(CANARY, `${CANARY}-refreshed`),
      clock: time,
      logger: { trace: log, debug: log, info: log, warn: log, error: log },
      retry: { sleep: time.sleep },
    });
    const echo = (status: number) =>
      json(status, { error: 'x', error_description: `Bearer ${CANARY} access_token=${CANARY}` });
    const faults = [
      echo(400),
      echo(401),
      echo(403),
      echo(404),
      echo(500),
      echo(503),
      htmlPage(),
      rawJsonBytes(`{"data":["${CANARY}"`),
      resetAfter(50),
    ];
    const seen: string[] = [];
    for (const fault of faults) {
      server.handle(fault);
      try {
        await client.quantity(USER, 'stepCount');
      } catch (err) {
        seen.push(
          String(err),
          (err as Error).stack ?? '',
          JSON.stringify(err),
          String((err as Error & { cause?: unknown }).cause ?? ''),
        );
      }
    }
    server.handle((_req, res) => sendEnvelope(res, quantityRecords(1)));
    const ok = await client.quantity(USER, 'stepCount', {}, { keepRaw: true });
    seen.push(ok.url, JSON.stringify({ ...ok, rawText: undefined }));
    for (const text of [...seen, ...lines]) assert.ok(!text.includes(CANARY), `leaked: ${text.slice(0, 200)}`);
    assert.ok(lines.length > 0, 'the client did log');
    assert.ok(server.requests.every((r) => r.url.indexOf(CANARY) === -1));
  });

  test('an aborted signal cancels before sending', async () => {
    await expectApiError(makeClient().quantity(USER, 'stepCount', {}, { signal: AbortSignal.abort() }), 'cancelled');
    assert.strictEqual(server.requests.length, 0);
  });
});
