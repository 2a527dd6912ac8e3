import { z } from 'zod';
import { isApiError, redirectTarget } from '../api/errors';
import type { HttpResponse, HttpTransport } from '../api/httpTypes';
import { AuthError, toDisplayText } from './errors';
import { DEFAULT_EXPIRES_IN_SECONDS, type TokenSet } from './tokenSet';

/*
 * Encoding of the token POSTs: a JSON body (`Content-Type: application/json`).
 * The API docs show each parameter as a JSON fragment and call the responses JSON (§4); a tolerant
 * server accepts JSON, and a body (unlike the query string the `curl -G` samples would produce)
 * keeps the code, refresh token and client secret out of URLs and access logs (RFC 6749 §2.3.1,
 * RFC 9700 §4.3). No `grant_type` is sent: the docs define none and the route picks the grant.
 */

export interface CodeExchangeParams {
  readonly code: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Byte-identical to the `redirect_uri` of the authorization request. */
  readonly redirectUri: string;
  readonly codeVerifier: string;
}

export interface RefreshParams {
  readonly refreshToken: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly userId: string;
}

/**
 * POST `/api/token`: exchanges an authorization code. Sent exactly once: the transport never
 * retries a POST and neither does this function, because a code is single-use and a second try
 * would revoke the grant.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.3
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2
 */
export function tokenRequest(transport: HttpTransport, params: CodeExchangeParams, signal?: AbortSignal): Promise<HttpResponse> {
  return postJson(transport, '/api/token', {
    code: params.code,
    client_id: params.clientId,
    client_secret: params.clientSecret,
    redirect_uri: params.redirectUri,
    code_verifier: params.codeVerifier,
  }, signal);
}

/**
 * POST `/api/refresh`: a new access token for a refresh token. Not retried automatically either
 * (a rotating server may have used the token up even when the answer is lost).
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-6
 */
export function refreshRequest(transport: HttpTransport, params: RefreshParams, signal?: AbortSignal): Promise<HttpResponse> {
  return postJson(transport, '/api/refresh', {
    refresh_token: params.refreshToken,
    client_id: params.clientId,
    client_secret: params.clientSecret,
    user_id: params.userId,
  }, signal);
}

async function postJson(transport: HttpTransport, path: string, body: Record<string, string>, signal?: AbortSignal): Promise<HttpResponse> {
  try {
    return await transport.send({
      method: 'POST',
      url: new URL(path, transport.origin),
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body),
      signal,
    });
  } catch (error) {
    if (signal?.aborted) throw new AuthError('cancelled', 'The request was cancelled.', { cause: error });
    if (isApiError(error) && error.code === 'redirect') throw redirectError(error.status, error.location);
    // The transport's errors never carry the body; keep only a safe cause chain.
    throw new AuthError('network', `The token request to ${path} did not complete.`, { cause: error });
  }
}

const tokenTypeSchema = z.string().refine((t) => t.toLowerCase() === 'bearer', 'token_type must be bearer');
const scopeSchema = z.union([z.string(), z.array(z.string())]).transform((s) => (typeof s === 'string' ? s.split(/[\s,]+/) : s).filter(Boolean));

/**
 * A 200 token response. `expires_in` must be a positive number of seconds when present; zero,
 * negative or a string is refused rather than guessed (reliability case 13).
 */
const tokenResponseSchema = z.object({
  access_token: z.string().min(1).max(8192),
  refresh_token: z.string().min(1).max(8192).optional(),
  token_type: tokenTypeSchema.optional(),
  expires_in: z.number().positive().finite().optional(),
  scope: scopeSchema.optional(),
  user_id: z.guid().optional(),
});

const errorBodySchema = z.object({
  error: z.string().max(200),
  error_description: z.string().optional(),
});

export interface ProcessContext {
  /** When the request was sent (ms): expiry counts from here, so it errs early. */
  readonly sentAt: number;
  /** The user the tokens are for (from the callback, or the account being refreshed). */
  readonly userId: string;
}

