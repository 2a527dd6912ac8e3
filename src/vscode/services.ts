import * as vscode from 'vscode';
import type { AreaModule } from './areaModule';
import { createAuthModule } from './auth/authModule';
import { COMMAND_IDS, VIEW_IDS, type CommandId, type ViewId } from './commandIds';
import { createExplorerModule } from './explorer/explorerModule';
import { createSandboxModule } from './sandbox/sandboxModule';
import type { CommandHandler, CreateServices, Services, ShellHost } from './servicesContract';
import { Disposable } from './util/lifecycle';

const emptyTree: vscode.TreeDataProvider<unknown> = { getTreeItem: (e) => e as vscode.TreeItem, getChildren: () => [] };

/**
 * The services bundle (dist/services.js): builds the area modules in dependency order and collects
 * their commands, trees and providers for the shell. Loaded on first use.
 */
class ExtensionServices extends Disposable implements Services {
  readonly commands: Record<CommandId, CommandHandler>;
  readonly trees: Record<ViewId, vscode.TreeDataProvider<unknown>>;
  readonly authProvider: vscode.AuthenticationProvider;
  readonly testHooks: Record<string, unknown>;
  private readonly _revive: (panel: vscode.WebviewPanel, state: unknown) => Promise<void>;

  constructor(host: ShellHost) {
    super();
    const sandbox = this._register(createSandboxModule(host));
    const auth = this._register(createAuthModule(host, { sandbox }));
    const explorer = this._register(createExplorerModule(host, { accounts: auth.accounts }));
    const modules: AreaModule[] = [sandbox, auth, explorer];

    const own: Partial<Record<CommandId, CommandHandler>> = { 'onetwentyone.showLog': () => host.log.show() };
    const handlers = Object.assign({}, own, ...modules.map((m) => m.commands)) as Partial<
      Record<CommandId, CommandHandler>
    >;
    this.commands = Object.fromEntries(
      COMMAND_IDS.map((id) => [
        id,
        handlers[id] ??
          (() => {
            void vscode.window.showWarningMessage(`${id} is not available in this build yet.`);
          }),
      ]),
    ) as Record<CommandId, CommandHandler>;
    const trees = Object.assign({}, ...modules.map((m) => m.trees ?? {})) as Partial<
      Record<ViewId, vscode.TreeDataProvider<unknown>>
    >;
    this.trees = Object.fromEntries(VIEW_IDS.map((id) => [id, trees[id] ?? emptyTree])) as Record<
      ViewId,
      vscode.TreeDataProvider<unknown>
    >;
    this.authProvider = auth.authProvider;
    this.testHooks = Object.assign({}, ...modules.map((m) => m.testHooks ?? {}));
    this._revive = (panel, state) => explorer.revivePanel(panel, state);
  }

  revivePanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    return this._revive(panel, state);
  }
}

export const createServices: CreateServices = (host) => new ExtensionServices(host);
