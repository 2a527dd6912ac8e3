import { z } from 'zod';
import { isApiError, redirectTarget } from '../api/errors';
import type { HttpResponse, HttpTransport } from '../api/httpTypes';
import { errorBodySchema, refreshResponseSchema, tokenResponseSchema, type RefreshResponse } from '../api/schemas';
import { AuthError, toDisplayText } from './errors';
import { DEFAULT_EXPIRES_IN_SECONDS, type TokenSet } from './tokenSet';

/*
 * Encoding of the token POSTs: a JSON body (`Content-Type: application/json`) first.
 * The API docs show each parameter as a JSON fragment and call the responses JSON, but do not
 * name the encoding, and a server built on a stock OAuth library reads only RFC 6749's form body.
 * So when an answer shows the body was not read at all (415, or a 400 saying a parameter we sent
 * is missing), the same request goes once more form-encoded; the encoding that worked is kept per
 * origin. That retry is safe even for a single-use code: a server that did not read the body
 * cannot have used the code. Any other refusal (`invalid_grant`, …) is final.
 * A body (unlike the query string the `curl -G` samples would produce) keeps the code, refresh
 * token and client secret out of URLs and access logs (RFC 6749 §2.3.1, RFC 9700 §4.3).
 * No `grant_type` is sent in JSON: the docs define none and the route picks the grant; the form
 * body carries RFC 6749's, since the servers that want a form body are the ones that require it.
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
 * POST `/api/token`: exchanges an authorization code. The transport never retries a POST, and
 * this function sends it a second time only when the first answer shows the body was not read,
 * because a code is single-use and a second try after the server used it would revoke the grant.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.3
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2
 */
export function tokenRequest(
  transport: HttpTransport,
  params: CodeExchangeParams,
  signal?: AbortSignal,
): Promise<HttpResponse> {
  return postTokenBody(
    transport,
    '/api/token',
    'authorization_code',
    {
      code: params.code,
      client_id: params.clientId,
      client_secret: params.clientSecret,
      redirect_uri: params.redirectUri,
      code_verifier: params.codeVerifier,
    },
    [params.code, params.clientSecret, params.codeVerifier],
    signal,
  );
}

/**
 * POST `/api/refresh`: a new access token for a refresh token. Not retried automatically either
 * (a rotating server may have used the token up even when the answer is lost), except when the
 * body was not read.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-6
 */
export function refreshRequest(
  transport: HttpTransport,
  params: RefreshParams,
  signal?: AbortSignal,
): Promise<HttpResponse> {
  return postTokenBody(
    transport,
    '/api/refresh',
    'refresh_token',
    {
      refresh_token: params.refreshToken,
      client_id: params.clientId,
      client_secret: params.clientSecret,
      user_id: params.userId,
    },
    [params.refreshToken, params.clientSecret],
    signal,
  );
}

export type BodyEncoding = 'json' | 'form';

/** Per API origin, the encoding a token route read. In memory: a new window probes again. */
const encodingByOrigin = new Map<string, BodyEncoding>();

/** The encoding the next token POST to `origin` starts with. */
export function bodyEncodingFor(origin: string): BodyEncoding {
  return encodingByOrigin.get(origin) ?? 'json';
}

/** The encoding a token route of `origin` read in this window, if one has been sent there (no secret). */
export function knownBodyEncoding(origin: string): BodyEncoding | undefined {
  return encodingByOrigin.get(origin);
}

/**
 * What each response was an answer to, so an error built from it can strip the secrets that were
 * sent: some servers echo the request in their message.
 */
const secretsSentFor = new WeakMap<HttpResponse, readonly string[]>();

async function postTokenBody(
  transport: HttpTransport,
  path: string,
  grantType: string,
  body: Record<string, string>,
  secrets: readonly string[],
  signal?: AbortSignal,
): Promise<HttpResponse> {
  const first = bodyEncodingFor(transport.origin);
  const firstAnswer = await post(transport, path, encode(first, grantType, body), signal);
  secretsSentFor.set(firstAnswer, secrets);
  if (!bodyNotRead(firstAnswer, [...Object.keys(body), 'grant_type'])) {
    encodingByOrigin.set(transport.origin, first);
    return firstAnswer;
  }
  const second: BodyEncoding = first === 'json' ? 'form' : 'json';
  const secondAnswer = await post(transport, path, encode(second, grantType, body), signal);
  secretsSentFor.set(secondAnswer, secrets);
  if (!bodyNotRead(secondAnswer, [...Object.keys(body), 'grant_type'])) encodingByOrigin.set(transport.origin, second);
  return secondAnswer;
}

