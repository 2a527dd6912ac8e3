/**
 * CPU-heavy steps of the extension host (decoding, parsing and validating a 1 MB page; appending
 * records to a result) each wait for a turn of the event loop of their own. Without this, several
 * responses completing in the same poll phase run back to back, with their promise continuations,
 * before any timer or message from VS Code gets a turn: measured in a real extension host during a
 * five-year import, 100–280 ms stalls. One heavy step per turn keeps each stall near one step's cost.
 */

const waiting: (() => void)[] = [];
let scheduled = false;

function grantNextTurn(): void {
  scheduled = false;
  const resume = waiting.shift();
  // Resumed code runs in this callback's microtask checkpoint, up to its next await.
  resume?.();
  if (waiting.length > 0) schedule();
}

function schedule(): void {
  if (scheduled) return;
  scheduled = true;
  // An immediate queued from inside the check phase runs in the next iteration: one step per turn.
  setImmediate(grantNextTurn);
}

/** Resolves when it is this caller's turn (first come, first served); do the heavy step right after. */
export function awaitTurn(): Promise<void> {
  return new Promise((resolve) => {
    waiting.push(resolve);
    schedule();
  });
}

/** Callers waiting for a turn (for tests and diagnostics). */
export function waitingForTurn(): number {
  return waiting.length;
}
