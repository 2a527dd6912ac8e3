import { createHash, randomBytes, timingSafeEqual } from 'crypto';
import { ALL_SCOPES, type Scope } from '../../core/routes';
import type { DemoUser } from '../demoAccounts';
import { BoundedMap } from '../boundedMap';
import type { SandboxClock } from '../types';

export const CODE_TTL_MS = 10 * 60_000;

/**
 * Most codes and tokens kept at once; beyond them the oldest go first. Far above what a person
 * trying the extension creates, and small enough that a client looping over sign-in cannot grow
 * the process without end.
 */
export const MAX_CODES = 1_000;
export const MAX_ACCESS_TOKENS = 10_000;
export const MAX_REFRESH_TOKENS = 10_000;

export interface GrantCounts {
  readonly codes: number;
  readonly accessTokens: number;
  readonly refreshTokens: number;
}

interface CodeGrant {
  readonly clientId: string;
  readonly redirectUri: string;
  readonly userId: string;
  readonly scopes: readonly Scope[];
  readonly codeChallenge: string | undefined;
  readonly expiresAt: number;
  used: boolean;
  /** Tokens issued from this code, revoked if the code is replayed (RFC 6749 §4.1.2). */
  readonly issued: string[];
}

export interface TokenGrant {
  readonly kind: 'access' | 'refresh' | 'pat';
  readonly userId: string;
  readonly clientId: string | undefined;
  readonly scopes: readonly Scope[];
  /** Epoch ms; undefined never expires (refresh tokens and PATs). */
  readonly expiresAt: number | undefined;
  revoked: boolean;
}

export type TokenCheck = { ok: true; grant: TokenGrant } | { ok: false; reason: 'unknown' | 'expired' | 'revoked' };

function opaque(prefix: string): string {
  return `${prefix}${randomBytes(24).toString('base64url')}`;
}

/** Constant-time comparison, so a secret cannot be guessed byte by byte from response times. */
export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function s256(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

export type CodeRedemption =
  | { ok: true; userId: string; scopes: readonly Scope[]; issue(access: string, refresh: string): void }
  | { ok: false; description: string };

/** Authorization codes, access and refresh tokens, and the demo users' PATs, all in memory. */
export class GrantStore {
  // Expired codes and access tokens stay one more lifetime, so that a late replay still revokes
  // what the code issued and a late bearer still hears "expired" rather than "not valid".
  private readonly _codes: BoundedMap<string, CodeGrant>;
  private readonly _access: BoundedMap<string, TokenGrant>;
  private readonly _refresh: BoundedMap<string, TokenGrant>;
  private readonly _pats = new Map<string, TokenGrant>();

  constructor(
    private readonly _clock: SandboxClock,
    private readonly _accessTtlMs: number,
    users: readonly DemoUser[],
  ) {
    this._codes = new BoundedMap(MAX_CODES, _clock, (g) => g.expiresAt + CODE_TTL_MS);
    this._access = new BoundedMap(MAX_ACCESS_TOKENS, _clock, (g) => (g.expiresAt ?? Infinity) + _accessTtlMs);
    this._refresh = new BoundedMap(MAX_REFRESH_TOKENS, _clock, () => Infinity);
    for (const u of users) {
      this._pats.set(u.pat, {
        kind: 'pat',
        userId: u.userId,
        clientId: undefined,
        scopes: ALL_SCOPES,
        expiresAt: undefined,
        revoked: false,
      });
    }
  }

  counts(): GrantCounts {
    return { codes: this._codes.size, accessTokens: this._access.size, refreshTokens: this._refresh.size };
  }

  private _token(token: string): TokenGrant | undefined {
    return this._pats.get(token) ?? this._access.get(token) ?? this._refresh.get(token);
  }

  get accessTtlSeconds(): number {
    return Math.round(this._accessTtlMs / 1000);
  }

  issueCode(grant: Omit<CodeGrant, 'used' | 'issued' | 'expiresAt'>): string {
    const code = opaque('sbx_code_');
    this._codes.set(code, { ...grant, expiresAt: this._clock.now() + CODE_TTL_MS, used: false, issued: [] });
    return code;
  }

  redeemCode(code: string, clientId: string, redirectUri: string, codeVerifier: string | undefined): CodeRedemption {
    const grant = this._codes.get(code);
    if (!grant || grant.clientId !== clientId)
      return { ok: false, description: 'The authorization code is unknown or was issued to another client' };
    if (grant.used) {
      for (const token of grant.issued) this.revoke(token);
      return {
        ok: false,
        description: 'The authorization code was already used; the tokens issued for it are now revoked',
      };
    }
    if (this._clock.now() >= grant.expiresAt)
      return { ok: false, description: 'The authorization code expired (codes live 10 minutes)' };
    if (grant.redirectUri !== redirectUri)
      return { ok: false, description: 'redirect_uri does not match the one used to get the code' };
    if (grant.codeChallenge !== undefined) {
      if (codeVerifier === undefined)
        return {
          ok: false,
          description: 'code_verifier is required: the authorization request carried a code_challenge',
        };
      if (!sameSecret(s256(codeVerifier), grant.codeChallenge))
        return { ok: false, description: 'code_verifier does not match the code_challenge' };
    } else if (codeVerifier !== undefined) {
      return {
        ok: false,
        description: 'code_verifier was sent but the authorization request carried no code_challenge',
      };
    }
    grant.used = true;
    return {
      ok: true,
      userId: grant.userId,
      scopes: grant.scopes,
      issue: (access, refresh) => {
        grant.issued.push(access, refresh);
      },
    };
  }

  issueAccessToken(userId: string, clientId: string, scopes: readonly Scope[]): string {
    const token = opaque('sbx_at_');
    this._access.set(token, {
      kind: 'access',
      userId,
      clientId,
      scopes,
      expiresAt: this._clock.now() + this._accessTtlMs,
      revoked: false,
    });
    return token;
  }

  issueRefreshToken(userId: string, clientId: string, scopes: readonly Scope[]): string {
    const token = opaque('sbx_rt_');
    this._refresh.set(token, { kind: 'refresh', userId, clientId, scopes, expiresAt: undefined, revoked: false });
    return token;
  }

  revoke(token: string): void {
    const grant = this._token(token);
    if (grant) grant.revoked = true;
  }

  /** A bearer token for the data routes: an access token or a PAT, never a refresh token. */
  checkBearer(token: string): TokenCheck {
    const grant = this._token(token);
    if (!grant || grant.kind === 'refresh') return { ok: false, reason: 'unknown' };
    if (grant.revoked) return { ok: false, reason: 'revoked' };
    if (grant.expiresAt !== undefined && this._clock.now() >= grant.expiresAt) return { ok: false, reason: 'expired' };
    return { ok: true, grant };
  }

  refreshGrant(token: string): TokenGrant | undefined {
    const grant = this._token(token);
    return grant && grant.kind === 'refresh' && !grant.revoked ? grant : undefined;
  }
}
