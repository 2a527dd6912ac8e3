import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { createApiClient } from '../../src/core/api/apiClient';
import {
  ADA_USER_ID,
  DEMO_CLIENT_ID,
  DEMO_CLIENT_SECRET,
  DEMO_USERS,
  EMPTY_USER_ID,
  HOSTILE_USER_ID,
} from '../../src/sandbox/demoAccounts';
import { AuthorizationFlows } from '../../src/core/auth/authorizationFlows';
import { silentLogger } from '../../src/core/ports';
import { AccountManager } from '../../src/vscode/auth/accountManager';
import type { Account } from '../../src/vscode/auth/accountsContract';
import { createAuthCommands } from '../../src/vscode/auth/authCommands';
import { CallbackRelay, RELAY_KEY } from '../../src/vscode/auth/callbackRelay';
import { SecretTokenStore } from '../../src/vscode/auth/secretTokenStore';
import { SignInController } from '../../src/vscode/auth/signInController';
import { commandInvoker } from '../../src/vscode/commandRegistry';
import { executeCommand } from '../../src/vscode/commands';
import { clientSecretKey, EnvironmentService } from '../../src/vscode/environmentService';
import { ErrorReporter } from '../../src/vscode/errorReporter';
import { UriEventHandler } from '../../src/vscode/uriEventHandler';
import { waitFor } from '../support/waitFor';
import { submitConsent } from '../unit/auth/support/consent';
import { LockedSecretStorage, MemoryMemento } from './support/lockedSecretStorage';
import { activateExtension, testAccess } from './support/extension';
import { useSandbox } from './support/sandbox';
import { useSignInSuite } from './support/signInSuite';

const adaPat = DEMO_USERS.find((u) => u.userId === ADA_USER_ID)!.pat;

