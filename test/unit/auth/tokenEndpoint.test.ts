import * as assert from 'assert';
import { AuthError, type AuthErrorCode } from '../../../src/core/auth/errors';
import {
  processRefreshResponse,
  processTokenResponse,
  refreshRequest,
  tokenRequest,
} from '../../../src/core/auth/tokenEndpoint';
import { DEFAULT_EXPIRES_IN_SECONDS } from '../../../src/core/auth/tokenSet';
import { USER } from '../api/helpers';
import { EXCHANGE } from './support/codeExchange';
import { createFetchTransport } from './support/fetchTransport';
import { ScriptedTokenServer, type Reply } from './support/scriptedTokenServer';

suite('auth: token endpoint over HTTP', () => {
  const server = new ScriptedTokenServer();
  suiteSetup(() => server.start());
  suiteTeardown(() => server.stop());
  setup(() => {
    server.received.length = 0;
  });

  async function exchange(reply: Reply) {
    server.reply(() => reply);
    const transport = createFetchTransport(server.origin);
    const response = await tokenRequest(transport, EXCHANGE);
    return processTokenResponse(response, { sentAt: 10_000, userId: USER });
  }

  async function refusal(promise: Promise<unknown>): Promise<AuthErrorCode> {
    try {
      await promise;
    } catch (error) {
      assert.ok(error instanceof AuthError, String(error));
      assert.ok(
        !error.message.includes('secret-1') && !error.message.includes('the-code'),
        'no secret or code in messages',
      );
      return error.code;
    }
    assert.fail('expected a refusal');
  }

  test('the code exchange is one JSON POST to /api/token with every documented field plus code_verifier', async () => {
    const tokens = await exchange({ status: 200, json: { access_token: 'at', refresh_token: 'rt', expires_in: 3600 } });
    assert.strictEqual(server.received.length, 1);
    const [request] = server.received;
    assert.ok(request);
    assert.strictEqual(request.method, 'POST');
    assert.strictEqual(request.path, '/api/token');
    assert.match(request.contentType ?? '', /application\/json/);
    assert.deepStrictEqual(request.body, {
      code: 'the-code',
      client_id: 'client-1',
      client_secret: 'secret-1',
      redirect_uri: 'http://127.0.0.1:9/callback',
      code_verifier: 'v'.repeat(64),
    });
    assert.deepStrictEqual(tokens, {
      accessToken: 'at',
      refreshToken: 'rt',
      expiresAt: 10_000 + 3_600_000,
      scopes: [],
      userId: USER,
    });
  });

  test('missing expires_in gets the documented one-hour default; scope strings are split', async () => {
    const tokens = await exchange({
      status: 200,
      json: { access_token: 'at', refresh_token: 'rt', scope: 'quantity sleep' },
    });
    assert.strictEqual(tokens.expiresAt, 10_000 + DEFAULT_EXPIRES_IN_SECONDS * 1000);
    assert.deepStrictEqual(tokens.scopes, ['quantity', 'sleep']);
  });

  const malformed: [string, Reply][] = [
    ['no access_token', { status: 200, json: { refresh_token: 'rt' } }],
    ['no refresh_token', { status: 200, json: { access_token: 'at' } }],
    ['token_type mac', { status: 200, json: { access_token: 'at', refresh_token: 'rt', token_type: 'mac' } }],
    ['expires_in 0', { status: 200, json: { access_token: 'at', refresh_token: 'rt', expires_in: 0 } }],
    ['expires_in negative', { status: 200, json: { access_token: 'at', refresh_token: 'rt', expires_in: -5 } }],
    [
      'expires_in a non-numeric string',
      { status: 200, json: { access_token: 'at', refresh_token: 'rt', expires_in: 'soon' } },
    ],
    ['an HTML body', { status: 200, text: '<html>login</html>', contentType: 'text/html' }],
    ['truncated JSON', { status: 200, text: '{"access_token":"a', contentType: 'application/json' }],
    [
      'a user_id for someone else',
      {
        status: 200,
        json: { access_token: 'at', refresh_token: 'rt', user_id: '00000000-0000-4000-8000-000000000000' },
      },
    ],
  ];
  for (const [name, reply] of malformed) {
    test(`a 200 with ${name} is refused`, async () => {
      const code = await refusal(exchange(reply));
      assert.ok(code === 'invalid_token_response' || code === 'invalid_user_id', code);
      assert.strictEqual(server.received.length, 1);
    });
  }

  test('invalid_grant is its own code and the code is not sent again', async () => {
    assert.strictEqual(
      await refusal(exchange({ status: 400, json: { error: 'invalid_grant', error_description: 'code used' } })),
      'invalid_grant',
    );
    assert.strictEqual(server.received.length, 1);
  });

  test('invalid_client points to the client setup; a bare 401 does not blame the client', async () => {
    assert.strictEqual(await refusal(exchange({ status: 401, json: { error: 'invalid_client' } })), 'invalid_client');
    assert.strictEqual(
      await refusal(exchange({ status: 401, text: '', contentType: 'text/plain' })),
      'token_endpoint_error',
    );
  });

  test('a 5xx on the code exchange is not retried', async () => {
    assert.strictEqual(
      await refusal(exchange({ status: 503, json: { error: 'temporarily_unavailable' } })),
      'token_endpoint_error',
    );
    assert.strictEqual(server.received.length, 1);
  });

  test('a response lost after the server read the request is a network error, sent once', async () => {
    assert.strictEqual(await refusal(exchange({ dropAfterReading: true })), 'network');
    assert.strictEqual(server.received.length, 1);
  });

  test('the refresh is one JSON POST to /api/refresh with refresh_token, client and user_id', async () => {
    server.reply(() => ({ status: 200, json: { access_token: 'at2', expires_in: 3600 } }));
    const transport = createFetchTransport(server.origin);
    const response = await refreshRequest(transport, {
      refreshToken: 'rt',
      clientId: 'client-1',
      clientSecret: 'secret-1',
      userId: USER,
    });
    const tokens = processRefreshResponse(response, { sentAt: 0, userId: USER, previousRefreshToken: 'rt' });
    assert.deepStrictEqual(server.received[0]?.body, {
      refresh_token: 'rt',
      client_id: 'client-1',
      client_secret: 'secret-1',
      user_id: USER,
    });
    assert.strictEqual(server.received[0]?.path, '/api/refresh');
    // 18: no refresh_token in the answer keeps the old one.
    assert.strictEqual(tokens.refreshToken, 'rt');
    assert.strictEqual(tokens.accessToken, 'at2');
  });

  test('a rotated refresh token replaces the old one', async () => {
    server.reply(() => ({ status: 200, json: { access_token: 'at2', refresh_token: 'rt2' } }));
    const response = await refreshRequest(createFetchTransport(server.origin), {
      refreshToken: 'rt',
      clientId: 'c',
      clientSecret: 's',
      userId: USER,
    });
    assert.strictEqual(
      processRefreshResponse(response, { sentAt: 0, userId: USER, previousRefreshToken: 'rt' }).refreshToken,
      'rt2',
    );
  });
});
