import * as assert from 'assert';
import { AuthorizationFlows } from '../../../src/core/auth/authorizationFlows';
import { AuthError } from '../../../src/core/auth/errors';
import { silentLogger } from '../../../src/core/ports';

const USER = '123e4567-e89b-12d3-a456-426614174000';
const ORIGIN = 'http://127.0.0.1:4010';

function flows(clock = { now: () => 1_000 }) {
  return new AuthorizationFlows(clock, silentLogger, 300_000);
}

async function rejection(promise: Promise<unknown>): Promise<AuthError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof AuthError);
    return error;
  }
  assert.fail('expected a rejection');
}

suite('auth: authorization flows', () => {
  test('the authorize URL carries the attempt state, the redirect and an S256 challenge', () => {
    const attempt = flows().start({
      origin: ORIGIN,
      clientId: 'client',
      redirectUri: 'http://127.0.0.1:5000/callback',
    });
    assert.strictEqual(attempt.authorizeUrl.searchParams.get('state'), attempt.state);
    assert.strictEqual(attempt.authorizeUrl.searchParams.get('redirect_uri'), 'http://127.0.0.1:5000/callback');
    assert.match(attempt.authorizeUrl.searchParams.get('code_challenge') ?? '', /^[A-Za-z0-9_-]{43}$/);
  });

  test('a forged callback is ignored and the genuine one completes', async () => {
    const f = flows();
    const attempt = f.start({ origin: ORIGIN, clientId: 'c', redirectUri: 'r' });
    assert.strictEqual(
      f.handleCallback(new URLSearchParams({ code: 'ATTACKER', state: 'GUESS', user_id: USER })),
      'ignored',
    );
    assert.strictEqual(
      f.handleCallback(new URLSearchParams({ code: 'real', state: attempt.state, user_id: USER })),
      'completed',
    );
    const result = await attempt.callback;
    assert.strictEqual(result.code, 'real');
    assert.strictEqual(result.pending.redirectUri, 'r');
  });

  test('two attempts at once each complete only with their own state', async () => {
    const f = flows();
    const first = f.start({ origin: ORIGIN, clientId: 'c', redirectUri: 'r1' });
    const second = f.start({ origin: ORIGIN, clientId: 'c', redirectUri: 'r2' });
    assert.notStrictEqual(first.state, second.state);
    f.handleCallback(new URLSearchParams({ code: 'two', state: second.state, user_id: USER }));
    f.handleCallback(new URLSearchParams({ code: 'one', state: first.state, user_id: USER }));
    assert.strictEqual((await first.callback).code, 'one');
    assert.strictEqual((await second.callback).code, 'two');
  });

  test('a replayed callback is ignored after the first completed', async () => {
    const f = flows();
    const attempt = f.start({ origin: ORIGIN, clientId: 'c', redirectUri: 'r' });
    const query = new URLSearchParams({ code: 'once', state: attempt.state, user_id: USER });
    assert.strictEqual(f.handleCallback(query), 'completed');
    assert.strictEqual(f.handleCallback(query), 'ignored');
    assert.strictEqual((await attempt.callback).code, 'once');
  });

  test('a denial settles the attempt with access_denied', async () => {
    const f = flows();
    const attempt = f.start({ origin: ORIGIN, clientId: 'c', redirectUri: 'r' });
    assert.strictEqual(
      f.handleCallback(new URLSearchParams({ error: 'access_denied', state: attempt.state })),
      'failed',
    );
    assert.strictEqual((await rejection(attempt.callback)).code, 'access_denied');
    assert.strictEqual(f.pendingCount, 0);
  });

  test('after cancel or timeout a late callback is refused', async () => {
    const f = flows();
    const cancelled = f.start({ origin: ORIGIN, clientId: 'c', redirectUri: 'r' });
    cancelled.cancel();
    assert.strictEqual((await rejection(cancelled.callback)).code, 'cancelled');
    assert.strictEqual(
      f.handleCallback(new URLSearchParams({ code: 'late', state: cancelled.state, user_id: USER })),
      'ignored',
    );
    const timedOut = f.start({ origin: ORIGIN, clientId: 'c', redirectUri: 'r' });
    timedOut.cancel('timeout');
    assert.strictEqual((await rejection(timedOut.callback)).code, 'timeout');
    assert.strictEqual(
      f.handleCallback(new URLSearchParams({ code: 'late', state: timedOut.state, user_id: USER })),
      'ignored',
    );
  });

  test('a callback after expiry fails its attempt even before the timer fired', async () => {
    let now = 1_000;
    const f = flows({ now: () => now });
    const attempt = f.start({ origin: ORIGIN, clientId: 'c', redirectUri: 'r' });
    now += 300_001;
    assert.strictEqual(
      f.handleCallback(new URLSearchParams({ code: 'c', state: attempt.state, user_id: USER })),
      'failed',
    );
    assert.strictEqual((await rejection(attempt.callback)).code, 'expired_state');
  });
});
