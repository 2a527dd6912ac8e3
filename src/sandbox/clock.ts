import type { AdjustableClock, SandboxClock } from './types';

/** Wraps the injected clock (or the system clock) with an offset that tests can move. */
export function createAdjustableClock(base?: SandboxClock): AdjustableClock {
  const source = base ?? { now: () => Date.now() };
  let offset = 0;
  return {
    now: () => source.now() + offset,
    advance: (ms) => {
      offset += ms;
    },
    set: (ms) => {
      offset = ms - source.now();
    },
  };
}

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

export function startOfUtcDay(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS;
}
