import { createHash, randomBytes } from 'crypto';

/** Characters RFC 7636 §4.1 allows in a code verifier ("unreserved"). */
export const CODE_VERIFIER_PATTERN = /^[A-Za-z0-9\-._~]{43,128}$/;

/**
 * A fresh PKCE code verifier: 48 CSPRNG bytes, base64url-encoded to 64 characters
 * (within the 43–128 the RFC allows, 384 bits of entropy).
 * @see https://www.rfc-editor.org/rfc/rfc7636#section-4.1
 */
export function createCodeVerifier(): string {
  return randomBytes(48).toString('base64url');
}

/**
 * The S256 challenge of a verifier: BASE64URL(SHA256(ASCII(verifier))).
 * @see https://www.rfc-editor.org/rfc/rfc7636#section-4.2
 */
export function codeChallengeS256(verifier: string): string {
  if (!CODE_VERIFIER_PATTERN.test(verifier))
    throw new RangeError('A PKCE code verifier must be 43 to 128 unreserved characters.');
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

/**
 * A fresh `state` for one authorization request: 32 CSPRNG bytes (256 bits, above the 128 bits
 * RFC 6749 §10.10 asks for), base64url-encoded so it survives every URL without escaping.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-10.12
 */
export function createState(): string {
  return randomBytes(32).toString('base64url');
}
