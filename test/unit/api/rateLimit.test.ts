import * as assert from 'assert';
import {
  createRateLimitState,
  MAX_RETRY_AFTER_MS,
  parseResetValue,
  parseRetryAfter,
  readRateLimitFields,
} from '../../../src/core/api/rateLimit';

const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);

suite('rate limits', () => {
  test('Retry-After: seconds, HTTP dates, garbage, negative and huge values', () => {
    assert.strictEqual(parseRetryAfter('120', NOW), 120_000);
    assert.strictEqual(parseRetryAfter(' 0 ', NOW), 0);
    assert.strictEqual(parseRetryAfter(new Date(NOW + 90_000).toUTCString(), NOW), 90_000);
    assert.strictEqual(
      parseRetryAfter(new Date(NOW - 90_000).toUTCString(), NOW),
      0,
      'a past date means now, never negative',
    );
    assert.strictEqual(parseRetryAfter('999999999', NOW), MAX_RETRY_AFTER_MS);
    assert.strictEqual(parseRetryAfter('1'.repeat(400), NOW), MAX_RETRY_AFTER_MS, 'Infinity-sized values are capped');
    for (const garbage of ['soon', '-5', '1.5', '', '   ', 'NaN', '0x10', '12abc', undefined]) {
      assert.strictEqual(parseRetryAfter(garbage, NOW), undefined, String(garbage));
    }
  });

  test('X-RateLimit-Reset as epoch seconds, epoch milliseconds or a delta', () => {
    const reset = NOW + 3_600_000;
    assert.strictEqual(parseResetValue(reset / 1000, NOW), reset);
    assert.strictEqual(parseResetValue(String(reset / 1000), NOW), reset);
    assert.strictEqual(parseResetValue(reset, NOW), reset);
    assert.strictEqual(parseResetValue(3600, NOW), reset);
    assert.strictEqual(parseResetValue(NOW / 1000 + 400 * 86_400, NOW), undefined, 'a year ahead is implausible');
    for (const bad of [-1, 1.5, 'x', null, undefined, {}]) assert.strictEqual(parseResetValue(bad, NOW), undefined);
  });

  test('reads the limit object and headers, ignoring malformed values', () => {
    assert.deepStrictEqual(
      readRateLimitFields(
        { 'X-RateLimit-Limit': 10000, 'X-RateLimit-Remaining': 9991, 'X-RateLimit-Reset': 1715126400 },
        NOW,
      ),
      { limit: 10000, remaining: 9991, resetAt: 1715126400000 },
    );
    assert.deepStrictEqual(readRateLimitFields({ 'x-ratelimit-remaining': '7' }, NOW), { remaining: 7 });
    assert.deepStrictEqual(
      readRateLimitFields({ 'X-RateLimit-Remaining': '-3', 'X-RateLimit-Limit': 'lots' }, NOW),
      {},
    );
  });

  test('exhausted until the reset, then free again; listeners see every change', () => {
    let now = NOW;
    const state = createRateLimitState({ now: () => now });
    const scope = state.scopeOf('https://api.example', 'ABC');
    assert.strictEqual(scope, state.scopeOf('https://api.example', 'abc'));
    const seen: number[] = [];
    const sub = state.onDidChange((_s, snap) => seen.push(snap.remaining ?? -1));
    assert.strictEqual(state.status(scope), 'unknown');
    state.record(scope, { limit: 10, remaining: 0, resetAt: NOW + 60_000 });
    assert.strictEqual(state.status(scope), 'exhausted');
    now += 61_000;
    assert.strictEqual(state.status(scope), 'ok', 'past the reset the old count is forgotten');
    assert.strictEqual(state.get(scope)?.remaining, undefined);
    sub.dispose();
    state.record(scope, { remaining: 5 });
    assert.deepStrictEqual(seen, [0]);
  });

  test('out-of-order answers do not resurrect spent requests; notBefore only grows', () => {
    let now = NOW;
    const state = createRateLimitState({ now: () => now });
    const scope = state.scopeOf('o', 'u');
    state.record(scope, { remaining: 5, resetAt: NOW + 3_600_000 });
    state.record(scope, { remaining: 7, resetAt: NOW + 3_600_000 });
    assert.strictEqual(state.get(scope)?.remaining, 5);
    state.record(scope, { notBefore: NOW + 2000 });
    state.record(scope, { notBefore: NOW + 500 });
    assert.strictEqual(state.waitMs(scope), 2000);
    assert.strictEqual(state.status(scope), 'throttled');
    now += 2000;
    assert.strictEqual(state.waitMs(scope), 0);
  });
});
