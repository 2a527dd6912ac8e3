import { l10n } from '../l10n';

/**
 * The redirect mode for a client registered with a redirect URI of the developer's own (for example
 * an https page of their app): the browser lands there, and the user pastes the address it shows.
 * No vscode import: what a registered redirect may be and when a pasted URL is "at" it.
 */

/** Why a registered redirect URI cannot be used, or undefined when it can. */
export function registeredRedirectProblem(raw: string): string | undefined {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return l10n.t('Enter the full redirect URI, for example https://app.example.com/oauth/callback.');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    return l10n.t('The redirect URI must start with https://.');
  if (url.hash !== '') return l10n.t('A redirect URI has no #fragment (RFC 6749, section 3.1.2).');
  if (url.username !== '' || url.password !== '') return l10n.t('A redirect URI carries no user name or password.');
  return undefined;
}

/**
 * Scheme, host, port and path: what a pasted URL must share with the redirect URI its sign-in sent,
 * so that a URL from another page (a forgery, or another app's callback) never completes it.
 * `URL.origin` is "null" for schemes such as vscode://, hence built by hand (URL lowercases scheme and host).
 */
function address(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname}`;
}

export function isAtRedirect(pasted: URL, redirectUri: string): boolean {
  try {
    return address(pasted) === address(new URL(redirectUri));
  } catch {
    return false;
  }
}
