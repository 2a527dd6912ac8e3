import { createHash } from 'crypto';
import type { TokenStore } from './tokenStore';
import { sameTokens, type StoredCredentials } from './tokenSet';

/*
 * Compare-and-swap over a store that several windows share. SecretStorage has no atomic
 * compare-and-set, so each step reads the storage itself (never a cache, whose change notice may
 * still be on its way) right before it writes: the remaining window is the time between one read
 * and one write, not the seconds a refresh request or a late change notice takes.
 */

/**
 * A one-way fingerprint of a refresh token, so a marker left in storage after a refusal does not
 * hold the token itself.
 */
export function refreshTokenFingerprint(refreshToken: string): string {
  return createHash('sha256').update(refreshToken).digest('base64url');
}

export type ReplaceOutcome =
  /** `next` was written over the credentials the refresh used. */
  | { readonly kind: 'stored'; readonly credentials: StoredCredentials }
  /**
   * Another window deleted the entry because the server refused the refresh token this refresh had
   * already spent: `next` holds the live tokens and was written back.
   */
  | { readonly kind: 'restored'; readonly credentials: StoredCredentials }
  /** Something newer was stored meanwhile (another window's refresh or a new sign-in): use it. */
  | { readonly kind: 'newer'; readonly credentials: StoredCredentials }
  /** The account was signed out meanwhile: nothing was written. */
  | { readonly kind: 'gone' };

/**
 * Stores the result of a successful refresh that started from `used`, unless something newer is
 * stored by now. The refresh token the server honours last must end up stored, so a rotated answer
 * also replaces an entry that still holds the refresh token this refresh spent.
 */
export async function replaceIfUnchanged(
  store: TokenStore,
  accountId: string,
  used: StoredCredentials,
  next: StoredCredentials,
): Promise<ReplaceOutcome> {
  const current = await store.getFresh(accountId);
  if (sameTokens(current, used)) {
    await store.set(accountId, next);
    return { kind: 'stored', credentials: next };
  }
  if (!current) {
    const refused = used.refreshToken === undefined ? undefined : await store.refusedFingerprint(accountId);
    if (refused !== undefined && refused === refreshTokenFingerprint(used.refreshToken!)) {
      await store.set(accountId, next);
      return { kind: 'restored', credentials: next };
    }
    return { kind: 'gone' };
  }
  const rotated = next.refreshToken !== used.refreshToken;
  if (rotated && current.refreshToken === used.refreshToken) {
    // What is stored carries the refresh token this answer just made void; only ours can still refresh.
    const merged: StoredCredentials = {
      ...current,
      accessToken: next.accessToken,
      refreshToken: next.refreshToken,
      expiresAt: next.expiresAt,
      scopes: next.scopes,
      issuedAt: next.issuedAt,
    };
    await store.set(accountId, merged);
    return { kind: 'stored', credentials: merged };
  }
  return { kind: 'newer', credentials: current };
}

export type ExpireOutcome =
  /** The entry was still exactly the one whose refresh was refused, and is gone now. */
  | { readonly kind: 'deleted' }
  /** Another window changed or removed the entry meanwhile; it was left as it is. */
  | { readonly kind: 'changed'; readonly current: StoredCredentials | undefined };

/**
 * Deletes the account after the server refused `used.refreshToken`, only when the stored entry is
 * still exactly `used`: a window with a stale cache must not delete what another window stored.
 */
export async function expireIfUnchanged(
  store: TokenStore,
  accountId: string,
  used: StoredCredentials,
): Promise<ExpireOutcome> {
  const current = await store.getFresh(accountId);
  if (!sameTokens(current, used) || used.refreshToken === undefined) return { kind: 'changed', current };
  await store.deleteRefused(accountId, refreshTokenFingerprint(used.refreshToken));
  return { kind: 'deleted' };
}

/**
 * Whether credentials found after a refusal of `used.refreshToken` can still serve requests: a
 * different refresh token, or an access token that has not expired.
 */
export function usableAfterRefusal(current: StoredCredentials, used: StoredCredentials, now: number): boolean {
  if (current.refreshToken !== used.refreshToken) return true;
  return current.kind === 'pat' || current.expiresAt === undefined || current.expiresAt > now;
}
