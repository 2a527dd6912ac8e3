import type * as vscode from 'vscode';
import type { CommandId, ViewId } from './commandIds';
import type { UriEventHandler } from './uriEventHandler';

/**
 * What the activation shell hands to the lazily loaded services bundle (dist/services.js),
 * and what it gets back. Only types here: the shell must not pull undici or zod into activation.
 */
export interface ShellHost {
  readonly context: vscode.ExtensionContext;
  readonly log: vscode.LogOutputChannel;
  readonly uriHandler: UriEventHandler;
  readonly treeViews: Readonly<Record<ViewId, vscode.TreeView<unknown>>>;
}

export type CommandHandler = (...args: unknown[]) => unknown;

export interface Services extends vscode.Disposable {
  readonly commands: Readonly<Record<CommandId, CommandHandler>>;
  readonly trees: Readonly<Record<ViewId, vscode.TreeDataProvider<unknown>>>;
  readonly authProvider: vscode.AuthenticationProvider;
  revivePanel(panel: vscode.WebviewPanel, state: unknown): Promise<void>;
  /** Hooks for the integration tests (never tokens: tests read secrets through SecretStorage). */
  readonly testHooks: Record<string, unknown>;
}

export type CreateServices = (host: ShellHost) => Services;
