import * as vscode from 'vscode';
import { systemClock } from '../core/ports';
import { createAccountsModule } from './auth/accountsModule';
import type { CommandInvoker } from './commandRegistry';
import { COMMAND_IDS, type CommandId, type ViewId } from './commandIds';
import { EndpointsTreeProvider } from './explorer/endpointsTree';
import { HistoryStore } from './explorer/historyStore';
import { HistoryTreeProvider } from './explorer/historyTree';
import type { LanguageModelToolSet } from './lm/toolNames';
import type {
  CommandServices,
  CreateCommandServices,
  CreateServices,
  FirstUseParts,
  Services,
  ShellHost,
} from './servicesContract';
import { AdjustableClock } from './testing/testClock';
import type { TestHooks } from './testing/testHooks';
import { Disposable } from './util/lifecycle';
import { OutputChannelLogger } from './util/logger';

/** The commands the commands bundle declares itself (commandIds.ts gathers every area's). */
export type { ServicesCommands } from './commandServices';

/**
 * The services bundle (dist/services.js): only what a first action needs, so that another
 * extension's session query or showing the views stays light (docs/performance.md, B11): the
 * accounts read from SecretStorage, the authentication provider, and the Accounts, Endpoints and
 * History views. Every command loads dist/commands.js (sandbox, sign-in, the auth commands, full
 * zod), which loads dist/explorer.js (query panel, notebooks, language-model tools) when needed.
 */
class ExtensionServices extends Disposable implements Services {
  readonly commands: Record<CommandId, CommandInvoker>;
  readonly trees: Record<ViewId, vscode.TreeDataProvider<unknown>>;
  readonly authProvider: vscode.AuthenticationProvider;
  private readonly _parts: FirstUseParts;
  private _commandServices: CommandServices | undefined;

  constructor(shellHost: ShellHost) {
    super();
    const host = { ...shellHost, logger: new OutputChannelLogger(shellHost.log) };
    // Only a test run moves the clock; the product runs on the system's.
    const testClock = shellHost.context.extensionMode === vscode.ExtensionMode.Test ? new AdjustableClock() : undefined;
    const accounts = this._register(
      createAccountsModule(host, testClock ?? systemClock, () => this._commands().signIn()),
    );
    const history = new HistoryStore(host.context.globalState);
    const views = {
      history,
      endpointsTree: this._register(new EndpointsTreeProvider()),
      historyTree: this._register(new HistoryTreeProvider(history, accounts.accounts)),
    };
    this._parts = { host, accounts, views, testClock };
    this.authProvider = accounts.authProvider;
    this.trees = {
      'onetwentyone.accounts': accounts.accountsTree,
      'onetwentyone.endpoints': views.endpointsTree,
      'onetwentyone.history': views.historyTree,
    };
    this.commands = Object.fromEntries(
      COMMAND_IDS.map((id) => [id, (...args: unknown[]) => this._commands().commands[id](...args)]),
    ) as Record<CommandId, CommandInvoker>;

    // The status bar (the active user and the quota left) is the explorer's: once someone is signed in
    // it loads, a turn later, so a session query still answers first (docs/performance.md, B11).
    let statusScheduled = false;
    const showStatusOnceSignedIn = (): void => {
      if (statusScheduled || accounts.accounts.list().length === 0) return;
      statusScheduled = true;
      const timer = setTimeout(() => {
        if (!this.isDisposed) this._commands().loadExplorer();
      }, 0);
      this._register({ dispose: () => clearTimeout(timer) });
    };
    this._register(accounts.accounts.onDidChange(showStatusOnceSignedIn));
  }

  get languageModelTools(): LanguageModelToolSet {
    return this._commands().languageModelTools;
  }

  get notebookSerializer(): vscode.NotebookSerializer {
    return this._commands().notebookSerializer;
  }

  get testHooks(): TestHooks | undefined {
    return this._parts.testClock && this._commands().testHooks;
  }

  revivePanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    return this._commands().revivePanel(panel, state);
  }

  get explorerLoaded(): boolean {
    return this._commandServices?.explorerLoaded ?? false;
  }

  openQueryPanelIn(panel: vscode.WebviewPanel): Promise<unknown> {
    return this._commands().openQueryPanelIn(panel);
  }

  /**
   * A sign-in callback can reach a window that has run no command, whose sign-in is not loaded: it
   * loads, and the URI is delivered again so that sign-in (or its relay to the window that started
   * the sign-in) takes it. Once loaded, sign-in hears the handler itself.
   */
  receiveUri(uri: vscode.Uri): void {
    if (this._commandServices) return;
    this._commands();
    this._parts.host.uriHandler.handleUri(uri);
  }

  /** Loads dist/commands.js once and builds the areas on what this bundle already holds. */
  private _commands(): CommandServices {
    if (!this._commandServices) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { createCommandServices } = require('./commands.js') as { createCommandServices: CreateCommandServices };
      this._commandServices = this._register(createCommandServices(this._parts));
    }
    return this._commandServices;
  }
}

export const createServices: CreateServices = (host) => new ExtensionServices(host);
