import type * as vscode from 'vscode';
import type { Account } from './auth/accountsContract';
import type { AccountsModule } from './auth/accountsModule';
import type { CommandId, ViewId } from './commandIds';
import type { CommandInvoker } from './commandRegistry';
import type { ErrorReporter } from './errorReporter';
import type { EndpointsTreeProvider } from './explorer/endpointsTree';
import type { HistoryStore } from './explorer/historyStore';
import type { HistoryTreeProvider } from './explorer/historyTree';
import type { LanguageModelToolSet } from './lm/toolNames';
import type { AdjustableClock } from './testing/testClock';
import type { TestHooks } from './testing/testHooks';
import type { LogChannel } from './util/logChannel';
import type { UriEventHandler } from './uriEventHandler';
import type { OutputChannelLogger } from './util/logger';

/**
 * What the activation shell hands to the lazily loaded services bundle (dist/services.js), and
 * what it gets back; and what that bundle hands to the commands bundle (dist/commands.js). Only
 * types here: the shell must not pull undici or zod into activation.
 */
export interface ShellHost {
  readonly context: vscode.ExtensionContext;
  readonly log: LogChannel;
  readonly uriHandler: UriEventHandler;
  readonly treeViews: Readonly<Record<ViewId, vscode.TreeView<unknown>>>;
}

/** What the first-use parts get: the shell's host and the one masking logger. */
export interface FirstUseHost extends ShellHost {
  readonly logger: OutputChannelLogger;
}

/** What every area gets: also the one error reporter (it loads with the commands, which report). */
export interface AreaHost extends FirstUseHost {
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
  /** Whether the explorer bundle is loaded: before it is, no query panel exists in this window. */
  readonly explorerLoaded: boolean;
  /** "Open Query Panel" in a new panel the shell created with the query panel's view type and options. */
  openQueryPanelIn(panel: vscode.WebviewPanel): Promise<unknown>;
  /** Only in a test run (ExtensionMode.Test); never tokens: tests read secrets through SecretStorage. */
  readonly testHooks: TestHooks | undefined;
  /** A URI the shell's handler received: sign-in takes it once loaded (it listens to the handler). */
  receiveUri(uri: vscode.Uri): void;
}

export type CreateServices = (host: ShellHost) => Services;

/** The Endpoints and History views and the history they show, built before the explorer loads. */
export interface ExplorerViews {
  readonly history: HistoryStore;
  readonly endpointsTree: EndpointsTreeProvider;
  readonly historyTree: HistoryTreeProvider;
}

/** What the services bundle built for first use, on which the commands bundle builds the rest. */
export interface FirstUseParts {
  readonly host: FirstUseHost;
  readonly accounts: AccountsModule;
  readonly views: ExplorerViews;
  /** Only in a test run: the clock the tests move. */
  readonly testClock: AdjustableClock | undefined;
}

/** The commands bundle (dist/commands.js): every command, and the explorer it loads when needed. */
export interface CommandServices extends vscode.Disposable {
  readonly commands: Readonly<Record<CommandId, CommandInvoker>>;
  readonly languageModelTools: LanguageModelToolSet;
  readonly notebookSerializer: vscode.NotebookSerializer;
  readonly testHooks: TestHooks | undefined;
  revivePanel(panel: vscode.WebviewPanel, state: unknown): Promise<void>;
  readonly explorerLoaded: boolean;
  openQueryPanelIn(panel: vscode.WebviewPanel): Promise<unknown>;
  /** Sign-in, for the authentication provider's `createSession`. */
  signIn(): Promise<Account>;
  /** Loads the explorer (the status bar is its) without waiting for one of its commands. */
  loadExplorer(): void;
}

export type CreateCommandServices = (parts: FirstUseParts) => CommandServices;
