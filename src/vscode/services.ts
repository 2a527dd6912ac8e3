import * as vscode from 'vscode';
import { createAuthModule } from './auth/authModule';
import { command, commandInvokers, type CommandInvoker } from './commandRegistry';
import { VIEW_IDS, type CommandId, type ViewId } from './commandIds';
import { ErrorReporter } from './errorReporter';
import { createExplorerModule } from './explorer/explorerModule';
import { createLanguageModelTools } from './lm/languageModelTools';
import { createNotebookModule } from './notebook/notebookModule';
import type { LanguageModelToolSet } from './lm/toolNames';
import { createSandboxModule } from './sandbox/sandboxModule';
import type { AreaHost, CreateServices, Services, ShellHost } from './servicesContract';
import { TestSeams, testHooksOf, type TestHooks } from './testing/testHooks';
import { Disposable } from './util/lifecycle';
import { OutputChannelLogger } from './util/logger';

const emptyTree: vscode.TreeDataProvider<unknown> = { getTreeItem: (e) => e as vscode.TreeItem, getChildren: () => [] };

export type ServicesCommands = ReturnType<typeof servicesCommands>;

function servicesCommands(log: vscode.LogOutputChannel) {
  return { 'onetwentyone.showLog': command('Showing the log', [], () => log.show()) };
}

/**
 * The services bundle (dist/services.js): builds the area modules in dependency order and collects
 * their commands, trees and providers for the shell. Loaded on first use.
 */
class ExtensionServices extends Disposable implements Services {
  readonly commands: Record<CommandId, CommandInvoker>;
  readonly trees: Record<ViewId, vscode.TreeDataProvider<unknown>>;
  readonly authProvider: vscode.AuthenticationProvider;
  readonly languageModelTools: LanguageModelToolSet;
  readonly notebookSerializer: vscode.NotebookSerializer;
  readonly testHooks: TestHooks | undefined;
  private readonly _revive: (panel: vscode.WebviewPanel, state: unknown) => Promise<void>;

  constructor(shellHost: ShellHost) {
    super();
    const logger = new OutputChannelLogger(shellHost.log);
    const reporter = this._register(new ErrorReporter(logger));
    const host: AreaHost = { ...shellHost, logger, reporter };
    // Only a test run builds the seams its tests turn; the product runs on the defaults.
    const seams =
      shellHost.context.extensionMode === vscode.ExtensionMode.Test ? this._register(new TestSeams()) : undefined;
    const sandbox = this._register(createSandboxModule(host));
    const auth = this._register(createAuthModule(host, { sandbox }, seams?.authOptions ?? {}));
    const explorer = this._register(
      createExplorerModule(host, { accounts: auth.accounts }, seams?.explorerOptions ?? {}),
    );

    // Every command once (commandIds.ts fails to compile when an id lacks a handler or has two).
    this.commands = commandInvokers(
      {
        ...servicesCommands(shellHost.log),
        ...sandbox.commands,
        ...auth.commands,
        ...explorer.commands,
      },
      reporter,
    );
    const trees: Partial<Record<ViewId, vscode.TreeDataProvider<unknown>>> = { ...auth.trees, ...explorer.trees };
    this.trees = Object.fromEntries(VIEW_IDS.map((id) => [id, trees[id] ?? emptyTree])) as Record<
      ViewId,
      vscode.TreeDataProvider<unknown>
    >;
    this.authProvider = auth.authProvider;
    this.notebookSerializer = this._register(
      createNotebookModule(host, { accounts: auth.accounts, api: explorer.api }),
    ).serializer;
    this.languageModelTools = createLanguageModelTools({ accounts: auth.accounts, api: explorer.api });
    this.testHooks = seams && testHooksOf(seams, { host, sandbox, auth, explorer });
    this._revive = (panel, state) => explorer.revivePanel(panel, state);
  }

  revivePanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    return this._revive(panel, state);
  }
}

export const createServices: CreateServices = (host) => new ExtensionServices(host);
