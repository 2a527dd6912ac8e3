import { isApiError, type ApiError } from '../core/api/errors';
import { AuthError, type AuthErrorCode } from '../core/auth/errors';
import { EnvironmentError, type BaseUrlProblem } from '../core/environment';
import { CommandArgumentError } from './commandRegistry';
import type { CommandWithoutArgs } from './commands';
import { l10n } from './l10n';

/** A follow-up the error message offers as a button. */
export interface ErrorAction {
  readonly title: string;
  readonly command: CommandWithoutArgs;
}

export interface UserMessage {
  readonly text: string;
  readonly actions: readonly ErrorAction[];
  /** Cancellation is not an error worth a notification. */
  readonly quiet?: boolean | undefined;
}

const SIGN_IN: ErrorAction = { title: l10n.t('Sign In'), command: 'onetwentyone.auth.signIn' };
const CONFIGURE: ErrorAction = { title: l10n.t('Configure API Client'), command: 'onetwentyone.client.configure' };
const SHOW_LOG: ErrorAction = { title: l10n.t('Show Log'), command: 'onetwentyone.showLog' };
const PASTE: ErrorAction = {
  title: l10n.t('Paste Redirect URL'),
  command: 'onetwentyone.auth.completeFromRedirectUrl',
};
const USE_LOOPBACK: ErrorAction = {
  title: l10n.t('Use Loopback Redirect and Sign In'),
  command: 'onetwentyone.auth.useLoopbackRedirect',
};

/** Guidance for a SecretStorage failure; never a fallback (docs/reliability.md, "Tokens and secrets"). */
export const SECRET_STORAGE_GUIDANCE = l10n.t(
  'VS Code\'s secret storage is not available, so nothing was saved (tokens are never kept in settings or files). On Linux, make sure a keyring is running and unlocked, or start VS Code with --password-store="gnome-libsecret" (KDE: --password-store="kwallet5"); see "Troubleshooting keychain issues" in the VS Code docs.',
);

const AUTH_TEXT: Record<AuthErrorCode, (detail?: string) => string> = {
  malformed_callback: () => l10n.t('The sign-in response was malformed and has been ignored.'),
  unknown_state: () =>
    l10n.t('A sign-in response arrived that no sign-in in this window started; it has been ignored.'),
  expired_state: () => l10n.t('The sign-in response arrived too late. Please sign in again.'),
  access_denied: (d) => (d ? l10n.t('Authorization was denied: {0}', d) : l10n.t('Authorization was denied.')),
  authorization_error: (d) => (d ? l10n.t('The authorization failed: {0}', d) : l10n.t('The authorization failed.')),
  missing_code: () => l10n.t('The sign-in response did not include an authorization code. Please sign in again.'),
  invalid_user_id: () =>
    l10n.t(
      'The sign-in response did not identify the user correctly (the user ID must be a UUID). Please sign in again.',
    ),
  invalid_grant: () => l10n.t('Sign-in expired, try again.'),
  invalid_client: (d) =>
    d
      ? l10n.t(
          'The API did not accept the client ID or client secret ({0}). Check them with "Configure API Client".',
          d,
        )
      : l10n.t('The API did not accept the client ID or client secret. Check them with "Configure API Client".'),
  token_endpoint_error: (d) => (d ? l10n.t('The token request failed: {0}', d) : l10n.t('The token request failed.')),
  invalid_token_response: () =>
    l10n.t('The API answered the token request with something unexpected. Please try again.'),
  session_expired: () => l10n.t('Your OneTwentyOne session has expired. Sign in again.'),
  network: () =>
    l10n.t('The OneTwentyOne API could not be reached. Check your network or proxy settings, then try again.'),
  cancelled: () => l10n.t('Sign-in cancelled.'),
  timeout: () => l10n.t('Sign-in timed out: no answer arrived from the browser within 5 minutes.'),
  invalid_personal_access_token: () => l10n.t('The API did not accept this personal access token for that user ID.'),
  client_not_configured: () => l10n.t('No API client is configured for this environment.'),
  storage_failure: () => SECRET_STORAGE_GUIDANCE,
  redirect_unreachable: () =>
    l10n.t(
      'The URI-handler redirect cannot bring the approval back to VS Code in a browser (the browser has no app for that address). Use the loopback redirect instead, and register http://127.0.0.1/callback with your API client.',
    ),
};

const BASE_URL_TEXT: Record<BaseUrlProblem, () => string> = {
  not_url: () => l10n.t('The API base URL is not a valid URL.'),
  credentials: () => l10n.t('The API base URL must not contain a user name or password.'),
  http_not_loopback: () =>
    l10n.t('The API base URL must use https: (http: is allowed only for 127.0.0.1 and localhost).'),
  scheme: () => l10n.t('The API base URL must use https:.'),
  not_origin: () =>
    l10n.t('The API base URL must be an origin only, such as https://api.onetwentyone.ai (no path or query).'),
};

/**
 * An API failure in the user's language. The sentence is ours; what follows a colon is the detail the
 * error carries (the server's own message, or a technical fact such as a TLS code), shown as it came.
 */
