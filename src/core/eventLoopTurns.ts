/**
 * CPU-heavy steps of the extension host (decoding, parsing and validating a 1 MB page; appending
 * records to a result) each wait for a turn of the event loop of their own. Without this, several
 * responses completing in the same poll phase run back to back, with their promise continuations,
 * before any timer or message from VS Code gets a turn: measured in a real extension host during a
 * five-year import, 100–280 ms stalls. One heavy step per turn keeps each stall near one step's cost.
 */

/** Steps that free a scarce resource when done (a page parsed frees its request's place) go first. */
export type TurnPriority = 'first' | 'normal';

const waitingFirst: (() => void)[] = [];
const waiting: (() => void)[] = [];
let scheduled = false;

function grantNextTurn(): void {
  scheduled = false;
  const resume = waitingFirst.shift() ?? waiting.shift();
  // Resumed code runs in this callback's microtask checkpoint, up to its next await.
  resume?.();
  if (waitingFirst.length + waiting.length > 0) schedule();
}

function schedule(): void {
  if (scheduled) return;
  scheduled = true;
  // An immediate queued from inside the check phase runs in the next iteration: one step per turn.
  setImmediate(grantNextTurn);
}

/**
 * Resolves when it is this caller's turn; do the heavy step right after. First come, first served
 * within a priority; every `first` step goes before any `normal` one.
 */
export function awaitTurn(priority: TurnPriority = 'normal'): Promise<void> {
  return new Promise((resolve) => {
    (priority === 'first' ? waitingFirst : waiting).push(resolve);
    schedule();
  });
}

/** Callers waiting for a turn (for tests and diagnostics). */
export function waitingForTurn(): number {
  return waitingFirst.length + waiting.length;
}
