import type * as vscode from 'vscode';
import type { ViewId } from './commandIds';

/** What each area (sandbox, auth, explorer) contributes to the services bundle. */
export interface AreaModule<Commands> extends vscode.Disposable {
  /** The area's commands, each declared with its argument schema (see `command`). */
  readonly commands: Commands;
  readonly trees?: Partial<Record<ViewId, vscode.TreeDataProvider<unknown>>>;
}
