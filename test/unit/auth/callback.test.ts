import * as assert from 'assert';
import { PendingAuthorizations, validateCallback, type PendingAuthorization } from '../../../src/core/auth/callback';
import { AuthError, type AuthErrorCode } from '../../../src/core/auth/errors';
import { createCodeVerifier, createState } from '../../../src/core/auth/pkce';

const USER = '123e4567-e89b-12d3-a456-426614174000';

function setup(now = 1_000_000) {
  const clock = {
    now: () => now,
    set: (t: number) => {
      now = t;
    },
  };
  const registry = new PendingAuthorizations(clock);
  const pending: PendingAuthorization = {
    state: createState(),
    codeVerifier: createCodeVerifier(),
    redirectUri: 'vscode://x/auth/callback',
    createdAt: now,
    expiresAt: now + 300_000,
  };
  registry.add(pending);
  return { clock, registry, pending };
}

function refusal(fn: () => unknown): AuthErrorCode {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof AuthError, `expected an AuthError, got ${String(error)}`);
    return error.code;
  }
  assert.fail('expected the callback to be refused');
}

suite('auth: callback validation', () => {
  test('a genuine callback yields code and user id, and consumes the state', () => {
    const { registry, pending } = setup();
    const result = validateCallback(
      new URLSearchParams({ code: 'abc', state: pending.state, user_id: USER.toUpperCase() }),
      registry,
    );
    assert.strictEqual(result.code, 'abc');
    assert.strictEqual(result.userId, USER);
    assert.strictEqual(result.pending, pending);
    assert.strictEqual(registry.size, 0);
  });

  // A malformed state is refused before any lookup, and the pending sign-in is unaffected.
  const malformed: [string, (s: string) => string][] = [
    ['missing state', () => `code=abc&user_id=${USER}`],
    ['empty state', () => `code=abc&state=&user_id=${USER}`],
    ['duplicated state', (s) => `code=abc&state=${s}&state=other&user_id=${USER}`],
    ['duplicated identical state', (s) => `code=abc&state=${s}&state=${s}&user_id=${USER}`],
    ['state over 1 KB', () => `code=abc&state=${'a'.repeat(1025)}&user_id=${USER}`],
  ];
  for (const [name, query] of malformed) {
    test(`${name} is malformed and leaves the pending sign-in alone`, () => {
      const { registry, pending } = setup();
      assert.strictEqual(
        refusal(() => validateCallback(new URLSearchParams(query(pending.state)), registry)),
        'malformed_callback',
      );
      assert.strictEqual(registry.size, 1);
    });
  }

  test('a forged state is refused and the genuine callback still completes afterwards', () => {
    const { registry, pending } = setup();
    assert.strictEqual(
      refusal(() =>
        validateCallback(new URLSearchParams({ code: 'ATTACKER', state: 'GUESS', user_id: USER }), registry),
      ),
      'unknown_state',
    );
    assert.strictEqual(
      refusal(() =>
        validateCallback(
          new URLSearchParams({ code: 'ATTACKER', state: pending.state.slice(0, -1), user_id: USER }),
          registry,
        ),
      ),
      'unknown_state',
    );
    assert.strictEqual(
      validateCallback(new URLSearchParams({ code: 'genuine', state: pending.state, user_id: USER }), registry).code,
      'genuine',
    );
  });

  test('a valid-looking callback with no pending sign-in is refused', () => {
    const registry = new PendingAuthorizations({ now: () => 0 });
    assert.strictEqual(
      refusal(() =>
        validateCallback(new URLSearchParams({ code: 'c', state: createState(), user_id: USER }), registry),
      ),
      'unknown_state',
    );
  });

  test('a callback after the 5-minute expiry is refused and the state is gone', () => {
    const { registry, pending, clock } = setup();
    clock.set(pending.expiresAt + 1);
    assert.strictEqual(
      refusal(() =>
        validateCallback(new URLSearchParams({ code: 'c', state: pending.state, user_id: USER }), registry),
      ),
      'expired_state',
    );
    assert.strictEqual(registry.size, 0);
  });

  test('the same callback delivered twice is refused the second time', () => {
    const { registry, pending } = setup();
    const query = new URLSearchParams({ code: 'c', state: pending.state, user_id: USER });
    validateCallback(query, registry);
    assert.strictEqual(
      refusal(() => validateCallback(query, registry)),
      'unknown_state',
    );
  });

  test('error=access_denied is "denied", with the description kept as plain display text', () => {
    const { registry, pending } = setup();
    let caught: AuthError | undefined;
    try {
      validateCallback(
        new URLSearchParams({
          error: 'access_denied',
          error_description: '<b>No</b>\u202e thanks\n',
          state: pending.state,
        }),
        registry,
      );
    } catch (error) {
      caught = error as AuthError;
    }
    assert.strictEqual(caught?.code, 'access_denied');
    assert.strictEqual(caught?.detail, '<b>No</b> thanks');
    assert.strictEqual(registry.size, 0);
  });

  test('other errors map to authorization_error and never echo junk', () => {
    const { registry, pending } = setup();
    try {
      validateCallback(new URLSearchParams({ error: '<script>x</script>', state: pending.state }), registry);
      assert.fail('expected a refusal');
    } catch (error) {
      assert.strictEqual((error as AuthError).code, 'authorization_error');
      assert.ok(!(error as Error).message.includes('<script>'));
    }
    const second = setup();
    assert.strictEqual(
      refusal(() =>
        validateCallback(new URLSearchParams({ error: 'invalid_scope', state: second.pending.state }), second.registry),
      ),
      'authorization_error',
    );
  });

  test('an error with a forged state is ignored, not reported as a denial', () => {
    const { registry } = setup();
    assert.strictEqual(
      refusal(() => validateCallback(new URLSearchParams({ error: 'access_denied', state: 'forged' }), registry)),
      'unknown_state',
    );
    assert.strictEqual(registry.size, 1);
  });

  const badUserIds: [string, string | undefined][] = [
    ['missing', undefined],
    ['numeric', '12345'],
    ['100 KB long', 'a'.repeat(100_000)],
    ['script', '<script>alert(1)</script>'],
    ['uuid with junk', `${USER}x`],
  ];
  for (const [name, value] of badUserIds) {
    test(`user_id ${name} fails the sign-in`, () => {
      const { registry, pending } = setup();
      const params = new URLSearchParams({ code: 'c', state: pending.state });
      if (value !== undefined) params.set('user_id', value);
      assert.strictEqual(
        refusal(() => validateCallback(params, registry)),
        'invalid_user_id',
      );
      assert.strictEqual(
        registry.size,
        0,
        'the state is consumed, so the callback cannot be replayed with another user id',
      );
    });
  }

  test('a duplicated user_id is refused', () => {
    const { registry, pending } = setup();
    assert.strictEqual(
      refusal(() =>
        validateCallback(
          new URLSearchParams(`code=c&state=${pending.state}&user_id=${USER}&user_id=${USER}`),
          registry,
        ),
      ),
      'invalid_user_id',
    );
  });

  test('missing, duplicated or non-printable code is refused', () => {
    for (const query of ['', 'code=', 'code=a&code=b', 'code=a%0Ab']) {
      const { registry, pending } = setup();
      assert.strictEqual(
        refusal(() =>
          validateCallback(new URLSearchParams(`${query}&state=${pending.state}&user_id=${USER}`), registry),
        ),
        'missing_code',
      );
    }
  });
});
