import * as vscode from 'vscode';
import { createAuthModule, type AuthModule } from './auth/authModule';
import type { AuthCommands } from './auth/authCommands';
import { command, commandInvoker, type CommandInvoker, type CommandSpec } from './commandRegistry';
import { COMMAND_IDS, VIEW_IDS, type CommandId, type ViewId } from './commandIds';
import { ErrorReporter } from './errorReporter';
import type { ExplorerCommands } from './explorer/explorerCommands';
import type { CreateExplorerServices, ExplorerServices } from './explorerServices';
import type { LanguageModelToolSet } from './lm/toolNames';
import { createSandboxModule, type SandboxCommands, type SandboxModule } from './sandbox/sandboxModule';
import type { AreaHost, CreateServices, Services, ShellHost } from './servicesContract';
import { TestSeams, type TestHooks } from './testing/testHooks';
import { Disposable } from './util/lifecycle';
import { OutputChannelLogger } from './util/logger';

export type ServicesCommands = ReturnType<typeof servicesCommands>;

function servicesCommands(log: vscode.LogOutputChannel) {
  return { 'onetwentyone.showLog': command('Showing the log', [], () => log.show()) };
}

/** Every command this bundle does not declare is the explorer's (this fails to compile otherwise). */
type BundleCommands = ServicesCommands & SandboxCommands & AuthCommands;
const THE_REST_ARE_THE_EXPLORERS: Exclude<CommandId, keyof BundleCommands> extends keyof ExplorerCommands
  ? true
  : never = true;

/**
 * The services bundle (dist/services.js): the log, the sandbox and the auth area (accounts, the
 * Accounts view, the authentication provider), which the workbench asks for sessions as soon as the
 * extension is active. Everything of the explorer (query panel, Endpoints and History views,
 * notebooks, language-model tools, undici) is in dist/explorer.js, loaded by the first thing that
 * needs it, so a session query or the Accounts view does not pay for it (docs/performance.md, B11).
 */
class ExtensionServices extends Disposable implements Services {
  readonly commands: Record<CommandId, CommandInvoker>;
  readonly trees: Record<ViewId, vscode.TreeDataProvider<unknown>>;
  readonly authProvider: vscode.AuthenticationProvider;
  private readonly _host: AreaHost;
  private readonly _areas: { sandbox: SandboxModule; auth: AuthModule };
  private readonly _seams: TestSeams | undefined;
  private _explorer: ExplorerServices | undefined;

  constructor(shellHost: ShellHost) {
    super();
    const logger = new OutputChannelLogger(shellHost.log);
    const reporter = this._register(new ErrorReporter(logger));
    this._host = { ...shellHost, logger, reporter };
    // Only a test run builds the seams its tests turn; the product runs on the defaults.
    this._seams =
      shellHost.context.extensionMode === vscode.ExtensionMode.Test ? this._register(new TestSeams()) : undefined;
    const sandbox = this._register(createSandboxModule(this._host));
    const auth = this._register(createAuthModule(this._host, { sandbox }, this._seams?.authOptions ?? {}));
    this._areas = { sandbox, auth };
    this.authProvider = auth.authProvider;
    // The status bar (the active user and the quota left) is the explorer's: once someone is signed in
    // it loads, a turn later, so a session query still answers first (docs/performance.md, B11).
    const showStatusOnceSignedIn = (): void => {
      if (this._explorer || auth.accounts.list().length === 0) return;
      const timer = setTimeout(() => {
        if (!this.isDisposed) this._explorerServices();
      }, 0);
      this._register({ dispose: () => clearTimeout(timer) });
    };
    this._register(auth.accounts.onDidChange(showStatusOnceSignedIn));
    showStatusOnceSignedIn();

    const own: Partial<Record<CommandId, CommandInvoker>> = {};
    const specs: BundleCommands = { ...servicesCommands(shellHost.log), ...sandbox.commands, ...auth.commands };
    for (const [id, spec] of Object.entries(specs) as [CommandId, CommandSpec][])
      own[id] = commandInvoker(id, spec, reporter);
    void THE_REST_ARE_THE_EXPLORERS;
    this.commands = Object.fromEntries(
      COMMAND_IDS.map((id) => [id, own[id] ?? ((...args: unknown[]) => this._explorerCommand(id, args))]),
    ) as Record<CommandId, CommandInvoker>;
    const ownTrees: Partial<Record<ViewId, vscode.TreeDataProvider<unknown>>> = auth.trees ?? {};
    this.trees = Object.fromEntries(VIEW_IDS.map((id) => [id, ownTrees[id] ?? this._explorerTree(id)])) as Record<
      ViewId,
      vscode.TreeDataProvider<unknown>
    >;
  }

  get languageModelTools(): LanguageModelToolSet {
    return this._explorerServices().languageModelTools;
  }

  get notebookSerializer(): vscode.NotebookSerializer {
    return this._explorerServices().notebookSerializer;
  }

  get testHooks(): TestHooks | undefined {
    return this._seams && this._explorerServices().testHooks;
  }

  revivePanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    return this._explorerServices().explorer.revivePanel(panel, state);
  }

  /** Loads dist/explorer.js once and builds the explorer on this bundle's auth area. */
  private _explorerServices(): ExplorerServices {
    if (!this._explorer) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { createExplorerServices } = require('./explorer.js') as { createExplorerServices: CreateExplorerServices };
      this._explorer = this._register(createExplorerServices(this._host, this._areas, this._seams));
    }
    return this._explorer;
  }

  private _explorerCommand(id: CommandId, args: unknown[]): Promise<unknown> {
    const invoker = this._explorerServices().commands[id];
    if (!invoker) throw new Error(`No area declares the command ${id}`);
    return invoker(...args);
  }

  /** A view of the explorer: the explorer loads when the view first asks for its rows. */
  private _explorerTree(id: ViewId): vscode.TreeDataProvider<unknown> {
    const changed = this._register(new vscode.EventEmitter<unknown>());
    let tree: vscode.TreeDataProvider<unknown> | undefined;
    const loaded = (): vscode.TreeDataProvider<unknown> => {
      if (!tree) {
        tree = this._explorerServices().trees[id] ?? {
          getTreeItem: (e) => e as vscode.TreeItem,
          getChildren: () => [],
        };
        const change = tree.onDidChangeTreeData;
        if (change) this._register(change((e) => changed.fire(e)));
      }
      return tree;
    };
    return {
      onDidChangeTreeData: changed.event,
      getTreeItem: (element) => loaded().getTreeItem(element),
      getChildren: (element) => loaded().getChildren(element),
      getParent: (element) => loaded().getParent?.(element),
    };
  }
}

export const createServices: CreateServices = (host) => new ExtensionServices(host);
