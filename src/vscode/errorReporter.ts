import * as vscode from 'vscode';
import type { Logger } from '../core/ports';
import { executeCommand } from './commands';
import { logLineFor, messageFor } from './userMessages';
import { Disposable } from './util/lifecycle';

/**
 * The one way a failure reaches the user: logged as its type and code, shown in the words
 * `messageFor` chooses from that code, with its follow-up buttons. Every area reports through it.
 */
export class ErrorReporter extends Disposable {
  private readonly _onDidShow = this._register(new vscode.EventEmitter<string>());
  /** Fires with each text shown (the canary audit of the tests reads them). */
  readonly onDidShow = this._onDidShow.event;

  constructor(private readonly _logger: Logger) {
    super();
  }

  /** Not awaited by callers: the command finishes while the message waits for the user. */
  report(action: string, error: unknown): void {
    this._logger.warn(`${action} failed: ${logLineFor(error)}`);
    void this._show(action, error);
  }

  private async _show(action: string, error: unknown): Promise<void> {
    const message = messageFor(error, action);
    if (message.quiet) return;
    this._onDidShow.fire(message.text);
    const choice = await vscode.window.showErrorMessage(message.text, ...message.actions.map((a) => a.title));
    const follow = message.actions.find((a) => a.title === choice);
    if (follow) await executeCommand(follow.command);
  }
}
