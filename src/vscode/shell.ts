import * as vscode from 'vscode';
import {
  AUTH_PROVIDER_ID,
  COMMAND_IDS,
  QUERY_PANEL_VIEW_TYPE,
  queryPanelOptions,
  queryPanelTitle,
  VIEW_IDS,
  type ViewId,
} from './commandIds';
import { registerLanguageModelTools } from './lm/toolForwarders';
import { NOTEBOOK_SERIALIZER_OPTIONS, NOTEBOOK_TYPE } from './notebook/notebookIds';
import type { CreateServices, Services, ShellHost } from './servicesContract';
import type { UriEventHandler } from './uriEventHandler';
import { Disposable } from './util/lifecycle';
import type { LogChannel } from './util/logChannel';

/**
 * The activation shell: registers every contribution at once with cheap forwarders, and loads the
 * services bundle (the accounts, the authentication provider and the views; it loads the commands,
 * explorer and undici bundles when needed) on first use, so activation costs almost nothing.
 */
export class Shell extends Disposable {
  private _services: Services | undefined;
  /** The first query panel while the shell opens it: a second "Open Query Panel" meanwhile waits for it. */
  private _openingFirstPanel: Promise<unknown> | undefined;
  private readonly _forwardSessions =
    new vscode.EventEmitter<vscode.AuthenticationProviderAuthenticationSessionsChangeEvent>();
  private readonly _treeViews: Record<ViewId, vscode.TreeView<unknown>>;
  private readonly _treeEmitters: Record<ViewId, vscode.EventEmitter<unknown>>;

  constructor(
    private readonly _context: vscode.ExtensionContext,
    private readonly _log: LogChannel,
    private readonly _uriHandler: UriEventHandler,
  ) {
    super();
    this._register(this._forwardSessions);
    const forwardSessions = this._forwardSessions;
    for (const id of COMMAND_IDS) {
      this._register(
        vscode.commands.registerCommand(id, (...args: unknown[]) =>
          id === 'onetwentyone.query.open' && args.every((a) => a === undefined) && !this.explorerLoaded
            ? this._openFirstQueryPanel()
            : this.services().commands[id](...args),
        ),
      );
    }
    this._treeEmitters = {} as Record<ViewId, vscode.EventEmitter<unknown>>;
    this._treeViews = {} as Record<ViewId, vscode.TreeView<unknown>>;
    for (const viewId of VIEW_IDS) {
      const emitter = this._register(new vscode.EventEmitter<unknown>());
      this._treeEmitters[viewId] = emitter;
      this._treeViews[viewId] = this._register(
        vscode.window.createTreeView<unknown>(viewId, {
          showCollapseAll: viewId === 'onetwentyone.endpoints',
          treeDataProvider: {
            onDidChangeTreeData: emitter.event,
            getTreeItem: (element) => this.services().trees[viewId].getTreeItem(element),
            getChildren: (element) => this.services().trees[viewId].getChildren(element),
            getParent: (element) => this.services().trees[viewId].getParent?.(element),
            // Each view builds a row's tooltip here, on hover (src/vscode/util/treeItem.ts, resolveTooltip).
            resolveTreeItem: (item, element, token) =>
              this.services().trees[viewId].resolveTreeItem?.(item, element, token) ?? item,
          },
        }),
      );
    }
    this._register(
      vscode.authentication.registerAuthenticationProvider(
        AUTH_PROVIDER_ID,
        'OneTwentyOne',
        {
          get onDidChangeSessions() {
            return forwardSessions.event;
          },
          getSessions: (scopes, options) => this.services().authProvider.getSessions(scopes, options),
          createSession: (scopes, options) => this.services().authProvider.createSession(scopes, options),
          removeSession: (sessionId) => this.services().authProvider.removeSession(sessionId),
        },
        { supportsMultipleAccounts: true },
      ),
    );
    this._register(registerLanguageModelTools(() => this.services().languageModelTools));
    this._register(_uriHandler.event((uri) => this.services().receiveUri(uri)));
    this._register(
      vscode.workspace.registerNotebookSerializer(
        NOTEBOOK_TYPE,
        {
          deserializeNotebook: (content, token) =>
            this.services().notebookSerializer.deserializeNotebook(content, token),
          serializeNotebook: (data, token) => this.services().notebookSerializer.serializeNotebook(data, token),
        },
        NOTEBOOK_SERIALIZER_OPTIONS,
      ),
    );
    this._register(
      vscode.window.registerWebviewPanelSerializer(QUERY_PANEL_VIEW_TYPE, {
        deserializeWebviewPanel: (panel, state) => this.services().revivePanel(panel, state),
      }),
    );
  }

  /**
   * "Open Query Panel" before the explorer is loaded (so no query panel exists yet): the panel is
   * created first, with the query panel's view type, title and options, so that the workbench builds
   * its webview while the bundles load; the explorer then opens the query panel in it
   * (docs/performance.md, B11). A turn passes in between, so the request to create it has gone out.
   */
  private _openFirstQueryPanel(): Promise<unknown> {
    this._openingFirstPanel ??= this._openQueryPanelFirst().finally(() => {
      this._openingFirstPanel = undefined;
    });
    return this._openingFirstPanel;
  }

  private async _openQueryPanelFirst(): Promise<unknown> {
    const panel = vscode.window.createWebviewPanel(
      QUERY_PANEL_VIEW_TYPE,
      queryPanelTitle(vscode.l10n),
      vscode.ViewColumn.Active,
      queryPanelOptions(this._context.extensionUri, vscode.Uri.joinPath),
    );
    let closed = false;
    const closing = panel.onDidDispose(() => (closed = true));
    await new Promise((resolve) => setTimeout(resolve, 0));
    try {
      // Closed at once: nothing to open, as if the command had not run.
      return closed ? undefined : await this.services().openQueryPanelIn(panel);
    } finally {
      closing.dispose();
      // Nothing took it (the bundles failed to load): no empty panel stays behind.
      if (!this.explorerLoaded) panel.dispose();
    }
  }

  /** Whether the explorer bundle is loaded (the tests see the first "Open Query Panel" take the shell's way). */
  get explorerLoaded(): boolean {
    return this._services?.explorerLoaded ?? false;
  }

  treeView(id: ViewId): vscode.TreeView<unknown> {
    return this._treeViews[id];
  }

  /** Loads dist/services.js once and connects its events to the registered forwarders. */
  services(): Services {
    if (!this._services) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { createServices } = require('./services.js') as { createServices: CreateServices };
      const host: ShellHost = {
        context: this._context,
        log: this._log,
        uriHandler: this._uriHandler,
        treeViews: this._treeViews,
      };
      const services = this._register(createServices(host));
      for (const viewId of VIEW_IDS) {
        const change = services.trees[viewId].onDidChangeTreeData;
        if (change) this._register(change((e) => this._treeEmitters[viewId].fire(e)));
      }
      this._register(services.authProvider.onDidChangeSessions((e) => this._forwardSessions.fire(e)));
      this._services = services;
    }
    return this._services;
  }
}
