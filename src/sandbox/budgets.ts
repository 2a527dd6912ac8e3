import type { RouteId } from '../core/routes';
import { DailyQuota } from './quota';
import type { SandboxClock } from './types';

/** Only these spend the daily quota ("currently the quantity and sleep routes", /rate-limits). */
const DAILY_ROUTES: ReadonlySet<RouteId> = new Set(['quantity', 'sleep']);

/** The budget a route's request is counted against, and whether the request spends it. */
export interface RouteBudget {
  readonly quota: DailyQuota;
  readonly spends: boolean;
}

/**
 * The daily quota of quantity and sleep, and a budget of its own for each route a dialect gives a
 * limit. Any other route reports the daily quota without spending it.
 */
export class QuotaBudgets {
  readonly daily: DailyQuota;
  private readonly _own = new Map<RouteId, DailyQuota>();

  constructor(dailyLimit: number, routeLimits: Readonly<Partial<Record<RouteId, number>>>, clock: SandboxClock) {
    this.daily = new DailyQuota(dailyLimit, clock);
    for (const [route, limit] of Object.entries(routeLimits) as [RouteId, number | undefined][]) {
      if (limit !== undefined && !DAILY_ROUTES.has(route)) this._own.set(route, new DailyQuota(limit, clock));
    }
  }

  of(route: RouteId): RouteBudget {
    if (DAILY_ROUTES.has(route)) return { quota: this.daily, spends: true };
    const own = this._own.get(route);
    return own ? { quota: own, spends: true } : { quota: this.daily, spends: false };
  }
}
