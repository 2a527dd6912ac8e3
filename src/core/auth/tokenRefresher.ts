import type { HttpTransport } from '../api/httpTypes';
import type { Clock, Logger } from '../ports';
import { AuthError, isAuthError } from './errors';
import { processRefreshResponse, refreshRequest } from './tokenEndpoint';
import type { Subscription, TokenStore } from './tokenStore';
import { expireIfUnchanged, replaceIfUnchanged, usableAfterRefusal } from './credentialSwap';
import { needsRefresh, sameTokens, type StoredCredentials } from './tokenSet';

export interface TokenRefresherDeps {
  readonly store: TokenStore;
  readonly clock: Clock;
  readonly logger: Logger;
  /** The transport bound to an environment's origin (tokens never go elsewhere). */
  transportFor(origin: string): HttpTransport;
  /** The client secret for the client that issued the grant, from secret storage. */
  clientSecretFor(origin: string, clientId: string): Promise<string | undefined>;
}

/**
 * Refreshes access tokens through `/api/refresh`, at most one refresh per account at a time
 * (single-flight: 20 concurrent callers cause one POST), and coordinated with other windows
 * through the shared store: every decision to write or delete is taken on a fresh read of the
 * storage (compare-and-swap), never on a cache. It never deletes or overwrites credentials newer
 * than the ones it used, and after `invalid_grant` it uses what another window stored instead of
 * ending the session.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-6
 * @see https://www.rfc-editor.org/rfc/rfc9700#section-4.14
 */
export class TokenRefresher {
  private readonly _inFlight = new Map<string, Promise<StoredCredentials>>();
  private readonly _listeners = new Set<(accountId: string) => void>();

  constructor(private readonly _deps: TokenRefresherDeps) {}

  isRefreshing(accountId: string): boolean {
    return this._inFlight.has(accountId);
  }

  /** Fires when an account starts or stops refreshing. */
  onDidChangeRefreshing(listener: (accountId: string) => void): Subscription {
    this._listeners.add(listener);
    return { dispose: () => this._listeners.delete(listener) };
  }

  /**
   * Fresh credentials for the account. `rejectedAccessToken` is the token a server just refused
   * (401), if any: when the store already holds a different, unexpired one (another caller or
   * window refreshed meanwhile), that one is returned without a POST.
   * Throws `AuthError('session_expired')` when the grant is dead.
   */
  refresh(accountId: string, rejectedAccessToken?: string): Promise<StoredCredentials> {
    const running = this._inFlight.get(accountId);
    if (running) return running;
    const started = this._refresh(accountId, rejectedAccessToken).finally(() => {
      this._inFlight.delete(accountId);
      this._fire(accountId);
    });
    this._inFlight.set(accountId, started);
    this._fire(accountId);
    return started;
  }

  private async _refresh(accountId: string, rejectedAccessToken: string | undefined): Promise<StoredCredentials> {
    const { store, clock, logger } = this._deps;
    // Past the cache: another window may have rotated the refresh token and its notice be late.
    const used = await store.getFresh(accountId);
    if (!used) throw new AuthError('session_expired', 'This account is signed out.');
    const now = clock.now();
    if (rejectedAccessToken !== undefined && used.accessToken !== rejectedAccessToken && !needsRefresh(used, now))
      return used;
    if (used.kind === 'pat')
      throw new AuthError('invalid_personal_access_token', 'The API no longer accepts this personal access token.');
    if (!used.refreshToken || !used.clientId)
      throw new AuthError('session_expired', 'This account has no refresh token.');
    const clientSecret = await this._deps.clientSecretFor(used.environment.origin, used.clientId);
    if (clientSecret === undefined)
      throw new AuthError('client_not_configured', 'The client secret for this environment is not set.');

    logger.info(`Refreshing the access token of account ${shortId(used.userId)}.`);
    let refreshed;
    try {
      const response = await refreshRequest(this._deps.transportFor(used.environment.origin), {
        refreshToken: used.refreshToken,
        clientId: used.clientId,
        clientSecret,
        userId: used.userId,
      });
      refreshed = processRefreshResponse(response, {
        sentAt: now,
        userId: used.userId,
        previousRefreshToken: used.refreshToken,
      });
    } catch (error) {
      return this._afterFailure(accountId, used, error);
    }

    const next: StoredCredentials = {
      ...used,
      accessToken: refreshed.accessToken,
      refreshToken: refreshed.refreshToken ?? used.refreshToken,
      expiresAt: refreshed.expiresAt,
      scopes: refreshed.scopes.length > 0 ? [...refreshed.scopes] : used.scopes,
      issuedAt: now,
    };
    const outcome = await replaceIfUnchanged(store, accountId, used, next);
    switch (outcome.kind) {
      case 'stored':
        return outcome.credentials;
      case 'restored':
        logger.info(
          `Stored the refreshed tokens of account ${shortId(used.userId)} again: another window had removed them after the server refused the token this refresh used.`,
        );
        return outcome.credentials;
      case 'newer':
        logger.info(`Kept credentials stored meanwhile by another window for account ${shortId(used.userId)}.`);
        return outcome.credentials;
      case 'gone':
        throw new AuthError('session_expired', 'This account was signed out during the refresh.');
    }
  }

  /**
   * A failed refresh. Another window may have refreshed (and rotated the token) while ours was in
   * flight, so the storage itself is read again before anything is given up or deleted.
   */
  private async _afterFailure(accountId: string, used: StoredCredentials, error: unknown): Promise<StoredCredentials> {
    const { store, clock, logger } = this._deps;
    const refused = isAuthError(error, 'invalid_grant');
    const latest = await store.getFresh(accountId);
    if (latest && !sameTokens(latest, used) && (!refused || usableAfterRefusal(latest, used, clock.now()))) {
      logger.info(`Adopted credentials refreshed elsewhere for account ${shortId(used.userId)}.`);
      return latest;
    }
    // A lost response is not retried (a rotating server may have spent the token); the
    // caller shows the error and the user decides.
    if (!refused) throw error;
    const expired = await expireIfUnchanged(store, accountId, used);
    if (expired.kind === 'changed' && expired.current && usableAfterRefusal(expired.current, used, clock.now())) {
      logger.info(`Adopted credentials refreshed elsewhere for account ${shortId(used.userId)}.`);
      return expired.current;
    }
    throw new AuthError('session_expired', 'The sign-in of this account has expired.', { cause: error });
  }

  private _fire(accountId: string): void {
    for (const listener of [...this._listeners]) listener(accountId);
  }
}

/**
 * The first block of a UUID: enough to tell accounts apart in a log without printing ids whole.
 * @see https://www.rfc-editor.org/rfc/rfc4122#section-3
 */
export function shortId(userId: string): string {
  return userId.slice(0, 8);
}
