/** The fields of one authorization-code exchange (with a PKCE verifier), as the token-endpoint tests send it. */
export const EXCHANGE = {
  code: 'the-code',
  clientId: 'client-1',
  clientSecret: 'secret-1',
  redirectUri: 'http://127.0.0.1:9/callback',
  codeVerifier: 'v'.repeat(64),
};
