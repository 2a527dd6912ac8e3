import type * as vscode from 'vscode';
import type { CommandId, ViewId } from './commandIds';
import type { CommandInvoker } from './commandRegistry';
import type { ErrorReporter } from './errorReporter';
import type { LanguageModelToolSet } from './lm/toolNames';
import type { TestHooks } from './testing/testHooks';
import type { UriEventHandler } from './uriEventHandler';
import type { OutputChannelLogger } from './util/logger';

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

/** What every area gets: the shell's host, the one masking logger and the one error reporter. */
export interface AreaHost extends ShellHost {
  readonly logger: OutputChannelLogger;
  readonly reporter: ErrorReporter;
}

export interface Services extends vscode.Disposable {
  readonly commands: Readonly<Record<CommandId, CommandInvoker>>;
  readonly trees: Readonly<Record<ViewId, vscode.TreeDataProvider<unknown>>>;
  readonly authProvider: vscode.AuthenticationProvider;
  /** The language-model tools; the shell registers forwarders to them at activation. */
  readonly languageModelTools: LanguageModelToolSet;
  /** Reads and writes OneTwentyOne notebooks; the shell registers a forwarder at activation. */
  readonly notebookSerializer: vscode.NotebookSerializer;
  revivePanel(panel: vscode.WebviewPanel, state: unknown): Promise<void>;
  /** Only in a test run (ExtensionMode.Test); never tokens: tests read secrets through SecretStorage. */
  readonly testHooks: TestHooks | undefined;
}

export type CreateServices = (host: ShellHost) => Services;
