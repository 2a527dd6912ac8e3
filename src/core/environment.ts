/**
 * Which API the explorer talks to. Every token and secret is bound to the origin of its environment
 * and is never sent anywhere else (docs/reliability.md, "Tokens and secrets").
 */
export type EnvironmentKind = 'production' | 'sandbox' | 'custom';

export const PRODUCTION_BASE_URL = 'https://api.onetwentyone.ai';

export interface Environment {
  readonly kind: EnvironmentKind;
  /** Origin only (scheme, host, port), e.g. `https://api.onetwentyone.ai`. */
  readonly origin: string;
}

/** What is wrong with a base URL, so the glue can say it in the user's language. */
export type BaseUrlProblem = 'not_url' | 'credentials' | 'http_not_loopback' | 'scheme' | 'not_origin';

export class EnvironmentError extends Error {
  readonly code = 'invalid_base_url';

  constructor(
    message: string,
    /** Set when `parseBaseUrl` refused the URL; unset when the message was already written for the user. */
    readonly problem?: BaseUrlProblem,
  ) {
    super(message);
  }
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname) || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

/**
 * Validates a base URL typed by the user or read from settings and reduces it to its origin.
 * `http:` is accepted only on loopback, because tokens must never travel in clear text (RFC 6750 §5.3).
 */
export function parseBaseUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new EnvironmentError('The API base URL is not a valid URL.', 'not_url');
  }
  if (url.username || url.password)
    throw new EnvironmentError('The API base URL must not contain a user name or password.', 'credentials');
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    throw new EnvironmentError(
      'The API base URL must use https: (http: is allowed only for 127.0.0.1 and localhost).',
      'http_not_loopback',
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new EnvironmentError('The API base URL must use https:.', 'scheme');
  if (url.search || url.hash || (url.pathname !== '/' && url.pathname !== '')) {
    throw new EnvironmentError(
      'The API base URL must be an origin only, such as https://api.onetwentyone.ai (no path or query).',
      'not_origin',
    );
  }
  return url.origin;
}

export function environment(kind: EnvironmentKind, baseUrl: string): Environment {
  return { kind, origin: parseBaseUrl(baseUrl) };
}

/** Stable key used to namespace stored credentials per environment. */
export function environmentKey(env: Environment): string {
  return `${env.kind}|${env.origin}`;
}
