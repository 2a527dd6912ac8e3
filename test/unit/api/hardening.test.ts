import * as assert from 'assert';
import { createApiClient, type ApiClient } from '../../../src/core/api/apiClient';
import { describeApiError } from '../../../src/core/api/errors';
import type { HttpTransport } from '../../../src/core/api/httpTypes';
import { MAX_SERVER_RETRY_AFTER_MS } from '../../../src/core/api/retry';
import { AuthError } from '../../../src/core/auth/errors';
import { refreshRequest, processRefreshResponse, tokenRequest } from '../../../src/core/auth/tokenEndpoint';
import { messageFor } from '../../../src/vscode/userMessages';
import { startAuthProxy, type AuthProxy } from '../../support/servers/authProxy';
import { json, redirectTo, sequence } from '../../support/servers/faults';
import { startTestServer, type TestServer } from '../../support/servers/testServer';
import { createFetchTransport } from '../auth/support/fetchTransport';
import { localTransport } from '../support/localApi';
import {
  countingCredentials,
  expectApiError,
  expectAuthError,
  fakeTime,
  quantityRecords,
  sendEnvelope,
  USER,
} from './helpers';

/** A client over `transport` whose retries wait on a fake clock, no real time. */
function clientOnFakeClock(transport: HttpTransport): ApiClient {
  const time = fakeTime();
  return createApiClient({ transport, credentials: countingCredentials(), clock: time, retry: { sleep: time.sleep } });
}

suite('a server error asking for a long wait', () => {
  let server: TestServer;
  let transport: HttpTransport;
  let time: ReturnType<typeof fakeTime>;

  const makeClient = (): ApiClient => {
    time = fakeTime();
    return createApiClient({
      transport,
      credentials: countingCredentials(),
      clock: time,
      retry: { sleep: time.sleep, random: () => 0.5 },
    });
  };

  setup(async () => {
    server = await startTestServer();
    transport = localTransport(server.origin, { deadlineMs: 5000 });
  });
  teardown(async () => {
    await transport.close();
    await server.close();
  });

  test('a 503 with Retry-After: 86400 is not waited for: one request, and the message names the wait', async () => {
    server.handle(json(503, { error: 'maintenance' }, { 'retry-after': '86400' }));
    const err = await expectApiError(makeClient().quantity(USER, 'heartRate'), 'http_status');
    assert.strictEqual(server.requests.length, 1, 'no retry');
    assert.deepStrictEqual(time.delays, [], 'no wait at all');
    assert.strictEqual(err.status, 503);
    assert.strictEqual(err.retryAfterMs, 86_400_000);
    assert.match(err.message, /^The server asked to wait 24 hours or more before retrying; /);
    assert.match(
      describeApiError(err),
      /^The API answered with HTTP 503 \(\/api\/v1\/quantity\/[^)]+\)\. The server asked to wait 24 hours or more before retrying; the client waits at most 30 s/,
    );
  });

  test('a 502 whose Retry-After is an HTTP date years away fails at once, naming the wait', async () => {
    server.handle(json(502, {}, { 'retry-after': 'Fri, 01 Jan 2100 00:00:00 GMT' }));
    const err = await expectApiError(makeClient().quantity(USER, 'heartRate'), 'http_status');
    assert.strictEqual(server.requests.length, 1);
    assert.deepStrictEqual(time.delays, []);
    assert.match(describeApiError(err), /asked to wait 24 hours or more before retrying/);
  });

  test('a 503 asking for ten minutes fails at once and says ten minutes', async () => {
    server.handle(json(503, {}, { 'retry-after': '600' }));
    const err = await expectApiError(makeClient().quantity(USER, 'heartRate'), 'http_status');
    assert.strictEqual(server.requests.length, 1);
    assert.match(err.message, /asked to wait 10 minutes before retrying/);
  });

  test('a Retry-After within the cap is still honoured on a 503, then the page arrives', async () => {
    const seconds = MAX_SERVER_RETRY_AFTER_MS / 1000;
    server.handle(
      sequence(json(503, {}, { 'retry-after': String(seconds) }), (_req, res) => sendEnvelope(res, quantityRecords(2))),
    );
    const result = await makeClient().quantity(USER, 'heartRate');
    assert.strictEqual(result.attempts, 2);
    assert.deepStrictEqual(time.delays, [MAX_SERVER_RETRY_AFTER_MS]);
  });

  test('a 429 keeps its own, longer limit: 45 s is waited out', async () => {
    server.handle(
      sequence(json(429, { error: 'slow_down' }, { 'retry-after': '45' }), (_req, res) =>
        sendEnvelope(res, quantityRecords(1)),
      ),
    );
    const result = await makeClient().quantity(USER, 'heartRate');
    assert.strictEqual(result.attempts, 2);
    assert.ok(time.delays.reduce((a, b) => a + b, 0) >= 45_000, `waited ${time.delays.join('+')} ms`);
  });
});

