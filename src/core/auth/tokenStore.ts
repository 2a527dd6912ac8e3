import type { Environment } from '../environment';
import { environmentKey } from '../environment';
import type { StoredCredentials } from './tokenSet';

/** A listener registration that can be ended. */
export interface Subscription {
  dispose(): void;
}

/**
 * Where credentials live: one entry per (environment, user), each written as one value.
 * The VS Code implementation is SecretStorage; unit tests use an in-memory one. Implementations
 * parse what they read and treat unreadable entries as absent.
 */
export interface TokenStore {
  /** May answer from a cache that another window's change has not reached yet. */
  get(accountId: string): Promise<StoredCredentials | undefined>;
  /**
   * Reads the shared storage itself, past any cache: what a compare-and-swap must decide on,
   * because another window's change notice can arrive long after its write.
   */
  getFresh(accountId: string): Promise<StoredCredentials | undefined>;
  /** Writes the entry and forgets any refusal marker of the account. */
  set(accountId: string, credentials: StoredCredentials): Promise<void>;
  /** Removes the entry and any refusal marker (a sign-out must never be undone by a late refresh). */
  delete(accountId: string): Promise<void>;
  /**
   * Removes the entry because the server refused its refresh token, first leaving a marker with
   * that token's fingerprint: a refresh in another window that spent the same token a moment
   * earlier then knows its answer carries the live tokens and may store them.
   */
  deleteRefused(accountId: string, refreshTokenFingerprint: string): Promise<void>;
  /** The fingerprint `deleteRefused` left, read from the shared storage itself. */
  refusedFingerprint(accountId: string): Promise<string | undefined>;
  /** Every stored account id. */
  list(): Promise<string[]>;
  /** Fires for changes made here or elsewhere (another window). */
  onDidChange(listener: (accountId: string) => void): Subscription;
}

/**
 * The id of the account of `userId` in `environment`: also its storage key, so tokens stay bound
 * to the origin that issued them.
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-5.3
 */
export function accountIdOf(environment: Environment, userId: string): string {
  return `${environmentKey(environment)}|${userId.toLowerCase()}`;
}
