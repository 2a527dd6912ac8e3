import * as assert from 'assert';
import { ApiError, describeApiError, redactSecrets, type ApiErrorCode } from '../../../src/core/api/errors';
import { isJsonContentType } from '../../../src/core/api/jsonBody';

const CODES: ApiErrorCode[] = [
  'invalid_params',
  'network',
  'timeout',
  'tls',
  'cancelled',
  'too_large',
  'redirect',
  'unexpected_content_type',
  'invalid_response',
  'schema',
  'bad_request',
  'unauthorized',
  'forbidden',
  'not_found',
  'rate_limited',
  'quota_exhausted',
  'http_status',
  'untrusted_link',
  'pagination_loop',
];

suite('errors never carry a token', () => {
  test('credential-looking text is redacted', () => {
    assert.strictEqual(redactSecrets('Authorization: Bearer abc.def-123'), 'Authorization: Bearer [redacted]');
    assert.strictEqual(redactSecrets('{"refresh_token": "r-123", "x": 1}'), '{"refresh_token": "[redacted]", "x": 1}');
    assert.strictEqual(
      redactSecrets('code=1&client_secret=s3cr3t&access_token=tok'),
      'code=1&client_secret=[redacted]&access_token=[redacted]',
    );
    assert.strictEqual(
      redactSecrets('the value sbx_pat_ada_3b8e1f6c9d2a4057 leaked', ['sbx_pat_ada_3b8e1f6c9d2a4057']),
      'the value [redacted] leaked',
    );
    assert.strictEqual(
      redactSecrets('HTTP 503 status code 503'),
      'HTTP 503 status code 503',
      'ordinary text is left alone',
    );
  });

  test('ApiError scrubs its message and its cause', () => {
    const cause = new Error('socket said Bearer sekrit-token-value');
    const err = new ApiError('network', 'failed with sekrit-token-value', { cause, secrets: ['sekrit-token-value'] });
    assert.ok(!err.message.includes('sekrit'));
    assert.ok(!String((err as Error & { cause?: Error }).cause?.message).includes('sekrit'));
  });

  test('every code has a plain description without secrets', () => {
    for (const code of CODES) {
      const text = describeApiError(
        new ApiError(code, 'detail Bearer xyz-token-000', {
          status: 500,
          route: '/api/v1/sleep/{user_id}',
          retryAfterMs: 1500,
          resetAt: Date.UTC(2026, 0, 1),
        }),
      );
      assert.ok(text.length > 10, code);
      assert.ok(!text.includes('xyz-token-000'), code);
    }
    assert.match(describeApiError(new ApiError('rate_limited', 'x', { retryAfterMs: 1500 })), /2 s/);
    assert.match(describeApiError(new Error('x')), /Unexpected/);
  });

  test('JSON content types', () => {
    for (const ok of [
      'application/json',
      'application/json; charset=utf-8',
      'Application/JSON',
      'application/problem+json',
    ])
      assert.ok(isJsonContentType(ok), ok);
    for (const bad of [undefined, '', 'text/html', 'text/plain', 'application/jsonp', 'application/x-json-stream'])
      assert.ok(!isJsonContentType(bad), String(bad));
  });
});
