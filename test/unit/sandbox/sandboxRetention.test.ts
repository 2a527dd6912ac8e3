import * as assert from 'assert';
import { BoundedMap } from '../../../src/sandbox/boundedMap';
import {
  DEMO_CLIENT_ID,
  DEMO_CLIENT_SECRET,
  DEMO_REDIRECT_URIS,
  DEMO_USERS,
  startSandbox,
} from '../../../src/sandbox/main';
import { MAX_PENDING_CONSENTS, PendingConsents } from '../../../src/sandbox/oauth/pendingConsents';
import { toRegisteredClient } from '../../../src/sandbox/oauth/clients';
import {
  CODE_TTL_MS,
  GrantStore,
  MAX_ACCESS_TOKENS,
  MAX_CODES,
  MAX_REFRESH_TOKENS,
} from '../../../src/sandbox/oauth/grants';
import { AUTHORIZE_PARAM_CAPS } from '../../../src/sandbox/oauth/paramLimits';
import type { AdjustableClock, SandboxHandle } from '../../../src/sandbox/types';
import { createAdjustableClock } from '../../../src/sandbox/clock';
import { ada, call } from './sandboxClient';
import { FORM, openConsent } from './rawHttp';

/** 30,000 in all, as in the flood that grew the process to 765 MB; over HTTP only as many as the unit tier can afford. */
const HTTP_AUTHORIZE_REQUESTS = 5_000;
const IN_PROCESS_OPENS = 25_000;
const LARGEST_STATE = 's'.repeat(AUTHORIZE_PARAM_CAPS.state);

suite('sandbox: request-fed stores stay bounded', () => {
  let h: SandboxHandle;
  setup(async () => {
    h = await startSandbox();
  });
  teardown(() => h.close());

  test(`${HTTP_AUTHORIZE_REQUESTS.toLocaleString('en-US')} authorize requests over HTTP with the largest state keep at most ${MAX_PENDING_CONSENTS} consents`, async function () {
    this.timeout(120_000);
    const url = `${h.baseUrl}/authorize?${new URLSearchParams({
      response_type: 'code',
      client_id: h.demoClient.clientId,
      redirect_uri: 'http://127.0.0.1:53123/callback',
      state: LARGEST_STATE,
    })}`;
    let sent = 0;
    let peak = 0;
    const worker = async (): Promise<void> => {
      while (sent < HTTP_AUTHORIZE_REQUESTS) {
        sent++;
        const res = await fetch(url);
        await res.arrayBuffer();
        if (res.status !== 200) throw new Error(`authorize answered ${res.status}`);
        peak = Math.max(peak, h.retained().consents);
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    assert.strictEqual(h.retained().consents, MAX_PENDING_CONSENTS);
    assert.strictEqual(peak, MAX_PENDING_CONSENTS);
  });

  test(`${IN_PROCESS_OPENS.toLocaleString('en-US')} more consents opened in process: the store never holds more than ${MAX_PENDING_CONSENTS}`, () => {
    const store = new PendingConsents(h.clock);
    const client = toRegisteredClient({
      clientId: DEMO_CLIENT_ID,
      clientSecret: DEMO_CLIENT_SECRET,
      redirectUris: DEMO_REDIRECT_URIS,
    });
    let peak = 0;
    for (let i = 0; i < IN_PROCESS_OPENS; i++) {
      store.open({
        client,
        redirectUri: 'http://127.0.0.1:53123/callback',
        state: `${i}${LARGEST_STATE}`.slice(0, LARGEST_STATE.length),
        codeChallenge: undefined,
        preselected: [],
      });
      peak = Math.max(peak, store.size);
    }
    assert.strictEqual(store.size, MAX_PENDING_CONSENTS);
    assert.strictEqual(peak, MAX_PENDING_CONSENTS);
  });

  test('the oldest consent is the one forgotten; the newest still works', async () => {
    const oldest = await openConsent(h, 'first');
    for (let i = 0; i < MAX_PENDING_CONSENTS; i++) await openConsent(h, `n${i}`);
    const newest = await openConsent(h, 'last');
    const post = (ticket: string) =>
      call(h, '/authorize', {
        method: 'POST',
        body: new URLSearchParams({ ticket, decision: 'deny' }).toString(),
        headers: FORM,
      });
    assert.strictEqual((await post(oldest)).status, 400);
    assert.strictEqual((await post(newest)).status, 302);
  });

  test('expired consents are pruned when the next one is opened', async () => {
    for (let i = 0; i < 20; i++) await openConsent(h);
    assert.strictEqual(h.retained().consents, 20);
    h.clock.advance(30 * 60_000);
    await openConsent(h);
    assert.strictEqual(h.retained().consents, 1);
  });

  test('a real sign-in is counted: the consent closes, one code, one access and one refresh token', async () => {
    const ticket = await openConsent(h);
    const decided = await call(h, '/authorize', {
      method: 'POST',
      body: new URLSearchParams({ ticket, decision: 'approve', user_id: ada(h).userId, scope: 'profile' }).toString(),
      headers: FORM,
    });
    const code = new URL(decided.headers.get('location')!).searchParams.get('code')!;
    assert.deepStrictEqual(h.retained(), { consents: 0, codes: 1, accessTokens: 0, refreshTokens: 0 });
    const res = await call(h, '/api/token', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        code,
        client_id: h.demoClient.clientId,
        client_secret: h.demoClient.clientSecret,
        redirect_uri: 'http://127.0.0.1:53123/callback',
      }),
    });
    assert.strictEqual(res.status, 200);
    assert.deepStrictEqual(h.retained(), { consents: 0, codes: 1, accessTokens: 1, refreshTokens: 1 });
  });
});

