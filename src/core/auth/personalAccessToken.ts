import { createApiClient } from '../api/apiClient';
import { isApiError } from '../api/errors';
import type { Credentials, HttpTransport } from '../api/httpTypes';
import type { RateLimitState } from '../api/rateLimit';
import type { Logger } from '../ports';
import { AuthError } from './errors';

/** What the profile route tells about a token's user. */
export interface TokenIdentity {
  readonly scopes: readonly string[];
  readonly displayName?: string;
}

export interface IdentityOptions {
  readonly signal?: AbortSignal;
  readonly logger?: Logger;
  readonly rateLimits?: RateLimitState;
}

/**
 * Asks the API who a token belongs to: the profile route (`GET /api/v1/profile/{user_id}`) with
 * the token as bearer. Returns the scopes it reports, or `'no_profile_scope'` when the token is
 * valid but was not granted the profile scope (403), so its scopes cannot be read. Throws
 * `invalid_user_id` when the profile is another user's: a token is never saved under a user it
 * cannot read.
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-3.1
 */
export async function readTokenIdentity(
  transport: HttpTransport,
  params: { readonly token: string; readonly userId: string },
  options: IdentityOptions = {},
): Promise<TokenIdentity | 'no_profile_scope'> {
  // A one-off check: a 401 ends it, nothing is refreshed.
  const credentials: Credentials = {
    getAccessToken: async () => params.token,
    handleUnauthorized: async () => undefined,
  };
  const { logger, rateLimits, signal } = options;
  const client = createApiClient({
    transport,
    credentials,
    ...(logger ? { logger } : {}),
    ...(rateLimits ? { rateLimits } : {}),
  });
  let profile;
  try {
    profile = await client.profile(params.userId, signal ? { signal } : {});
  } catch (error) {
    if (isApiError(error) && error.code === 'forbidden') return 'no_profile_scope';
    throw error;
  }
  if (profile.data.user_id.toLowerCase() !== params.userId.toLowerCase()) {
    throw new AuthError('invalid_user_id', 'The token belongs to a different user than the sign-in named.');
  }
  const displayName = displayNameOf(profile.data);
  return { scopes: profile.data.scopes, ...(displayName ? { displayName } : {}) };
}

/**
 * The user's name, when the profile has one: the docs list no name field but promise "additional
 * data fields", and the sandbox sends `display_name`. Control characters are dropped, as the name
 * labels an account in VS Code's own UI.
 */
function displayNameOf(profile: object): string | undefined {
  for (const key of ['display_name', 'name'] as const) {
    const value = (profile as Record<string, unknown>)[key];
    const clean =
      typeof value === 'string'
        ? value
            // eslint-disable-next-line no-control-regex -- control and bidi characters are what is removed
            .replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g, '')
            .trim()
            .slice(0, 100)
        : '';
    if (clean) return clean;
  }
  return undefined;
}

/**
 * Checks a personal access token before it is stored: the profile route must answer 200 for that
 * same user. A PAT carries every scope (quickstart), so a 403 means the token is not for this user.
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-2.1
 */
export async function validatePersonalAccessToken(
  transport: HttpTransport,
  params: { readonly token: string; readonly userId: string },
  options: IdentityOptions = {},
): Promise<TokenIdentity> {
  let identity;
  try {
    identity = await readTokenIdentity(transport, params, options);
  } catch (error) {
    if (isApiError(error) && (error.code === 'unauthorized' || error.code === 'not_found')) {
      throw new AuthError(
        'invalid_personal_access_token',
        'The API did not accept this personal access token for this user ID.',
      );
    }
    throw error;
  }
  if (identity === 'no_profile_scope') {
    throw new AuthError(
      'invalid_personal_access_token',
      'The API did not accept this personal access token for this user ID.',
    );
  }
  return identity;
}
