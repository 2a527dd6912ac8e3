/**
 * Why a sign-in, token exchange or refresh failed. The core only sets the code; the glue picks the
 * words shown to the user (CONTRIBUTING.md, "Rules"). Messages here are plain and never carry a token,
 * a code, a secret or any value taken from a callback.
 */
export type AuthErrorCode =
  /** The callback's `state` is missing, empty, duplicated or oversized. */
  | 'malformed_callback'
  /** No pending sign-in has this `state` (forged, replayed, or from another window). */
  | 'unknown_state'
  /** The pending sign-in for this `state` is older than its timeout. */
  | 'expired_state'
  /** The user refused consent (`error=access_denied`). */
  | 'access_denied'
  /** Another `error=` from the authorization endpoint (RFC 6749 §4.1.2.1). */
  | 'authorization_error'
  /** The callback has no usable `code`. */
  | 'missing_code'
  /** The callback's `user_id` is missing or not a UUID. */
  | 'invalid_user_id'
  /** `/api/token`: the code expired, was used, or the redirect URI differs (RFC 6749 §5.2). */
  | 'invalid_grant'
  /** Wrong client ID or secret (RFC 6749 §5.2). */
  | 'invalid_client'
  /** Any other token-endpoint error or unexpected status. */
  | 'token_endpoint_error'
  /** A 200 token response that is not what RFC 6749 §5.1 and the API docs describe. */
  | 'invalid_token_response'
  /** The refresh grant is dead: the user must sign in again. */
  | 'session_expired'
  /** The token request could not be completed (network, timeout, lost response). */
  | 'network'
  /** The user cancelled the sign-in. */
  | 'cancelled'
  /** No callback arrived before the sign-in timeout. */
  | 'timeout'
  /** A personal access token the API does not accept for that user. */
  | 'invalid_personal_access_token'
  /** The client ID or secret is not configured for the environment. */
  | 'client_not_configured'
  /** SecretStorage failed to read or write. */
  | 'storage_failure'
  /** The redirect mode chosen cannot bring the browser back to this VS Code (a URI handler in a browser). */
  | 'redirect_unreachable';

export class AuthError extends Error {
  override readonly name = 'AuthError';

  constructor(
    readonly code: AuthErrorCode,
    message: string,
    options?: { cause?: unknown; readonly detail?: string | undefined },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.detail = options?.detail;
  }

  /**
   * Extra plain text safe to show (for example an `error_description` from the server, already
   * reduced to printable characters and capped). Never a token or secret.
   */
  readonly detail: string | undefined;
}

/**
 * Narrows an unknown error to an `AuthError`, optionally of one code.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 */
export function isAuthError(value: unknown, code?: AuthErrorCode): value is AuthError {
  return value instanceof AuthError && (code === undefined || value.code === code);
}

/**
 * Reduces text that came from a server or a callback to something safe to show as plain text:
 * control and bidi-override characters removed, whitespace collapsed, length capped.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2.1 (`error_description` is untrusted text)
 */
export function toDisplayText(raw: string, maxLength = 300): string {
  const cleaned = raw
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return cleaned.length > maxLength ? `${cleaned.slice(0, maxLength - 1)}…` : cleaned;
}
