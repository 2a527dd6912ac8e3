import { DAY_MS } from './clock';
import type { SandboxClock } from './types';

export interface QuotaState {
  readonly limit: number;
  readonly remaining: number;
  /** Next 00:00 UTC, Unix seconds. */
  readonly resetSeconds: number;
  /** Seconds until the reset, rounded up (the 429's Retry-After). */
  readonly retryAfterSeconds: number;
}

/** A daily request budget per user, reset at 00:00 UTC by the (injectable) clock. */
export class DailyQuota {
  private readonly _used = new Map<string, { day: number; count: number }>();

  constructor(
    private readonly _limit: number,
    private readonly _clock: SandboxClock,
  ) {}

  used(userId: string): number {
    const entry = this._used.get(userId);
    return entry && entry.day === this._today() ? entry.count : 0;
  }

  /** The state without spending a request. */
  peek(userId: string): QuotaState {
    return this._state(this.used(userId));
  }

  /** Spends one request if any is left; `undefined` when the day's budget is gone. */
  spend(userId: string): QuotaState | undefined {
    const count = this.used(userId);
    if (count >= this._limit) return undefined;
    this._used.set(userId, { day: this._today(), count: count + 1 });
    return this._state(count + 1);
  }

  private _today(): number {
    return Math.floor(this._clock.now() / DAY_MS);
  }

  private _state(used: number): QuotaState {
    const resetMs = (this._today() + 1) * DAY_MS;
    return {
      limit: this._limit,
      remaining: Math.max(0, this._limit - used),
      resetSeconds: resetMs / 1000,
      retryAfterSeconds: Math.max(1, Math.ceil((resetMs - this._clock.now()) / 1000)),
    };
  }
}

export function limitJson(q: QuotaState): string {
  return `{"X-RateLimit-Limit":${q.limit},"X-RateLimit-Remaining":${q.remaining},"X-RateLimit-Reset":${q.resetSeconds}}`;
}

export function limitHeaders(q: QuotaState): Record<string, string> {
  return {
    'X-RateLimit-Limit': String(q.limit),
    'X-RateLimit-Remaining': String(q.remaining),
    'X-RateLimit-Reset': String(q.resetSeconds),
  };
}
