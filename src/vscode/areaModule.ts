import type * as vscode from 'vscode';
import type { CommandId, ViewId } from './commandIds';
import type { CommandHandler } from './servicesContract';

/** What each area (sandbox, auth, explorer) contributes to the services bundle. */
export interface AreaModule extends vscode.Disposable {
  readonly commands: Partial<Record<CommandId, CommandHandler>>;
  readonly trees?: Partial<Record<ViewId, vscode.TreeDataProvider<unknown>>>;
  /** For integration tests only; never exposes tokens. */
  readonly testHooks?: Record<string, unknown>;
}