suite('Auth: sign-in, tokens and accounts in a real VS Code', function () {
  this.timeout(90_000);
  const sandbox = useSandbox();
  const { hooks: h, opened } = useSignInSuite(sandbox);
  /** Every token value seen in SecretStorage during the run: the canaries of the audit at the end. */
  const seenTokens = new Set<string>([adaPat]);

  async function collectTokens(accountId: string): Promise<void> {
    const raw = await (await testAccess()).secrets.get(h().accountSecretKey(accountId));
    const parsed = raw ? (JSON.parse(raw) as { accessToken?: string; refreshToken?: string }) : {};
    for (const token of [parsed.accessToken, parsed.refreshToken]) if (token) seenTokens.add(token);
  }

  const tokenPosts = () => sandbox().requestLog.filter((r) => r.method === 'POST' && r.path === '/api/token').length;
  const refreshPosts = () =>
    sandbox().requestLog.filter((r) => r.method === 'POST' && r.path === '/api/refresh').length;

  suiteTeardown(async () => {
    h().seams.signInTimeoutMs = undefined;
    h().seams.clockOffsetMs = 0;
    await vscode.workspace
      .getConfiguration('onetwentyone')
      .update('redirect', undefined, vscode.ConfigurationTarget.Global);
  });

  teardown(() => h().auth.signIn.flows.cancelAll('cancelled'));

  async function setRedirect(mode: 'uriHandler' | 'loopback'): Promise<void> {
    await vscode.workspace.getConfiguration('onetwentyone').update('redirect', mode, vscode.ConfigurationTarget.Global);
  }

  /**
   * The redirect a user of this VS Code can sign in with: the URI handler in desktop VS Code; in a
   * browser only the loopback redirect comes back (the browser has no app for the editor's scheme).
   */
  const desktop = vscode.env.uiKind !== vscode.UIKind.Web;
  const workingRedirect = desktop ? ('uriHandler' as const) : ('loopback' as const);

  /** The callback URL of the sign-in whose authorize URL is given, with other parameters (a forgery). */
  function forgedCallback(authorizeUrl: string, query: string): string {
    return `${new URL(authorizeUrl).searchParams.get('redirect_uri')!}?${query}`;
  }

  /** Follows a redirect as the browser would: to the loopback server over HTTP, or to the URI handler. */
  async function deliver(location: string): Promise<void> {
    if (/^http:\/\/127\.0\.0\.1:\d+\//.test(location)) {
      // A loopback server that has closed refuses the connection: a refusal, as the test expects.
      await fetch(location).then(
        (r) => r.text(),
        () => undefined,
      );
      return;
    }
    await deliverToUriHandler(location);
  }

  /** Approves the consent page of `authorizeUrl` for `userId` and follows the redirect as the browser would. */
  async function approve(authorizeUrl: string, userId: string, scopes: readonly string[]): Promise<void> {
    await deliver(await submitConsent(authorizeUrl, { decision: 'approve', userId, scopes }));
  }

  /** Starts "Sign In" and resolves with its authorize URL once it waits for the callback. */
  async function startSignIn(): Promise<{ command: Thenable<string | undefined>; authorizeUrl: string }> {
    const before = opened.length;
    const command = executeCommand('onetwentyone.auth.signIn');
    const authorizeUrl = await waitFor('the authorize URL to be opened', () => opened[before]);
    return { command, authorizeUrl };
  }

  /** Delivers a vscode:// redirect the way the operating system does in desktop VS Code. */
  async function deliverToUriHandler(location: string): Promise<void> {
    assert.ok(desktop, "a browser cannot follow a redirect to the editor's own scheme");
    (await activateExtension()).uriHandler.handleUri(vscode.Uri.parse(location));
  }

  function accountOf(userId: string): Account | undefined {
    return h()
      .auth.accounts.list()
      .find((a) => a.userId === userId && a.environment.origin === sandbox().baseUrl);
  }

  test('in VS Code in a browser, the URI-handler redirect fails at once and offers the loopback redirect', async function () {
    if (desktop) this.skip();
    await setRedirect('uriHandler');
    const before = opened.length;
    const shown = h().shownMessages().length;
    assert.strictEqual(await executeCommand('onetwentyone.auth.signIn'), undefined);
    assert.strictEqual(opened.length, before, 'no consent page was opened that could never come back');
    assert.strictEqual(h().auth.signIn.flows.pendingCount, 0);
    const message = await waitFor('the error message', () =>
      h()
        .shownMessages()
        .slice(shown)
        .find((m) => m.includes('loopback')),
    );
    assert.match(message, /URI-handler redirect cannot bring the approval back/);
    // Client setup says so too, and registers the loopback redirect instead.
    try {
      const registered = await executeCommand('onetwentyone.client.configure', {
        clientId: DEMO_CLIENT_ID,
        clientSecret: DEMO_CLIENT_SECRET,
      });
      assert.strictEqual(registered, 'http://127.0.0.1/callback');
      assert.strictEqual(vscode.workspace.getConfiguration('onetwentyone').get('redirect'), 'loopback');
    } finally {
      await vscode.workspace
        .getConfiguration('onetwentyone')
        .update('clientId', undefined, vscode.ConfigurationTarget.Global);
      await (await testAccess()).secrets.delete(clientSecretKey(sandbox().baseUrl));
    }
  });

  test('signs in through the URI handler: consent approved, redirect delivered, user in the Accounts tree', async function () {
    if (!desktop) this.skip();
    await setRedirect('uriHandler');
    const posts = tokenPosts();
    const { command, authorizeUrl } = await startSignIn();
    const redirectUri = new URL(authorizeUrl).searchParams.get('redirect_uri')!;
    assert.strictEqual(redirectUri, `${vscode.env.uriScheme}://onetwentyone.onetwentyone-explorer/auth/callback`);
    const location = await submitConsent(authorizeUrl, {
      decision: 'approve',
      userId: ADA_USER_ID,
      scopes: ['quantity', 'sleep', 'profile'],
    });
    assert.ok(location.startsWith(redirectUri), location);
    await deliverToUriHandler(location);
    const id = await command;
    assert.strictEqual(typeof id, 'string');
    const ada = accountOf(ADA_USER_ID);
    assert.ok(ada, 'Ada is signed in');
    assert.strictEqual(ada.kind, 'oauth');
    assert.deepStrictEqual([...ada.scopes].sort(), ['profile', 'quantity', 'sleep']);
    await collectTokens(ada.id);
    assert.strictEqual(tokenPosts() - posts, 1, 'exactly one code exchange');
    const rows = h().accountsTreeItems();
    const row = rows.find((r) => r.contextValue === 'account:oauth');
    assert.ok(row, JSON.stringify(rows));
    assert.match(row.description, /sandbox · valid for (59|60) min/);
    // Its tooltip, built on hover (resolveTreeItem): the user ID and the token's status (Markdown of plain text).
    const tooltip = row.tooltip.replace(/&nbsp;/g, ' ').replace(/\\(.)/g, '$1');
    assert.match(tooltip, new RegExp(`User ID: ${ADA_USER_ID}\\n(.|\\n)*Token: valid for (59|60) min`));
    assert.ok(rows.some((r) => r.label === 'Scopes: quantity, sleep, profile' || r.label.startsWith('Scopes: ')));
    const sessions = await h().auth.authProvider.getSessions(['quantity'], {});
    assert.deepStrictEqual(
      sessions.map((s) => s.id),
      [ada.id],
      'the provider offers the account as a session',
    );
    assert.strictEqual(
      (await h().auth.authProvider.getSessions(['workout'], {})).length,
      0,
      'not for a scope it lacks',
    );

    // The same redirect delivered again is refused: no second exchange.
    await deliverToUriHandler(location);
    await new Promise((r) => setTimeout(r, 1500));
    assert.strictEqual(tokenPosts() - posts, 1);
  });

  test('signs in through the loopback redirect (the default in browser-based VS Code)', async () => {
    await setRedirect('loopback');
    const { command, authorizeUrl } = await startSignIn();
    const redirectUri = new URL(authorizeUrl).searchParams.get('redirect_uri')!;
    assert.match(redirectUri, /^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    const location = await submitConsent(authorizeUrl, {
      decision: 'approve',
      userId: EMPTY_USER_ID,
      scopes: ['profile'],
    });
    const page = await fetch(location);
    assert.strictEqual(page.status, 200);
    assert.ok(!(await page.text()).includes(new URL(location).searchParams.get('code')!), 'the page echoes nothing');
    await command;
    assert.ok(accountOf(EMPTY_USER_ID));
  });

  test('an account granted quantity and sleep but not profile: scopes are "not reported", then shown as routes answer', async () => {
    await setRedirect('loopback');
    const { command, authorizeUrl } = await startSignIn();
    await fetch(
      await submitConsent(authorizeUrl, {
        decision: 'approve',
        userId: HOSTILE_USER_ID,
        scopes: ['quantity', 'sleep'],
      }),
    ).then((r) => r.text());
    const id = await command;
    assert.ok(id, 'signed in');
    // The tree lists each account followed by its three detail rows (environment, scopes, token).
    const scopesRow = () => {
      const rows = h().accountsTreeItems();
      const at = rows.findIndex(
        (r) => r.contextValue.startsWith('account:') && r.label === h().auth.accounts.get(id)?.label,
      );
      return rows.slice(at + 1, at + 4).find((r) => r.label.startsWith('Scopes: '));
    };
    assert.match(scopesRow()?.label ?? '', /^Scopes: not reported/);
    await executeCommand('onetwentyone.query.open');
    const panel = await waitFor('the query panel', () => h().panel());
    await panel.runFromHost({
      query: { route: 'quantity', metric: 'heartRate', params: { pageSize: 10 } },
      accountId: id,
    });
    await waitFor('the scope seen answering', () =>
      /^Scopes: quantity \(seen answering/.test(scopesRow()?.label ?? ''),
    );
    await executeCommand('onetwentyone.auth.signOut', id);
  });

  test('a callback that reaches another window is passed on to the window whose sign-in it is', async () => {
    await setRedirect('loopback');
    const { command, authorizeUrl } = await startSignIn();
    const location = await submitConsent(authorizeUrl, {
      decision: 'approve',
      userId: EMPTY_USER_ID,
      scopes: ['profile'],
    });
    // Another window over the same secret storage: its own sign-ins (none), its own relay. The
    // redirect reaches it instead of this window, as the operating system may deliver a vscode:// one.
    const otherFlows = new AuthorizationFlows({ now: () => Date.now() }, silentLogger);
    const secrets = (await testAccess()).secrets;
    const otherWindow = new CallbackRelay(secrets, (params) => otherFlows.handleCallback(params), silentLogger);
    try {
      assert.strictEqual(
        await otherWindow.receive(new URL(location).searchParams),
        'ignored',
        'the other window has no such sign-in',
      );
      const id = await command;
      assert.strictEqual(typeof id, 'string', 'the sign-in completed in the window that started it');
      assert.ok(accountOf(EMPTY_USER_ID));
      await waitFor('the passed-on callback to be removed', async () => (await secrets.get(RELAY_KEY)) === undefined);
    } finally {
      otherWindow.dispose();
    }
  });

  test('a forged callback during a sign-in is ignored and the genuine one completes', async () => {
    await setRedirect(workingRedirect);
    const posts = tokenPosts();
    const { command, authorizeUrl } = await startSignIn();
    await deliver(forgedCallback(authorizeUrl, `code=ATTACKER&state=GUESS&user_id=${EMPTY_USER_ID}`));
    await new Promise((r) => setTimeout(r, 1000));
    assert.strictEqual(h().auth.signIn.flows.pendingCount, 1, 'the genuine sign-in still waits');
    assert.strictEqual(tokenPosts(), posts);
    await approve(authorizeUrl, ADA_USER_ID, ['quantity']);
    await command;
    assert.strictEqual(tokenPosts() - posts, 1);
  });

  test('a denied consent ends the sign-in with no exchange', async () => {
    await setRedirect(workingRedirect);
    const posts = tokenPosts();
    const { command, authorizeUrl } = await startSignIn();
    await deliver(await submitConsent(authorizeUrl, { decision: 'deny' }));
    assert.strictEqual(await command, undefined);
    assert.strictEqual(tokenPosts(), posts);
    assert.ok(
      h()
        .shownMessages()
        .some((m) => m.startsWith('Authorization was denied')),
      h().shownMessages().join(' | '),
    );
  });

  test('a cancelled sign-in refuses its late callback', async () => {
    await setRedirect(workingRedirect);
    const posts = tokenPosts();
    const { command, authorizeUrl } = await startSignIn();
    h().auth.signIn.flows.cancelAll('cancelled');
    assert.strictEqual(await command, undefined);
    await approve(authorizeUrl, ADA_USER_ID, ['quantity']);
    await new Promise((r) => setTimeout(r, 1500));
    assert.strictEqual(tokenPosts(), posts);
  });

  test('two sign-ins at once each complete with their own callback, one exchange each', async () => {
    await setRedirect(workingRedirect);
    const posts = tokenPosts();
    const first = await startSignIn();
    const second = await startSignIn();
    assert.notStrictEqual(
      new URL(first.authorizeUrl).searchParams.get('state'),
      new URL(second.authorizeUrl).searchParams.get('state'),
    );
    assert.strictEqual(h().auth.signIn.flows.pendingCount, 2);
    await approve(second.authorizeUrl, ADA_USER_ID, ['quantity', 'sleep', 'profile']);
    await second.command;
    assert.strictEqual(h().auth.signIn.flows.pendingCount, 1, 'the first still waits for its own callback');
    await approve(first.authorizeUrl, ADA_USER_ID, ['quantity', 'sleep', 'profile']);
    await first.command;
    assert.strictEqual(tokenPosts() - posts, 2);
    await collectTokens(accountOf(ADA_USER_ID)!.id);
  });

  test('the Refresh and Copy User ID commands act on the account they are given', async () => {
    const ada = accountOf(ADA_USER_ID)!;
    const before = refreshPosts();
    await executeCommand('onetwentyone.auth.refresh', ada.id);
    assert.strictEqual(refreshPosts() - before, 1);
    await collectTokens(ada.id);
    await executeCommand('onetwentyone.auth.copyUserId', { kind: 'account', account: ada });
    assert.strictEqual(await vscode.env.clipboard.readText(), ADA_USER_ID);
  });

  test('the authentication provider reports sessions added and removed', async () => {
    const existing = accountOf(EMPTY_USER_ID);
    if (existing) await executeCommand('onetwentyone.auth.signOut', existing.id);
    const events: vscode.AuthenticationProviderAuthenticationSessionsChangeEvent[] = [];
    const listener = h().auth.authProvider.onDidChangeSessions((e) => events.push(e));
    try {
      await executeCommand('onetwentyone.auth.addPersonalAccessToken', {
        userId: EMPTY_USER_ID,
        token: DEMO_USERS.find((u) => u.userId === EMPTY_USER_ID)!.pat,
        note: 'Empty',
      });
      const account = await waitFor('the PAT account', () => accountOf(EMPTY_USER_ID));
      await waitFor('a session added event', () => events.some((e) => e.added?.some((s) => s.id === account.id)));
      await h().auth.authProvider.removeSession(account.id);
      await waitFor('a session removed event', () => events.some((e) => e.removed?.some((s) => s.id === account.id)));
      assert.strictEqual(accountOf(EMPTY_USER_ID), undefined);
    } finally {
      listener.dispose();
    }
  });

  test('Select Environment switches the setting, and a missing sandbox is a clear error', async () => {
    const config = () => vscode.workspace.getConfiguration('onetwentyone');
    await executeCommand('onetwentyone.environment.select', 'production');
    assert.strictEqual(config().get('environment'), 'production');
    await executeCommand('onetwentyone.environment.select', 'sandbox');
    assert.strictEqual(config().get('environment'), 'sandbox');
    await config().update('sandbox.url', '', vscode.ConfigurationTarget.Global);
    try {
      await executeCommand('onetwentyone.auth.signIn');
      assert.ok(
        h()
          .shownMessages()
          .some((m) => m.includes('Start Sandbox')),
        h().shownMessages().join(' | '),
      );
    } finally {
      await config().update('sandbox.url', sandbox().baseUrl, vscode.ConfigurationTarget.Global);
    }
  });

  test('client setup for a custom environment refuses a wrong secret, saves a good one only to SecretStorage, then signs in', async () => {
    const config = () => vscode.workspace.getConfiguration('onetwentyone');
    const secrets = (await testAccess()).secrets;
    const origin = sandbox().baseUrl;
    await config().update('customBaseUrl', origin, vscode.ConfigurationTarget.Global);
    await config().update('environment', 'custom', vscode.ConfigurationTarget.Global);
    await setRedirect('loopback');
    try {
      assert.strictEqual(
        await executeCommand('onetwentyone.client.configure', {
          clientId: DEMO_CLIENT_ID,
          clientSecret: 'definitely-the-wrong-secret',
        }),
        undefined,
      );
      assert.ok(h().shownMessages().at(-1)?.includes('Configure API Client'), h().shownMessages().join(' | '));
      assert.ok(!h().shownMessages().join().includes('definitely-the-wrong-secret'), 'the secret is never echoed');
      assert.strictEqual(await secrets.get(clientSecretKey(origin)), undefined, 'nothing saved after a refusal');

      assert.strictEqual(
        await executeCommand('onetwentyone.client.configure', {
          clientId: DEMO_CLIENT_ID,
          clientSecret: DEMO_CLIENT_SECRET,
        }),
        'http://127.0.0.1/callback',
      );
      assert.strictEqual(config().get('clientId'), DEMO_CLIENT_ID);
      assert.strictEqual(await secrets.get(clientSecretKey(origin)), DEMO_CLIENT_SECRET);
      assert.ok(!JSON.stringify(config()).includes(DEMO_CLIENT_SECRET), 'the secret is not in settings');

      const { command, authorizeUrl } = await startSignIn();
      await fetch(
        await submitConsent(authorizeUrl, { decision: 'approve', userId: EMPTY_USER_ID, scopes: ['quantity'] }),
      ).then((r) => r.arrayBuffer());
      const id = await command;
      assert.strictEqual(h().auth.accounts.get(id as string)?.environment.kind, 'custom');
      await executeCommand('onetwentyone.auth.signOut', id);
    } finally {
      await config().update('environment', 'sandbox', vscode.ConfigurationTarget.Global);
      await config().update('clientId', undefined, vscode.ConfigurationTarget.Global);
      await config().update('customBaseUrl', undefined, vscode.ConfigurationTarget.Global);
      await secrets.delete(clientSecretKey(origin));
    }
  });

  test('a sign-in with no callback times out, and a late callback is refused', async () => {
    await setRedirect('loopback');
    h().seams.signInTimeoutMs = 1000;
    const posts = tokenPosts();
    try {
      const { command, authorizeUrl } = await startSignIn();
      assert.strictEqual(await command, undefined);
      assert.ok(
        h()
          .shownMessages()
          .some((m) => m.startsWith('Sign-in timed out')),
      );
      assert.strictEqual(h().auth.signIn.flows.pendingCount, 0);
      const location = await submitConsent(authorizeUrl, {
        decision: 'approve',
        userId: ADA_USER_ID,
        scopes: ['quantity'],
      });
      // The loopback server is gone (or refuses): either way, no exchange.
      await fetch(location).then(
        (r) => r.arrayBuffer(),
        () => undefined,
      );
      assert.strictEqual(tokenPosts(), posts);
    } finally {
      h().seams.signInTimeoutMs = undefined;
    }
  });

  test('an expired token (sandbox clock) is refreshed once for 20 concurrent requests', async () => {
    const ada = accountOf(ADA_USER_ID)!;
    assert.strictEqual(ada.kind, 'oauth');
    const api = createApiClient({
      transport: h().auth.accounts.transportFor(ada.id),
      credentials: h().auth.accounts.credentialsFor(ada.id),
    });
    const before = refreshPosts();
    sandbox().clock.advance(3_601_000);
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        api.quantity(ADA_USER_ID, 'stepCount', { startDate: '2024-01-01', endDate: '2024-01-02' }),
      ),
    );
    assert.ok(results.every((r) => r.status === 200));
    assert.strictEqual(refreshPosts() - before, 1);
    await collectTokens(ada.id);
  });

  test('ahead of expiry (client clock) the token is refreshed before it is used', async () => {
    const ada = accountOf(ADA_USER_ID)!;
    const before = refreshPosts();
    const sandboxBefore = sandbox().requestLog.length;
    h().seams.clockOffsetMs = ada.expiresAt! - Date.now() - 30_000;
    try {
      const api = createApiClient({
        transport: h().auth.accounts.transportFor(ada.id),
        credentials: h().auth.accounts.credentialsFor(ada.id),
      });
      await api.quantity(ADA_USER_ID, 'stepCount', { startDate: '2024-01-01', endDate: '2024-01-02' });
      assert.strictEqual(refreshPosts() - before, 1);
      assert.ok(
        !sandbox()
          .requestLog.slice(sandboxBefore)
          .some((r) => r.status === 401),
        'the expiring token was never sent',
      );
      assert.ok(accountOf(ADA_USER_ID)!.expiresAt! > ada.expiresAt!);
    } finally {
      h().seams.clockOffsetMs = 0;
    }
  });

  test("an account's transport keeps working after the proxy or request settings change", async () => {
    const ada = accountOf(ADA_USER_ID)!;
    const transport = h().auth.accounts.transportFor(ada.id);
    const config = vscode.workspace.getConfiguration('onetwentyone');
    await config.update('request.timeoutSeconds', 30, vscode.ConfigurationTarget.Global);
    try {
      assert.strictEqual(
        h().auth.accounts.transportFor(ada.id),
        transport,
        'API clients keep the same transport object',
      );
      const api = createApiClient({ transport, credentials: h().auth.accounts.credentialsFor(ada.id) });
      assert.strictEqual((await api.profile(ADA_USER_ID)).status, 200);
    } finally {
      await config.update('request.timeoutSeconds', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  test('a SecretStorage that fails (keyring missing or locked) is an error with guidance, and nothing is saved anywhere else', async () => {
    // A window whose keyring is locked: the auth classes over a SecretStorage that fails every call.
    const secrets = new LockedSecretStorage();
    const state = new MemoryMemento();
    const environments = new EnvironmentService(secrets, { runningBaseUrl: undefined }, silentLogger);
    const accounts = new AccountManager(
      new SecretTokenStore(secrets, silentLogger),
      environments,
      state,
      { now: () => Date.now() },
      silentLogger,
    );
    const uriHandler = new UriEventHandler();
    const signIn = new SignInController(uriHandler, environments, accounts, { now: () => Date.now() }, silentLogger);
    const reporter = new ErrorReporter(silentLogger);
    const shown: string[] = [];
    reporter.onDidShow((text) => shown.push(text));
    const commands = createAuthCommands({
      accounts,
      environments,
      signIn,
      clock: { now: () => Date.now() },
      logger: silentLogger,
    });
    const addPat = commandInvoker(
      'onetwentyone.auth.addPersonalAccessToken',
      commands['onetwentyone.auth.addPersonalAccessToken'],
      reporter,
    );
    const before = h().auth.accounts.list().length;
    try {
      assert.strictEqual(await addPat({ userId: ADA_USER_ID, token: adaPat, note: 'should fail' }), undefined);
      await waitFor('the error message', () => shown.length > 0);
      assert.match(shown.join(' | '), /--password-store/);
      assert.deepStrictEqual(accounts.list(), []);
      assert.ok(!state.snapshot().includes(adaPat), 'not in the state');
    } finally {
      for (const disposable of [signIn, accounts, environments, reporter, uriHandler, secrets]) disposable.dispose();
    }
    assert.strictEqual(h().auth.accounts.list().length, before);
    assert.ok(!JSON.stringify(vscode.workspace.getConfiguration('onetwentyone')).includes(adaPat));
    assert.ok(!h().globalStateSnapshot().includes(adaPat));
  });

  test('credentials changed by another window are picked up through secrets.onDidChange', async () => {
    const ada = accountOf(ADA_USER_ID)!;
    const secrets = (await testAccess()).secrets;
    const key = h().accountSecretKey(ada.id);
    const stored = JSON.parse((await secrets.get(key))!) as Record<string, unknown>;
    // What a second window writes after its own refresh: same grant, a newer generation.
    await secrets.store(
      key,
      JSON.stringify({
        ...stored,
        label: 'Ada (refreshed in another window)',
        issuedAt: Date.now(),
        expiresAt: Date.now() + 3_600_000,
      }),
    );
    await waitFor(
      "the account to show the other window's credentials",
      () => accountOf(ADA_USER_ID)?.label === 'Ada (refreshed in another window)',
    );
    const api = createApiClient({
      transport: h().auth.accounts.transportFor(ada.id),
      credentials: h().auth.accounts.credentialsFor(ada.id),
    });
    assert.strictEqual((await api.profile(ADA_USER_ID)).status, 200);
  });

  test('a corrupt stored credential is deleted and that account is signed out', async () => {
    await executeCommand('onetwentyone.auth.addPersonalAccessToken', {
      userId: EMPTY_USER_ID,
      token: DEMO_USERS.find((u) => u.userId === EMPTY_USER_ID)!.pat,
    });
    const account = await waitFor('the PAT account', () => accountOf(EMPTY_USER_ID));
    const signedOut = new Promise<string>((resolve) => h().auth.accounts.onDidSignOut(resolve));
    await (
      await testAccess()
    ).secrets.store(h().accountSecretKey(account.id), '{"version":1,"kind":"oauth", this is not json');
    assert.strictEqual(await signedOut, account.id);
    const secrets = (await testAccess()).secrets;
    await waitFor(
      'the corrupt entry to be deleted',
      async () => (await secrets.get(h().accountSecretKey(account.id))) === undefined,
    );
    assert.strictEqual(accountOf(EMPTY_USER_ID), undefined);
  });

  test("signing out aborts the account's in-flight requests and fires onDidSignOut", async () => {
    await executeCommand('onetwentyone.auth.addPersonalAccessToken', {
      userId: EMPTY_USER_ID,
      token: DEMO_USERS.find((u) => u.userId === EMPTY_USER_ID)!.pat,
    });
    const account = await waitFor('the PAT account', () => accountOf(EMPTY_USER_ID));
    assert.strictEqual(account.kind, 'pat');
    const signal = h().auth.accounts.signalFor(account.id);
    const signedOut = new Promise<string>((resolve) => h().auth.accounts.onDidSignOut(resolve));
    await executeCommand('onetwentyone.auth.signOut', account.id);
    assert.strictEqual(await signedOut, account.id);
    assert.ok(signal.aborted);
    assert.strictEqual(await (await testAccess()).secrets.get(h().accountSecretKey(account.id)), undefined);
  });

  test('canary audit: tokens appear only in SecretStorage, never in logs, messages, settings, state or URLs', async () => {
    await executeCommand('onetwentyone.auth.addPersonalAccessToken', {
      userId: ADA_USER_ID,
      token: adaPat,
      note: 'canary',
    });
    const ada = await waitFor('the canary account', () => accountOf(ADA_USER_ID));
    const secrets = (await testAccess()).secrets;
    const stored = await secrets.get(h().accountSecretKey(ada.id));
    assert.ok(stored?.includes(adaPat), 'the canary is in SecretStorage');
    // Every token this run stored or used: the PAT canary and the OAuth tokens of the sign-ins.
    const canaries = [...seenTokens];
    assert.ok(canaries.length >= 3, 'OAuth tokens were collected too');
    // Trigger error paths that might echo a token: a rejected PAT and a bad redirect URL.
    await executeCommand('onetwentyone.auth.addPersonalAccessToken', {
      userId: EMPTY_USER_ID,
      token: adaPat,
    });
    await executeCommand(
      'onetwentyone.auth.completeFromRedirectUrl',
      `http://127.0.0.1/callback?code=${adaPat}&state=x`,
    );

    const haystacks: [string, string][] = [
      ['error messages', h().shownMessages().join('\n')],
      [
        'settings',
        JSON.stringify(vscode.workspace.getConfiguration('onetwentyone')) +
          JSON.stringify(vscode.workspace.getConfiguration('http')),
      ],
      ['globalState', h().globalStateSnapshot()],
      ['authorize URLs', opened.join('\n')],
      ['account objects', JSON.stringify(h().auth.accounts.list())],
      ['tree', JSON.stringify(h().accountsTreeItems())],
    ];
    for (const file of listFiles(path.dirname(h().logFolder)))
      haystacks.push([`log ${path.basename(file)}`, fs.readFileSync(file, 'utf8')]);
    assert.ok(
      haystacks.some(([name]) => name.startsWith('log ')),
      'the log files were found',
    );
    for (const [name, text] of haystacks) {
      for (const canary of canaries) assert.ok(!text.includes(canary), `a token leaked into ${name}`);
    }
    // Tokens went only to the API origin: every request the sandbox saw with Authorization is its own.
    assert.ok(sandbox().requestLog.some((r) => r.authorization === 'present'));
  });
});

function listFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true })
    .map((f) => path.join(dir, String(f)))
    .filter((f) => fs.statSync(f).isFile());
}
