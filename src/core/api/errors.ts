import { MAX_RETRY_AFTER_MS } from './rateLimit';

/**
 * Typed errors of the API client core. The core only attaches a code and facts; the glue
 * (`src/vscode/**`) picks the words shown to the user, using `describeApiError` as the default.
 * No message ever carries a token: every message is scrubbed (docs/reliability.md, "Tokens and secrets").
 */

export type ApiErrorCode =
  /** Parameters refused before anything was sent. */
  | 'invalid_params'
  /** Connection refused or reset, DNS failure, response cut short, a proxy's refusal (`status` 407: it wants credentials). */
  | 'network'
  /** Connect, headers or body-idle timeout, or the overall deadline. */
  | 'timeout'
  /** Certificate or TLS handshake failure: never downgraded. */
  | 'tls'
  | 'cancelled'
  /** Body larger than the response-size cap. */
  | 'too_large'
  /** A 3xx answer: redirects are never followed, so the token never moves to another URL. */
  | 'redirect'
  /** The body is not `application/json` (a captive portal, proxy login or CDN error page). */
  | 'unexpected_content_type'
  /** Not JSON (truncated, invalid UTF-8, BOM, NaN, trailing comma). */
  | 'invalid_response'
  /** JSON of a shape the client cannot use at all (e.g. `data` missing). */
  | 'schema'
  | 'bad_request'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  /** 429 that is not the daily quota (`retryAfterMs` says how long to wait). */
  | 'rate_limited'
  /** The daily quota is spent (`resetAt` says when it comes back). */
  | 'quota_exhausted'
  /** Any other unexpected status (`status` says which). */
  | 'http_status'
  /** A URL outside the API origin or the route (a next_page link, or a request to another host). */
  | 'untrusted_link'
  /** Pagination went round in a circle or stopped advancing. */
  | 'pagination_loop'
  /** Nothing answers at the local sandbox's origin; the message says how to start it. */
  | 'sandbox_not_running'
  /** The local sandbox was stopped while the request or run was going on. */
  | 'sandbox_stopped'
  /** The account's sandbox URL is no longer the sandbox's: nothing was sent; the message names both origins. */
  | 'origin_changed';

export interface ApiErrorDetails {
  readonly status?: number | undefined;
  /** Route path template or id (never a URL with query values). */
  readonly route?: string | undefined;
  readonly retryAfterMs?: number | undefined;
  /** Epoch milliseconds when the daily quota resets. */
  readonly resetAt?: number | undefined;
  readonly cause?: unknown;
  /** A server error whose `Retry-After` asked for a longer wait than the client honours (`retryAfterMs`). */
  readonly refusedWait?: boolean;
  /**
   * Where a 3xx pointed, without query, fragment or user info (they may carry a code or a token):
   * shown so the user can tell a moved API from a login page. Never requested.
   */
  readonly location?: string;
  /** Secret values (tokens) to scrub from the message, in addition to the generic patterns. */
  readonly secrets?: readonly string[] | undefined;
}

export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly code: ApiErrorCode;
  readonly status: number | undefined;
  readonly route: string | undefined;
  readonly retryAfterMs: number | undefined;
  readonly resetAt: number | undefined;
  readonly refusedWait?: boolean;
  readonly location?: string;

  constructor(code: ApiErrorCode, message: string, details: ApiErrorDetails = {}) {
    super(
      redactSecrets(message, details.secrets),
      details.cause === undefined ? undefined : { cause: scrubCause(details.cause, details.secrets) },
    );
    this.code = code;
    this.status = details.status;
    this.route = details.route;
    this.retryAfterMs = details.retryAfterMs;
    this.resetAt = details.resetAt;
    if (details.refusedWait) this.refusedWait = true;
    if (details.location !== undefined) this.location = details.location;
  }
}

/** The one wording of a request the caller cancelled. */
export function cancelledError(details: ApiErrorDetails = {}): ApiError {
  return new ApiError('cancelled', 'The request was cancelled.', details);
}

export function isApiError(value: unknown): value is ApiError {
  return value instanceof ApiError;
}

const AUTHORIZATION_VALUE = /\b(Bearer|Basic)\s+[^\s"',;]+/gi;
const CREDENTIAL_FIELD =
  /\b(access_token|refresh_token|client_secret|code_verifier|id_token|token)(["']?\s*[:=]\s*["']?)[^\s"'&,;}]+/gi;

/**
 * Removes anything that looks like a credential from free text: `Bearer …`, `access_token=…`,
 * JSON `"refresh_token": "…"`, and every known secret value passed in.
 */
export function redactSecrets(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const secret of secrets) {
    // Short values would redact ordinary words; real tokens are long.
    if (secret && secret.length >= 8) out = out.split(secret).join('[redacted]');
  }
  out = out.replace(AUTHORIZATION_VALUE, '$1 [redacted]');
  out = out.replace(CREDENTIAL_FIELD, '$1$2[redacted]');
  return out;
}

