import * as vscode from 'vscode';
import { COMMAND_IDS, type CommandId, type ViewId } from './commandIds';
import type { CommandHandler, CreateServices, Services, ShellHost } from './servicesContract';
import { Disposable } from './util/lifecycle';

/**
 * The services bundle (dist/services.js): builds the controllers and collects their commands,
 * tree providers and authentication provider for the shell. Loaded on first use.
 */
class ExtensionServices extends Disposable implements Services {
  readonly commands: Record<CommandId, CommandHandler>;
  readonly trees: Record<ViewId, vscode.TreeDataProvider<unknown>>;
  readonly authProvider: vscode.AuthenticationProvider;
  readonly testHooks: Record<string, unknown> = {};

  constructor(private readonly _host: ShellHost) {
    super();
    const handlers: Partial<Record<CommandId, CommandHandler>> = {
      'onetwentyone.showLog': () => this._host.log.show(),
    };
    this.commands = Object.fromEntries(COMMAND_IDS.map((id) => [id, handlers[id] ?? (() => {
      void vscode.window.showWarningMessage(`${id} is not available in this build yet.`);
    })])) as Record<CommandId, CommandHandler>;
    const empty: vscode.TreeDataProvider<unknown> = { getTreeItem: (e) => e as vscode.TreeItem, getChildren: () => [] };
    this.trees = { 'onetwentyone.accounts': empty, 'onetwentyone.endpoints': empty, 'onetwentyone.history': empty };
    const sessionsChanged = this._register(new vscode.EventEmitter<vscode.AuthenticationProviderAuthenticationSessionsChangeEvent>());
    this.authProvider = {
      onDidChangeSessions: sessionsChanged.event,
      getSessions: async () => [],
      createSession: async () => { throw new Error('Sign-in is not available in this build yet.'); },
      removeSession: async () => undefined,
    };
  }

  async revivePanel(panel: vscode.WebviewPanel): Promise<void> {
    panel.dispose();
  }
}

export const createServices: CreateServices = (host) => new ExtensionServices(host);
