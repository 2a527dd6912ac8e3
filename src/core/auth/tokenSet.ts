import * as z from 'zod/mini';
import { lazySchema } from '../routes/lazySchema';

/** A user id as the API uses it: a UUID string (any version; compared lower-cased). */
export const userIdSchema = lazySchema(() =>
  z.pipe(
    z.guid(),
    z.transform((s: string) => s.toLowerCase()),
  ),
);

/**
 * The access token's lifetime when a token response has no `expires_in`: the API docs state one
 * hour (on its OAuth and authentication pages). Expiry is counted from when the request was sent, and refresh
 * starts a margin ahead, so the estimate errs early.
 */
export const DEFAULT_EXPIRES_IN_SECONDS = 3600;

/** Refresh this long before the access token expires (clock skew, request time). */
export const REFRESH_MARGIN_MS = 60_000;

/** The tokens of one grant, as the core works with them. */
export interface TokenSet {
  readonly accessToken: string;
  /** Absent only when a token response carried none and none was known before. */
  readonly refreshToken: string | undefined;
  /** Access-token expiry in ms since the epoch. */
  readonly expiresAt: number;
  /** Granted scopes if the server said; empty when unknown. */
  readonly scopes: readonly string[];
  readonly userId: string;
}

/**
 * What one SecretStorage entry holds for one (environment, user): the whole credential as ONE
 * value, so a write is never torn. Parsed with zod on every read: corrupt JSON, an old version or
 * the wrong shape counts as signed out (docs/reliability.md, "Tokens and secrets"). Built on first use,
 * not as the accounts load (docs/performance.md, B11).
 */
export const storedCredentialsSchema = lazySchema(() =>
  z.object({
    version: z.literal(1),
    kind: z.enum(['oauth', 'pat']),
    environment: z.object({
      kind: z.enum(['production', 'sandbox', 'custom']),
      origin: z.string().check(z.minLength(1)),
    }),
    userId: userIdSchema,
    accessToken: z.string().check(z.minLength(1)),
    refreshToken: z.optional(z.string().check(z.minLength(1))),
    /** ms since epoch; absent for personal access tokens, which the API never expires. */
    expiresAt: z.optional(z.number()),
    scopes: z.array(z.string()),
    /** The OAuth client that issued the grant; refresh must use the same one. */
    clientId: z.optional(z.string()),
    /** The note of a personal access token, or a display name. Never a token. */
    label: z.optional(z.string().check(z.maxLength(200))),
    /** When these tokens were obtained (ms): the generation used by compare-and-swap. */
    issuedAt: z.number(),
  }),
);

export type StoredCredentials = z.infer<typeof storedCredentialsSchema>;

/**
 * True when the access token should no longer be used without a refresh.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.1 (`expires_in`)
 */
export function needsRefresh(
  credentials: Pick<StoredCredentials, 'kind' | 'expiresAt'>,
  now: number,
  marginMs = REFRESH_MARGIN_MS,
): boolean {
  return credentials.kind === 'oauth' && credentials.expiresAt !== undefined && credentials.expiresAt - marginMs <= now;
}

/**
 * Same grant state: used to detect that another caller or window replaced the credentials.
 * @see https://www.rfc-editor.org/rfc/rfc9700#section-4.14.2
 */
export function sameTokens(a: StoredCredentials | undefined, b: StoredCredentials | undefined): boolean {
  return (
    !!a && !!b && a.accessToken === b.accessToken && a.refreshToken === b.refreshToken && a.issuedAt === b.issuedAt
  );
}
