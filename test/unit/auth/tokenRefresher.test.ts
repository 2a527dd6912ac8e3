import * as assert from 'assert';
import fc from 'fast-check';
import type { HttpTransport } from '../../../src/core/api/httpTypes';
import { AccountCredentials } from '../../../src/core/auth/accountCredentials';
import { type AuthError } from '../../../src/core/auth/errors';
import { TokenRefresher } from '../../../src/core/auth/tokenRefresher';
import type { StoredCredentials } from '../../../src/core/auth/tokenSet';
import type { TokenStore } from '../../../src/core/auth/tokenStore';
import { silentLogger } from '../../../src/core/ports';
import { createFetchTransport } from './support/fetchTransport';
import { MemoryTokenStore } from './support/memoryTokenStore';
import { ScriptedTokenServer } from './support/scriptedTokenServer';

const USER = '123e4567-e89b-12d3-a456-426614174000';
const ACCOUNT = `sandbox|http://127.0.0.1|${USER}`;

function credentials(overrides: Partial<StoredCredentials> = {}): StoredCredentials {
  return {
    version: 1,
    kind: 'oauth',
    environment: { kind: 'sandbox', origin: 'http://127.0.0.1' },
    userId: USER,
    accessToken: 'access-0',
    refreshToken: 'refresh-0',
    expiresAt: 1_000_000 + 3_600_000,
    scopes: ['quantity'],
    clientId: 'client-1',
    issuedAt: 1_000_000,
    ...overrides,
  };
}

