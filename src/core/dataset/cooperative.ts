/**
 * Helpers for long loops in the extension host: work in slices of a few milliseconds and give the
 * event loop a turn in between, so no task comes near the 50 ms budget (docs/performance.md, B4 and
 * B9) or VS Code's 3 s unresponsive limit.
 */

/** Default slice length; with the work between checks it keeps each task well under 50 ms. */
import { awaitTurn } from '../eventLoopTurns';

export const DEFAULT_SLICE_MS = 8;

/**
 * Resolves on a turn of the event loop of its own (after pending I/O), shared first come, first served
 * with the API client's page parsing: one heavy slice per turn, whoever it belongs to.
 */
export function yieldToEventLoop(): Promise<void> {
  return awaitTurn();
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
