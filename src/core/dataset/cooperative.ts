/**
 * Helpers for long loops in the extension host: work in slices of a few milliseconds and give the
 * event loop a turn in between, so no task comes near the 50 ms budget (B4, B9) or VS Code's 3 s
 * unresponsive limit.
 */

/** Default slice length; with the work between checks it keeps each task well under 50 ms. */
export const DEFAULT_SLICE_MS = 8;

/** Resolves on the next turn of the event loop (after pending I/O). */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** The error thrown when an operation is cancelled through its AbortSignal. */
export class CancelledError extends Error {
  constructor(message = 'Cancelled') {
    super(message);
    this.name = 'CancelledError';
  }
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new CancelledError();
}