suite('auth: single-flight refresh and compare-and-swap', () => {
  const server = new ScriptedTokenServer();
  let issued = 0;
  suiteSetup(() => server.start());
  suiteTeardown(() => server.stop());
  setup(() => {
    server.received.length = 0;
    issued = 0;
    server.reply(() => ({ status: 200, json: { access_token: `access-${++issued}`, expires_in: 3600 } }));
  });

  function window(store: TokenStore, clock = { now: () => 1_000_000 }, transport?: HttpTransport) {
    const refresher = new TokenRefresher({
      store,
      clock,
      logger: silentLogger,
      transportFor: () => transport ?? createFetchTransport(server.origin),
      clientSecretFor: async () => 'secret-1',
    });
    return { refresher, credentials: new AccountCredentials(ACCOUNT, store, refresher, clock) };
  }

  test('20 concurrent 401s cause exactly one refresh POST and all get the new token', async () => {
    const store = new MemoryTokenStore();
    await store.set(ACCOUNT, credentials());
    const { credentials: creds } = window(store);
    const tokens = await Promise.all(Array.from({ length: 20 }, () => creds.handleUnauthorized('access-0')));
    assert.strictEqual(server.received.filter((r) => r.path === '/api/refresh').length, 1);
    assert.deepStrictEqual(new Set(tokens), new Set(['access-1']));
    // 18: the answer had no refresh_token, so the old one is kept; one value was written.
    const stored = await store.get(ACCOUNT);
    assert.strictEqual(stored?.refreshToken, 'refresh-0');
    assert.strictEqual(stored?.accessToken, 'access-1');
  });

  test('under every interleaving fast-check schedules, 20 callers cause one POST', async () => {
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), async (s) => {
        const store = new MemoryTokenStore();
        await store.set(ACCOUNT, credentials());
        const scheduledStore: TokenStore = {
          get: s.scheduleFunction((id: string) => store.get(id)),
          getFresh: s.scheduleFunction((id: string) => store.getFresh(id)),
          deleteRefused: s.scheduleFunction((id: string, f: string) => store.deleteRefused(id, f)),
          refusedFingerprint: (id) => store.refusedFingerprint(id),
          set: s.scheduleFunction((id: string, c: StoredCredentials) => store.set(id, c)),
          delete: s.scheduleFunction((id: string) => store.delete(id)),
          list: () => store.list(),
          onDidChange: (l) => store.onDidChange(l),
        };
        const real = createFetchTransport(server.origin);
        let posts = 0;
        const transport: HttpTransport = {
          origin: real.origin,
          close: real.close,
          send: s.scheduleFunction((r) => {
            posts++;
            return real.send(r);
          }),
        };
        const { credentials: creds } = window(scheduledStore, { now: () => 1_000_000 }, transport);
        const calls = Array.from({ length: 20 }, (_, i) =>
          s.schedule(Promise.resolve(i)).then(() => creds.handleUnauthorized('access-0')),
        );
        const tokens = await s.waitFor(Promise.all(calls));
        assert.strictEqual(posts, 1);
        assert.strictEqual(new Set(tokens).size, 1);
        assert.notStrictEqual(tokens[0], 'access-0');
      }),
      { numRuns: 40 },
    );
  });

  test('when the refresh fails, all 20 callers fail the same way', async () => {
    server.reply(() => ({ status: 400, json: { error: 'invalid_grant' } }));
    const store = new MemoryTokenStore();
    await store.set(ACCOUNT, credentials());
    const { credentials: creds } = window(store);
    const tokens = await Promise.all(Array.from({ length: 20 }, () => creds.handleUnauthorized('access-0')));
    assert.deepStrictEqual(new Set(tokens), new Set([undefined]));
    assert.strictEqual(server.received.length, 1);
    assert.strictEqual(await store.get(ACCOUNT), undefined, 'a real dead grant signs out');
  });

  test('the token is refreshed ahead of expiry (60 s margin), not after', async () => {
    let now = 1_000_000;
    const store = new MemoryTokenStore();
    await store.set(ACCOUNT, credentials({ expiresAt: now + 120_000 }));
    const { credentials: creds } = window(store, { now: () => now });
    assert.strictEqual(await creds.getAccessToken(), 'access-0');
    now += 61_000;
    assert.strictEqual(await creds.getAccessToken(), 'access-1');
    assert.strictEqual(server.received.length, 1);
    assert.strictEqual((await store.get(ACCOUNT))?.expiresAt, now + 3_600_000);
  });

  test("window B refreshing with a stale token adopts window A's rotated tokens and deletes nothing", async () => {
    const store = new MemoryTokenStore();
    await store.set(ACCOUNT, credentials());
    // The server rotates: each refresh token works once.
    let valid = 'refresh-0';
    server.reply((r) => {
      if (r.body.refresh_token !== valid) return { status: 400, json: { error: 'invalid_grant' } };
      valid = `refresh-${++issued}`;
      return { status: 200, json: { access_token: `access-${issued}`, refresh_token: valid, expires_in: 3600 } };
    });
    const windowA = window(store);
    // B read the old credentials before A's refresh landed; its POST then fails with invalid_grant.
    const staleRead = await store.get(ACCOUNT);
    const aResult = await windowA.refresher.refresh(ACCOUNT, 'access-0');
    assert.strictEqual(aResult.refreshToken, 'refresh-1');
    const bStore: TokenStore = {
      ...store,
      list: () => store.list(),
      onDidChange: (l) => store.onDidChange(l),
      delete: (id) => store.delete(id),
      set: (id, c) => store.set(id, c),
      get: (id) => store.get(id),
      deleteRefused: (id, f) => store.deleteRefused(id, f),
      refusedFingerprint: (id) => store.refusedFingerprint(id),
      getFresh: (() => {
        let first = true;
        return async (id: string) => {
          if (first) {
            first = false;
            return staleRead;
          }
          return store.get(id);
        };
      })(),
    };
    const b = new TokenRefresher({
      store: bStore,
      clock: { now: () => 1_000_000 },
      logger: silentLogger,
      transportFor: () => createFetchTransport(server.origin),
      clientSecretFor: async () => 's',
    });
    const bResult = await b.refresh(ACCOUNT, 'access-0');
    assert.strictEqual(bResult.accessToken, 'access-1', "B adopts A's tokens");
    const stored = await store.get(ACCOUNT);
    assert.strictEqual(stored?.refreshToken, 'refresh-1', "A's credentials survive");
    assert.strictEqual(server.received.length, 2);
  });

  test('a refresh that finishes after another window wrote newer credentials does not overwrite them', async () => {
    const store = new MemoryTokenStore();
    await store.set(ACCOUNT, credentials());
    const newer = credentials({ accessToken: 'from-window-a', refreshToken: 'refresh-a', issuedAt: 1_000_500 });
    server.reply(() => ({ status: 200, json: { access_token: 'from-window-b', expires_in: 3600 }, delayMs: 50 }));
    const { refresher } = window(store);
    const pending = refresher.refresh(ACCOUNT, 'access-0');
    await new Promise((r) => setTimeout(r, 10));
    await store.set(ACCOUNT, newer);
    const result = await pending;
    assert.strictEqual(result.accessToken, 'from-window-a');
    assert.strictEqual((await store.get(ACCOUNT))?.refreshToken, 'refresh-a');
  });

  test('a lost refresh response re-reads once; with nothing newer it fails without deleting or looping', async () => {
    server.reply(() => ({ dropAfterReading: true }));
    const store = new MemoryTokenStore();
    await store.set(ACCOUNT, credentials());
    const writesBefore = store.writes;
    const { refresher } = window(store);
    await assert.rejects(refresher.refresh(ACCOUNT, 'access-0'), (e: AuthError) => e.code === 'network');
    assert.strictEqual(server.received.length, 1);
    assert.strictEqual(store.writes, writesBefore);
    assert.ok(await store.get(ACCOUNT), 'credentials kept: the grant may still be alive');
  });

  test('an account signed out during its refresh is not brought back', async () => {
    server.reply(() => ({ status: 200, json: { access_token: 'late', expires_in: 3600 }, delayMs: 50 }));
    const store = new MemoryTokenStore();
    await store.set(ACCOUNT, credentials());
    const { refresher } = window(store);
    const pending = refresher.refresh(ACCOUNT, 'access-0');
    await store.delete(ACCOUNT);
    await assert.rejects(pending, (e: AuthError) => e.code === 'session_expired');
    assert.strictEqual(await store.get(ACCOUNT), undefined);
  });

  test('a personal access token is never refreshed', async () => {
    const store = new MemoryTokenStore();
    await store.set(
      ACCOUNT,
      credentials({ kind: 'pat', refreshToken: undefined, expiresAt: undefined, accessToken: 'pat-1' }),
    );
    const { credentials: creds } = window(store);
    assert.strictEqual(await creds.getAccessToken(), 'pat-1');
    assert.strictEqual(await creds.handleUnauthorized('pat-1'), undefined);
    assert.strictEqual(server.received.length, 0);
  });

  test('a missing client secret is its own error and sends nothing', async () => {
    const store = new MemoryTokenStore();
    await store.set(ACCOUNT, credentials());
    const refresher = new TokenRefresher({
      store,
      clock: { now: () => 1_000_000 },
      logger: silentLogger,
      transportFor: () => createFetchTransport(server.origin),
      clientSecretFor: async () => undefined,
    });
    await assert.rejects(refresher.refresh(ACCOUNT, 'access-0'), (e: AuthError) => e.code === 'client_not_configured');
    assert.strictEqual(server.received.length, 0);
  });
});