function encode(
  encoding: BodyEncoding,
  grantType: string,
  body: Record<string, string>,
): { contentType: string; text: string } {
  return encoding === 'json'
    ? { contentType: 'application/json', text: JSON.stringify(body) }
    : {
        contentType: 'application/x-www-form-urlencoded',
        text: new URLSearchParams({ grant_type: grantType, ...body }).toString(),
      };
}

async function post(
  transport: HttpTransport,
  path: string,
  body: { contentType: string; text: string },
  signal?: AbortSignal,
): Promise<HttpResponse> {
  try {
    return await transport.send({
      method: 'POST',
      url: new URL(path, transport.origin),
      headers: { 'content-type': body.contentType, accept: 'application/json' },
      body: body.text,
      ...(signal ? { signal } : {}),
    });
  } catch (error) {
    if (signal?.aborted) throw new AuthError('cancelled', 'The request was cancelled.', { cause: error });
    if (isApiError(error) && error.code === 'redirect') throw redirectError(error.status, error.location);
    // The transport's errors never carry the body; keep only a safe cause chain.
    throw new AuthError('network', `The token request to ${path} did not complete.`, { cause: error });
  }
}

/** Phrases servers use for a parameter they did not find. */
const MISSING = /\b(missing|required|not (provided|present|given)|must be (provided|present|given|set)|is empty)\b/i;

/**
 * True when the answer shows the server never read the body: a 415, or a 400 that is not an
 * RFC 6749 refusal of the grant or client and says a parameter we did send is missing. Anything
 * else may have come after the server used the code or refresh token, so it is final.
 */
function bodyNotRead(response: HttpResponse, sentNames: readonly string[]): boolean {
  if (response.status === 415) return true;
  if (response.status !== 400) return false;
  const body = errorBody(response);
  if (body.error !== undefined && body.error !== 'invalid_request') return false;
  const text = [body.error_description, body.message, body.detail, body.text].filter((t) => t !== undefined).join(' ');
  if (!MISSING.test(text)) return false;
  return sentNames.some((name) => new RegExp(`(^|[^\\w])${name}([^\\w]|$)`, 'i').test(text));
}

/** A token route's error body: RFC 6749 §5.2 fields, or the message a framework puts elsewhere. */
const tokenErrorBodySchema = errorBodySchema.extend({ detail: z.unknown().optional() });

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
  return toTokenSet(parseSuccess(response, tokenResponseSchema), context, undefined);
}

/**
 * Parses the answer of `/api/refresh`. When it carries no `refresh_token` the previous one stays
 * valid; when it carries one, the old one must be discarded (rotation).
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-6
 */
export function processRefreshResponse(
  response: HttpResponse,
  context: ProcessContext & { readonly previousRefreshToken: string },
): TokenSet {
  return toTokenSet(parseSuccess(response, refreshResponseSchema), context, context.previousRefreshToken);
}

function toTokenSet(
  parsed: RefreshResponse,
  context: ProcessContext,
  previousRefreshToken: string | undefined,
): TokenSet {
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

function parseSuccess<T>(response: HttpResponse, schema: z.ZodType<T>): T {
  if (response.status < 200 || response.status >= 300) throw errorFromResponse(response);
  const json = readJson(response);
  if (json === undefined) throw new AuthError('invalid_token_response', 'The token response is not JSON.');
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    // Paths only: values of a token response are secrets.
    const where = parsed.error.issues.map((i) => i.path.join('.') || '(root)').join(', ');
    throw new AuthError('invalid_token_response', `The token response is not valid (${where}).`);
  }
  return parsed.data;
}

/**
 * Maps a non-2xx token response to an `AuthError`. Only RFC 6749's own `invalid_client` blames
 * the client: a 401 or 400 without an `error` may come from a gateway, an API-key check or a
 * framework's validation, so it is reported as the status and the server's own words. Those
 * words are display text only, with any secret this request sent cut out.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 */
