import type { Clock } from '../../core/ports';

/**
 * The clock of a test run, which the integration tests move forward to age tokens. It lives apart
 * from the test seams so that the first-use bundle, which builds the accounts on it, stays light.
 */
export class AdjustableClock implements Clock {
  offsetMs = 0;

  now(): number {
    return Date.now() + this.offsetMs;
  }
}
