import { createHash, timingSafeEqual } from 'crypto';
import { z } from 'zod';
import type { Clock } from '../ports';
import { AuthError, toDisplayText } from './errors';
import { userIdSchema } from './tokenSet';

/** How long a sign-in waits for its callback (the 5 minutes VS Code's own sign-ins use). */
export const SIGN_IN_TIMEOUT_MS = 5 * 60_000;

/** A `state` longer than this is refused without comparing: no attacker-sized string is handled. */
const MAX_STATE_LENGTH = 1024;

/** One authorization attempt waiting for its redirect. Lives only in this window's memory. */
export interface PendingAuthorization {
  readonly state: string;
  readonly codeVerifier: string;
  readonly redirectUri: string;
  readonly createdAt: number;
  readonly expiresAt: number;
}

/** The trusted part of a callback, after its `state` matched a pending attempt. */
export interface ValidatedCallback {
  readonly pending: PendingAuthorization;
  readonly code: string;
  readonly userId: string;
}

/**
 * The attempts this window started and has not finished. A `state` is looked up in constant
 * time and removed on first use, whatever the callback says next.
 */
export class PendingAuthorizations {
  private readonly _byState = new Map<string, PendingAuthorization>();

  constructor(private readonly _clock: Clock) {}

  add(pending: PendingAuthorization): void {
    this._byState.set(pending.state, pending);
  }

  remove(state: string): void {
    this._byState.delete(state);
  }

  get size(): number {
    return this._byState.size;
  }

  /**
   * Finds and consumes the attempt whose state equals `candidate`, comparing every pending state
   * in constant time (so the comparison leaks nothing about how close a guess was).
   * @see https://www.rfc-editor.org/rfc/rfc6749#section-10.12
   */
  take(candidate: string): PendingAuthorization {
    const candidateDigest = digest(candidate);
    let match: PendingAuthorization | undefined;
    for (const pending of this._byState.values()) {
      if (timingSafeEqual(digest(pending.state), candidateDigest)) match = pending;
    }
    if (!match)
      throw new AuthError(
        'unknown_state',
        'This sign-in response does not belong to a sign-in started in this window.',
      );
    this._byState.delete(match.state);
    if (this._clock.now() > match.expiresAt)
      throw new AuthError('expired_state', 'This sign-in response arrived after the sign-in timed out.');
    return match;
  }
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

const codeSchema = z
  .string()
  .min(1)
  .max(2048)
  .regex(/^[\x21-\x7e]+$/);

/**
 * Validates an authorization response (the query of the redirect). Order matters: the `state`
 * is checked first and nothing else is read unless it matches a pending attempt, because until
 * then every parameter is attacker-controlled (a URI handler is reachable from any web page).
 * The attempt is consumed on first use; `error=` is mapped to a typed error; `code` and
 * `user_id` are validated (the user id must be a UUID).
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2.1
 * @see https://www.rfc-editor.org/rfc/rfc8252#section-8.9
 */
export function validateCallback(params: URLSearchParams, pending: PendingAuthorizations): ValidatedCallback {
  const states = params.getAll('state');
  const [state] = states;
  if (states.length !== 1 || !state || state.length > MAX_STATE_LENGTH) {
    throw new AuthError(
      'malformed_callback',
      'The sign-in response has a missing, repeated or invalid state and was ignored.',
    );
  }
  const match = pending.take(state);

  const [error] = params.getAll('error');
  if (error !== undefined) {
    const rawDescription = params.get('error_description');
    const detail = rawDescription ? toDisplayText(rawDescription) : undefined;
    if (error === 'access_denied') throw new AuthError('access_denied', 'Authorization was denied.', { detail });
    const label = /^[a-z_]{1,64}$/.test(error) ? error : 'an unknown error';
    throw new AuthError('authorization_error', `The authorization server answered ${label}.`, { detail });
  }

  const codes = params.getAll('code');
  const code = codes.length === 1 ? codeSchema.safeParse(codes[0]) : undefined;
  if (!code?.success) throw new AuthError('missing_code', 'The sign-in response has no valid authorization code.');

  const userIds = params.getAll('user_id');
  const userId = userIds.length === 1 ? userIdSchema.safeParse(userIds[0]) : undefined;
  if (!userId?.success)
    throw new AuthError('invalid_user_id', 'The sign-in response has no valid user ID (a UUID is required).');

  return { pending: match, code: code.data, userId: userId.data };
}
