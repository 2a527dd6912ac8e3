import * as vscode from 'vscode';
import type { Account } from './auth/accountsContract';
import { createAuthModule, type AuthModule } from './auth/authModule';
import type { AuthCommands } from './auth/authCommands';
import { command, commandInvoker, type CommandInvoker, type CommandSpec } from './commandRegistry';
import { COMMAND_IDS, type CommandId } from './commandIds';
import { ErrorReporter } from './errorReporter';
import type { CompareCommands } from './compare/compareModule';
import type { ExplorerCommands } from './explorer/explorerCommands';
import type { CreateExplorerServices, ExplorerServices } from './explorerServices';
import type { LanguageModelToolSet } from './lm/toolNames';
import { createSandboxModule, type SandboxCommands, type SandboxModule } from './sandbox/sandboxModule';
import type { AreaHost, CommandServices, CreateCommandServices, FirstUseParts } from './servicesContract';
import { TestSeams, type TestHooks } from './testing/testHooks';
import { Disposable } from './util/lifecycle';
import type { LogChannel } from './util/logChannel';

export type ServicesCommands = ReturnType<typeof servicesCommands>;

function servicesCommands(log: LogChannel) {
  return { 'onetwentyone.showLog': command(vscode.l10n.t('Showing the log'), [], () => log.show()) };
}

/** Every command this bundle does not declare is the explorer's (this fails to compile otherwise). */
type BundleCommands = ServicesCommands & SandboxCommands & AuthCommands;
const THE_REST_ARE_THE_EXPLORERS: Exclude<CommandId, keyof BundleCommands> extends keyof (ExplorerCommands &
  CompareCommands)
  ? true
  : never = true;

/**
 * The commands bundle (dist/commands.js), loaded by the first command: the log command, the
 * sandbox and the rest of the auth area (sign-in, the auth commands), built on the accounts the
 * services bundle already holds. Everything of the explorer (query panel, notebooks,
 * language-model tools, undici) is in dist/explorer.js, loaded by the first thing that needs it.
 */
class CommandAreas extends Disposable implements CommandServices {
  readonly commands: Record<CommandId, CommandInvoker>;
  private readonly _parts: FirstUseParts;
  private readonly _host: AreaHost;
  private readonly _areas: { sandbox: SandboxModule; auth: AuthModule };
  private readonly _seams: TestSeams | undefined;
  private _explorer: ExplorerServices | undefined;

  constructor(parts: FirstUseParts) {
    super();
    this._parts = parts;
    const host = { ...parts.host, reporter: this._register(new ErrorReporter(parts.host.logger)) };
    this._host = host;
    // Only a test run builds the seams its tests turn; the product runs on the defaults.
    this._seams = parts.testClock ? this._register(new TestSeams(parts.testClock)) : undefined;
    const sandbox = this._register(createSandboxModule(host));
    const auth = this._register(
      createAuthModule(host, { sandbox, accounts: parts.accounts }, this._seams?.authOptions ?? {}),
    );
    this._areas = { sandbox, auth };

    const own: Partial<Record<CommandId, CommandInvoker>> = {};
    const specs: BundleCommands = { ...servicesCommands(host.log), ...sandbox.commands, ...auth.commands };
    for (const [id, spec] of Object.entries(specs) as [CommandId, CommandSpec][])
      own[id] = commandInvoker(id, spec, host.reporter);
    void THE_REST_ARE_THE_EXPLORERS;
    this.commands = Object.fromEntries(
      COMMAND_IDS.map((id) => [id, own[id] ?? ((...args: unknown[]) => this._explorerCommand(id, args))]),
    ) as Record<CommandId, CommandInvoker>;
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

  get explorerLoaded(): boolean {
    return this._explorer !== undefined;
  }

  openQueryPanelIn(panel: vscode.WebviewPanel): Promise<unknown> {
    return this._explorerServices().openQueryPanelIn(panel);
  }

  signIn(): Promise<Account> {
    return this._areas.auth.signIn.signIn();
  }

  loadExplorer(): void {
    this._explorerServices();
  }

  /** Loads dist/explorer.js once and builds the explorer on this bundle's areas. */
  private _explorerServices(): ExplorerServices {
    if (!this._explorer) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { createExplorerServices } = require('./explorer.js') as { createExplorerServices: CreateExplorerServices };
      this._explorer = this._register(createExplorerServices(this._host, this._areas, this._parts.views, this._seams));
    }
    return this._explorer;
  }

  private _explorerCommand(id: CommandId, args: unknown[]): Promise<unknown> {
    const invoker = this._explorerServices().commands[id];
    if (!invoker) throw new Error(`No area declares the command ${id}`);
    return invoker(...args);
  }
}

export const createCommandServices: CreateCommandServices = (parts) => new CommandAreas(parts);