suite('sandbox: the grant store caps codes and tokens (in process)', () => {
  let clock: AdjustableClock;
  let store: GrantStore;
  const TTL = 3_600_000;
  setup(() => {
    clock = createAdjustableClock({ now: () => Date.UTC(2026, 0, 1) });
    store = new GrantStore(clock, TTL, []);
  });
  const code = (): string =>
    store.issueCode({ clientId: 'c', redirectUri: 'r', userId: 'u', scopes: ['profile'], codeChallenge: undefined });

  test(`codes: never more than ${MAX_CODES}, the oldest evicted first; expired ones pruned on insert`, () => {
    const first = code();
    for (let i = 0; i < MAX_CODES * 3; i++) code();
    assert.strictEqual(store.counts().codes, MAX_CODES);
    assert.strictEqual(store.redeemCode(first, 'c', 'r', undefined).ok, false);
    const last = code();
    assert.strictEqual(store.redeemCode(last, 'c', 'r', undefined).ok, true);
    clock.advance(2 * CODE_TTL_MS);
    code();
    assert.strictEqual(store.counts().codes, 1);
  });

  test('an expired code still says "expired" and a replay still revokes during its extra lifetime', () => {
    const c = code();
    const redeemed = store.redeemCode(c, 'c', 'r', undefined);
    assert.ok(redeemed.ok);
    const access = store.issueAccessToken('u', 'c', ['profile']);
    redeemed.issue(access, store.issueRefreshToken('u', 'c', ['profile']));
    clock.advance(CODE_TTL_MS + 60_000);
    code();
    assert.strictEqual(store.redeemCode(c, 'c', 'r', undefined).ok, false);
    assert.deepStrictEqual(store.checkBearer(access), { ok: false, reason: 'revoked' });
    const fresh = code();
    clock.advance(CODE_TTL_MS);
    const expired = store.redeemCode(fresh, 'c', 'r', undefined);
    assert.ok(!expired.ok && /expired/.test(expired.description));
  });

  test(`access tokens: at most ${MAX_ACCESS_TOKENS}; refresh tokens: at most ${MAX_REFRESH_TOKENS}; expired access tokens pruned`, () => {
    for (let i = 0; i < MAX_ACCESS_TOKENS + 500; i++) store.issueAccessToken('u', 'c', ['profile']);
    for (let i = 0; i < MAX_REFRESH_TOKENS + 500; i++) store.issueRefreshToken('u', 'c', ['profile']);
    assert.deepStrictEqual(store.counts(), {
      codes: 0,
      accessTokens: MAX_ACCESS_TOKENS,
      refreshTokens: MAX_REFRESH_TOKENS,
    });
    clock.advance(TTL);
    const late = store.issueAccessToken('u', 'c', ['profile']);
    assert.strictEqual(
      store.counts().accessTokens,
      MAX_ACCESS_TOKENS,
      'expired, but kept one more lifetime to answer "expired"',
    );
    clock.advance(TTL);
    assert.deepStrictEqual(store.checkBearer(late), { ok: false, reason: 'expired' });
    store.issueAccessToken('u', 'c', ['profile']);
    assert.strictEqual(store.counts().accessTokens, 2);
  });

  test('PATs are never evicted', () => {
    const withPat = new GrantStore(clock, TTL, DEMO_USERS);
    for (let i = 0; i < MAX_ACCESS_TOKENS + 10; i++) withPat.issueAccessToken('u', 'c', ['profile']);
    clock.advance(1000 * 86_400_000);
    withPat.issueAccessToken('u', 'c', ['profile']);
    for (const u of DEMO_USERS) assert.ok(withPat.checkBearer(u.pat).ok, u.name);
  });
});

suite('sandbox: BoundedMap', () => {
  test('keeps the newest entries at capacity and drops what is past its time', () => {
    let now = 0;
    const map = new BoundedMap<number, number>(3, { now: () => now }, (v) => v + 10);
    for (let i = 0; i < 5; i++) map.set(i, i);
    assert.strictEqual(map.size, 3);
    assert.strictEqual(map.get(0), undefined);
    assert.strictEqual(map.get(4), 4);
    now = 13;
    assert.strictEqual(map.get(2), undefined, 'past its time when read');
    map.set(5, 5);
    assert.strictEqual(map.size, 2, 'pruned on insert: 3 expired too');
    assert.throws(() => new BoundedMap(0, { now: () => 0 }, () => 0));
  });
});
