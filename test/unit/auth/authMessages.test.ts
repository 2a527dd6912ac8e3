import * as assert from 'assert';
import { ApiError } from '../../../src/core/api/errors';
import { AuthError, type AuthErrorCode } from '../../../src/core/auth/errors';
import { EnvironmentError } from '../../../src/core/environment';
import { logLineFor, messageFor, SECRET_STORAGE_GUIDANCE } from '../../../src/vscode/userMessages';

const CODES: AuthErrorCode[] = [
  'malformed_callback',
  'unknown_state',
  'expired_state',
  'access_denied',
  'authorization_error',
  'missing_code',
  'invalid_user_id',
  'invalid_grant',
  'invalid_client',
  'token_endpoint_error',
  'invalid_token_response',
  'session_expired',
  'network',
  'cancelled',
  'timeout',
  'invalid_personal_access_token',
  'client_not_configured',
  'storage_failure',
];

suite('auth: messages chosen from error codes at the edge', () => {
  test('every code has plain words, and the core message never reaches the user', () => {
    for (const code of CODES) {
      const message = messageFor(new AuthError(code, 'core text with sbx_at_SECRET'));
      assert.ok(message.text.length > 10, code);
      assert.ok(!message.text.includes('sbx_at_SECRET'), code);
    }
  });

  test('the documented cases get their documented words and actions', () => {
    assert.strictEqual(messageFor(new AuthError('invalid_grant', '')).text, 'Sign-in expired, try again.');
    assert.deepStrictEqual(
      messageFor(new AuthError('invalid_client', '')).actions.map((a) => a.command),
      ['onetwentyone.client.configure'],
    );
    assert.deepStrictEqual(
      messageFor(new AuthError('session_expired', '')).actions.map((a) => a.command),
      ['onetwentyone.auth.signIn'],
    );
    assert.strictEqual(messageFor(new AuthError('storage_failure', '')).text, SECRET_STORAGE_GUIDANCE);
    assert.match(SECRET_STORAGE_GUIDANCE, /--password-store="gnome-libsecret"/);
    assert.strictEqual(messageFor(new AuthError('cancelled', '')).quiet, true);
  });

  test('a denial shows the server description as given plain text', () => {
    assert.strictEqual(
      messageFor(new AuthError('access_denied', '', { detail: '<b>not now</b>' })).text,
      'Authorization was denied: <b>not now</b>',
    );
  });

  test('environment and API errors are described too; log lines carry only type and code', () => {
    assert.match(messageFor(new EnvironmentError('The sandbox is not running.')).text, /sandbox is not running/);
    assert.ok(messageFor(new ApiError('network', 'x')).text.length > 0);
    assert.strictEqual(logLineFor(new AuthError('invalid_grant', 'secret detail')), 'AuthError invalid_grant');
    assert.strictEqual(logLineFor(new ApiError('forbidden', 'x', { status: 403 })), 'ApiError forbidden (HTTP 403)');
  });
});
