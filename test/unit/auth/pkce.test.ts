import * as assert from 'assert';
import fc from 'fast-check';
import { buildAuthorizationUrl } from '../../../src/core/auth/authorizeUrl';
import { CODE_VERIFIER_PATTERN, codeChallengeS256, createCodeVerifier, createState } from '../../../src/core/auth/pkce';

suite('auth: PKCE and state', () => {
  test('S256 matches the RFC 7636 Appendix B example', () => {
    assert.strictEqual(
      codeChallengeS256('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk'),
      'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    );
  });

  test('verifiers are 43–128 unreserved characters and challenges are 43 base64url characters (1000 runs)', () => {
    fc.assert(
      fc.property(fc.constant(null), () => {
        const verifier = createCodeVerifier();
        assert.match(verifier, CODE_VERIFIER_PATTERN);
        assert.match(codeChallengeS256(verifier), /^[A-Za-z0-9_-]{43}$/);
      }),
      { numRuns: 1000 },
    );
  });

  test('a verifier outside the RFC alphabet or length is refused', () => {
    for (const bad of ['short', 'a'.repeat(129), `${'a'.repeat(42)}+`, `${'a'.repeat(43)} `]) {
      assert.throws(() => codeChallengeS256(bad), RangeError);
    }
  });

  test('1000 states are distinct and each carries at least 128 random bits', () => {
    const states = new Set<string>();
    for (let i = 0; i < 1000; i++) {
      const state = createState();
      assert.match(state, /^[A-Za-z0-9_-]+$/);
      assert.ok(Buffer.from(state, 'base64url').length * 8 >= 128);
      states.add(state);
    }
    assert.strictEqual(states.size, 1000);
  });

  test('the authorize URL carries every parameter byte-identical (1000 runs)', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1 }),
        fc.webUrl(),
        fc.string({ minLength: 1 }),
        (clientId, redirectUri, state) => {
          const url = buildAuthorizationUrl({
            origin: 'https://api.onetwentyone.ai',
            clientId,
            redirectUri,
            state,
            codeChallenge: 'c'.repeat(43),
          });
          const parsed = new URL(url.toString());
          assert.strictEqual(parsed.origin + parsed.pathname, 'https://api.onetwentyone.ai/authorize');
          assert.strictEqual(parsed.searchParams.get('response_type'), 'code');
          assert.strictEqual(parsed.searchParams.get('client_id'), clientId);
          assert.strictEqual(parsed.searchParams.get('redirect_uri'), redirectUri);
          assert.strictEqual(parsed.searchParams.get('state'), state);
          assert.strictEqual(parsed.searchParams.get('code_challenge_method'), 'S256');
          assert.strictEqual(parsed.searchParams.getAll('state').length, 1);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
