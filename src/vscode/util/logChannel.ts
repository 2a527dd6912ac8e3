import * as vscode from 'vscode';

/** What the extension does with its log: writes lines at a level, and shows it. */
export interface LogChannel {
  trace(message: string): void;
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  show(): void;
}

/**
 * The extension's log channel (a LogOutputChannel), created with its first line or when it is first
 * shown. Creating one makes the extension host create its log folder and a file logger, which a first
 * action that logs nothing (showing the views, a session query) paid for (docs/performance.md, B11).
 */
export class LazyLogChannel implements LogChannel, vscode.Disposable {
  private _channel: vscode.LogOutputChannel | undefined;
  private _disposed = false;

  constructor(private readonly _name: string) {}

  trace(message: string): void {
    this._get()?.trace(message);
  }
  debug(message: string): void {
    this._get()?.debug(message);
  }
  info(message: string): void {
    this._get()?.info(message);
  }
  warn(message: string): void {
    this._get()?.warn(message);
  }
  error(message: string): void {
    this._get()?.error(message);
  }
  show(): void {
    this._get()?.show();
  }

  dispose(): void {
    this._disposed = true;
    this._channel?.dispose();
  }

  /** The channel, created on first use; none once disposed (a line written after deactivation is dropped). */
  private _get(): vscode.LogOutputChannel | undefined {
    if (!this._channel && !this._disposed) this._channel = vscode.window.createOutputChannel(this._name, { log: true });
    return this._channel;
  }
}