function apiErrorText(err: ApiError): string {
  const where = err.route ? ` (${err.route})` : '';
  switch (err.code) {
    case 'invalid_params':
      return err.message;
    case 'network':
      return err.status === 407
        ? l10n.t(
            "The proxy asked for authentication (407){0}: set the proxy's credentials in http.proxy (http://user:password@host:port) or in HTTPS_PROXY, or ask your administrator to let the API host through.",
            where,
          )
        : l10n.t('Cannot reach the OneTwentyOne API{0}. Check your network connection and proxy settings.', where);
    case 'timeout':
      return l10n.t('The OneTwentyOne API did not answer in time{0}.', where);
    case 'tls':
      return l10n.t(
        'Secure connection to the OneTwentyOne API failed{0}: {1} Check the system certificates and proxy (http.proxy, http.proxyStrictSSL).',
        where,
        err.message,
      );
    case 'cancelled':
      return l10n.t('The request was cancelled.');
    case 'too_large':
      return l10n.t(
        'The response{0} is larger than the configured limit (onetwentyone.request.maxResponseMegabytes).',
        where,
      );
    case 'redirect': {
      const to = err.location ? l10n.t(' to {0}', err.location) : '';
      return l10n.t(
        'The API answered with a redirect{0}{1}{2}; redirects are not followed so your token stays with the API.',
        err.status ? ` (${err.status})` : '',
        to,
        where,
      );
    }
    case 'unexpected_content_type':
      return l10n.t(
        'The server sent something other than JSON{0}. A proxy, captive portal or network login page may be in the way.',
        where,
      );
    case 'invalid_response':
      return l10n.t('The server sent an invalid response{0}: {1}', where, err.message);
    case 'schema':
      return l10n.t('The response{0} does not have the expected shape: {1}', where, err.message);
    case 'bad_request':
      return l10n.t('The API refused the request as invalid{0}: {1}', where, err.message);
    case 'unauthorized':
      return l10n.t('Your session has expired or the token was rejected. Sign in again.');
    case 'forbidden':
      return l10n.t('Missing permission for this route{0}. Authorize the scope it needs.', where);
    case 'not_found':
      return l10n.t('Not found{0}: check the user ID and the metric or route.', where);
    case 'rate_limited':
      return err.retryAfterMs !== undefined
        ? l10n.t('Too many requests; try again in {0} s.', Math.ceil(err.retryAfterMs / 1000))
        : l10n.t('Too many requests; try again later.');
    case 'quota_exhausted':
      return err.resetAt !== undefined
        ? l10n.t('Daily request limit reached; it resets at {0}.', new Date(err.resetAt).toLocaleTimeString())
        : l10n.t('Daily request limit reached.');
    case 'http_status':
      return err.refusedWait
        ? l10n.t('The API answered with HTTP {0}{1}. {2}', err.status ?? '?', where, err.message)
        : l10n.t('The API answered with HTTP {0}{1}.', err.status ?? '?', where);
    case 'untrusted_link':
      return l10n.t('Untrusted link refused{0}: {1}', where, err.message);
    case 'pagination_loop':
      return l10n.t('Pagination stopped{0}: {1}', where, err.message);
    case 'sandbox_not_running':
      // The message is the hint written for the user where the sandbox is known (sandboxSettings.ts).
      return l10n.t('The OneTwentyOne sandbox is not running{0}. {1}', where, err.message);
    case 'sandbox_stopped':
      return l10n.t('The OneTwentyOne sandbox was stopped.');
    case 'origin_changed':
      return l10n.t('Not sent{0}: {1}', where, err.message);
  }
}

const AUTH_ACTIONS: Partial<Record<AuthErrorCode, readonly ErrorAction[]>> = {
  expired_state: [SIGN_IN],
  invalid_grant: [SIGN_IN],
  invalid_client: [CONFIGURE],
  client_not_configured: [CONFIGURE],
  session_expired: [SIGN_IN],
  network: [SHOW_LOG],
  timeout: [SIGN_IN, PASTE],
  missing_code: [SIGN_IN],
  invalid_user_id: [SIGN_IN],
  redirect_unreachable: [USE_LOOPBACK],
};

/**
 * The words and buttons for an error, chosen from its code (the core's own message never reaches
 * the user). `action` names what failed, for errors that have no code.
 */
export function messageFor(error: unknown, action?: string): UserMessage {
  if (error instanceof AuthError) {
    return {
      text: AUTH_TEXT[error.code](error.detail),
      actions: AUTH_ACTIONS[error.code] ?? [],
      quiet: error.code === 'cancelled',
    };
  }
  if (error instanceof EnvironmentError)
    return {
      text: error.problem ? BASE_URL_TEXT[error.problem]() : error.message,
      actions: [{ title: l10n.t('Select Environment'), command: 'onetwentyone.environment.select' }],
    };
  if (isApiError(error))
    return {
      text: apiErrorText(error),
      actions: error.code === 'cancelled' ? [] : [SHOW_LOG],
      quiet: error.code === 'cancelled',
    };
  // Its text names the command and the argument positions, never the values given.
  if (error instanceof CommandArgumentError) return { text: error.message, actions: [] };
  return {
    text: action
      ? l10n.t('{0} failed. See the OneTwentyOne log for details.', action)
      : l10n.t('Something went wrong. See the OneTwentyOne log for details.'),
    actions: [SHOW_LOG],
  };
}

/** A short, token-free description of an error for the log: its type and code only. */
export function logLineFor(error: unknown): string {
  if (error instanceof AuthError) return `AuthError ${error.code}`;
  if (isApiError(error)) return `ApiError ${error.code}${error.status ? ` (HTTP ${error.status})` : ''}`;
  if (error instanceof EnvironmentError) return `EnvironmentError ${error.code}`;
  if (error instanceof CommandArgumentError) return error.message;
  // Other errors come from VS Code or Node, not from token-bearing responses; the logger masks anyway.
  return error instanceof Error ? `${error.name}: ${error.message.slice(0, 200)}` : 'unknown error';
}
