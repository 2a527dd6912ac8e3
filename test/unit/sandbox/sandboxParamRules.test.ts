import * as assert from 'assert';
import { startSandbox } from '../../../src/sandbox/main';
import { AUTHORIZE_PARAM_CAPS, CONSENT_FORM_CAPS, TOKEN_PARAM_CAPS } from '../../../src/sandbox/oauth/paramLimits';
import type { SandboxHandle } from '../../../src/sandbox/types';
import { ada, call, consent, pkcePair, postJson, signIn } from './sandboxClient';
import { FORM, openConsent } from './rawHttp';

const LOOPBACK = 'http://127.0.0.1:53123/callback';

suite('sandbox: where secrets go, and how long parameters may be', () => {
  let h: SandboxHandle;
  suiteSetup(async () => {
    h = await startSandbox();
  });
  suiteTeardown(() => h.close());

  const client = (): Record<string, string> => ({
    client_id: h.demoClient.clientId,
    client_secret: h.demoClient.clientSecret,
  });

  test('client_secret, refresh_token, code_verifier and code in the query string: 400 invalid_request naming the rule', async () => {
    const { verifier, challenge } = pkcePair();
    const { location } = await consent(h, { challenge });
    const code = location!.searchParams.get('code')!;
    const { refresh, userId } = await signIn(h);
    const cases: [string, string, Record<string, string>][] = [
      ['/api/token', 'client_secret', { client_id: h.demoClient.clientId, client_secret: h.demoClient.clientSecret }],
      ['/api/token', 'code', { code }],
      ['/api/token', 'code_verifier', { code_verifier: verifier }],
      ['/api/refresh', 'refresh_token', { refresh_token: refresh }],
    ];
    for (const [route, secret, query] of cases) {
      for (const search of [new URLSearchParams(query).toString(), encodeURIComponent(JSON.stringify(query))]) {
        const res = await call(h, `${route}?${search}`, {
          method: 'POST',
          body: JSON.stringify({
            ...client(),
            code,
            redirect_uri: LOOPBACK,
            code_verifier: verifier,
            refresh_token: refresh,
            user_id: userId,
          }),
          headers: { 'Content-Type': 'application/json' },
        });
        assert.strictEqual(res.status, 400, `${route} ${search}`);
        const body = res.json<{ error: string; error_description: string; parameter: string }>();
        assert.strictEqual(body.error, 'invalid_request');
        assert.strictEqual(body.parameter, secret);
        assert.match(body.error_description, /only in the POST body.*never in the query string/);
        assert.ok(
          !res.text.includes(h.demoClient.clientSecret) && !res.text.includes(refresh) && !res.text.includes(verifier),
        );
      }
    }
    const exchanged = await postJson(h, '/api/token', {
      ...client(),
      code,
      redirect_uri: LOOPBACK,
      code_verifier: verifier,
    });
    assert.strictEqual(exchanged.status, 200, 'a refused request did not consume the code');
  });

  test('secrets in a JSON or form body, or the client secret as HTTP Basic, still work', async () => {
    const { refresh, userId } = await signIn(h);
    const basic = `Basic ${Buffer.from(`${h.demoClient.clientId}:${h.demoClient.clientSecret}`).toString('base64')}`;
    const form = await call(h, '/api/refresh', {
      method: 'POST',
      body: new URLSearchParams({ refresh_token: refresh, user_id: userId }).toString(),
      headers: { ...FORM, Authorization: basic },
    });
    assert.strictEqual(form.status, 200);
    const json = await postJson(h, '/api/refresh', { ...client(), refresh_token: refresh, user_id: userId });
    assert.strictEqual(json.status, 200);
  });

  test('authorize parameters over their caps: a 400 page naming the parameter, no redirect, no consent kept', async () => {
    const base = { response_type: 'code', client_id: h.demoClient.clientId, redirect_uri: LOOPBACK, state: 's' };
    const before = h.retained().consents;
    const over: Record<string, string> = {
      state: 'x'.repeat(AUTHORIZE_PARAM_CAPS.state + 1),
      redirect_uri: `${LOOPBACK}?${'a'.repeat(AUTHORIZE_PARAM_CAPS.redirect_uri)}`,
      code_challenge: 'c'.repeat(AUTHORIZE_PARAM_CAPS.code_challenge + 1),
      scope: 'quantity '.repeat(40),
      client_id: 'i'.repeat(AUTHORIZE_PARAM_CAPS.client_id + 1),
      response_type: 'r'.repeat(AUTHORIZE_PARAM_CAPS.response_type + 1),
      code_challenge_method: 'S'.repeat(AUTHORIZE_PARAM_CAPS.code_challenge_method + 1),
      prompt: 'p'.repeat(3000),
    };
    for (const [name, value] of Object.entries(over)) {
      const res = await call(h, `/authorize?${new URLSearchParams({ ...base, [name]: value })}`);
      assert.strictEqual(res.status, 400, name);
      assert.strictEqual(res.headers.get('location'), null, name);
      assert.ok(res.text.includes(`${name} is longer than`), name);
      assert.ok(!res.text.includes(value), `${name}: the value is not echoed`);
    }
    const sixKb = await call(h, `/authorize?${new URLSearchParams({ ...base, state: 'x'.repeat(6 * 1024) })}`);
    assert.strictEqual(sixKb.status, 400);
    assert.strictEqual(h.retained().consents, before);
    const atCap = await call(
      h,
      `/authorize?${new URLSearchParams({ ...base, state: 'x'.repeat(AUTHORIZE_PARAM_CAPS.state) })}`,
    );
    assert.strictEqual(atCap.status, 200, 'a state exactly at the cap is fine');
  });

  test('token parameters over their caps: 400 invalid_request with the parameter named, also through HTTP Basic', async () => {
    const { location } = await consent(h);
    const valid = { ...client(), code: location!.searchParams.get('code')!, redirect_uri: LOOPBACK };
    for (const [name, max] of Object.entries(TOKEN_PARAM_CAPS)) {
      const res = await postJson(h, name === 'refresh_token' ? '/api/refresh' : '/api/token', {
        ...valid,
        [name]: 'v'.repeat(max + 1),
      });
      assert.strictEqual(res.status, 400, name);
      assert.deepStrictEqual([res.json().error, res.json().parameter], ['invalid_request', name]);
      assert.match(String(res.json().error_description), new RegExp(`${name} is longer than ${max} characters`));
    }
    const basic = `Basic ${Buffer.from(`${h.demoClient.clientId}:${'s'.repeat(TOKEN_PARAM_CAPS.client_secret + 1)}`).toString('base64')}`;
    const viaBasic = await call(h, '/api/token', {
      method: 'POST',
      body: JSON.stringify({ code: valid.code, redirect_uri: LOOPBACK }),
      headers: { 'Content-Type': 'application/json', Authorization: basic },
    });
    assert.strictEqual(viaBasic.json().parameter, 'client_secret');
    assert.strictEqual(
      (await postJson(h, '/api/token', valid)).status,
      200,
      'the refused requests did not consume the code',
    );
  });

  test('consent form fields over their caps: a 400 page, and the ticket is still good', async () => {
    const ticket = await openConsent(h);
    for (const [name, max] of Object.entries(CONSENT_FORM_CAPS)) {
      const form = new URLSearchParams({ ticket, decision: 'approve', user_id: ada(h).userId, scope: 'profile' });
      form.set(name, 'z'.repeat(max + 1));
      const res = await call(h, '/authorize', { method: 'POST', body: form.toString(), headers: FORM });
      assert.strictEqual(res.status, 400, name);
      assert.ok(res.text.includes(`${name} is longer than ${max} characters`), name);
    }
    const ok = await call(h, '/authorize', {
      method: 'POST',
      body: new URLSearchParams({ ticket, decision: 'approve', user_id: ada(h).userId, scope: 'profile' }).toString(),
      headers: FORM,
    });
    assert.strictEqual(ok.status, 302);
  });
});
