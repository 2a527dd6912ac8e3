/** What one authorization request needs; all of it is public (no secret goes into the URL). */
export interface AuthorizationRequest {
  /** API origin, e.g. `https://api.onetwentyone.ai`. */
  readonly origin: string;
  readonly clientId: string;
  /** Sent byte-identical to `/api/token` later (RFC 6749 §4.1.3). */
  readonly redirectUri: string;
  readonly state: string;
  /** S256 challenge of the attempt's verifier. Undocumented by the API but harmless if ignored. */
  readonly codeChallenge: string;
}

/**
 * The user-facing authorize URL (`/authorize`), opened in the system browser, never in a webview.
 * No `scope` parameter: the API lets the user pick scopes on its consent page.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.1
 * @see https://www.rfc-editor.org/rfc/rfc7636#section-4.3
 * @see https://www.rfc-editor.org/rfc/rfc8252#section-8.12
 */
export function buildAuthorizationUrl(request: AuthorizationRequest): URL {
  const url = new URL('/authorize', request.origin);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', request.clientId);
  url.searchParams.set('redirect_uri', request.redirectUri);
  url.searchParams.set('state', request.state);
  url.searchParams.set('code_challenge', request.codeChallenge);
  url.searchParams.set('code_challenge_method', 'S256');
  return url;
}