suite('a proxy that asks for credentials (407)', () => {
  let server: TestServer;
  let proxy: AuthProxy;
  let transport: HttpTransport | undefined;

  setup(async () => {
    server = await startTestServer((_req, res) => sendEnvelope(res, quantityRecords(1)));
    proxy = await startAuthProxy();
  });
  teardown(async () => {
    await transport?.close();
    transport = undefined;
    await proxy.close();
    await server.close();
  });

  test("the request fails once, with a message about the proxy's credentials, and the API is not reached", async () => {
    transport = localTransport(server.origin, { proxy: { proxyUrl: proxy.url, proxyLoopback: true } });
    const client = clientOnFakeClock(transport);
    const err = await expectApiError(client.quantity(USER, 'heartRate'), 'network');
    assert.strictEqual(err.status, 407);
    assert.match(
      describeApiError(err),
      /^The proxy asked for authentication \(407\).*: set the proxy's credentials in http\.proxy/,
    );
    assert.deepStrictEqual(proxy.seen, [`CONNECT 127.0.0.1:${server.port}`], 'asked once, not retried');
    assert.strictEqual(server.requests.length, 0);
  });
});

suite('a 407 from a proxy that forwards plain HTTP instead of tunnelling', () => {
  let server: TestServer;
  let transport: HttpTransport | undefined;

  setup(async () => {
    server = await startTestServer(json(407, {}, { 'proxy-authenticate': 'Basic realm="corp"' }));
  });
  teardown(async () => {
    await transport?.close();
    transport = undefined;
    await server.close();
  });

  test('is the proxy\'s credentials message too, not "HTTP 407" from the API, and is not retried', async () => {
    transport = localTransport(server.origin);
    const client = clientOnFakeClock(transport);
    const err = await expectApiError(client.quantity(USER, 'heartRate'), 'network');
    assert.strictEqual(err.status, 407);
    assert.match(describeApiError(err), /^The proxy asked for authentication \(407\)/);
    assert.strictEqual(server.requests.length, 1);
  });
});

suite('a token endpoint answering with a redirect', () => {
  let server: TestServer;
  let elsewhere: TestServer;
  let transport: HttpTransport | undefined;
  const exchange = {
    code: 'the-code',
    clientId: 'client-1',
    clientSecret: 'secret-1',
    redirectUri: 'http://127.0.0.1:9/callback',
    codeVerifier: 'v'.repeat(64),
  };

  setup(async () => {
    server = await startTestServer();
    elsewhere = await startTestServer(json(200, { access_token: 'stolen', refresh_token: 'stolen' }));
  });
  teardown(async () => {
    await transport?.close();
    transport = undefined;
    await elsewhere.close();
    await server.close();
  });

  test('the code exchange names the target, says tokens never follow, and the target is never contacted', async () => {
    server.handle(redirectTo(`${elsewhere.origin}/login?code=the-code&next=/api/token`, 307));
    transport = localTransport(server.origin);
    const err = await expectAuthError(tokenRequest(transport, exchange));
    assert.strictEqual(err.code, 'token_endpoint_error');
    assert.match(
      err.message,
      new RegExp(
        `^The token endpoint answered with a redirect \\(307\\) to ${elsewhere.origin}/login; tokens are never sent to a redirect target`,
      ),
    );
    assert.ok(
      !err.message.includes('the-code') && !err.message.includes('secret-1'),
      'neither the query nor a secret is shown',
    );
    assert.match(
      messageFor(err).text,
      /^The token request failed: The token endpoint answered with a redirect \(307\) to /,
    );
    assert.strictEqual(server.requests.length, 1);
    assert.strictEqual(elsewhere.requests.length, 0);
  });

  test('a refresh answered with a redirect (a transport that hands the 3xx back) says the same', async () => {
    server.handle(redirectTo('/sso/login?refresh_token=rt-secret', 302));
    const response = await refreshRequest(createFetchTransport(server.origin), {
      refreshToken: 'rt-secret',
      clientId: 'c',
      clientSecret: 's',
      userId: USER,
    });
    assert.strictEqual(response.status, 302);
    let err: unknown;
    try {
      processRefreshResponse(response, { sentAt: 0, userId: USER, previousRefreshToken: 'rt-secret' });
    } catch (e) {
      err = e;
    }
    assert.ok(err instanceof AuthError && err.code === 'token_endpoint_error', String(err));
    assert.match(
      err.message,
      /^The token endpoint answered with a redirect \(302\) to \/sso\/login; tokens are never sent to a redirect target/,
    );
    assert.ok(!err.message.includes('rt-secret'));
  });
});
