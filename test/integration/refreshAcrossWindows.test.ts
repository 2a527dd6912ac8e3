import * as assert from 'assert';
import { randomUUID } from 'crypto';
import * as vscode from 'vscode';
import type { HttpRequest, HttpResponse, HttpTransport } from '../../src/core/api/httpTypes';
import { AccountCredentials } from '../../src/core/auth/accountCredentials';
import { isAuthError } from '../../src/core/auth/errors';
import { ACCOUNT_PREFIX, REFUSED_PREFIX } from '../../src/core/auth/secretStorageTokenStore';
import { TokenRefresher } from '../../src/core/auth/tokenRefresher';
import { storedCredentialsSchema, type StoredCredentials } from '../../src/core/auth/tokenSet';
import { silentLogger } from '../../src/core/ports';
import { SecretTokenStore } from '../../src/vscode/auth/secretTokenStore';
import { RotatingTokenServer } from '../support/servers/rotatingTokenServer';
import { sendOverFetch } from '../unit/auth/support/fetchTransport';
import { waitFor } from '../support/waitFor';
import { testAccess } from './support/extension';

/*
 * Two "windows" inside this extension host: each has its own SecretTokenStore (with its own cache)
 * and its own TokenRefresher, over VS Code's ONE real SecretStorage. Each window sees that storage
 * through a view whose change notices are held until the test delivers them, as a second window's
 * notices can arrive late. The token server on 127.0.0.1 rotates refresh tokens: each refresh
 * answers a new one, and the one it was called with is refused from then on (invalid_grant).
 * Each test signs in a new random user (and deletes it), so no other suite's accounts are touched.
 */

const CLIENT = { id: `client-${randomUUID()}`, secret: `secret-${randomUUID()}` };
const clock = { now: () => Date.now() };

/**
 * A view of the real SecretStorage for one window: reads and writes go straight through, change
 * notices are held until `deliver`.
 */
class LateNotices {
  private readonly _held: vscode.SecretStorageChangeEvent[] = [];
  private readonly _emitter = new vscode.EventEmitter<vscode.SecretStorageChangeEvent>();
  private readonly _subscription: vscode.Disposable;
  readonly view: vscode.SecretStorage;

  constructor(secrets: vscode.SecretStorage) {
    this._subscription = secrets.onDidChange((e) => this._held.push(e));
    this.view = {
      get: (key) => secrets.get(key),
      store: (key, value) => secrets.store(key, value),
      delete: (key) => secrets.delete(key),
      onDidChange: this._emitter.event,
    };
  }

  /** Whether a notice about `key` has reached this window and is being held. */
  holds(key: string): boolean {
    return this._held.some((e) => e.key === key);
  }

  /** Waits until VS Code has sent the notice about `key` (it is then held, not yet delivered). */
  async waitForNotice(key: string, what: string): Promise<void> {
    await waitFor(what, () => this.holds(key), 10_000);
  }

  /** Delivers every held notice, oldest first. */
  deliver(): void {
    for (const e of this._held.splice(0)) this._emitter.fire(e);
  }

  dispose(): void {
    this._subscription.dispose();
    this._emitter.dispose();
  }
}

/** A promise and the function that settles it: a gate the test opens when it chooses. */
function gate(): { readonly opened: Promise<void>; open(): void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}

/**
 * Real HTTP to the token server over Node's fetch. The request waits for `beforeSend`; once the
 * server has answered (and so decided the grant), `answered` resolves and the answer is handed to
 * the window only after `beforeAnswer`.
 */
function transport(origin: string, gates: { beforeSend?: Promise<void>; beforeAnswer?: Promise<void> } = {}) {
  const answered = gate();
  const t: HttpTransport = {
    origin,
    async send(request: HttpRequest): Promise<HttpResponse> {
      await gates.beforeSend;
      const response = await sendOverFetch(origin, request);
      answered.open();
      await gates.beforeAnswer;
      return response;
    },
    close: async () => undefined,
  };
  return { transport: t, answered: answered.opened };
}

interface Window {
  readonly name: string;
  readonly notices: LateNotices;
  readonly store: SecretTokenStore;
  readonly refresher: TokenRefresher;
  readonly credentials: AccountCredentials;
}

