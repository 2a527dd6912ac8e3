import * as assert from 'assert';
import { createApiClient } from '../../../src/core/api/apiClient';
import { ApiError } from '../../../src/core/api/errors';
import type { HttpTransport } from '../../../src/core/api/httpTypes';
import { createUndiciTransport } from '../../../src/core/api/transport';
import { AccountCredentials } from '../../../src/core/auth/accountCredentials';
import { AuthorizationFlows } from '../../../src/core/auth/authorizationFlows';
import { AuthError } from '../../../src/core/auth/errors';
import { readTokenIdentity, validatePersonalAccessToken } from '../../../src/core/auth/personalAccessToken';
import { TokenRefresher } from '../../../src/core/auth/tokenRefresher';
import { processTokenResponse, tokenRequest } from '../../../src/core/auth/tokenEndpoint';
import type { StoredCredentials } from '../../../src/core/auth/tokenSet';
import { silentLogger } from '../../../src/core/ports';
import {
  ADA_USER_ID,
  DEMO_CLIENT_ID,
  DEMO_CLIENT_SECRET,
  DEMO_USERS,
  EMPTY_USER_ID,
} from '../../../src/sandbox/demoAccounts';
import { startSandbox } from '../../../src/sandbox/main';
import type { SandboxHandle } from '../../../src/sandbox/types';
import { submitConsent } from './support/consent';
import { MemoryTokenStore } from './support/memoryTokenStore';

const REDIRECT = 'http://127.0.0.1:53682/callback';
const ACCOUNT = 'sandbox-account';

async function code(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AuthError || error instanceof ApiError) return error.code;
    throw error;
  }
  assert.fail('expected a failure');
}

