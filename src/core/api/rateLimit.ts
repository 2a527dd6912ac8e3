import type { Clock } from '../ports';
import { ROUTES, routeById, type RouteId } from '../routes';

/**
 * Rate-limit state shared by every panel, tree and pagination run of the extension
 * (docs/reliability.md, "Rate limits and quota").
 *
 * The API sends `X-RateLimit-Limit/Remaining/Reset` in the `limit` body object and (maybe) as
 * headers. Only the routes marked `dailyQuota` spend the daily quota, so a state is kept per API
 * origin, user and budget: the daily one those routes share, and one per other route for whatever
 * limit it reports (it never stops the daily routes, nor they it). Per user, not per token: that
 * survives token refreshes, and a user's PAT and OAuth tokens hit the same budget if the API counts
 * per user (the sandbox does). An exhausted daily quota is a state with a reset time, never a retry
 * loop; a short `Retry-After` is a "not before" time every caller honours.
 */

/** Longest `Retry-After` we believe; anything larger is capped (a day, the quota window). */
export const MAX_RETRY_AFTER_MS = 24 * 60 * 60 * 1000;
/** A reset further than this in the future is treated as garbage (the window is one day). */
const MAX_RESET_AHEAD_MS = 48 * 60 * 60 * 1000;

export interface RateLimitSnapshot {
  readonly limit?: number;
  readonly remaining?: number;
  /** Epoch milliseconds when the daily quota resets. */
  readonly resetAt?: number;
  /** Epoch milliseconds before which no request should be sent (from a 429's `Retry-After`). */
  readonly notBefore?: number;
  /**
   * The server refused a request for want of quota (a 429). Outside the daily quota only this makes
   * a budget exhausted: those routes echo a limit they do not spend, so a 0 they report is no refusal.
   */
  readonly refused?: boolean;
  /** Epoch milliseconds of the observation. */
  readonly observedAt: number;
}

export type RateLimitStatus = 'unknown' | 'ok' | 'throttled' | 'exhausted';

export interface RateLimitListener {
  (scope: string, snapshot: RateLimitSnapshot): void;
}

export interface Subscription {
  dispose(): void;
}

/** Whose requests a rate-limit state counts: the shared daily quota, or one route's own limit. */
export interface QuotaBudget {
  readonly key: string;
  /** How the UI names it, e.g. "quantity & sleep". */
  readonly label: string;
  readonly daily: boolean;
}

const DAILY_BUDGET: QuotaBudget = {
  key: 'daily',
  label: ROUTES.filter((r) => r.dailyQuota)
    .map((r) => r.label.toLowerCase())
    .join(' & '),
  daily: true,
};

/** How a scope key of the daily quota ends (see `scopeOf`). */
const DAILY_SUFFIX = `|${DAILY_BUDGET.key}`;

/** The budget a route's requests spend; without a route, the daily quota. */
export function budgetOf(route?: RouteId): QuotaBudget {
  const definition = route === undefined ? undefined : routeById(route);
  if (!definition || definition.dailyQuota) return DAILY_BUDGET;
  return { key: definition.id, label: definition.label.toLowerCase(), daily: false };
}

/** What a refused or 429'd request says when the budget of `route` is spent. */
export function budgetSpentMessage(route?: RouteId): string {
  const budget = budgetOf(route);
  return budget.daily
    ? `The daily request quota (${budget.label}) is spent.`
    : `The request limit of ${budget.label} is spent.`;
}

export interface RateLimitState {
  /** Scope key for an origin, user and the budget of `route` (without one: the daily quota). */
  scopeOf(origin: string, userId: string, route?: RouteId): string;
  get(scope: string): RateLimitSnapshot | undefined;
  status(scope: string): RateLimitStatus;
  /** Merges a new observation (from headers, body or a 429). */
  record(scope: string, observation: Omit<RateLimitSnapshot, 'observedAt'>): void;
  /** Milliseconds to wait before the next request in this scope (0 when free). */
  waitMs(scope: string): number;
  onDidChange(listener: RateLimitListener): Subscription;
}

/**
 * Parses `Retry-After` (RFC 9110 §10.2.3): delay-seconds or an HTTP-date. Garbage, negative or
 * non-finite values give `undefined`; huge values are capped at `MAX_RETRY_AFTER_MS`; a date in
 * the past gives 0. Never NaN, never negative.
 */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (!trimmed) return undefined;
  if (/^\d+$/.test(trimmed)) {
    const seconds = Number(trimmed);
    return Number.isFinite(seconds) ? Math.min(seconds * 1000, MAX_RETRY_AFTER_MS) : MAX_RETRY_AFTER_MS;
  }
  // Dates must look like an HTTP-date (a weekday or month name), so "-5" or "1.5" are not read as dates.
  if (!/[a-z]{3}/i.test(trimmed)) return undefined;
  const at = Date.parse(trimmed);
  if (!Number.isFinite(at)) return undefined;
  return Math.min(Math.max(0, at - now), MAX_RETRY_AFTER_MS);
}

