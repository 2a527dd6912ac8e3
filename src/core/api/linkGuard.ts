import { ApiError } from './errors';

/**
 * Decides whether a server-supplied `next_page` link may be followed with the user's token
 * (docs/reliability.md, "Responses and paging"). A link is followed only when, after WHATWG URL
 * resolution against the API origin, it has the same scheme, host and port, no user info, and
 * exactly the route's path (same user, same metric). Tricks that parsers disagree on (backslashes,
 * `//host`, control characters, encoded slashes or dots) are refused before parsing.
 * @see https://url.spec.whatwg.org/#concept-url-origin
 */

export interface TrustedLink {
  readonly url: URL;
  /** The `page` query parameter when it is a positive integer. */
  readonly page?: number;
}

/**
 * The API documentation's `next_page` examples for workout and labs drop the `/v1`
 * (`/api/workout/user/…`). That variant of the same route is accepted; anything else is not.
 */
export function acceptedRoutePaths(expectedPath: string): string[] {
  const paths = [expectedPath];
  if (expectedPath.startsWith('/api/v1/')) paths.push(`/api/${expectedPath.slice('/api/v1/'.length)}`);
  return paths;
}

function refuse(reason: string, route?: string): never {
  throw new ApiError('untrusted_link', `next_page ${reason}; pagination stopped.`, { route });
}

/** Validates `link` and returns the resolved URL, or throws `untrusted_link`. */
export function resolveNextPageLink(link: unknown, origin: string, expectedPath: string, route?: string): TrustedLink {
  if (typeof link !== 'string' || link.length === 0) refuse('is not a string', route);
  if (link.length > 4096) refuse('is too long', route);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f\s\\]/.test(link)) refuse('contains whitespace, control characters or a backslash', route);
  if (link.startsWith('//')) refuse('is protocol-relative (points at another host)', route);
  if (/%2f|%5c|%2e/i.test(link.split('?', 1)[0] ?? '')) refuse('hides a slash or dot in its path', route);

  const base = new URL(origin);
  let url: URL;
  try {
    url = new URL(link, base);
  } catch {
    refuse('is not a valid URL', route);
  }
  if (url.username || url.password) refuse('carries user info', route);
  if (url.protocol !== base.protocol) refuse(`changes the scheme to ${url.protocol.replace(':', '')}`, route);
  if (url.origin !== base.origin) refuse('points at another host or port', route);
  if (url.hash) refuse('has a fragment', route);
  // A relative link with `..` resolves silently; compare the raw path too so traversal is refused.
  const rawPath = /^[a-z][a-z0-9+.-]*:/i.test(link) ? undefined : link.split(/[?#]/, 1)[0];
  if (rawPath !== undefined && /(^|\/)\.\.?(\/|$)/.test(rawPath)) refuse('contains path traversal', route);
  if (!acceptedRoutePaths(expectedPath).includes(url.pathname)) refuse('leads to another route or user', route);

  const page = pageNumberOf(url);
  return { url, ...(page !== undefined ? { page } : {}) };
}

/** The link's one `page` query parameter when it is a positive integer, else undefined. */
export function pageNumberOf(url: URL): number | undefined {
  const pages = url.searchParams.getAll('page');
  const [text] = pages;
  return pages.length === 1 && text !== undefined && /^\d{1,9}$/.test(text) && Number(text) >= 1
    ? Number(text)
    : undefined;
}