suite('auth: against the sandbox over real HTTP', () => {
  let sandbox: SandboxHandle;
  let transport: HttpTransport;
  const clientClock = {
    offset: 0,
    now() {
      return Date.now() + this.offset;
    },
  };

  suiteSetup(async () => {
    sandbox = await startSandbox({ port: 0 });
    transport = createUndiciTransport({ origin: sandbox.baseUrl });
  });
  suiteTeardown(async () => {
    await transport.close();
    await sandbox.close();
  });
  setup(() => {
    clientClock.offset = 0;
    sandbox.setFaults(undefined);
  });

  const posts = (path: string) => sandbox.requestLog.filter((r) => r.method === 'POST' && r.path === path).length;
  const gets = (path: string) => sandbox.requestLog.filter((r) => r.method === 'GET' && r.path === path);

  /** Authorize, consent, callback: the validated callback of one attempt. */
  async function authorize(scopes: readonly string[] = ['quantity', 'sleep', 'profile'], userId = ADA_USER_ID) {
    const flows = new AuthorizationFlows(clientClock, silentLogger);
    const attempt = flows.start({ origin: sandbox.baseUrl, clientId: DEMO_CLIENT_ID, redirectUri: REDIRECT });
    const location = new URL(
      await submitConsent(attempt.authorizeUrl.toString(), { decision: 'approve', userId, scopes }),
    );
    assert.strictEqual(location.origin + location.pathname, REDIRECT);
    assert.strictEqual(flows.handleCallback(location.searchParams), 'completed');
    return attempt.callback;
  }

  async function signIn(scopes?: readonly string[]) {
    const callback = await authorize(scopes);
    const sentAt = clientClock.now();
    const response = await tokenRequest(transport, {
      code: callback.code,
      clientId: DEMO_CLIENT_ID,
      clientSecret: DEMO_CLIENT_SECRET,
      redirectUri: callback.pending.redirectUri,
      codeVerifier: callback.pending.codeVerifier,
    });
    const tokens = processTokenResponse(response, { sentAt, userId: callback.userId });
    const store = new MemoryTokenStore();
    const stored: StoredCredentials = {
      version: 1,
      kind: 'oauth',
      environment: { kind: 'sandbox', origin: sandbox.baseUrl },
      userId: tokens.userId,
      accessToken: tokens.accessToken,
      refreshToken: tokens.refreshToken,
      expiresAt: tokens.expiresAt,
      scopes: [...tokens.scopes],
      clientId: DEMO_CLIENT_ID,
      issuedAt: sentAt,
    };
    await store.set(ACCOUNT, stored);
    const refresher = new TokenRefresher({
      store,
      clock: clientClock,
      logger: silentLogger,
      transportFor: () => transport,
      clientSecretFor: async () => DEMO_CLIENT_SECRET,
    });
    const credentials = new AccountCredentials(ACCOUNT, store, refresher, clientClock);
    const api = createApiClient({ transport, credentials, logger: silentLogger });
    return { callback, tokens, store, credentials, api };
  }

  test('sign-in: consent, callback, one code exchange (with PKCE), and the profile names the granted scopes', async () => {
    const before = posts('/api/token');
    const { tokens } = await signIn(['quantity', 'profile']);
    assert.strictEqual(posts('/api/token') - before, 1);
    assert.strictEqual(tokens.userId, ADA_USER_ID);
    assert.ok(tokens.refreshToken);
    const identity = await readTokenIdentity(transport, { token: tokens.accessToken, userId: ADA_USER_ID });
    assert.deepStrictEqual(identity !== 'no_profile_scope' && [...identity.scopes].sort(), ['profile', 'quantity']);
  });

  test('a denial comes back as access_denied for the pending attempt', async () => {
    const flows = new AuthorizationFlows(clientClock, silentLogger);
    const attempt = flows.start({ origin: sandbox.baseUrl, clientId: DEMO_CLIENT_ID, redirectUri: REDIRECT });
    const location = new URL(await submitConsent(attempt.authorizeUrl.toString(), { decision: 'deny' }));
    assert.strictEqual(flows.handleCallback(location.searchParams), 'failed');
    assert.strictEqual(await code(attempt.callback), 'access_denied');
  });

  test('a code exchanged twice is invalid_grant the second time, and the reuse kills the first grant', async () => {
    const { callback, credentials, store } = await signIn();
    const stored = await store.get(ACCOUNT);
    const again = tokenRequest(transport, {
      code: callback.code,
      clientId: DEMO_CLIENT_ID,
      clientSecret: DEMO_CLIENT_SECRET,
      redirectUri: callback.pending.redirectUri,
      codeVerifier: callback.pending.codeVerifier,
    }).then((r) => processTokenResponse(r, { sentAt: 0, userId: callback.userId }));
    assert.strictEqual(await code(again), 'invalid_grant');
    // The revoked grant: the refresh fails for real, so the account is signed out ("sign in again").
    assert.strictEqual(await credentials.handleUnauthorized(stored!.accessToken), undefined);
    assert.strictEqual(await store.get(ACCOUNT), undefined, 'a dead grant is removed');
  });

  test('a wrong PKCE verifier is invalid_grant', async () => {
    const callback = await authorize();
    const exchange = tokenRequest(transport, {
      code: callback.code,
      clientId: DEMO_CLIENT_ID,
      clientSecret: DEMO_CLIENT_SECRET,
      redirectUri: callback.pending.redirectUri,
      codeVerifier: 'w'.repeat(64),
    }).then((r) => processTokenResponse(r, { sentAt: 0, userId: callback.userId }));
    assert.strictEqual(await code(exchange), 'invalid_grant');
  });

  test('a wrong client secret is invalid_client', async () => {
    const callback = await authorize();
    const exchange = tokenRequest(transport, {
      code: callback.code,
      clientId: DEMO_CLIENT_ID,
      clientSecret: 'not-the-secret',
      redirectUri: callback.pending.redirectUri,
      codeVerifier: callback.pending.codeVerifier,
    }).then((r) => processTokenResponse(r, { sentAt: 0, userId: callback.userId }));
    assert.strictEqual(await code(exchange), 'invalid_client');
  });

  test('an access token the server expired early gets one refresh and one replay', async () => {
    const { api } = await signIn();
    const refreshesBefore = posts('/api/refresh');
    const profilePath = `/api/v1/profile/${ADA_USER_ID}`;
    const getsBefore = gets(profilePath).length;
    sandbox.clock.advance(3_601_000);
    const result = await api.profile(ADA_USER_ID);
    assert.strictEqual(result.status, 200);
    assert.strictEqual(posts('/api/refresh') - refreshesBefore, 1);
    assert.deepStrictEqual(
      gets(profilePath)
        .slice(getsBefore)
        .map((r) => r.status),
      [401, 200],
    );
  });

  test('the token is refreshed ahead of expiry, so the API never sees the expired one', async () => {
    const { api, store } = await signIn();
    const stored = await store.get(ACCOUNT);
    const refreshesBefore = posts('/api/refresh');
    const profilePath = `/api/v1/profile/${ADA_USER_ID}`;
    const getsBefore = gets(profilePath).length;
    clientClock.offset = stored!.expiresAt! - Date.now() - 30_000;
    sandbox.clock.advance(3_570_000);
    await api.profile(ADA_USER_ID);
    assert.strictEqual(posts('/api/refresh') - refreshesBefore, 1);
    assert.deepStrictEqual(
      gets(profilePath)
        .slice(getsBefore)
        .map((r) => r.status),
      [200],
    );
  });

  test('20 concurrent requests that all get 401 cause exactly one refresh POST', async () => {
    const { api } = await signIn();
    sandbox.clock.advance(3_601_000);
    const refreshesBefore = posts('/api/refresh');
    const results = await Promise.all(Array.from({ length: 20 }, () => api.profile(ADA_USER_ID)));
    assert.ok(results.every((r) => r.status === 200));
    assert.strictEqual(posts('/api/refresh') - refreshesBefore, 1);
  });

  test('403 insufficient_scope is not refreshed or retried', async () => {
    const { api } = await signIn(['quantity']);
    const refreshesBefore = posts('/api/refresh');
    const sleepPath = `/api/v1/sleep/${ADA_USER_ID}`;
    const before = gets(sleepPath).length;
    assert.strictEqual(await code(api.sleep(ADA_USER_ID, {})), 'forbidden');
    assert.strictEqual(posts('/api/refresh') - refreshesBefore, 0);
    assert.strictEqual(gets(sleepPath).length - before, 1);
  });

  test('400 invalid_request is not refreshed or retried', async () => {
    const { api } = await signIn();
    const refreshesBefore = posts('/api/refresh');
    const path = `/api/v1/quantity/${ADA_USER_ID}/notAnAllowedMetric`;
    const before = gets(path).length;
    assert.strictEqual(await code(api.quantity(ADA_USER_ID, 'notAnAllowedMetric')), 'bad_request');
    assert.strictEqual(gets(path).length - before, 1);
    assert.strictEqual(posts('/api/refresh') - refreshesBefore, 0);
  });

  test('a refresh whose response is lost fails once, keeps the credentials, and is not retried', async () => {
    const { credentials, store } = await signIn();
    const before = await store.get(ACCOUNT);
    const refreshesBefore = sandbox.requestLog.filter((r) => r.path === '/api/refresh').length;
    sandbox.setFaults({ target: 'token', resetAfterBytes: 5 });
    assert.strictEqual(await code(credentials.handleUnauthorized(before!.accessToken)), 'network');
    sandbox.setFaults(undefined);
    assert.strictEqual(sandbox.requestLog.filter((r) => r.path === '/api/refresh').length - refreshesBefore, 1);
    assert.deepStrictEqual(await store.get(ACCOUNT), before);
  });

  test('personal access tokens: the right user is accepted with every scope; a wrong user or token is refused', async () => {
    const ada = DEMO_USERS.find((u) => u.userId === ADA_USER_ID)!;
    const { scopes } = await validatePersonalAccessToken(transport, { token: ada.pat, userId: ADA_USER_ID });
    assert.deepStrictEqual([...scopes].sort(), ['profile', 'quantity', 'sleep', 'workout']);
    assert.strictEqual(
      await code(validatePersonalAccessToken(transport, { token: ada.pat, userId: EMPTY_USER_ID })),
      'invalid_personal_access_token',
    );
    assert.strictEqual(
      await code(
        validatePersonalAccessToken(transport, { token: 'sbx_pat_not_a_real_token_000000', userId: ADA_USER_ID }),
      ),
      'invalid_personal_access_token',
    );
  });
});
