import * as assert from 'assert';
import * as vscode from 'vscode';
import { ADA_USER_ID } from '../../src/sandbox/demoAccounts';
import { executeCommand } from '../../src/vscode/commands';
import { clientSecretKey } from '../../src/vscode/environmentService';
import { OWN_CLIENT, OWN_CLIENT_REGISTRATION } from '../support/ownClient';
import { waitFor } from '../support/waitFor';
import { submitConsent } from '../unit/auth/support/consent';
import { configuration, testAccess } from './support/extension';
import { useSandbox } from './support/sandbox';
import { useSignInSuite } from './support/signInSuite';

suite('Sign-in with a redirect URI of your own: the browser lands on it and the URL is pasted', function () {
  this.timeout(90_000);
  const sandbox = useSandbox({ clients: [OWN_CLIENT_REGISTRATION] });
  const { hooks: h, opened } = useSignInSuite(sandbox);
  let origin = '';

  suiteSetup(() => {
    origin = sandbox().baseUrl;
  });

  suiteTeardown(async () => {
    for (const key of ['redirect', 'redirectUri', 'clientId'])
      await configuration().update(key, undefined, vscode.ConfigurationTarget.Global);
    // The sandbox has closed by now (its teardown was registered first).
    await (await testAccess()).secrets.delete(clientSecretKey(origin));
  });

  test('client setup names the registered redirect; sign-in sends it and completes only from a URL at it', async () => {
    await configuration().update('redirect', 'pasteUrl', vscode.ConfigurationTarget.Global);
    await configuration().update('redirectUri', OWN_CLIENT.redirectUri, vscode.ConfigurationTarget.Global);
    assert.strictEqual(
      await executeCommand('onetwentyone.client.configure', {
        clientId: OWN_CLIENT.clientId,
        clientSecret: OWN_CLIENT.clientSecret,
      }),
      OWN_CLIENT.redirectUri,
    );

    const before = opened.length;
    const signIn = executeCommand('onetwentyone.auth.signIn');
    const authorizeUrl = await waitFor('the authorize URL to be opened', () => opened[before]);
    assert.strictEqual(new URL(authorizeUrl).searchParams.get('redirect_uri'), OWN_CLIENT.redirectUri);
    assert.strictEqual(new URL(authorizeUrl).searchParams.get('client_id'), OWN_CLIENT.clientId);

    // The browser follows the consent form's redirect and lands on the https page; nothing is
    // listening there, the user copies the address bar.
    const landed = await submitConsent(authorizeUrl, {
      decision: 'approve',
      userId: ADA_USER_ID,
      scopes: ['quantity'],
    });
    const landedUrl = new URL(landed);
    assert.strictEqual(`${landedUrl.origin}${landedUrl.pathname}`, OWN_CLIENT.redirectUri);

    // The same query at another address (a page that copied it) does not complete the sign-in.
    const elsewhere = `https://evil.example.test/oauth/callback${landedUrl.search}`;
    assert.strictEqual(await executeCommand('onetwentyone.auth.completeFromRedirectUrl', elsewhere), 'wrongAddress');
    assert.strictEqual(h().auth.signIn.flows.pendingCount, 1, 'the sign-in still waits for the right URL');
    const tokenPosts = sandbox().requestLog.filter((r) => r.method === 'POST' && r.path === '/api/token').length;
    assert.strictEqual(tokenPosts, 1, 'only client setup has exchanged anything so far');

    // Pasted as the address bar shows it (surrounding spaces included).
    assert.strictEqual(await executeCommand('onetwentyone.auth.completeFromRedirectUrl', ` ${landed} `), 'completed');
    const id = await signIn;
    assert.ok(typeof id === 'string');
    const account = h().auth.accounts.get(id);
    assert.strictEqual(account?.userId, ADA_USER_ID);
    assert.ok(
      h()
        .accountsTreeItems()
        .some((row) => row.label === account.label),
    );
    assert.strictEqual(h().auth.signIn.flows.pendingCount, 0);

    // The code was exchanged with the https redirect (the sandbox checks it against the authorization).
    const exchanges = sandbox().requestLog.filter((r) => r.method === 'POST' && r.path === '/api/token');
    assert.strictEqual(exchanges.length, 2);
    // A replay of the same pasted URL finds no sign-in.
    assert.strictEqual(await executeCommand('onetwentyone.auth.completeFromRedirectUrl', landed), 'ignored');
  });
});
