import type { Credentials } from '../api/httpTypes';
import type { Clock } from '../ports';
import { AuthError, isAuthError } from './errors';
import type { TokenRefresher } from './tokenRefresher';
import type { TokenStore } from './tokenStore';
import { needsRefresh, REFRESH_MARGIN_MS } from './tokenSet';

/**
 * The bearer tokens of one account for the API client: refreshed ahead of expiry (a 60 s margin)
 * and once after a 401, both through the account's single-flight refresher.
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-2.1
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-6
 */
export class AccountCredentials implements Credentials {
  constructor(
    private readonly _accountId: string,
    private readonly _store: TokenStore,
    private readonly _refresher: TokenRefresher,
    private readonly _clock: Clock,
    private readonly _marginMs = REFRESH_MARGIN_MS,
  ) {}

  async getAccessToken(signal?: AbortSignal): Promise<string> {
    const credentials = await this._store.get(this._accountId);
    if (!credentials) throw new AuthError('session_expired', 'This account is signed out.');
    if (!needsRefresh(credentials, this._clock.now(), this._marginMs)) return credentials.accessToken;
    const refreshed = await abortable(this._refresher.refresh(this._accountId, credentials.accessToken), signal);
    return refreshed.accessToken;
  }

  async handleUnauthorized(rejectedToken: string, signal?: AbortSignal): Promise<string | undefined> {
    try {
      const refreshed = await abortable(this._refresher.refresh(this._accountId, rejectedToken), signal);
      return refreshed.accessToken === rejectedToken ? undefined : refreshed.accessToken;
    } catch (error) {
      if (isAuthError(error, 'session_expired') || isAuthError(error, 'invalid_personal_access_token'))
        return undefined;
      throw error;
    }
  }
}

/** Lets one caller stop waiting without cancelling the shared refresh the others wait for. */
function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(new AuthError('cancelled', 'The request was cancelled.'));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new AuthError('cancelled', 'The request was cancelled.'));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
