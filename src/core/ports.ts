/** Small interfaces the core needs from its host; `src/vscode` implements them, tests use plain ones. */

/** Log sink. Callers never pass tokens or health data: only routes, statuses, counts and codes. */
export interface Logger {
  trace(message: string): void;
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** Wall clock in milliseconds since the epoch; injectable so expiry and quota logic are testable. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

export const silentLogger: Logger = {
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
