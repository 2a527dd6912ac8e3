import * as assert from 'assert';
import { startSandbox } from '../../../src/sandbox/main';
import type { SandboxHandle } from '../../../src/sandbox/types';
import { ada, call } from './sandboxClient';
import { FORM, openConsent, rawRequest } from './rawHttp';

suite('sandbox: Host and Origin (DNS rebinding, cross-site posts)', () => {
  let h: SandboxHandle;
  suiteSetup(async () => {
    h = await startSandbox();
  });
  suiteTeardown(() => h.close());

  const authorizePath = (): string =>
    `/authorize?${new URLSearchParams({
      response_type: 'code',
      client_id: h.demoClient.clientId,
      redirect_uri: 'http://127.0.0.1:53123/callback',
      state: 's',
    })}`;
  const approveBody = (ticket: string): string =>
    new URLSearchParams({ ticket, decision: 'approve', user_id: ada(h).userId, scope: 'profile' }).toString();

  test('a rebound name in Host gets 421 and neither a consent ticket nor demo data', async () => {
    for (const host of [
      `rebind.attacker.example:${h.port}`,
      `127.0.0.1.nip.io:${h.port}`,
      '127.0.0.1',
      `127.0.0.1:${h.port + 1}`,
      `localhost:${h.port}.evil.example`,
    ]) {
      const page = await rawRequest(h, { path: authorizePath(), headers: { Host: host } });
      assert.strictEqual(page.status, 421, host);
      assert.strictEqual(page.headers['content-type'], 'text/plain; charset=utf-8');
      assert.ok(!page.text.includes('ticket'), host);
      const data = await rawRequest(h, {
        path: `/api/v1/profile/${ada(h).userId}`,
        headers: { Host: host, Authorization: `Bearer ${ada(h).pat}` },
      });
      assert.strictEqual(data.status, 421, host);
      assert.ok(!data.text.includes(ada(h).userId), host);
    }
  });

  test('the sandbox answers to its own address as 127.0.0.1, localhost (any case) and [::1], on its port', async () => {
    for (const host of [`127.0.0.1:${h.port}`, `localhost:${h.port}`, `LOCALHOST:${h.port}`, `[::1]:${h.port}`]) {
      const data = await rawRequest(h, {
        path: `/api/v1/profile/${ada(h).userId}`,
        headers: { Host: host, Authorization: `Bearer ${ada(h).pat}` },
      });
      assert.strictEqual(data.status, 200, host);
    }
    assert.strictEqual(
      (await call(h, authorizePath())).status,
      200,
      'fetch to the baseUrl, as the tests and the extension do',
    );
  });

  test('a consent POST from another origin (or an opaque one) is 403 and leaves the ticket usable', async () => {
    const ticket = await openConsent(h);
    for (const origin of [
      'http://evil.example',
      'null',
      `http://rebind.attacker.example:${h.port}`,
      `https://127.0.0.1:${h.port}`,
      `http://127.0.0.1:${h.port + 1}`,
    ]) {
      const post = await rawRequest(h, {
        method: 'POST',
        path: '/authorize',
        body: approveBody(ticket),
        headers: { ...FORM, Origin: origin },
      });
      assert.strictEqual(post.status, 403, origin);
      assert.strictEqual(post.headers.location, undefined, origin);
    }
    const own = await rawRequest(h, {
      method: 'POST',
      path: '/authorize',
      body: approveBody(ticket),
      headers: { ...FORM, Origin: `http://localhost:${h.port}` },
    });
    assert.strictEqual(own.status, 302);
    assert.match(own.headers.location!, /[?&]code=sbx_code_/);
  });

  test('the consent POST works from the sandbox origin and without an Origin header', async () => {
    for (const headers of [
      { Origin: `http://127.0.0.1:${h.port}` },
      { Origin: `http://[::1]:${h.port}` },
      {},
    ] as Record<string, string>[]) {
      const ticket = await openConsent(h);
      const post = await rawRequest(h, {
        method: 'POST',
        path: '/authorize',
        body: approveBody(ticket),
        headers: { ...FORM, ...headers },
      });
      assert.strictEqual(post.status, 302, JSON.stringify(headers));
    }
  });

  test('the token routes refuse posts from another origin too', async () => {
    const body = JSON.stringify({
      client_id: h.demoClient.clientId,
      client_secret: h.demoClient.clientSecret,
      code: 'sbx_code_x',
      redirect_uri: 'http://127.0.0.1:53123/callback',
    });
    const res = await rawRequest(h, {
      method: 'POST',
      path: '/api/token',
      body,
      headers: { 'Content-Type': 'text/plain', Origin: 'http://evil.example' },
    });
    assert.strictEqual(res.status, 403);
  });

  test('the consent page keeps its origin in the form post: Referrer-Policy same-origin, not no-referrer', async () => {
    const page = await call(h, authorizePath());
    assert.strictEqual(page.headers.get('referrer-policy'), 'same-origin');
  });
});
