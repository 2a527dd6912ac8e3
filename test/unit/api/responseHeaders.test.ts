import * as assert from 'assert';
import { createApiClient, MAX_SHOWN_HEADERS } from '../../../src/core/api/apiClient';
import { createUndiciTransport } from '../../../src/core/api/transport';
import { sendJson } from '../../support/servers/faults';
import { startTestServer, type TestServer } from '../../support/servers/testServer';
import { countingCredentials, envelope, quantityRecords, USER } from './helpers';

/** The headers the query panel shows beside the raw response, taken from a real HTTP exchange. */
suite('API client: response headers for display', () => {
  let server: TestServer;
  suiteSetup(async () => {
    server = await startTestServer();
  });
  suiteTeardown(() => server.close());

  async function headersOf(extra: Record<string, string>): Promise<readonly (readonly [string, string])[] | undefined> {
    server.handle((_req, res) => sendJson(res, 200, envelope(quantityRecords(2)), extra));
    const transport = createUndiciTransport({
      origin: server.origin,
      proxy: { proxyUrl: '' },
      env: {},
      deadlineMs: 5000,
      maxResponseBytes: 1024 * 1024,
    });
    try {
      const client = createApiClient({ transport, credentials: countingCredentials() });
      return (await client.getPage('quantity', { userId: USER, metric: 'heartRate' }, { keepRaw: true })).headers;
    } finally {
      await transport.close();
    }
  }

  test("names lower-cased and sorted, the rate-limit headers among them; a cookie's value withheld", async () => {
    const headers = await headersOf({
      'X-RateLimit-Remaining': '41',
      'Set-Cookie': 'session=s3cr3t; HttpOnly',
      'X-Request-Id': 'abc',
    });
    assert.ok(headers);
    const names = headers.map(([name]) => name);
    assert.deepStrictEqual(names, [...names].sort());
    assert.deepStrictEqual(
      headers.find(([name]) => name === 'x-ratelimit-remaining'),
      ['x-ratelimit-remaining', '41'],
    );
    assert.deepStrictEqual(headers.find(([name]) => name === 'content-type')?.[1], 'application/json; charset=utf-8');
    assert.ok(!JSON.stringify(headers).includes('s3cr3t'), 'the cookie value is withheld');
    assert.match(headers.find(([name]) => name === 'set-cookie')?.[1] ?? '', /withheld/);
  });

  test('a server sending hundreds of headers is shown the first hundred', async () => {
    const many = Object.fromEntries(Array.from({ length: 250 }, (_, i) => [`x-h${String(i).padStart(3, '0')}`, 'v']));
    const headers = await headersOf(many);
    assert.strictEqual(headers?.length, MAX_SHOWN_HEADERS);
  });
});
