import * as assert from 'assert';
import type { Page } from 'playwright-core';
import { ADA_USER_ID } from '../../src/sandbox/demoAccounts';
import type { SandboxHandle } from '../../src/sandbox/main';
import { OWN_CLIENT, OWN_CLIENT_REGISTRATION } from '../support/ownClient';
import { waitFor } from '../support/waitFor';
import { addressBar } from './support/addressBar';
import { sandboxSettings, startBuiltSandbox, workbenchPerSuite } from './support/suiteWorkbench';

/**
 * The pasted-redirect sign-in as a developer with their own client takes it in the browser-based
 * VS Code (docs/credentials.md, "A pasted redirect URL"): configure the client, sign in from the
 * palette, approve on the consent page, copy the address the browser ended on (a page that cannot
 * load here) and paste it into the box the sign-in shows.
 */
suite('Sign-in e2e: a redirect URI of your own, completed by pasting the address the browser ended on', function () {
  this.timeout(120_000);
  let sandbox: SandboxHandle | undefined;
  const session = workbenchPerSuite({
    prepare: async () => {
      sandbox = await startBuiltSandbox({ clients: [OWN_CLIENT_REGISTRATION] });
      // The developer's settings: the pasted mode and the redirect URI registered with their client.
      return {
        settings: {
          ...sandboxSettings(sandbox),
          'onetwentyone.redirect': 'pasteUrl',
          'onetwentyone.redirectUri': OWN_CLIENT.redirectUri,
        },
      };
    },
    release: async () => {
      await sandbox?.close();
    },
  });

  const tokenExchanges = () =>
    sandbox?.requestLog.filter((r) => r.method === 'POST' && r.path === '/api/token').length ?? 0;
  const accountRows = () => session.workbench.viewPane('Accounts').locator('.monaco-list-row', { hasText: 'Ada' });
  const pasteBox = () => session.workbench.page.locator('.quick-input-widget', { hasText: 'Paste the Redirect URL' });

  /** Types `url` into the sign-in's paste box as a person pastes it, and presses Enter. */
  async function paste(url: string): Promise<void> {
    const input = pasteBox().locator('input');
    await input.waitFor({ state: 'visible', timeout: 15_000 });
    await input.focus();
    await waitFor('the pasted URL in the box', async () => {
      await input.fill(url);
      return (await input.inputValue()) === url;
    });
    await session.workbench.page.keyboard.press('Enter');
  }

  test('"Configure API Client…" saves the own client and names the redirect URI to register', async () => {
    const { workbench } = session;
    await workbench.openOneTwentyOneView();
    await workbench.runCommand('OneTwentyOne: Configure API Client…');
    await workbench.clickNotificationButton(/built-in demo client/, 'Configure');
    await workbench.quickInput(OWN_CLIENT.clientId);
    await workbench.quickInput(OWN_CLIENT.clientSecret);
    await workbench.waitForText(`Sign-in sends the redirect URI ${OWN_CLIENT.redirectUri}`, 30_000);
  });

  test('Sign In shows the paste box; a URL of another sign-in or at another address is refused, the address the browser ended on signs the user in', async () => {
    const { workbench } = session;
    const exchangesBefore = tokenExchanges();
    const popup = workbench.nextPage(60_000);
    await workbench.runCommandIntoInput('OneTwentyOne: Sign In (Authorize a User)…');
    // The box is there before the browser opens, so it waits when the user comes back with the URL.
    await pasteBox().waitFor({ state: 'visible', timeout: 15_000 });

    const consent: Page = await popup;
    await consent.locator(`input[name="user_id"][value="${ADA_USER_ID}"]`).waitFor({ state: 'visible' });
    const opened = new URL(consent.url());
    assert.strictEqual(opened.pathname, '/authorize');
    assert.strictEqual(opened.searchParams.get('client_id'), OWN_CLIENT.clientId);
    assert.strictEqual(opened.searchParams.get('redirect_uri'), OWN_CLIENT.redirectUri);
    const state = opened.searchParams.get('state') ?? '';
    assert.ok(state.length >= 16, 'a fresh state per sign-in');

    await consent.locator(`input[name="user_id"][value="${ADA_USER_ID}"]`).check();
    await consent.getByRole('button', { name: 'Approve' }).click();
    // The https page cannot load here (no network); the address bar still shows where it went.
    const landed = await waitFor(
      'the browser to land on the redirect URI',
      async () => {
        // While the tab moves to the error page its target is swapped; the next poll reads the new one.
        const shown = await addressBar(consent).catch(() => '');
        return shown.startsWith(`${OWN_CLIENT.redirectUri}?`) ? shown : undefined;
      },
      30_000,
    );
    assert.strictEqual(new URL(landed).searchParams.get('state'), state);
    assert.ok(new URL(landed).searchParams.get('code'));
    await consent.close();
    await workbench.page.bringToFront();

    // The same address with another sign-in's state: refused in the box, which stays open.
    const otherState = new URL(landed);
    otherState.searchParams.set('state', `${state}-other`);
    await paste(otherState.toString());
    await pasteBox()
      .getByText('That URL does not belong to this sign-in.')
      .waitFor({ state: 'visible', timeout: 15_000 });
    await workbench.screenshot('pasted-redirect-refused');
    // This sign-in's query copied onto another page: refused, naming the address it must be at.
    const elsewhere = new URL(landed);
    elsewhere.host = 'evil.example.test';
    await paste(elsewhere.toString());
    await pasteBox()
      .getByText(`That address is not ${OWN_CLIENT.redirectUri}.`)
      .waitFor({ state: 'visible', timeout: 15_000 });
    assert.strictEqual(tokenExchanges(), exchangesBefore, 'nothing was exchanged for the refused URLs');
    assert.strictEqual(await accountRows().count(), 0, 'nothing was signed in');

    await paste(landed);
    await pasteBox().waitFor({ state: 'hidden', timeout: 30_000 });
    const row = accountRows().first();
    await row.waitFor({ state: 'visible', timeout: 30_000 });
    await waitFor('the token status', async () => /sandbox · valid for \d+ min/.test((await row.textContent()) ?? ''));
    assert.strictEqual(tokenExchanges(), exchangesBefore + 1, 'exactly one code exchange');
    await workbench.screenshot('pasted-redirect-signed-in');

    // The signed-in user's token serves a query.
    const frame = await workbench.runQuantityQuery('heartRate', '7 days');
    await waitFor(
      'a 200 response in the panel',
      async () => /^200 · /.test((await frame.locator('#status-line').textContent()) ?? ''),
      30_000,
    );
  });

  test('Sign Out… removes the account', async () => {
    const { workbench } = session;
    await accountRows().first().waitFor({ state: 'visible', timeout: 15_000 });
    await workbench.runCommand('OneTwentyOne: Sign Out…');
    await accountRows().first().waitFor({ state: 'hidden', timeout: 15_000 });
    assert.strictEqual(await accountRows().count(), 0);
  });
});
