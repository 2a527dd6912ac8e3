import * as assert from 'assert';
import fc from 'fast-check';
import type { HttpResponse, HttpTransport } from '../../../src/core/api/httpTypes';
import { AccountCredentials } from '../../../src/core/auth/accountCredentials';
import { isAuthError } from '../../../src/core/auth/errors';
import { SecretStorageTokenStore } from '../../../src/core/auth/secretStorageTokenStore';
import { TokenRefresher } from '../../../src/core/auth/tokenRefresher';
import { storedCredentialsSchema, type StoredCredentials } from '../../../src/core/auth/tokenSet';
import { silentLogger } from '../../../src/core/ports';
import { RotatingTokenServer } from '../../support/servers/rotatingTokenServer';
import { createFetchTransport } from './support/fetchTransport';
import { SharedSecretStorage, type Notice } from './support/sharedSecretStorage';

/*
 * Two (or three) VS Code windows: each has its own store (with its own cache) and its own
 * refresher, over ONE shared secret storage whose change notices arrive when the test says so.
 * The token server rotates refresh tokens over real HTTP on 127.0.0.1.
 */

const USER = '123e4567-e89b-12d3-a456-426614174000';
const ACCOUNT = `sandbox|http://127.0.0.1|${USER}`;
const ACCOUNT_KEY = `onetwentyone.account/${ACCOUNT}`;
const NOW = 5_000_000;
const clock = { now: () => NOW };

interface Window {
  readonly name: string;
  readonly store: SecretStorageTokenStore;
  readonly refresher: TokenRefresher;
  readonly credentials: AccountCredentials;
}

function openWindow(shared: SharedSecretStorage, name: string, transport: HttpTransport): Window {
  const store = new SecretStorageTokenStore(shared.window(name), silentLogger);
  const refresher = new TokenRefresher({
    store,
    clock,
    logger: silentLogger,
    transportFor: () => transport,
    clientSecretFor: async () => 'secret-1',
  });
  return { name, store, refresher, credentials: new AccountCredentials(ACCOUNT, store, refresher, clock) };
}

/** Signed in before the races start: `refresh-0` is live and the access token has expired. */
function signedIn(origin: string): StoredCredentials {
  return {
    version: 1,
    kind: 'oauth',
    environment: { kind: 'sandbox', origin },
    userId: USER,
    accessToken: 'access-0',
    refreshToken: 'refresh-0',
    expiresAt: NOW - 1,
    scopes: ['quantity'],
    clientId: 'client-1',
    issuedAt: NOW - 3_600_000,
  };
}

/** What the shared storage holds for the account right now, read past every window's cache. */
function storedNow(shared: SharedSecretStorage): StoredCredentials | undefined {
  const raw = shared.values.get(ACCOUNT_KEY);
  return raw === undefined ? undefined : storedCredentialsSchema.parse(JSON.parse(raw));
}

/** A promise and the function that settles it: a gate a test opens at the moment it chooses. */
function gate(): { readonly opened: Promise<void>; open(): void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}

/**
 * A real transport whose request waits for `beforeSend` and whose answer, once received, waits
 * for `beforeAnswer`; `answered` resolves when the server has answered (and so decided the grant).
 */
function gatedTransport(origin: string, gates: { beforeSend?: Promise<void>; beforeAnswer?: Promise<void> }) {
  const real = createFetchTransport(origin);
  const answered = gate();
  const transport: HttpTransport = {
    origin: real.origin,
    close: real.close,
    async send(request): Promise<HttpResponse> {
      await gates.beforeSend;
      const response = await real.send(request);
      answered.open();
      await gates.beforeAnswer;
      return response;
    },
  };
  return { transport, answered: answered.opened };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  assert.fail('expected a rejection');
}

