import type * as vscode from 'vscode';

/**
 * Calls `action` at most once per `intervalMs`: at once when it has not run for that long, else once
 * at the end of the interval for every call in between, so the last call is never lost.
 */
export class Throttle implements vscode.Disposable {
  private _lastRunAt = -Infinity;
  private _pending: NodeJS.Timeout | undefined;

  constructor(
    private readonly _action: () => void,
    private readonly _intervalMs: number,
  ) {}

  call(): void {
    if (this._pending) return;
    const wait = this._lastRunAt + this._intervalMs - Date.now();
    if (wait <= 0) {
      this._run();
      return;
    }
    this._pending = setTimeout(() => {
      this._pending = undefined;
      this._run();
    }, wait);
  }

  dispose(): void {
    clearTimeout(this._pending);
    this._pending = undefined;
  }

  private _run(): void {
    this._lastRunAt = Date.now();
    this._action();
  }
}
