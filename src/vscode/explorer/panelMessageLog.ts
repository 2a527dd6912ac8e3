import type { HostToWebview } from '../../shared/protocol';

/** Sees each message a query panel posts to its webview and receives from it. */
export interface PanelMessageObserver {
  sent(panel: object, message: HostToWebview): void;
  received(panel: object, raw: unknown): void;
}

export interface PanelMessages {
  /** Newest last. */
  readonly sent: readonly HostToWebview[];
  readonly received: readonly unknown[];
}

/** Enough for a test to find its replies; rows can be a megabyte each, so no more are kept. */
const MESSAGE_LOG_SIZE = 300;

/** The last messages of each query panel both ways, for the test hooks. */
export class PanelMessageLogs implements PanelMessageObserver {
  private readonly _logs = new WeakMap<object, { sent: HostToWebview[]; received: unknown[] }>();

  of(panel: object): PanelMessages {
    return this._logOf(panel);
  }

  sent(panel: object, message: HostToWebview): void {
    keepLast(this._logOf(panel).sent, message);
  }

  received(panel: object, raw: unknown): void {
    keepLast(this._logOf(panel).received, raw);
  }

  private _logOf(panel: object): { sent: HostToWebview[]; received: unknown[] } {
    let log = this._logs.get(panel);
    if (!log) {
      log = { sent: [], received: [] };
      this._logs.set(panel, log);
    }
    return log;
  }
}

function keepLast<T>(log: T[], item: T): void {
  log.push(item);
  if (log.length > MESSAGE_LOG_SIZE) log.shift();
}