function errorFromResponse(response: HttpResponse): AuthError {
  if (response.status >= 300 && response.status < 400)
    return redirectError(response.status, redirectTarget(response.headers.location));
  const body = errorBody(response);
  const said = serverMessage(response, body);
  if (body.error === 'invalid_grant') {
    return new AuthError('invalid_grant', 'The authorization grant is invalid, expired or already used.', {
      detail: said,
    });
  }
  if (body.error === 'invalid_client') {
    return new AuthError('invalid_client', 'The API did not accept the client ID or client secret.', { detail: said });
  }
  const label =
    body.error && /^[\w.-]{1,64}$/.test(body.error)
      ? `HTTP ${response.status} ${body.error}`
      : `HTTP ${response.status}`;
  const detail = said
    ? `${label}: ${said}`
    : `${label}${body.error === undefined ? ' with no error code or message' : ''}`;
  return new AuthError('token_endpoint_error', `The token endpoint answered ${label}.`, { detail });
}

/** The members of a token error answer as its schema parsed them (any may be absent). */
interface ErrorBody {
  readonly error?: string | undefined;
  readonly error_description?: string | undefined;
  readonly message?: string | undefined;
  readonly detail?: string | undefined;
  /** A plain-text body, for servers that answer errors without JSON. */
  readonly text?: string;
}

function errorBody(response: HttpResponse): ErrorBody {
  if (/^text\/plain\b/i.test((response.headers['content-type'] ?? '').trim())) {
    return { text: response.body.subarray(0, 2048).toString('utf8') };
  }
  const parsed = tokenErrorBodySchema.safeParse(readJson(response));
  if (!parsed.success) return {};
  const { error, error_description, message, detail } = parsed.data;
  return { error, error_description, message, detail: typeof detail === 'string' ? detail : undefined };
}

/** The server's own explanation, made safe to show; undefined when it gave none. */
function serverMessage(response: HttpResponse, body: ErrorBody): string | undefined {
  const raw = body.error_description ?? body.message ?? body.detail ?? body.text;
  if (!raw?.trim()) return undefined;
  let cleaned = raw;
  for (const secret of secretsSentFor.get(response) ?? []) {
    if (secret.length < 4) continue;
    for (const form of new Set([secret, encodeURIComponent(secret)])) cleaned = cleaned.split(form).join('[redacted]');
  }
  return toDisplayText(cleaned, 200) || undefined;
}

/** What a client check learned: the verdict and, in plain words, why (status and the server's message). */
export interface ClientCheck {
  readonly verdict: 'accepted' | 'rejected' | 'unknown';
  readonly reason: string;
}

/**
 * Reads the answer to a code exchange with a code that cannot exist. Only RFC 6749's codes are
 * conclusive: `invalid_grant` means the client passed and the code did not, `invalid_client` that
 * the client failed. Anything else (a bare 401, a gateway's 400, a 5xx) cannot tell.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 */
export function clientCheckFrom(response: HttpResponse): ClientCheck {
  if (response.status >= 200 && response.status < 300) {
    return { verdict: 'unknown', reason: `HTTP ${response.status}: the API answered a made-up code with success` };
  }
  const error = errorFromResponse(response);
  const said = error.detail ? `: ${error.detail}` : '';
  switch (error.code) {
    case 'invalid_grant':
      return {
        verdict: 'accepted',
        reason: `HTTP ${response.status} invalid_grant: the API knows the client and refused only the test code`,
      };
    case 'invalid_client':
      return { verdict: 'rejected', reason: `HTTP ${response.status} invalid_client${said}` };
    default:
      return { verdict: 'unknown', reason: error.detail ?? error.message };
  }
}

/**
 * A 3xx from a token route. It is never followed: the body holds the code or refresh token and the
 * client secret, which must reach only the configured API origin. The text names the target so a
 * moved API or a login page in the way can be told apart; it is the error's detail too, so the
 * sign-in message shows it.
 */
function redirectError(status: number | undefined, location: string | undefined): AuthError {
  const text =
    `The token endpoint answered with a redirect (${status ?? '3xx'})${location ? ` to ${location}` : ''}; ` +
    'tokens are never sent to a redirect target, so it was not followed. Check the API URL of the environment.';
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