/**
 * Parses the answer of `/api/token` into a `TokenSet`, or throws an `AuthError` with the RFC 6749
 * §5.2 error mapped to a code (`invalid_grant`, `invalid_client`, …).
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.1
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 */
export function processTokenResponse(response: HttpResponse, context: ProcessContext): TokenSet {
  const parsed = parseSuccess(response);
  if (!parsed.refresh_token) {
    throw new AuthError('invalid_token_response', 'The token response has no refresh token.');
  }
  return toTokenSet(parsed, context, undefined);
}

/**
 * Parses the answer of `/api/refresh`. When it carries no `refresh_token` the previous one stays
 * valid; when it carries one, the old one must be discarded (rotation).
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-6
 */
export function processRefreshResponse(response: HttpResponse, context: ProcessContext & { readonly previousRefreshToken: string }): TokenSet {
  return toTokenSet(parseSuccess(response), context, context.previousRefreshToken);
}

function toTokenSet(parsed: z.infer<typeof tokenResponseSchema>, context: ProcessContext, previousRefreshToken: string | undefined): TokenSet {
  if (parsed.user_id !== undefined && parsed.user_id.toLowerCase() !== context.userId.toLowerCase()) {
    throw new AuthError('invalid_user_id', 'The tokens were issued for a different user than the sign-in named.');
  }
  const expiresIn = parsed.expires_in ?? DEFAULT_EXPIRES_IN_SECONDS;
  return {
    accessToken: parsed.access_token,
    refreshToken: parsed.refresh_token ?? previousRefreshToken,
    expiresAt: context.sentAt + Math.floor(expiresIn * 1000),
    scopes: parsed.scope ?? [],
    userId: context.userId,
  };
}

function parseSuccess(response: HttpResponse): z.infer<typeof tokenResponseSchema> {
  if (response.status < 200 || response.status >= 300) throw errorFromResponse(response);
  const json = readJson(response);
  if (json === undefined) throw new AuthError('invalid_token_response', 'The token response is not JSON.');
  const parsed = tokenResponseSchema.safeParse(json);
  if (!parsed.success) {
    // Paths only: values of a token response are secrets.
    const where = parsed.error.issues.map((i) => i.path.join('.') || '(root)').join(', ');
    throw new AuthError('invalid_token_response', `The token response is not valid (${where}).`);
  }
  return parsed.data;
}

/**
 * Maps a non-2xx token response to an `AuthError`. The error text is plain, and a server's
 * `error_description` is kept only as display text.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 */
export function errorFromResponse(response: HttpResponse): AuthError {
  if (response.status >= 300 && response.status < 400) return redirectError(response.status, redirectTarget(response.headers.location));
  const body = errorBodySchema.safeParse(readJson(response));
  const error = body.success ? body.data.error : undefined;
  const detail = body.success && body.data.error_description ? toDisplayText(body.data.error_description) : undefined;
  if (error === 'invalid_grant') {
    return new AuthError('invalid_grant', 'The authorization grant is invalid, expired or already used.', { detail });
  }
  if (error === 'invalid_client' || (response.status === 401 && error === undefined)) {
    return new AuthError('invalid_client', 'The API did not accept the client ID or client secret.', { detail });
  }
  const label = error && /^[\w.-]{1,64}$/.test(error) ? error : `HTTP ${response.status}`;
  return new AuthError('token_endpoint_error', `The token endpoint answered ${label}.`, { detail });
}

/**
 * A 3xx from a token route. It is never followed: the body holds the code or refresh token and the
 * client secret, which must reach only the configured API origin. The text names the target so a
 * moved API or a login page in the way can be told apart; it is the error's detail too, so the
 * sign-in message shows it.
 */
function redirectError(status: number | undefined, location: string | undefined): AuthError {
  const text = `The token endpoint answered with a redirect (${status ?? '3xx'})${location ? ` to ${location}` : ''}; `
    + 'tokens are never sent to a redirect target, so it was not followed. Check the API URL of the environment.';
  return new AuthError('token_endpoint_error', text, { detail: text });
}

function readJson(response: HttpResponse): unknown {
  const type = response.headers['content-type'] ?? '';
  if (!/^application\/([\w.+-]+\+)?json\b/i.test(type.trim())) return undefined;
  try {
    return JSON.parse(response.body.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}
