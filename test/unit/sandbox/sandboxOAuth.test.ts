import * as assert from 'assert';
import { startSandbox } from '../../../src/sandbox/main';
import type { SandboxHandle } from '../../../src/sandbox/types';
import { ada, call, consent, pkcePair, postJson, signIn } from './sandboxClient';

const LOOPBACK = 'http://127.0.0.1:53123/callback';

suite('sandbox: OAuth', () => {
  let h: SandboxHandle;
  const extraClient = {
    clientId: 'test-client',
    clientSecret: 'test-secret',
    redirectUris: ['https://app.example/cb?x=1'],
    name: '<b>Evil & Co</b>',
    scopes: ['quantity', 'sleep'] as const,
  };
  suiteSetup(async () => {
    h = await startSandbox({ clients: [{ ...extraClient, scopes: [...extraClient.scopes] }] });
  });
  suiteTeardown(() => h.close());

  const tokenBody = (code: string, redirectUri = LOOPBACK): Record<string, string> => ({
    code,
    client_id: h.demoClient.clientId,
    client_secret: h.demoClient.clientSecret,
    redirect_uri: redirectUri,
  });

  test('the consent page is real HTML: users, scopes, approve and deny, strict CSP, no script', async () => {
    const res = await call(
      h,
      `/authorize?response_type=code&client_id=${h.demoClient.clientId}&redirect_uri=${encodeURIComponent(LOOPBACK)}&state=s`,
    );
    assert.strictEqual(res.status, 200);
    assert.strictEqual(res.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.match(res.headers.get('content-security-policy')!, /default-src 'none'/);
    assert.ok(!/<script/i.test(res.text));
    for (const u of h.users) assert.ok(res.text.includes(u.userId), u.name);
    for (const s of ['quantity', 'sleep', 'workout', 'profile'])
      assert.ok(res.text.includes(`name="scope" value="${s}"`));
    assert.ok(res.text.includes('value="approve"') && res.text.includes('value="deny"'));
  });

  test('approve redirects with code, state and user_id; the exchange returns exactly the documented fields', async () => {
    const { status, location } = await consent(h, { state: 'st-1', scopes: ['quantity', 'sleep'] });
    assert.strictEqual(status, 302);
    assert.strictEqual(`${location!.origin}${location!.pathname}`, LOOPBACK);
    assert.strictEqual(location!.searchParams.get('state'), 'st-1');
    assert.strictEqual(location!.searchParams.get('user_id'), ada(h).userId);
    const res = await postJson(h, '/api/token', tokenBody(location!.searchParams.get('code')!));
    assert.strictEqual(res.status, 200);
    assert.strictEqual(res.headers.get('cache-control'), 'no-store');
    assert.strictEqual(res.headers.get('content-type'), 'application/json; charset=utf-8');
    const body = res.json<Record<string, string>>();
    assert.deepStrictEqual(Object.keys(body), ['access_token', 'refresh_token']);
    const profile = await call(h, `/api/v1/quantity/${ada(h).userId}/stepCount?pageSize=1`, {
      token: body.access_token,
    });
    assert.strictEqual(profile.status, 200);
  });

  test('granted scopes are enforced: 403 insufficient_scope names the missing scope', async () => {
    const { access } = await signIn(h, { scopes: ['sleep'] });
    const res = await call(h, `/api/v1/workout/user/${ada(h).userId}`, { token: access });
    assert.strictEqual(res.status, 403);
    assert.strictEqual(res.json().error, 'insufficient_scope');
    assert.match(res.headers.get('www-authenticate')!, /error="insufficient_scope", scope="workout"/);
    for (const route of ['profile', 'supplements', 'medications']) {
      assert.strictEqual((await call(h, `/api/v1/${route}/${ada(h).userId}`, { token: access })).status, 403, route);
    }
    assert.strictEqual((await call(h, `/api/v1/sleep/${ada(h).userId}?pageSize=1`, { token: access })).status, 200);
  });

  test('deny redirects with error=access_denied and state, and no code', async () => {
    const { status, location } = await consent(h, { state: 'st-deny', decision: 'deny' });
    assert.strictEqual(status, 302);
    assert.strictEqual(location!.searchParams.get('error'), 'access_denied');
    assert.strictEqual(location!.searchParams.get('state'), 'st-deny');
    assert.strictEqual(location!.searchParams.get('code'), null);
  });

  test('approve without any scope shows the form again instead of redirecting', async () => {
    const { status, page } = await consent(h, { scopes: [] });
    assert.strictEqual(status, 400);
    assert.ok(page.includes('at least one'));
  });

  test('a consent ticket works once', async () => {
    const page = await call(
      h,
      `/authorize?response_type=code&client_id=${h.demoClient.clientId}&redirect_uri=${encodeURIComponent(LOOPBACK)}&state=s`,
    );
    const ticket = /name="ticket" value="([^"]+)"/.exec(page.text)![1]!;
    const form = `ticket=${ticket}&decision=approve&user_id=${ada(h).userId}&scope=sleep`;
    const post = () =>
      call(h, '/authorize', {
        method: 'POST',
        body: form,
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      });
    assert.strictEqual((await post()).status, 302);
    assert.strictEqual((await post()).status, 400);
  });

  test('unknown client or unregistered redirect: an error page, never a redirect', async () => {
    const cases = [
      `client_id=nope&redirect_uri=${encodeURIComponent(LOOPBACK)}`,
      `client_id=${h.demoClient.clientId}&redirect_uri=${encodeURIComponent('https://evil.example/cb')}`,
      `client_id=${h.demoClient.clientId}&redirect_uri=${encodeURIComponent('http://127.0.0.1:5/other')}`,
      `client_id=${h.demoClient.clientId}&redirect_uri=${encodeURIComponent('http://127.0.0.1.evil.example:5/callback')}`,
      `client_id=${h.demoClient.clientId}&redirect_uri=${encodeURIComponent('http://user@127.0.0.1:5/callback')}`,
      `client_id=${h.demoClient.clientId}&redirect_uri=${encodeURIComponent('vscode://onetwentyone.onetwentyone-explorer/auth/callbackX')}`,
      `client_id=${h.demoClient.clientId}`,
    ];
    for (const q of cases) {
      const res = await call(h, `/authorize?response_type=code&state=s&${q}`);
      assert.strictEqual(res.status, 400, q);
      assert.strictEqual(res.headers.get('location'), null, q);
      assert.strictEqual(res.headers.get('content-type'), 'text/html; charset=utf-8');
    }
  });

  test('registered redirects: vscode://, code-oss://, loopback on any port, localhost', async () => {
    for (const redirectUri of [
      'vscode://onetwentyone.onetwentyone-explorer/auth/callback',
      'code-oss://onetwentyone.onetwentyone-explorer/auth/callback',
      'http://127.0.0.1:1/callback',
      'http://127.0.0.1:65535/callback',
      'http://localhost:8080/callback',
      'http://127.0.0.1/callback',
    ]) {
      const { status, location } = await consent(h, { redirectUri });
      assert.strictEqual(status, 302, redirectUri);
      assert.ok(location!.href.startsWith(`${redirectUri}?`), location!.href);
    }
  });

  test('the extra client: its name is escaped, its scopes are the only ones offered, its redirect query is kept', async () => {
    const res = await call(
      h,
      `/authorize?response_type=code&client_id=test-client&redirect_uri=${encodeURIComponent('https://app.example/cb?x=1')}&state=s`,
    );
    assert.ok(res.text.includes('&#60;b&#62;Evil &#38; Co&#60;/b&#62;'));
    assert.ok(!res.text.includes('<b>Evil'));
    assert.ok(!res.text.includes('value="workout"'));
    const { location } = await consent(h, {
      clientId: 'test-client',
      redirectUri: 'https://app.example/cb?x=1',
      scopes: ['quantity', 'workout'],
    });
    assert.strictEqual(location!.searchParams.get('x'), '1');
    const res2 = await postJson(h, '/api/token', {
      code: location!.searchParams.get('code')!,
      client_id: 'test-client',
      client_secret: 'test-secret',
      redirect_uri: 'https://app.example/cb?x=1',
    });
    const token = res2.json<Record<string, string>>().access_token!;
    const profile = await call(h, `/api/v1/workout/user/${ada(h).userId}`, { token });
    assert.strictEqual(profile.status, 403, 'workout was not offered by this client, so it was not granted');
  });

  test('bad response_type or PKCE method redirects with an OAuth error and state', async () => {
    const base = `client_id=${h.demoClient.clientId}&redirect_uri=${encodeURIComponent(LOOPBACK)}&state=zz`;
    const a = await call(h, `/authorize?response_type=token&${base}`);
    assert.strictEqual(a.status, 302);
    assert.match(a.headers.get('location')!, /error=unsupported_response_type.*state=zz/);
    const b = await call(h, `/authorize?response_type=code&${base}&code_challenge=abc&code_challenge_method=plain`);
    assert.match(b.headers.get('location')!, /error=invalid_request/);
  });

  test('codes are single use; reuse revokes the tokens issued from the code', async () => {
    const { location } = await consent(h);
    const code = location!.searchParams.get('code')!;
    const first = (await postJson(h, '/api/token', tokenBody(code))).json<Record<string, string>>();
    const again = await postJson(h, '/api/token', tokenBody(code));
    assert.strictEqual(again.status, 400);
    assert.strictEqual(again.json().error, 'invalid_grant');
    const res = await call(h, `/api/v1/profile/${ada(h).userId}`, { token: first.access_token });
    assert.strictEqual(res.status, 401);
    assert.match(res.headers.get('www-authenticate')!, /invalid_token/);
    const refreshed = await postJson(h, '/api/refresh', {
      refresh_token: first.refresh_token!,
      client_id: h.demoClient.clientId,
      client_secret: h.demoClient.clientSecret,
      user_id: ada(h).userId,
    });
    assert.strictEqual(refreshed.json().error, 'invalid_grant');
  });

  test('codes expire after 10 minutes (clock)', async () => {
    const { location } = await consent(h);
    h.clock.advance(10 * 60_000);
    const res = await postJson(h, '/api/token', tokenBody(location!.searchParams.get('code')!));
    assert.strictEqual(res.status, 400);
    assert.strictEqual(res.json().error, 'invalid_grant');
  });

  test('redirect_uri must equal the one used to get the code', async () => {
    const { location } = await consent(h);
    const res = await postJson(
      h,
      '/api/token',
      tokenBody(location!.searchParams.get('code')!, 'http://127.0.0.1:53124/callback'),
    );
    assert.strictEqual(res.json().error, 'invalid_grant');
  });

  test('PKCE S256: the right verifier works, a wrong or missing one fails', async () => {
    const { verifier, challenge } = pkcePair();
    for (const [sent, ok] of [
      [verifier, true],
      ['x'.repeat(43), false],
      [undefined, false],
    ] as const) {
      const { location } = await consent(h, { challenge });
      const body = tokenBody(location!.searchParams.get('code')!);
      if (sent) body.code_verifier = sent;
      const res = await postJson(h, '/api/token', body);
      assert.strictEqual(res.status, ok ? 200 : 400, String(sent));
      if (!ok) assert.strictEqual(res.json().error, 'invalid_grant');
    }
    const { location } = await consent(h);
    const res = await postJson(h, '/api/token', {
      ...tokenBody(location!.searchParams.get('code')!),
      code_verifier: verifier,
    });
    assert.strictEqual(res.json().error, 'invalid_grant', 'a verifier for a code issued without challenge is refused');
  });

  test('token params are accepted as a JSON or form body; only non-secret ones also in the query (the docs curl -G JSON fragments)', async () => {
    const send = async (
      encode: (b: Record<string, string>) => { path: string; body?: string; type?: string },
    ): Promise<number> => {
      const { location } = await consent(h);
      const { path, body, type } = encode(tokenBody(location!.searchParams.get('code')!));
      return (
        await call(h, path, {
          method: 'POST',
          ...(body === undefined ? {} : { body }),
          headers: type ? { 'Content-Type': type } : {},
        })
      ).status;
    };
    assert.strictEqual(
      await send((b) => ({ path: '/api/token', body: JSON.stringify(b), type: 'application/json' })),
      200,
    );
    assert.strictEqual(
      await send((b) => ({
        path: '/api/token',
        body: new URLSearchParams(b).toString(),
        type: 'application/x-www-form-urlencoded',
      })),
      200,
    );
    const { redirect_uri: redirectUri, client_id: clientId, ...secrets } = tokenBody('');
    assert.strictEqual(
      await send((b) => ({
        path: `/api/token?${encodeURIComponent(JSON.stringify({ client_id: clientId }))}&${encodeURIComponent(JSON.stringify({ redirect_uri: redirectUri }))}`,
        body: JSON.stringify({ ...secrets, code: b.code }),
        type: 'application/json',
      })),
      200,
    );
    assert.strictEqual(
      await send((b) => ({ path: `/api/token?${new URLSearchParams(b)}` })),
      400,
      'secrets in the query string are refused',
    );
  });

  test('token errors: RFC 6749 bodies and statuses, no-store, secrets never echoed', async () => {
    const { location } = await consent(h);
    const code = location!.searchParams.get('code')!;
    const cases: [Record<string, string>, number, string][] = [
      [{ ...tokenBody(code), client_secret: 'wrong-secret' }, 401, 'invalid_client'],
      [{ code, redirect_uri: LOOPBACK }, 401, 'invalid_client'],
      [{ ...tokenBody(code), client_id: 'nobody' }, 401, 'invalid_client'],
      [
        { client_id: h.demoClient.clientId, client_secret: h.demoClient.clientSecret, redirect_uri: LOOPBACK },
        400,
        'invalid_request',
      ],
      [{ ...tokenBody(code), redirect_uri: '' }, 400, 'invalid_request'],
      [{ ...tokenBody('sbx_code_bogus') }, 400, 'invalid_grant'],
      [{ ...tokenBody(code), grant_type: 'client_credentials' }, 400, 'unsupported_grant_type'],
    ];
    for (const [body, status, error] of cases) {
      const res = await postJson(h, '/api/token', body);
      assert.strictEqual(res.status, status, JSON.stringify(body));
      assert.strictEqual(res.json().error, error);
      assert.strictEqual(res.headers.get('cache-control'), 'no-store');
      assert.ok(!res.text.includes('wrong-secret') && !res.text.includes(h.demoClient.clientSecret));
    }
    const get = await call(h, '/api/token');
    assert.strictEqual(get.status, 405);
    const bad = await call(h, '/api/token', {
      method: 'POST',
      body: '{not json',
      headers: { 'Content-Type': 'application/json' },
    });
    assert.strictEqual(bad.json().error, 'invalid_request');
    const basic = await call(h, '/api/token', {
      method: 'POST',
      body: JSON.stringify({ code, redirect_uri: LOOPBACK }),
      headers: {
        'Content-Type': 'application/json',
        Authorization: `Basic ${Buffer.from(`${h.demoClient.clientId}:${h.demoClient.clientSecret}`).toString('base64')}`,
      },
    });
    assert.strictEqual(basic.status, 200, 'HTTP Basic client authentication works too');
  });

  test('access tokens expire after 1 hour; refresh gives { access_token, expires_in: 3600 } without rotating', async () => {
    const { access, refresh, userId } = await signIn(h);
    const path = `/api/v1/profile/${userId}`;
    h.clock.advance(3600_000 - 1000);
    assert.strictEqual((await call(h, path, { token: access })).status, 200);
    h.clock.advance(1000);
    const expired = await call(h, path, { token: access });
    assert.strictEqual(expired.status, 401);
    assert.match(
      expired.headers.get('www-authenticate')!,
      /error="invalid_token", error_description="The access token expired"/,
    );
    h.clock.advance(400 * 86_400_000);
    const refreshBody = {
      refresh_token: refresh,
      client_id: h.demoClient.clientId,
      client_secret: h.demoClient.clientSecret,
      user_id: userId,
    };
    const res = await postJson(h, '/api/refresh', refreshBody);
    assert.strictEqual(res.status, 200, 'refresh tokens do not expire');
    assert.strictEqual(res.headers.get('cache-control'), 'no-store');
    const body = res.json<Record<string, unknown>>();
    assert.deepStrictEqual(Object.keys(body), ['access_token', 'expires_in']);
    assert.strictEqual(body.expires_in, 3600);
    assert.strictEqual((await call(h, path, { token: String(body.access_token) })).status, 200);
    assert.strictEqual(
      (await postJson(h, '/api/refresh', refreshBody)).status,
      200,
      'the same refresh token works again',
    );
  });

  test('refresh errors: wrong user_id, unknown token, missing user_id, access token as refresh token', async () => {
    const { access, refresh, userId } = await signIn(h);
    const base = {
      refresh_token: refresh,
      client_id: h.demoClient.clientId,
      client_secret: h.demoClient.clientSecret,
      user_id: userId,
    };
    const cases: [Record<string, string>, number, string][] = [
      [{ ...base, user_id: h.users[1]!.userId }, 400, 'invalid_grant'],
      [{ ...base, refresh_token: 'sbx_rt_nope' }, 400, 'invalid_grant'],
      [{ ...base, refresh_token: access }, 400, 'invalid_grant'],
      [
        { refresh_token: refresh, client_id: h.demoClient.clientId, client_secret: h.demoClient.clientSecret },
        400,
        'invalid_request',
      ],
      [{ ...base, client_secret: 'x' }, 401, 'invalid_client'],
      [{ ...base, grant_type: 'authorization_code' }, 400, 'unsupported_grant_type'],
    ];
    for (const [body, status, error] of cases) {
      const res = await postJson(h, '/api/refresh', body);
      assert.strictEqual(res.status, status, JSON.stringify(Object.keys(body)));
      assert.strictEqual(res.json().error, error);
    }
    assert.strictEqual(
      (await call(h, `/api/v1/profile/${userId}`, { token: refresh })).status,
      401,
      'a refresh token is not a bearer token',
    );
  });

  test('PATs carry all scopes and do not expire', async () => {
    h.clock.advance(1000 * 86_400_000);
    const res = await call(h, `/api/v1/profile/${ada(h).userId}`, { token: ada(h).pat });
    assert.strictEqual(res.status, 200);
    assert.deepStrictEqual(res.json<{ data: { scopes: string[] } }>().data.scopes, [
      'quantity',
      'sleep',
      'workout',
      'profile',
    ]);
  });
});
