import type { IncomingMessage } from 'http';
import { HttpError } from '../errors';
import { isUuid } from '../query';
import type { TokenStyle } from '../dialects';
import type { RegisteredClient } from './clients';
import { sameSecret, type GrantStore } from './grants';
import { basicCredentials, formOnlyParams, tokenParams } from './params';
import { findTooLong, TOKEN_PARAM_CAPS, tooLongMessage } from './paramLimits';

/** RFC 6749 §5.2 errors. */
const invalidRequest = (d: string): HttpError => new HttpError(400, 'invalid_request', d);
const invalidGrant = (d: string): HttpError => new HttpError(400, 'invalid_grant', d);

function authenticateClient(
  req: IncomingMessage,
  params: Map<string, string>,
  clients: ReadonlyMap<string, RegisteredClient>,
): RegisteredClient {
  const basic = basicCredentials(req);
  const tooLong =
    basic &&
    findTooLong(
      [
        ['client_id', basic.id],
        ['client_secret', basic.secret],
      ],
      TOKEN_PARAM_CAPS,
    );
  if (tooLong) throw new HttpError(400, 'invalid_request', tooLongMessage(tooLong), { parameter: tooLong.parameter });
  const id = params.get('client_id') ?? basic?.id;
  const secret = params.get('client_secret') ?? basic?.secret;
  const challenge = basic ? { 'WWW-Authenticate': 'Basic realm="OneTwentyOne sandbox"' } : undefined;
  if (!id || !secret)
    throw new HttpError(401, 'invalid_client', 'client_id and client_secret are required', {}, challenge);
  const client = clients.get(id);
  if (!client || !sameSecret(client.clientSecret, secret)) {
    throw new HttpError(401, 'invalid_client', 'Unknown client or wrong client secret', {}, challenge);
  }
  return client;
}

function checkGrantType(params: Map<string, string>, expected: string): void {
  const grantType = params.get('grant_type');
  if (grantType !== undefined && grantType !== expected) {
    throw new HttpError(
      400,
      'unsupported_grant_type',
      `This route only accepts grant_type=${expected} (or no grant_type)`,
    );
  }
}

/**
 * Reads a token POST and checks its grant type, then the client's credentials. `required` are the
 * route's own parameters: a form-only server insists on them (and the client's) before anything else.
 */
async function readTokenRequest(
  req: IncomingMessage,
  url: URL,
  oauth: OAuthState,
  grantType: string,
  required: readonly string[],
): Promise<{ readonly client: RegisteredClient; readonly params: Map<string, string> }> {
  const params =
    oauth.token.reads === 'form'
      ? await formOnlyParams(req, url, ['client_id', 'client_secret', ...required])
      : await tokenParams(req, url);
  checkGrantType(params, grantType);
  return { client: authenticateClient(req, params, oauth.clients), params };
}

function requiredParam(params: Map<string, string>, name: string): string {
  const value = params.get(name);
  if (!value) throw invalidRequest(`${name} is required`);
  return value;
}

interface TokenResult {
  /** JSON body of a 200 response. */
  readonly body: string;
}

/** What the token routes work with: the registered clients, the grants issued to them, how requests are read. */
interface OAuthState {
  readonly clients: ReadonlyMap<string, RegisteredClient>;
  readonly grants: GrantStore;
  readonly token: TokenStyle;
}

/** `POST /api/token`: code → `{ access_token, refresh_token }`, exactly the documented fields. */
export async function exchangeCode(req: IncomingMessage, url: URL, oauth: OAuthState): Promise<TokenResult> {
  const { grants } = oauth;
  const { client, params } = await readTokenRequest(req, url, oauth, 'authorization_code', ['code', 'redirect_uri']);
  const code = requiredParam(params, 'code');
  const redirectUri = requiredParam(params, 'redirect_uri');
  const redeemed = grants.redeemCode(code, client.clientId, redirectUri, params.get('code_verifier'));
  if (!redeemed.ok) throw invalidGrant(redeemed.description);
  const access = grants.issueAccessToken(redeemed.userId, client.clientId, redeemed.scopes);
  const refresh = grants.issueRefreshToken(redeemed.userId, client.clientId, redeemed.scopes);
  redeemed.issue(access, refresh);
  return { body: JSON.stringify({ access_token: access, refresh_token: refresh }) };
}

/** `POST /api/refresh`: refresh token → `{ access_token, expires_in }`; the refresh token does not rotate. */
export async function refreshAccess(req: IncomingMessage, url: URL, oauth: OAuthState): Promise<TokenResult> {
  const { grants } = oauth;
  const { client, params } = await readTokenRequest(req, url, oauth, 'refresh_token', ['refresh_token', 'user_id']);
  const refreshToken = requiredParam(params, 'refresh_token');
  const userId = requiredParam(params, 'user_id');
  if (!isUuid(userId)) throw invalidRequest('user_id must be a UUID');
  const grant = grants.refreshGrant(refreshToken);
  if (!grant || grant.clientId !== client.clientId)
    throw invalidGrant('The refresh token is unknown, revoked or belongs to another client');
  if (grant.userId.toLowerCase() !== userId.toLowerCase())
    throw invalidGrant('The refresh token does not belong to this user_id');
  const access = grants.issueAccessToken(grant.userId, client.clientId, grant.scopes);
  return { body: JSON.stringify({ access_token: access, expires_in: grants.accessTtlSeconds }) };
}
