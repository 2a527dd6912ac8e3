import type { SandboxDialect } from './dialect';
import { STANDARD } from './standard';

/**
 * Every route with a `limit` object in its documented example counts its own requests: profile
 * against the 1,000 its example shows, workout, supplements and medications against 10,000 each.
 * Labs (no `limit` in its example) spends nothing; quantity and sleep share the daily quota as always.
 */
export const PER_ROUTE_LIMITS: SandboxDialect = {
  ...STANDARD,
  name: 'per-route-limits',
  summary: 'profile, workout, supplements and medications each spend a daily budget of their own (profile 1,000)',
  routeLimits: { profile: 1000, workout: 10_000, supplements: 10_000, medications: 10_000 },
};
