import * as assert from 'assert';
import { createHash, randomBytes } from 'crypto';
import * as fs from 'fs';
import * as http from 'http';
import type { AddressInfo } from 'net';
import * as path from 'path';
import type { Browser, Page } from 'playwright-core';
import { startSandbox } from '../../src/sandbox/main';
import type { SandboxHandle } from '../../src/sandbox/types';
import { launchChromium } from '../support/chromium';

/**
 * The sandbox's OAuth consent page, used by a real browser as a person would: open /authorize for a
 * loopback redirect served by a tiny local server, pick a user, untick a scope, approve (or deny),
 * and check what arrives at the redirect and what the exchanged token may read.
 */

interface Callback {
  readonly query: URLSearchParams;
}

async function callbackServer(): Promise<{ redirectUri: string; next(): Promise<Callback>; close(): Promise<void> }> {
  const waiting: ((c: Callback) => void)[] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end('<!DOCTYPE html><title>Callback received</title><p>You can close this tab.</p>');
    if (url.pathname === '/callback') waiting.shift()?.({ query: url.searchParams });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    redirectUri: `http://127.0.0.1:${port}/callback`,
    next: () => new Promise((resolve) => waiting.push(resolve)),
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

suite('sandbox consent page in Chromium', () => {
  let sandbox: SandboxHandle;
  let callback: Awaited<ReturnType<typeof callbackServer>>;
  let browser: Browser;
  let page: Page;

  suiteSetup(async () => {
    sandbox = await startSandbox();
    callback = await callbackServer();
    browser = await launchChromium();
  });
  setup(async () => {
    page = await browser.newPage();
  });
  teardown(() => page.close());
  suiteTeardown(async () => {
    await browser?.close();
    await callback?.close();
    await sandbox?.close();
  });

  function authorizeUrl(state: string, challenge?: string): string {
    const q = new URLSearchParams({
      response_type: 'code',
      client_id: sandbox.demoClient.clientId,
      redirect_uri: callback.redirectUri,
      state,
    });
    if (challenge) {
      q.set('code_challenge', challenge);
      q.set('code_challenge_method', 'S256');
    }
    return `${sandbox.baseUrl}/authorize?${q}`;
  }

  test('approve: pick a user, untick a scope; the redirect carries code, state and user_id; the token has exactly the chosen scopes', async () => {
    const verifier = randomBytes(32).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const state = randomBytes(16).toString('base64url');
    await page.goto(authorizeUrl(state, challenge));
    assert.match(await page.title(), /Authorize access/);
    await page.getByLabel('Five-year heart rate').check();
    await page.getByRole('checkbox', { name: /workout/ }).uncheck();
    fs.mkdirSync('test-results', { recursive: true });
    await page.screenshot({ path: path.join('test-results', 'sandbox-consent.png'), fullPage: true });
    const arrived = callback.next();
    await page.getByRole('button', { name: 'Approve' }).click();
    const { query } = await arrived;
    await page.waitForURL(/\/callback\?/);
    const five = sandbox.users.find((u) => u.name === 'Five-year heart rate')!;
    assert.strictEqual(query.get('state'), state);
    assert.strictEqual(query.get('user_id'), five.userId);
    assert.ok(query.get('code'));

    const token = await fetch(`${sandbox.baseUrl}/api/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        code: query.get('code'),
        client_id: sandbox.demoClient.clientId,
        client_secret: sandbox.demoClient.clientSecret,
        redirect_uri: callback.redirectUri,
        code_verifier: verifier,
      }),
    });
    assert.strictEqual(token.status, 200);
    const { access_token: access } = (await token.json()) as { access_token: string };
    const profile = await fetch(`${sandbox.baseUrl}/api/v1/profile/${five.userId}`, {
      headers: { Authorization: `Bearer ${access}` },
    });
    const { data } = (await profile.json()) as { data: { scopes: string[]; user_id: string } };
    assert.deepStrictEqual(data.scopes, ['quantity', 'sleep', 'profile']);
    assert.strictEqual(data.user_id, five.userId);
    const workout = await fetch(`${sandbox.baseUrl}/api/v1/workout/user/${five.userId}`, {
      headers: { Authorization: `Bearer ${access}` },
    });
    assert.strictEqual(workout.status, 403);
  });

  test('deny: the redirect carries error=access_denied and the state, and no code', async () => {
    await page.goto(authorizeUrl('deny-state'));
    const arrived = callback.next();
    await page.getByRole('button', { name: 'Deny' }).click();
    const { query } = await arrived;
    assert.strictEqual(query.get('error'), 'access_denied');
    assert.strictEqual(query.get('state'), 'deny-state');
    assert.strictEqual(query.get('code'), null);
  });

  test('an unregistered redirect shows an error page and the browser stays on the sandbox', async () => {
    const q = new URLSearchParams({
      response_type: 'code',
      client_id: sandbox.demoClient.clientId,
      redirect_uri: 'https://evil.example/cb',
      state: 's',
    });
    const response = await page.goto(`${sandbox.baseUrl}/authorize?${q}`);
    assert.strictEqual(response?.status(), 400);
    assert.ok(page.url().startsWith(sandbox.baseUrl));
    assert.match(await page.locator('h1').innerText(), /Redirect URI not registered/);
  });
});
