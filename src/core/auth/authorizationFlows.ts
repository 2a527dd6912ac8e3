import type { Clock, Logger } from '../ports';
import { buildAuthorizationUrl } from './authorizeUrl';
import {
  PendingAuthorizations,
  SIGN_IN_TIMEOUT_MS,
  validateCallback,
  type PendingAuthorization,
  type ValidatedCallback,
} from './callback';
import { AuthError } from './errors';
import { codeChallengeS256, createCodeVerifier, createState } from './pkce';

/** One started sign-in: open `authorizeUrl`, then await `callback`. */
export interface AuthorizationAttempt {
  readonly state: string;
  readonly authorizeUrl: URL;
  readonly redirectUri: string;
  /** Settles once: with the validated callback, or with an AuthError (denied, cancelled, timeout). */
  readonly callback: Promise<ValidatedCallback>;
  /** Ends the attempt; a callback arriving later is refused as unknown. */
  cancel(code?: 'cancelled' | 'timeout'): void;
}

/** What happened to one delivered callback, for logging (never contains its values). */
export type CallbackOutcome = 'completed' | 'failed' | 'ignored';

/**
 * Several sign-ins may be pending at once (two commands, two environments); each has its own
 * state and a callback completes only its own. Callbacks whose state matches nothing (a stale
 * tab, a forged link) are ignored and the pending attempts keep waiting, as VS Code's GitHub
 * sign-in does (docs/reliability.md, "Sign-in").
 * @see https://www.rfc-editor.org/rfc/rfc9700#section-2.1
 */
export class AuthorizationFlows {
  private readonly _pending: PendingAuthorizations;
  private readonly _settle = new Map<string, { resolve(v: ValidatedCallback): void; reject(e: unknown): void }>();

  constructor(
    private readonly _clock: Clock,
    private readonly _logger: Logger,
    private readonly _timeoutMs = SIGN_IN_TIMEOUT_MS,
  ) {
    this._pending = new PendingAuthorizations(_clock);
  }

  get pendingCount(): number {
    return this._settle.size;
  }

  /**
   * Starts an attempt: fresh state and PKCE verifier, the authorize URL, and a promise for the
   * callback. Register the callback listener before opening the URL (the caller does both).
   * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.1
   * @see https://www.rfc-editor.org/rfc/rfc7636#section-4
   */
  start(options: { origin: string; clientId: string; redirectUri: string }): AuthorizationAttempt {
    const state = createState();
    const codeVerifier = createCodeVerifier();
    const now = this._clock.now();
    const pending: PendingAuthorization = {
      state,
      codeVerifier,
      redirectUri: options.redirectUri,
      createdAt: now,
      expiresAt: now + this._timeoutMs,
    };
    this._pending.add(pending);
    const callback = new Promise<ValidatedCallback>((resolve, reject) => this._settle.set(state, { resolve, reject }));
    // The waiter may be abandoned by a caller that failed early; never an unhandled rejection.
    callback.catch(() => undefined);
    const authorizeUrl = buildAuthorizationUrl({
      origin: options.origin,
      clientId: options.clientId,
      redirectUri: options.redirectUri,
      state,
      codeChallenge: codeChallengeS256(codeVerifier),
    });
    return {
      state,
      authorizeUrl,
      redirectUri: options.redirectUri,
      callback,
      cancel: (code = 'cancelled') =>
        this._finish(
          state,
          new AuthError(code, code === 'timeout' ? 'The sign-in timed out.' : 'The sign-in was cancelled.'),
        ),
    };
  }

  /** Ends every pending attempt (the extension is shutting down, or a test cancels). */
  cancelAll(code: 'cancelled' | 'timeout' = 'cancelled'): void {
    for (const state of [...this._settle.keys()]) {
      this._finish(
        state,
        new AuthError(code, code === 'timeout' ? 'The sign-in timed out.' : 'The sign-in was cancelled.'),
      );
    }
  }

  /**
   * Handles the query of a redirect delivered by the URI handler, the loopback server or a pasted
   * URL. Returns what happened; errors that belong to a pending attempt are delivered to it.
   */
  handleCallback(params: URLSearchParams): CallbackOutcome {
    let validated: ValidatedCallback;
    try {
      validated = validateCallback(params, this._pending);
    } catch (error) {
      if (error instanceof AuthError && (error.code === 'malformed_callback' || error.code === 'unknown_state')) {
        this._logger.warn(`Ignored a sign-in callback: ${error.code}.`);
        return 'ignored';
      }
      // The state matched (and was consumed), so the error belongs to that attempt.
      const state = params.get('state') ?? '';
      this._logger.warn(`Sign-in callback refused: ${error instanceof AuthError ? error.code : 'error'}.`);
      if (!this._finish(state, error)) return 'ignored';
      return 'failed';
    }
    const settle = this._settle.get(validated.pending.state);
    this._settle.delete(validated.pending.state);
    settle?.resolve(validated);
    return settle ? 'completed' : 'ignored';
  }

  private _finish(state: string, error: unknown): boolean {
    this._pending.remove(state);
    const settle = this._settle.get(state);
    this._settle.delete(state);
    settle?.reject(error);
    return !!settle;
  }
}