suite('Auth in a real VS Code: token refresh survives refresh-token rotation across two windows', function () {
  this.timeout(60_000);
  let server: RotatingTokenServer;
  let user: string;
  let secrets: vscode.SecretStorage;
  let account: string;
  let accountKey: string;
  let windows: Window[] = [];
  /** Every moment a window said the session expired while the stored refresh token was live. */
  let violations: string[] = [];

  suiteSetup(async () => {
    secrets = (await testAccess()).secrets;
  });

  setup(async () => {
    // A fresh user and server per test: nothing one test leaves in the storage meets the next.
    user = randomUUID().toLowerCase();
    server = new RotatingTokenServer(CLIENT, user);
    await server.start();
    account = `sandbox|${server.origin}|${user}`;
    accountKey = ACCOUNT_PREFIX + account;
    windows = [];
    violations = [];
  });

  teardown(async () => {
    // Remove the account (entry, index entry, refusal marker) through a store, then check the keys.
    const cleaner = new SecretTokenStore(secrets, silentLogger);
    await cleaner.delete(account);
    await secrets.delete(REFUSED_PREFIX + account);
    cleaner.dispose();
    for (const w of windows) {
      w.store.dispose();
      w.notices.dispose();
    }
    await server.stop();
    assert.strictEqual(await secrets.get(accountKey), undefined, 'the test account is deleted');
    assert.strictEqual(await secrets.get(REFUSED_PREFIX + account), undefined, 'no refusal marker is left');
  });

  function openWindow(name: string, t: HttpTransport): Window {
    const notices = new LateNotices(secrets);
    const store = new SecretTokenStore(notices.view, silentLogger);
    const refresher = new TokenRefresher({
      store,
      clock,
      logger: silentLogger,
      transportFor: () => t,
      clientSecretFor: async (_origin, clientId) => (clientId === CLIENT.id ? CLIENT.secret : undefined),
    });
    const w = {
      name,
      notices,
      store,
      refresher,
      credentials: new AccountCredentials(account, store, refresher, clock),
    };
    windows.push(w);
    return w;
  }

  /** What the real SecretStorage holds for the account right now, past every window's cache. */
  async function storedNow(): Promise<StoredCredentials | undefined> {
    const raw = await secrets.get(accountKey);
    return raw === undefined ? undefined : storedCredentialsSchema.parse(JSON.parse(raw));
  }

  /** Records a violation when a window reports an expired session while a live token is stored. */
  async function noteExpired(w: Window, what: string): Promise<void> {
    const stored = await storedNow();
    if (stored && server.honoursRefreshToken(stored.refreshToken)) {
      violations.push(
        `window ${w.name} reported the session expired (${what}) while the live ${stored.refreshToken} was stored`,
      );
    }
  }

  /** Runs `action` in window `w`; a session_expired is recorded (and checked) instead of thrown. */
  async function inWindow<T>(w: Window, what: string, action: () => Promise<T>): Promise<T | 'session_expired'> {
    try {
      return await action();
    } catch (error) {
      if (!isAuthError(error, 'session_expired')) throw error;
      await noteExpired(w, what);
      return 'session_expired';
    }
  }

  /**
   * Signs in through window `a` with `refresh-0` live and an expired access token, waits until
   * VS Code's notice of that write has reached every window, delivers it, and lets every window
   * read (and cache) the account.
   */
  async function seed(ws: readonly Window[]): Promise<void> {
    await ws[0]!.store.set(account, {
      version: 1,
      kind: 'oauth',
      environment: { kind: 'sandbox', origin: server.origin },
      userId: user,
      accessToken: 'access-0',
      refreshToken: 'refresh-0',
      expiresAt: clock.now() - 60_000,
      scopes: ['quantity'],
      clientId: CLIENT.id,
      issuedAt: clock.now() - 3_600_000,
    });
    for (const w of ws) {
      await w.notices.waitForNotice(accountKey, `VS Code's notice of the sign-in to reach window ${w.name}`);
      w.notices.deliver();
    }
    for (const w of ws)
      assert.strictEqual(
        (await w.store.get(account))?.refreshToken,
        'refresh-0',
        `window ${w.name} has read the sign-in`,
      );
  }

  /** The end state every test must reach: one live entry, and both windows get a working token. */
  async function assertBothWindowsWork(ws: readonly Window[]): Promise<void> {
    const stored = await storedNow();
    assert.ok(stored, 'the account is still stored');
    assert.ok(
      server.honoursRefreshToken(stored.refreshToken),
      `the stored ${stored.refreshToken} is the one the server honours (${server.liveRefreshToken})`,
    );
    for (const w of ws) {
      const token = await inWindow(w, 'getAccessToken at the end', () => w.credentials.getAccessToken());
      assert.strictEqual(token, stored.accessToken, `window ${w.name} gets the working access token`);
    }
    // Late notices finally arrive: nothing changes, and both windows still agree.
    for (const w of ws) w.notices.deliver();
    for (const w of ws)
      assert.strictEqual(
        (await w.store.get(account))?.refreshToken,
        stored.refreshToken,
        `window ${w.name} sees the live refresh token`,
      );
    assert.deepStrictEqual(violations, [], 'no window reported an expired session while a live token was stored');
  }

  test('a window whose change notice is late and whose cache holds the spent refresh token adopts the rotated one instead of ending the session', async () => {
    const a = openWindow('a', transport(server.origin).transport);
    const b = openWindow('b', transport(server.origin).transport);
    await seed([a, b]);

    // Window a refreshes: the server rotates refresh-0 to refresh-1, and a stores it.
    assert.strictEqual((await a.refresher.refresh(account)).refreshToken, 'refresh-1');
    assert.strictEqual((await storedNow())?.refreshToken, 'refresh-1');
    await b.notices.waitForNotice(accountKey, "VS Code's notice of window a's write (held from window b)");
    assert.strictEqual(
      (await b.store.get(account))?.refreshToken,
      'refresh-0',
      "window b's cache is stale: its notice is late",
    );

    // Window b needs a token now: its cached one has expired.
    const token = await inWindow(b, 'getAccessToken with a stale cache', () => b.credentials.getAccessToken());
    assert.strictEqual(token, 'access-1', 'window b uses the tokens window a stored');
    assert.ok(
      server.calls.every((c) => c.outcome !== 'invalid_grant' || c.refreshToken === 'refresh-0'),
      'only the spent token was ever refused',
    );
    await assertBothWindowsWork([a, b]);
  });

  test("invalid_grant for a request that crossed the other window's write: the refused window keeps the rotated tokens", async () => {
    const bMaySend = gate();
    const a = openWindow('a', transport(server.origin).transport);
    const b = openWindow('b', transport(server.origin, { beforeSend: bMaySend.opened }).transport);
    await seed([a, b]);

    // Window b has read refresh-0 and its request is on its way when window a rotates the token.
    const bRefresh = inWindow(b, 'refresh crossing a write', () => b.refresher.refresh(account));
    await waitFor('window b to start refreshing', () => b.refresher.isRefreshing(account));
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.strictEqual((await a.refresher.refresh(account)).refreshToken, 'refresh-1');
    await b.notices.waitForNotice(accountKey, "VS Code's notice of window a's write (held from window b)");
    bMaySend.open();

    const adopted = await bRefresh;
    assert.notStrictEqual(adopted, 'session_expired', 'window b does not end the session');
    assert.strictEqual(adopted === 'session_expired' ? undefined : adopted.refreshToken, 'refresh-1');
    assert.deepStrictEqual(
      server.calls.map((c) => c.outcome),
      ['rotated', 'invalid_grant'],
      "window b's request was refused",
    );
    await assertBothWindowsWork([a, b]);
  });

  test("a refresh answered after the other window's invalid_grant removed the entry stores the live tokens again", async () => {
    const aMayRead = gate();
    const gatedA = transport(server.origin, { beforeAnswer: aMayRead.opened });
    const a = openWindow('a', gatedA.transport);
    const b = openWindow('b', transport(server.origin).transport);
    await seed([a, b]);

    // The server rotates refresh-0 for window a, whose answer is still on its way...
    const aRefresh = inWindow(a, 'refresh answered late', () => a.refresher.refresh(account));
    await gatedA.answered;
    assert.ok(server.honoursRefreshToken('refresh-1'));
    // ...when window b uses refresh-0 too and is refused. Nothing live is stored at this moment, so
    // b saying the session expired is allowed (noteExpired checks it).
    const bOutcome = await inWindow(b, 'refresh with the spent token', () => b.refresher.refresh(account));
    assert.strictEqual(bOutcome, 'session_expired');
    assert.strictEqual(await storedNow(), undefined, 'the refused entry was removed');
    // Window a hears of the removal before its own answer arrives.
    await a.notices.waitForNotice(accountKey, "VS Code's notice of window b's removal to reach window a");
    a.notices.deliver();

    aMayRead.open();
    const aResult = await aRefresh;
    assert.notStrictEqual(aResult, 'session_expired', 'window a keeps the tokens the server just issued');
    assert.strictEqual(aResult === 'session_expired' ? undefined : aResult.refreshToken, 'refresh-1');
    assert.strictEqual((await storedNow())?.refreshToken, 'refresh-1', 'the live tokens are stored again');
    assert.deepStrictEqual(
      server.calls.map((c) => c.outcome),
      ['rotated', 'invalid_grant'],
    );

    // Window b's notice of a's write is still held: b must read the storage, not its cached absence.
    await assertBothWindowsWork([b, a]);
    const lister = new SecretTokenStore(secrets, silentLogger);
    assert.ok((await lister.list()).includes(account), 'the account is listed again');
    lister.dispose();
  });
});