suite('auth: refresh across windows with a rotating token server', () => {
  const server = new RotatingTokenServer();
  suiteSetup(() => server.start());
  suiteTeardown(() => server.stop());
  setup(() => server.reset());

  /** Signs in through window `a`, then lets every window read (and cache) the account. */
  async function seed(shared: SharedSecretStorage, windows: readonly Window[]): Promise<void> {
    await windows[0]!.store.set(ACCOUNT, signedIn(server.origin));
    shared.deliver();
    for (const w of windows) assert.strictEqual((await w.store.get(ACCOUNT))?.refreshToken, 'refresh-0');
  }

  /**
   * Windows a and b hold refresh-0. The server rotates it for window a, whose answer is held back
   * until `releaseA()`; window b then uses refresh-0 too and is refused (`bFailure`).
   */
  async function bRefusedWhileAWaits() {
    const shared = new SharedSecretStorage();
    const aMayRead = gate();
    const gatedA = gatedTransport(server.origin, { beforeAnswer: aMayRead.opened });
    const a = openWindow(shared, 'a', gatedA.transport);
    const b = openWindow(shared, 'b', createFetchTransport(server.origin));
    await seed(shared, [a, b]);
    const aRefresh = a.refresher.refresh(ACCOUNT);
    await gatedA.answered;
    const bFailure = await rejection(b.refresher.refresh(ACCOUNT));
    return { shared, a, b, aRefresh, bFailure, releaseA: aMayRead.open };
  }

  test('a window whose cache still holds the old refresh token adopts the rotated one instead of deleting it', async () => {
    const shared = new SharedSecretStorage();
    const a = openWindow(shared, 'a', createFetchTransport(server.origin));
    const b = openWindow(shared, 'b', createFetchTransport(server.origin));
    await seed(shared, [a, b]);

    assert.strictEqual((await a.refresher.refresh(ACCOUNT)).refreshToken, 'refresh-1');
    assert.ok(shared.pending('b') > 0, 'the change notice to window b is still on its way');
    assert.strictEqual((await b.store.get(ACCOUNT))?.refreshToken, 'refresh-0', "window b's cache is stale");

    assert.strictEqual(await b.credentials.getAccessToken(), 'access-1');
    assert.strictEqual(storedNow(shared)?.refreshToken, 'refresh-1');
    assert.ok(server.honoursRefreshToken(storedNow(shared)?.refreshToken));
    shared.deliver();
    assert.strictEqual((await b.store.get(ACCOUNT))?.refreshToken, 'refresh-1');
  });

  test("invalid_grant for a request that crossed another window's write: the stale window re-reads the storage and keeps the rotated tokens", async () => {
    const shared = new SharedSecretStorage();
    const bMaySend = gate();
    const a = openWindow(shared, 'a', createFetchTransport(server.origin));
    const gatedB = gatedTransport(server.origin, { beforeSend: bMaySend.opened });
    const b = openWindow(shared, 'b', gatedB.transport);
    await seed(shared, [a, b]);

    // Window b has read refresh-0 and its request is on the way when window a rotates the token.
    const bRefresh = b.refresher.refresh(ACCOUNT);
    await new Promise((resolve) => setImmediate(resolve));
    assert.strictEqual((await a.refresher.refresh(ACCOUNT)).refreshToken, 'refresh-1');
    bMaySend.open();

    const adopted = await bRefresh;
    assert.strictEqual(adopted.refreshToken, 'refresh-1');
    assert.deepStrictEqual(
      server.calls.map((c) => c.outcome),
      ['rotated', 'invalid_grant'],
    );
    assert.strictEqual(storedNow(shared)?.refreshToken, 'refresh-1', "window a's entry survives");
    assert.ok(server.honoursRefreshToken(storedNow(shared)?.refreshToken));
  });

  test("a refresh answered after another window's invalid_grant deleted the entry stores the live tokens again", async () => {
    const { shared, b, aRefresh, bFailure, releaseA } = await bRefusedWhileAWaits();
    // Window b, refused, finds the entry unchanged.
    assert.ok(isAuthError(bFailure, 'session_expired'));
    assert.strictEqual(storedNow(shared), undefined, 'the entry that failed was deleted');
    // Window a hears of the deletion before its own answer arrives.
    shared.deliver('a');

    releaseA();
    assert.strictEqual((await aRefresh).refreshToken, 'refresh-1');
    assert.strictEqual(storedNow(shared)?.refreshToken, 'refresh-1');
    assert.ok(server.honoursRefreshToken('refresh-1'));

    shared.deliver();
    assert.strictEqual(await b.credentials.getAccessToken(), 'access-1', 'window b can use the account again');
    assert.deepStrictEqual(await b.store.list(), [ACCOUNT]);
  });

  test('a window whose "not stored" is stale reads the storage again before saying the session expired', async () => {
    const { shared, b, aRefresh, releaseA } = await bRefusedWhileAWaits();
    releaseA();
    await aRefresh;
    // Window a's write has not been announced to window b, whose own delete cached "absent".
    assert.ok(shared.pending('b') > 0);
    assert.strictEqual(await b.credentials.getAccessToken(), 'access-1');
  });

  test("a sign-out while another window's refresh is answered late is not undone", async () => {
    const { shared, b, aRefresh, releaseA } = await bRefusedWhileAWaits();
    await b.store.delete(ACCOUNT);
    releaseA();
    assert.ok(isAuthError(await rejection(aRefresh), 'session_expired'));
    assert.strictEqual(storedNow(shared), undefined);
    assert.deepStrictEqual(shared.entries('onetwentyone.refusedGrant/'), [], 'no marker outlives the sign-out');
  });

  test('a grant the server really refused still ends the session and deletes only that entry', async () => {
    const shared = new SharedSecretStorage();
    const a = openWindow(shared, 'a', createFetchTransport(server.origin));
    await seed(shared, [a]);
    await a.store.set(ACCOUNT, { ...signedIn(server.origin), refreshToken: 'refresh-revoked' });

    assert.ok(isAuthError(await rejection(a.refresher.refresh(ACCOUNT)), 'session_expired'));
    assert.strictEqual(storedNow(shared), undefined);
    assert.deepStrictEqual(await a.store.list(), []);
    // The marker holds a fingerprint, never the token, and a new sign-in clears it.
    const markers = shared.entries('onetwentyone.refusedGrant/');
    assert.strictEqual(markers.length, 1);
    assert.ok(!markers[0]![1].includes('refresh-revoked'));
    await a.store.set(ACCOUNT, signedIn(server.origin));
    assert.deepStrictEqual(shared.entries('onetwentyone.refusedGrant/'), []);
  });

  test('under every interleaving of requests, answers and late change notices, the live token stays stored and no window expires while it is', async () => {
    type Op = 'refresh' | 'getAccessToken' | 'unauthorized';
    const opArb = fc.constantFrom<Op>('refresh', 'getAccessToken', 'unauthorized');
    const windowsArb = fc.array(fc.array(opArb, { minLength: 1, maxLength: 3 }), { minLength: 2, maxLength: 3 });
    // Let every released step run its storage reads and writes before the next step.
    const act = async (f: () => Promise<void>) => {
      await f();
      await new Promise((resolve) => setImmediate(resolve));
    };

    await fc.assert(
      fc.asyncProperty(fc.scheduler({ act }), windowsArb, async (s, plans) => {
        server.reset();
        const shared = new SharedSecretStorage((notice: Notice) => {
          void s.schedule(Promise.resolve(), `notice of ${notice.key} reaches ${notice.to}`).then(notice.deliver);
        });
        const windows = plans.map((_, i) => {
          const name = String.fromCharCode(97 + i);
          const real = createFetchTransport(server.origin);
          const transport: HttpTransport = {
            origin: real.origin,
            close: real.close,
            async send(request) {
              // The server decides the grant inside the released step, so arrival order is the scheduler's.
              let answer!: Promise<HttpResponse>;
              await s.schedule(Promise.resolve(), `${name}: request reaches the server`, undefined, async (trigger) => {
                answer = real.send(request);
                await answer.catch(() => undefined);
                await trigger();
              });
              return s.schedule(answer, `${name}: answer reaches the window`);
            },
          };
          return openWindow(shared, name, transport);
        });

        await windows[0]!.store.set(ACCOUNT, signedIn(server.origin));
        for (const w of windows) await w.store.get(ACCOUNT);

        const violations: string[] = [];
        const expiredWhileLive = (w: Window, op: Op) => {
          const stored = storedNow(shared);
          if (stored && server.honoursRefreshToken(stored.refreshToken)) {
            violations.push(
              `${w.name} reported an expired session (${op}) while ${stored.refreshToken} was stored and live`,
            );
          }
        };
        const runs = windows.map(async (w, i) => {
          for (const [n, op] of plans[i]!.entries()) {
            await s.schedule(Promise.resolve(), `${w.name} starts ${op} #${n}`);
            try {
              if (op === 'refresh') await w.refresher.refresh(ACCOUNT);
              else if (op === 'getAccessToken') await w.credentials.getAccessToken();
              else if (
                (await w.credentials.handleUnauthorized((await w.store.get(ACCOUNT))?.accessToken ?? '')) === undefined
              )
                expiredWhileLive(w, op);
            } catch (error) {
              if (!isAuthError(error, 'session_expired')) throw error;
              expiredWhileLive(w, op);
            }
          }
        });
        await s.waitFor(Promise.all(runs));
        await s.waitIdle();

        assert.deepStrictEqual(violations, []);
        const accounts = shared.entries('onetwentyone.account/');
        assert.strictEqual(accounts.length, 1, 'exactly one stored entry');
        const stored = storedNow(shared)!;
        assert.ok(
          server.honoursRefreshToken(stored.refreshToken),
          `the stored ${stored.refreshToken} is live (server: ${server.liveRefreshToken})`,
        );
        for (const w of windows)
          assert.strictEqual(
            (await w.store.get(ACCOUNT))?.refreshToken,
            stored.refreshToken,
            `window ${w.name} sees it`,
          );
      }),
      { numRuns: 60 },
    );
  });
});