function nonNegativeInteger(value: unknown): number | undefined {
  const n = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= Number.MAX_SAFE_INTEGER ? n : undefined;
}

/**
 * Reads `X-RateLimit-Reset` as epoch seconds (the documented form), epoch milliseconds, or a
 * delta in seconds (a common vendor variant), whichever is plausible; implausible values are dropped.
 */
export function parseResetValue(value: unknown, now: number): number | undefined {
  const n = nonNegativeInteger(value);
  if (n === undefined) return undefined;
  let at: number;
  if (n >= 1e12) at = n;
  else if (n >= 1e9) at = n * 1000;
  else at = now + n * 1000;
  return at - now > MAX_RESET_AHEAD_MS ? undefined : at;
}

/** The three rate-limit fields from a `limit` body object or from headers (any case). */
export function readRateLimitFields(
  source: Readonly<Record<string, unknown>> | undefined,
  now: number,
): Omit<RateLimitSnapshot, 'observedAt'> {
  if (!source) return {};
  const pick = (name: string): unknown => source[name] ?? source[name.toLowerCase()];
  const limit = nonNegativeInteger(pick('X-RateLimit-Limit'));
  const remaining = nonNegativeInteger(pick('X-RateLimit-Remaining'));
  const resetAt = parseResetValue(pick('X-RateLimit-Reset'), now);
  return {
    ...(limit !== undefined ? { limit } : {}),
    ...(remaining !== undefined ? { remaining } : {}),
    ...(resetAt !== undefined ? { resetAt } : {}),
  };
}

export function createRateLimitState(clock: Clock): RateLimitState {
  const snapshots = new Map<string, RateLimitSnapshot>();
  const listeners = new Set<RateLimitListener>();

  function current(scope: string): RateLimitSnapshot | undefined {
    const snapshot = snapshots.get(scope);
    if (!snapshot) return undefined;
    const now = clock.now();
    // Past its reset the old counts say nothing: forget them rather than block.
    if (
      snapshot.resetAt !== undefined &&
      snapshot.resetAt <= now &&
      (snapshot.notBefore === undefined || snapshot.notBefore <= now)
    ) {
      return { observedAt: snapshot.observedAt, ...(snapshot.limit !== undefined ? { limit: snapshot.limit } : {}) };
    }
    return snapshot;
  }

  return {
    scopeOf: (origin, userId, route) => `${origin}|${userId.toLowerCase()}|${budgetOf(route).key}`,
    get: current,
    status(scope) {
      const snapshot = current(scope);
      if (!snapshot) return 'unknown';
      const now = clock.now();
      if (
        snapshot.remaining === 0 &&
        snapshot.resetAt !== undefined &&
        snapshot.resetAt > now &&
        (scope.endsWith(DAILY_SUFFIX) || snapshot.refused)
      )
        return 'exhausted';
      if (snapshot.notBefore !== undefined && snapshot.notBefore > now) return 'throttled';
      return snapshot.remaining === undefined && snapshot.limit === undefined ? 'unknown' : 'ok';
    },
    record(scope, observation) {
      const now = clock.now();
      const previous = current(scope);
      const next: RateLimitSnapshot = {
        ...(previous ?? {}),
        ...observation,
        observedAt: now,
      };
      // Concurrent responses arrive out of order: a later answer must not resurrect spent requests
      // within the same window.
      if (
        previous?.remaining !== undefined &&
        observation.remaining !== undefined &&
        previous.resetAt !== undefined &&
        previous.resetAt === next.resetAt
      ) {
        (next as { remaining?: number }).remaining = Math.min(previous.remaining, observation.remaining);
      }
      if (
        previous?.notBefore !== undefined &&
        previous.notBefore > now &&
        (observation.notBefore ?? 0) < previous.notBefore
      ) {
        (next as { notBefore?: number }).notBefore = previous.notBefore;
      }
      snapshots.set(scope, next);
      for (const listener of [...listeners]) {
        try {
          listener(scope, next);
        } catch {
          // A failing listener must not break the request that reported the state.
        }
      }
    },
    waitMs(scope) {
      const snapshot = current(scope);
      if (!snapshot?.notBefore) return 0;
      return Math.max(0, snapshot.notBefore - clock.now());
    },
    onDidChange(listener) {
      listeners.add(listener);
      return { dispose: () => listeners.delete(listener) };
    },
  };
}
