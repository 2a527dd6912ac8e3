import type * as vscode from 'vscode';
import type { AuthModule } from './auth/authModule';
import { command, commandInvoker, type CommandInvoker, type CommandSpec } from './commandRegistry';
import type { CommandId, ViewId } from './commandIds';
import { CompareArea } from './compare/compareModule';
import { createExplorerModule, type ExplorerModule } from './explorer/explorerModule';
import { createLanguageModelTools } from './lm/languageModelTools';
import type { LanguageModelToolSet } from './lm/toolNames';
import { createNotebookModule } from './notebook/notebookModule';
import type { SandboxModule } from './sandbox/sandboxModule';
import { QueryPanel } from './explorer/queryPanel';
import type { AreaHost, ExplorerViews } from './servicesContract';
import { testHooksOf, type TestHooks, type TestSeams } from './testing/testHooks';
import { disposeAll } from './util/lifecycle';

/** What the explorer bundle adds to the services once something first needs the explorer. */
export interface ExplorerServices extends vscode.Disposable {
  readonly explorer: ExplorerModule;
  readonly commands: Partial<Record<CommandId, CommandInvoker>>;
  readonly trees: Partial<Record<ViewId, vscode.TreeDataProvider<unknown>>>;
  readonly notebookSerializer: vscode.NotebookSerializer;
  readonly languageModelTools: LanguageModelToolSet;
  readonly testHooks: TestHooks | undefined;
  /** "Open Query Panel" in a new panel the activation shell created (docs/performance.md, B11). */
  openQueryPanelIn(panel: vscode.WebviewPanel): Promise<unknown>;
}

export type CreateExplorerServices = (
  host: AreaHost,
  areas: { sandbox: SandboxModule; auth: AuthModule },
  views: ExplorerViews,
  seams: TestSeams | undefined,
) => ExplorerServices;

/**
 * The explorer bundle (dist/explorer.js): the query panel, the notebooks and the language-model
 * tools, built on the auth area and the views (Endpoints, History) the other bundles already hold.
 * Loaded by the first thing that needs one of them, never by sign-in or another extension's session query.
 */
export const createExplorerServices: CreateExplorerServices = (host, areas, views, seams) => {
  const { auth } = areas;
  const owned: vscode.Disposable[] = [];
  const explorer = createExplorerModule(host, { accounts: auth.accounts, views }, seams?.explorerOptions ?? {});
  owned.push(explorer);
  const commands: Partial<Record<CommandId, CommandInvoker>> = {};
  for (const [id, spec] of Object.entries(explorer.commands) as [CommandId, CommandSpec][])
    commands[id] = commandInvoker(id, spec, host.reporter);
  const compare = new CompareArea(host);
  owned.push(compare);
  for (const [id, spec] of Object.entries(compare.commands) as [CommandId, CommandSpec][])
    commands[id] = commandInvoker(id, spec, host.reporter);
  const notebooks = createNotebookModule(host, {
    accounts: auth.accounts,
    api: explorer.api,
    pageWorkers: explorer.pageWorkers,
  });
  owned.push(notebooks);
  // The command's own action and error reporting: only the panel it opens in differs.
  const { action } = explorer.commands['onetwentyone.query.open'];
  return {
    explorer,
    commands,
    trees: explorer.trees ?? {},
    notebookSerializer: notebooks.serializer,
    languageModelTools: createLanguageModelTools({ accounts: auth.accounts, api: explorer.api }),
    testHooks: seams && testHooksOf(seams, { host, ...areas, explorer, currentPanel: () => QueryPanel.current }),
    openQueryPanelIn: (panel) =>
      commandInvoker(
        'onetwentyone.query.open',
        command(action, [], () => explorer.openIn(panel)),
        host.reporter,
      )(),
    dispose: () => disposeAll(owned),
  };
};
