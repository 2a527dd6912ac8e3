import * as assert from 'assert';
import { ApiError } from '../../../src/core/api/errors';
import {
  DEFAULT_RETRY_POLICY,
  abortableSleep,
  retryDelay,
  withRetry,
  type RetryPolicy,
} from '../../../src/core/api/retry';

const policy = (random: number): RetryPolicy => ({
  ...DEFAULT_RETRY_POLICY,
  random: () => random,
  sleep: async () => undefined,
});

suite('retry policy', () => {
  test('full jitter within min(cap, base·2^n)', () => {
    const err = new ApiError('network', 'x');
    assert.deepStrictEqual(
      [0, 1, 2].map((n) => retryDelay(err, n, policy(0.999))),
      [249, 499, 999],
    );
    assert.deepStrictEqual(
      [0, 1, 2].map((n) => retryDelay(err, n, policy(0))),
      [0, 0, 0],
    );
    assert.strictEqual(retryDelay(err, 3, policy(0.5)), undefined, 'capped at three retries');
    assert.strictEqual(
      retryDelay(err, 20, { ...policy(0.999), maxRetries: 30 }),
      Math.floor(0.999 * DEFAULT_RETRY_POLICY.maxDelayMs),
      'delay capped',
    );
  });

  test('only transient faults are retried', () => {
    const p = policy(0.5);
    for (const status of [500, 502, 503, 504])
      assert.notStrictEqual(retryDelay(new ApiError('http_status', 'x', { status }), 0, p), undefined);
    for (const status of [501, 505, 520])
      assert.strictEqual(retryDelay(new ApiError('http_status', 'x', { status }), 0, p), undefined);
    for (const code of [
      'bad_request',
      'unauthorized',
      'forbidden',
      'not_found',
      'timeout',
      'tls',
      'cancelled',
      'quota_exhausted',
      'invalid_response',
      'schema',
      'untrusted_link',
      'redirect',
      'too_large',
    ] as const) {
      assert.strictEqual(retryDelay(new ApiError(code, 'x'), 0, p), undefined, code);
    }
    assert.strictEqual(retryDelay(new Error('plain'), 0, p), undefined);
  });

  test('Retry-After wins over a shorter backoff; long or missing Retry-After on 429 is not retried', () => {
    const p = policy(0.5);
    assert.strictEqual(retryDelay(new ApiError('http_status', 'x', { status: 503, retryAfterMs: 4000 }), 0, p), 4000);
    assert.strictEqual(retryDelay(new ApiError('rate_limited', 'x', { retryAfterMs: 1000 }), 0, p), 1000);
    assert.strictEqual(retryDelay(new ApiError('rate_limited', 'x', { retryAfterMs: 3_600_000 }), 0, p), undefined);
    assert.strictEqual(retryDelay(new ApiError('rate_limited', 'x'), 0, p), undefined);
  });

  test('withRetry counts attempts and stops on a permanent error', async () => {
    let calls = 0;
    await assert.rejects(
      withRetry(async () => {
        calls++;
        throw new ApiError('not_found', 'x');
      }, policy(0.5)),
      /x/,
    );
    assert.strictEqual(calls, 1);
    calls = 0;
    const value = await withRetry(async () => {
      if (++calls < 3) throw new ApiError('network', 'x');
      return 'ok';
    }, policy(0.5));
    assert.strictEqual(value, 'ok');
    assert.strictEqual(calls, 3);
  });

  test('abortableSleep rejects as cancelled when aborted', async () => {
    const controller = new AbortController();
    const pending = abortableSleep(10_000, controller.signal);
    controller.abort();
    await assert.rejects(pending, (err: unknown) => err instanceof ApiError && err.code === 'cancelled');
  });
});