/** Keeps the cause's type and code for diagnosis, with its message scrubbed too. */
function scrubCause(cause: unknown, secrets?: readonly string[]): unknown {
  if (!(cause instanceof Error)) return undefined;
  const copy = new Error(redactSecrets(cause.message, secrets));
  copy.name = cause.name;
  const code = (cause as { code?: unknown }).code;
  if (typeof code === 'string') (copy as Error & { code?: string }).code = code;
  delete copy.stack;
  return copy;
}

/** A wait in words: `45 s`, `5 minutes`, `24 hours` (a `Retry-After` at the parser's cap may have asked for more). */
export function formatWait(ms: number): string {
  const seconds = Math.ceil(ms / 1000);
  if (seconds < 120) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 120) return `${minutes} minutes`;
  const hours = Math.round(minutes / 60);
  return ms >= MAX_RETRY_AFTER_MS ? `${hours} hours or more` : `${hours} hours`;
}

/**
 * A 3xx's `Location`, resolved against the request URL and cut to origin and path (a query may hold
 * an authorization code), at most 200 characters; undefined when absent or not a URL.
 */
export function redirectTarget(location: string | undefined, base?: URL): string | undefined {
  if (!location) return undefined;
  let url: URL;
  try {
    url = new URL(location, base);
  } catch {
    // A relative target without a base to resolve it against: its path is still worth naming.
    const path = base === undefined && location.startsWith('/') ? location.split(/[?#]/)[0] : undefined;
    return path && /^[\x21-\x7e]+$/.test(path) ? path.slice(0, 200) : undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `a ${url.protocol} URL`;
  // eslint-disable-next-line no-control-regex
  const text = `${url.origin}${url.pathname}`.replace(/[\u0000-\u001f\u007f]/g, '');
  return text.length > 200 ? `${text.slice(0, 199)}…` : text;
}

/** Default plain-words description of each error for the user; the glue may choose other words. */
export function describeApiError(err: unknown): string {
  if (!(err instanceof ApiError)) return 'Unexpected error while talking to the OneTwentyOne API.';
  const where = err.route ? ` (${err.route})` : '';
  switch (err.code) {
    case 'invalid_params':
      return err.message;
    case 'network':
      if (err.status === 407)
        return `The proxy asked for authentication (407)${where}: set the proxy's credentials in http.proxy (http://user:password@host:port) or in HTTPS_PROXY, or ask your administrator to let the API host through.`;
      return `Cannot reach the OneTwentyOne API${where}. Check your network connection and proxy settings.`;
    case 'timeout':
      return `The OneTwentyOne API did not answer in time${where}.`;
    case 'tls':
      return `Secure connection to the OneTwentyOne API failed${where}: ${err.message} Check the system certificates and proxy (http.proxy, http.proxyStrictSSL).`;
    case 'cancelled':
      return 'The request was cancelled.';
    case 'too_large':
      return `The response${where} is larger than the configured limit (onetwentyone.request.maxResponseMegabytes).`;
    case 'redirect':
      return `The API answered with a redirect${err.status ? ` (${err.status})` : ''}${err.location ? ` to ${err.location}` : ''}${where}; redirects are not followed so your token stays with the API.`;
    case 'unexpected_content_type':
      return `The server sent something other than JSON${where}. A proxy, captive portal or network login page may be in the way.`;
    case 'invalid_response':
      return `The server sent an invalid response${where}: ${err.message}`;
    case 'schema':
      return `The response${where} does not have the expected shape: ${err.message}`;
    case 'bad_request':
      return `The API refused the request as invalid${where}: ${err.message}`;
    case 'unauthorized':
      return 'Your session has expired or the token was rejected. Sign in again.';
    case 'forbidden':
      return `Missing permission for this route${where}. Authorize the scope it needs.`;
    case 'not_found':
      return `Not found${where}: check the user ID and the metric or route.`;
    case 'rate_limited': {
      const seconds = err.retryAfterMs !== undefined ? Math.ceil(err.retryAfterMs / 1000) : undefined;
      return seconds !== undefined
        ? `Too many requests; try again in ${seconds} s.`
        : 'Too many requests; try again later.';
    }
    case 'quota_exhausted':
      return err.resetAt !== undefined
        ? `Daily request limit reached; it resets at ${new Date(err.resetAt).toLocaleTimeString()}.`
        : 'Daily request limit reached.';
    case 'http_status':
      return err.refusedWait
        ? `The API answered with HTTP ${err.status ?? '?'}${where}. ${err.message}`
        : `The API answered with HTTP ${err.status ?? '?'}${where}.`;
    case 'untrusted_link':
      return `Untrusted link refused${where}: ${err.message}`;
    case 'pagination_loop':
      return `Pagination stopped${where}: ${err.message}`;
    case 'sandbox_not_running':
      return `The OneTwentyOne sandbox is not running${where}. ${err.message}`;
    case 'sandbox_stopped':
      return 'The OneTwentyOne sandbox was stopped.';
    case 'origin_changed':
      return `Not sent${where}: ${err.message}`;
  }
}
