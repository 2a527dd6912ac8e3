import * as assert from 'assert';
import {
  bodyEncodingFor,
  clientCheckFrom,
  processRefreshResponse,
  processTokenResponse,
  refreshRequest,
  tokenRequest,
} from '../../../src/core/auth/tokenEndpoint';
import { messageFor } from '../../../src/vscode/userMessages';
import {
  startTokenDialectServer,
  type TokenDialect,
  type TokenDialectServer,
} from '../../support/servers/tokenDialects';
import { expectAuthError, USER } from '../api/helpers';
import { EXCHANGE } from './support/codeExchange';
import { createFetchTransport } from './support/fetchTransport';

const REFRESH = { refreshToken: 'rt-old', clientId: 'client-1', clientSecret: 'secret-1', userId: USER };

suite('auth: token servers that answer unlike the sandbox', () => {
  const servers: TokenDialectServer[] = [];
  teardown(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  // A new server (so a new origin) per case: what an origin accepted is remembered.
  async function serve(dialect: TokenDialect): Promise<TokenDialectServer> {
    const server = await startTokenDialectServer(dialect);
    servers.push(server);
    return server;
  }

  const exchange = (s: TokenDialectServer) =>
    tokenRequest(createFetchTransport(s.origin), EXCHANGE).then((r) =>
      processTokenResponse(r, { sentAt: 0, userId: USER }),
    );
  const refresh = (s: TokenDialectServer) =>
    refreshRequest(createFetchTransport(s.origin), REFRESH).then((r) =>
      processRefreshResponse(r, { sentAt: 0, userId: USER, previousRefreshToken: REFRESH.refreshToken }),
    );

  test('a server that reads only form bodies (415 on JSON) gets the exchange once more form-encoded, and from then on only form', async () => {
    const s = await serve({ reads: 'form' });
    assert.strictEqual((await exchange(s)).accessToken, 'at-1');
    assert.deepStrictEqual(
      s.posts.map((p) => [p.path, p.contentType]),
      [
        ['/api/token', 'application/json'],
        ['/api/token', 'application/x-www-form-urlencoded'],
      ],
    );
    assert.deepStrictEqual(s.posts[1]?.params, {
      grant_type: 'authorization_code',
      code: 'the-code',
      client_id: 'client-1',
      client_secret: 'secret-1',
      redirect_uri: 'http://127.0.0.1:9/callback',
      code_verifier: 'v'.repeat(64),
    });
    assert.strictEqual(bodyEncodingFor(s.origin), 'form');

    assert.strictEqual((await refresh(s)).accessToken, 'at-2');
    assert.strictEqual(s.posts.length, 3, 'the remembered encoding is used first');
    assert.deepStrictEqual(s.posts[2]?.params, {
      grant_type: 'refresh_token',
      refresh_token: 'rt-old',
      client_id: 'client-1',
      client_secret: 'secret-1',
      user_id: USER,
    });
  });

  for (const message of ['missing grant_type', 'client_id is required']) {
    test(`a 400 saying "${message}" to a JSON body is a body that was not read: retried once form-encoded`, async () => {
      const s = await serve({
        reads: 'form',
        unread: { status: 400, json: { error: 'invalid_request', error_description: message } },
      });
      assert.strictEqual((await refresh(s)).accessToken, 'at-1');
      assert.deepStrictEqual(
        s.posts.map((p) => p.contentType),
        ['application/json', 'application/x-www-form-urlencoded'],
      );
    });
  }

  test('a refusal of the grant is final even when its text names a parameter: the code is sent once', async () => {
    const s = await serve({
      reads: 'json',
      refuse: { status: 400, json: { error: 'invalid_grant', error_description: 'code is required to be unused' } },
    });
    assert.strictEqual((await expectAuthError(exchange(s))).code, 'invalid_grant');
    assert.strictEqual(s.posts.length, 1);
  });

  test('a 400 about a parameter that was not sent, or a 401, is final', async () => {
    const s = await serve({ reads: 'json', refuse: { status: 400, json: { message: 'missing scope' } } });
    await expectAuthError(exchange(s));
    assert.strictEqual(s.posts.length, 1);
    const t = await serve({ reads: 'form', unread: { status: 401, json: { message: 'client_id is required' } } });
    await expectAuthError(exchange(t));
    assert.strictEqual(t.posts.length, 1);
  });

  test('a server that reads neither encoding gets two tries, nothing is remembered, and the error says 415', async () => {
    // It reads the JSON body only to refuse it with a 415; the form retry is then unread.
    const t = await serve({ reads: 'json', refuse: { status: 415, json: { message: 'Unsupported Media Type' } } });
    const err = await expectAuthError(exchange(t));
    assert.strictEqual(t.posts.length, 2);
    assert.strictEqual(err.code, 'token_endpoint_error');
    assert.match(messageFor(err).text, /HTTP 415: Unsupported Media Type/);
    assert.strictEqual(bodyEncodingFor(t.origin), 'json');
  });

  test('expires_in as a numeric string counts as seconds, on the exchange and on refresh', async () => {
    const s = await serve({ reads: 'json', expiresIn: '3600' });
    assert.strictEqual((await exchange(s)).expiresAt, 3_600_000);
    assert.strictEqual((await refresh(s)).expiresAt, 3_600_000);
    const t = await serve({ reads: 'json', expiresIn: 'soon' });
    assert.strictEqual((await expectAuthError(exchange(t))).code, 'invalid_token_response');
  });

  test('a refresh answer without refresh_token keeps the old one', async () => {
    const s = await serve({ reads: 'json', rotates: false });
    const tokens = await refresh(s);
    assert.strictEqual(tokens.accessToken, 'at-1');
    assert.strictEqual(tokens.refreshToken, 'rt-old');
  });

  test('a bare 401 with a message is reported with its status and that message, not as a wrong client secret', async () => {
    const s = await serve({
      reads: 'json',
      refuse: { status: 401, json: { message: 'API key required in the X-Api-Key header' } },
    });
    const err = await expectAuthError(exchange(s));
    assert.strictEqual(err.code, 'token_endpoint_error');
    const text = messageFor(err).text;
    assert.match(text, /HTTP 401: API key required in the X-Api-Key header/);
    assert.doesNotMatch(text, /client (ID|secret)/i);
    assert.strictEqual(s.posts.length, 1);
  });

  test('a 400 with only `detail`, or an empty 401, says so; an echoed secret or code is cut out and long text capped', async () => {
    const s = await serve({
      reads: 'json',
      refuse: { status: 400, json: { detail: `bad request for secret-1 and the-code ${'x'.repeat(500)}` } },
    });
    const err = await expectAuthError(exchange(s));
    assert.ok(err.detail?.startsWith('HTTP 400: bad request for [redacted] and [redacted]'), err.detail);
    assert.ok(!messageFor(err).text.includes('secret-1') && !messageFor(err).text.includes('the-code'));
    assert.ok((err.detail?.length ?? 0) <= 220, String(err.detail?.length));
    const t = await serve({ reads: 'json', refuse: { status: 401, json: {} } });
    const bare = await expectAuthError(exchange(t));
    assert.strictEqual(bare.code, 'token_endpoint_error');
    assert.strictEqual(bare.detail, 'HTTP 401 with no error code or message');
  });

  test('a client check tells accepted, rejected and could-not-tell apart, and says why', async () => {
    const check = async (dialect: TokenDialect) => {
      const s = await startTokenDialectServer(dialect);
      try {
        return clientCheckFrom(await tokenRequest(createFetchTransport(s.origin), EXCHANGE));
      } finally {
        await s.close();
      }
    };
    assert.strictEqual(
      (await check({ reads: 'json', refuse: { status: 400, json: { error: 'invalid_grant' } } })).verdict,
      'accepted',
    );
    assert.deepStrictEqual(
      await check({
        reads: 'json',
        refuse: { status: 401, json: { error: 'invalid_client', error_description: 'Unknown client' } },
      }),
      { verdict: 'rejected', reason: 'HTTP 401 invalid_client: Unknown client' },
    );
    assert.deepStrictEqual(
      await check({ reads: 'json', refuse: { status: 401, json: { message: 'Invalid API key' } } }),
      { verdict: 'unknown', reason: 'HTTP 401: Invalid API key' },
    );
    assert.strictEqual(
      (await check({ reads: 'form', refuse: { status: 400, json: { error: 'invalid_grant' } } })).verdict,
      'accepted',
    );
  });
});
