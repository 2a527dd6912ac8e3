import { createApiClient } from '../api/apiClient';
import { isApiError } from '../api/errors';
import type { Credentials, HttpTransport } from '../api/httpTypes';
import type { RateLimitState } from '../api/rateLimit';
import type { Logger } from '../ports';
import { AuthError } from './errors';

/**
 * Checks a personal access token before it is stored: the profile route
 * (`GET /api/v1/profile/{user_id}`) must answer for that same user with the token as bearer.
 * Returns the scopes the profile reports (a PAT carries all scopes, per the quickstart).
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-2.1
 */
export async function validatePersonalAccessToken(
  transport: HttpTransport,
  params: { readonly token: string; readonly userId: string },
  options: { readonly signal?: AbortSignal; readonly logger?: Logger; readonly rateLimits?: RateLimitState } = {},
): Promise<{ readonly scopes: readonly string[] }> {
  // A PAT cannot be refreshed: a 401 ends the check.
  const credentials: Credentials = { getAccessToken: async () => params.token, handleUnauthorized: async () => undefined };
  const client = createApiClient({ transport, credentials, logger: options.logger, rateLimits: options.rateLimits });
  let profile;
  try {
    profile = await client.profile(params.userId, { signal: options.signal });
  } catch (error) {
    if (isApiError(error) && error.code === 'unauthorized') {
      throw new AuthError('invalid_personal_access_token', 'The API did not accept this personal access token.');
    }
    if (isApiError(error) && (error.code === 'forbidden' || error.code === 'not_found')) {
      throw new AuthError('invalid_personal_access_token', 'The API did not accept this personal access token for this user ID.');
    }
    throw error;
  }
  if (profile.data.user_id.toLowerCase() !== params.userId.toLowerCase()) {
    throw new AuthError('invalid_user_id', 'The token belongs to a different user than the one entered.');
  }
  return { scopes: profile.data.scopes };
}
