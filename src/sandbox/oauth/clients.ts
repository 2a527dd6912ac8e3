import { ALL_SCOPES, type Scope } from '../../core/routes';
import type { ClientRegistration } from '../types';

export interface RegisteredClient {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly name: string;
  readonly redirectUris: readonly string[];
  readonly scopes: readonly Scope[];
}

export function toRegisteredClient(c: ClientRegistration): RegisteredClient {
  return {
    clientId: c.clientId,
    clientSecret: c.clientSecret,
    name: c.name ?? c.clientId,
    redirectUris: [...c.redirectUris],
    scopes: c.scopes ?? ALL_SCOPES,
  };
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

function portless(uri: string): URL | undefined {
  try {
    const url = new URL(uri);
    return url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname) ? url : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Exact string match, except that a registered loopback URI without a port matches the same
 * URI on any port (RFC 8252 §7.3): native apps pick a free port at sign-in time.
 */
function redirectUriMatches(registered: string, requested: string): boolean {
  if (registered === requested) return true;
  const reg = portless(registered);
  const req = portless(requested);
  if (!reg || !req || reg.port !== '') return false;
  return (
    req.hostname === reg.hostname &&
    req.pathname === reg.pathname &&
    req.search === reg.search &&
    req.username === '' &&
    req.password === '' &&
    req.hash === '' &&
    requested === `http://${req.hostname}:${req.port}${req.pathname}${req.search}`
  );
}

export function isRegisteredRedirect(client: RegisteredClient, requested: string): boolean {
  return client.redirectUris.some((r) => redirectUriMatches(r, requested));
}

/** Appends query parameters to a redirect URI, keeping any query it already has. */
export function withQuery(redirectUri: string, params: Record<string, string | undefined>): string {
  const query = Object.entries(params)
    .filter((e): e is [string, string] => e[1] !== undefined)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join('&');
  const hashAt = redirectUri.indexOf('#');
  const base = hashAt < 0 ? redirectUri : redirectUri.slice(0, hashAt);
  return `${base}${base.includes('?') ? '&' : '?'}${query}`;
}
