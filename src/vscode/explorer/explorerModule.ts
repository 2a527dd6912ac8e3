import * as fs from 'fs';
import { copyAsTypeScriptClient, generateTypesFromResult } from './generatedCode';
import * as path from 'path';
import * as vscode from 'vscode';
import { cleanupStaleSpills } from '../../core/dataset/fallbackRecords';
import { METRIC_CATEGORIES, METRICS, type QueryParams } from '../../core/routes';
import { METRIC_NAME_PATTERN } from '../../core/routes/rules';
import { formStateSchema, type FormState } from '../../shared/protocol';
import { DATE_PRESETS, defaultQuery, describeQuery, presetRange } from '../../shared/query';
import type { AreaModule } from '../areaModule';
import type { Account, AccountsService } from '../auth/accountsContract';
import { pickAccount } from '../auth/accountPicks';
import { catalogueWord } from '../catalogueL10n';
import { executeCommand } from '../commands';
import type { AreaHost, ExplorerViews } from '../servicesContract';
import { Disposable, toDisposable } from '../util/lifecycle';
import { ApiAccess } from './apiAccess';
import {
  explorerCommands,
  type EndpointTarget,
  type ExplorerCommands,
  type ExportArgs,
  type RunArgs,
} from './explorerCommands';
import type { EndpointsTreeProvider } from './endpointsTree';
import type { HistoryStore } from './historyStore';
import type { HistoryTreeProvider, HistoryNode } from './historyTree';
import type { QueryPanelDeps } from './panelContext';
import { SparePageWorker } from '../../core/worker/sparePageWorker';
import type { PanelMessageObserver } from './panelMessageLog';
import { QueryPanel } from './queryPanel';
import { accountToUse, ownerOf, recordedLabels, type OwnerPrompts, type QuerySource } from './queryOwner';
import { ExplorerStatusBar } from './statusBar';
import { accountAlias, openQueryInNotebook, type NotebookTarget } from '../notebook/openInNotebook';

export interface ExplorerModule extends AreaModule<ExplorerCommands> {
  revivePanel(panel: vscode.WebviewPanel, state: unknown): Promise<void>;
  /** Opens the query panel in a new panel the activation shell created (see `QueryPanel.createOrShow`). */
  openIn(panel: vscode.WebviewPanel): QueryPanel;
  readonly history: HistoryStore;
  readonly endpointsTree: EndpointsTreeProvider;
  readonly historyTree: HistoryTreeProvider;
  readonly statusBar: ExplorerStatusBar;
  readonly api: ApiAccess;
  /** Fetch All's page worker started ahead, one for the query panel and the notebooks. */
  readonly pageWorkers: SparePageWorker;
}

/** What a test run changes; the product asks in VS Code's own dialogs. */
export interface ExplorerOptions {
  /** What asks about the signed-out user of a history entry. */
  readonly prompts?: OwnerPrompts;
  /** Sees every message of the query panel both ways (the tests read them). */
  readonly panelObserver?: PanelMessageObserver;
}

const WINDOW_PROMPTS: OwnerPrompts = {
  warn: (message, options, ...choices) => vscode.window.showWarningMessage(message, options, ...choices),
  pick: (items, options) => vscode.window.showQuickPick(items, options),
  inform: (message) => void vscode.window.showInformationMessage(message),
  runCommand: (command) => vscode.commands.executeCommand(command),
};

export class Explorer extends Disposable implements ExplorerModule {
  readonly commands: ExplorerCommands;
  readonly trees;
  readonly history: HistoryStore;
  readonly endpointsTree: EndpointsTreeProvider;
  readonly historyTree: HistoryTreeProvider;
  readonly statusBar: ExplorerStatusBar;
  readonly api: ApiAccess;
  readonly pageWorkers: SparePageWorker;
  private readonly _deps: QueryPanelDeps;
  private readonly _prompts: OwnerPrompts;

  constructor(
    host: AreaHost,
    private readonly _accounts: AccountsService,
    views: ExplorerViews,
    options: ExplorerOptions,
  ) {
    super();
    this._prompts = options.prompts ?? WINDOW_PROMPTS;
    const logger = host.logger.scoped('explorer');
    this.api = this._register(new ApiAccess(_accounts, logger));
    this.pageWorkers = this._register(new SparePageWorker());
    this.history = views.history;
    // Spill files of results from hosts that are gone (a crash, a killed window) go at the next start.
    const spillDirectory = path.join(host.context.globalStorageUri.fsPath, 'results');
    const stale = cleanupStaleSpills(spillDirectory);
    if (stale) logger.info(`Deleted ${stale} result file${stale === 1 ? '' : 's'} left by an earlier session.`);
    this._deps = {
      extensionUri: host.context.extensionUri,
      accounts: _accounts,
      api: this.api,
      history: this.history,
      logger,
      reporter: host.reporter,
      ...(options.panelObserver ? { observer: options.panelObserver } : {}),
      spillDirectory,
      pageWorkers: this.pageWorkers,
    };
    this.endpointsTree = views.endpointsTree;
    this.historyTree = views.historyTree;
    this.statusBar = this._register(new ExplorerStatusBar(_accounts, this.api));
    this._register(toDisposable(() => QueryPanel.current?.dispose()));
    this.trees = {
      'onetwentyone.endpoints': this.endpointsTree as vscode.TreeDataProvider<unknown>,
      'onetwentyone.history': this.historyTree as vscode.TreeDataProvider<unknown>,
    };
    this.commands = explorerCommands(this);
  }

  async revivePanel(panel: vscode.WebviewPanel, _state: unknown): Promise<void> {
    // The webview restores its own form and view state (setState); the host starts empty.
    QueryPanel.revive(panel, this._deps);
  }

  open(form?: FormState): QueryPanel {
    return QueryPanel.createOrShow(this._deps, form);
  }

  openIn(panel: vscode.WebviewPanel): QueryPanel {
    try {
      return QueryPanel.createOrShow(this._deps, undefined, false, panel);
    } catch (error) {
      panel.dispose();
      throw error;
    }
  }

  /** A History row: its user is checked first (a signed-out user is asked about). */
  async openFromHistory(node: HistoryNode): Promise<QueryPanel | undefined> {
    const source = querySourceOf(node);
    if (!source) return this.open();
    const choice = await this._accountFor(source, 'open');
    return choice && this.open(this._form(source.query, choice.accountId));
  }

  openEndpoint(node: EndpointTarget | undefined): QueryPanel | undefined {
    if (!node) return this.open();
    if (node.kind === 'freeMetric') {
      void this.enterMetric(undefined);
      return undefined;
    }
    if (node.kind === 'route') return this.open(this._form(defaultQuery(node.route.id, new Date())));
    if (node.kind === 'metric') return this.open(this._form(defaultQuery('quantity', new Date(), node.metric.name)));
    return undefined;
  }

  async enterMetric(metric: string | undefined): Promise<QueryPanel | undefined> {
    const name =
      metric ??
      (await vscode.window.showInputBox({
        title: vscode.l10n.t('Query Any Quantity Metric'),
        prompt: vscode.l10n.t(
          'A HealthKit quantity name without the HKQuantityTypeIdentifier prefix, first letter lower-case',
        ),
        placeHolder: 'appleWalkingSteadiness',
        validateInput: validMetricName,
      }));
    if (!name || validMetricName(name)) return undefined;
    return this.open(this._form(defaultQuery('quantity', new Date(), name.trim())));
  }

  async rerun(node: HistoryNode | undefined) {
    const source = querySourceOf(node);
    if (!source) return undefined;
    const choice = await this._accountFor(source, 'run');
    return choice && this._runInPanel(this._form(source.query, choice.accountId));
  }

  async runQuantity(args: RunArgs) {
    const account = await this._pickAccount(args.accountId);
    if (!account) return undefined;
    const metric = args.metric ?? (await pickMetric());
    if (!metric) return undefined;
    return this._run(account, defaultQuery('quantity', new Date(), metric.trim()), args);
  }

  async runSleep(args: RunArgs) {
    const account = await this._pickAccount(args.accountId);
    if (!account) return undefined;
    const query = defaultQuery('sleep', new Date());
    return this._run(account, { ...query, params: { ...query.params, include_stages: true } }, args);
  }

  /** The panel's query (or a History row's) as a cell of a new or open notebook; its account by name. */
  async openInNotebook(node: HistoryNode | undefined, target: NotebookTarget | undefined) {
    const source = node ? querySourceOf(node) : undefined;
    const shown = node ? undefined : QueryPanel.current?.result;
    const query = source?.query ?? shown?.query;
    if (!query) {
      void vscode.window.showInformationMessage(
        vscode.l10n.t('Send a query in the query panel, or pick one in History; then it can be opened in a notebook.'),
      );
      return undefined;
    }
    const accountId = source ? source.accountId : shown?.accountId;
    const account = accountId ? this._accounts.get(accountId) : undefined;
    await openQueryInNotebook(query, accountAlias(account, this._accounts.list()), target);
  }

  async fetchAll(request: { confirmed: boolean; spendReserve: boolean }) {
    const panel = this._panelWithResult(
      vscode.l10n.t('Run a query in the query panel first; then all its pages can be fetched.'),
    );
    return panel?.fetchAll(request);
  }

  async exportResult(args: ExportArgs) {
    const panel = this._panelWithResult(
      vscode.l10n.t('Run a query in the query panel first; then its result can be exported.'),
    );
    if (!panel) return undefined;
    const format = args.format ?? (await pickExportFormat());
    if (!format) return undefined;
    const target = args.path || undefined;
    if (target !== undefined && !(await confirmExportPath(target))) return undefined;
    return panel.exportResult(format, target);
  }

  async generateTypes() {
    const panel = this._panelWithResult(
      vscode.l10n.t('Run a query in the query panel first; then types can be inferred from its records.'),
    );
    if (panel) await generateTypesFromResult(panel.result);
  }

  async copyAsClient() {
    const panel = this._panelWithResult(
      vscode.l10n.t('Run a query in the query panel first; then it can be copied as a TypeScript client.'),
    );
    if (panel) await copyAsTypeScriptClient(panel.result);
  }

  private _panelWithResult(noResultMessage: string): QueryPanel | undefined {
    const panel = QueryPanel.current;
    if (panel?.result) return panel;
    void vscode.window.showInformationMessage(noResultMessage);
    return undefined;
  }

  private _form(query: FormState['query'], accountId?: string): FormState {
    const id = accountId ?? this._accounts.activeAccount?.id;
    return { query, ...(id ? { accountId: id } : {}) };
  }

  private _accountFor(source: QuerySource, verb: 'open' | 'run') {
    const owner = ownerOf(source, this._accounts, recordedLabels(this.history.history()));
    const name = 'name' in source ? source.name : describeQuery(source.query);
    return accountToUse(owner, name, verb, { accounts: this._accounts, prompts: this._prompts });
  }

  private async _pickAccount(accountId: string | undefined): Promise<Account | undefined> {
    if (accountId) return this._accounts.get(accountId);
    const all = this._accounts.list();
    if (all.length === 0) {
      const signIn = vscode.l10n.t('Sign In…');
      const addToken = vscode.l10n.t('Add Personal Access Token…');
      const choice = await vscode.window.showInformationMessage(
        vscode.l10n.t('No OneTwentyOne user is signed in.'),
        signIn,
        addToken,
        vscode.l10n.t('Try the Sandbox'),
      );
      if (choice === signIn) await executeCommand('onetwentyone.auth.signIn');
      else if (choice === addToken) await executeCommand('onetwentyone.auth.addPersonalAccessToken');
      else if (choice) await executeCommand('onetwentyone.sandbox.try');
      return undefined;
    }
    return pickAccount(all, this._accounts.activeAccount, {
      title: vscode.l10n.t('Which user?'),
      placeHolder: vscode.l10n.t('The user whose data to query'),
    });
  }

  /** Runs `query` for `account` over the range and page the arguments give (or the user picks). */
  private async _run(account: Account, query: FormState['query'], args: RunArgs) {
    const range = await pickRange(args);
    if (!range) return undefined;
    const params: QueryParams = { ...query.params, ...range };
    if (!range.startDate) delete params.startDate;
    if (!range.endDate) delete params.endDate;
    if (args.page) params.page = args.page;
    if (args.pageSize) params.pageSize = args.pageSize;
    return this._runInPanel(this._form({ ...query, params }, account.id));
  }

  private async _runInPanel(form: FormState) {
    const panel = QueryPanel.createOrShow(this._deps);
    const result = await panel.runFromHost(form);
    return result?.summary;
  }
}

function validMetricName(value: string): string | undefined {
  return METRIC_NAME_PATTERN.test(value.trim())
    ? undefined
    : vscode.l10n.t('Letters and digits, starting with a lower-case letter, such as heartRate.');
}

async function pickMetric(): Promise<string | undefined> {
  type Item = vscode.QuickPickItem & { metric?: string };
  const items: Item[] = [];
  for (const c of METRIC_CATEGORIES) {
    items.push({ label: catalogueWord(c.label), kind: vscode.QuickPickItemKind.Separator });
    for (const m of METRICS.filter((x) => x.category === c.id))
      items.push({ label: catalogueWord(m.label), description: `${m.name} · ${m.unit}`, metric: m.name });
  }
  items.push(
    { label: vscode.l10n.t('Other'), kind: vscode.QuickPickItemKind.Separator },
    { label: `$(edit) ${vscode.l10n.t('Another metric…')}` },
  );
  const pick = await vscode.window.showQuickPick(items, {
    title: vscode.l10n.t('Quantity metric'),
    placeHolder: vscode.l10n.t('Steps, heart rate, VO2 max… (type to filter)'),
    matchOnDescription: true,
  });
  if (!pick) return undefined;
  return (
    pick.metric ??
    (await vscode.window.showInputBox({
      title: vscode.l10n.t('Metric name'),
      placeHolder: 'appleWalkingSteadiness',
      validateInput: validMetricName,
    }))
  );
}

/** The dates the arguments give, else those of a preset (given or picked). */
async function pickRange(args: RunArgs): Promise<Pick<QueryParams, 'startDate' | 'endDate'> | undefined> {
  if (args.startDate || args.endDate)
    return {
      ...(args.startDate ? { startDate: args.startDate } : {}),
      ...(args.endDate ? { endDate: args.endDate } : {}),
    };
  const today = new Date();
  const preset =
    args.preset ??
    (
      await vscode.window.showQuickPick(
        DATE_PRESETS.map((p) => {
          const range = presetRange(p.id, today);
          return {
            label: catalogueWord(p.label),
            description: range.startDate ? `${range.startDate} … ${range.endDate}` : vscode.l10n.t('every record'),
            id: p.id,
          };
        }),
        { title: vscode.l10n.t('Date range'), placeHolder: vscode.l10n.t('Records of which days?') },
      )
    )?.id;
  return preset ? presetRange(preset, today) : undefined;
}

async function pickExportFormat(): Promise<ExportArgs['format']> {
  const picked = await vscode.window.showQuickPick(
    [
      { label: 'CSV', description: vscode.l10n.t('RFC 4180, nested fields as dotted columns'), format: 'csv' as const },
      { label: 'JSON', description: vscode.l10n.t('one array of records'), format: 'json' as const },
      { label: 'NDJSON', description: vscode.l10n.t('one record per line'), format: 'ndjson' as const },
    ],
    { title: vscode.l10n.t('Export the Whole Result') },
  );
  return picked?.format;
}

/** The entry or saved query of a History view node, if it holds a well-formed query. */
function querySourceOf(node: HistoryNode | undefined): QuerySource | undefined {
  const source = node?.kind === 'entry' ? node.entry : node?.kind === 'saved' ? node.saved : undefined;
  // Other extensions can pass anything to these commands: only a well-formed query reaches the panel.
  return source &&
    formStateSchema.safeParse({ query: source.query, ...(source.accountId ? { accountId: source.accountId } : {}) })
      .success
    ? source
    : undefined;
}

export function createExplorerModule(
  host: AreaHost,
  deps: { accounts: AccountsService; views: ExplorerViews },
  options: ExplorerOptions = {},
): ExplorerModule {
  return new Explorer(host, deps.accounts, deps.views, options);
}

/**
 * A path given to the export command (by a script or another extension, not the save dialog) is
 * held to what the dialog ensures: absolute, and a file already there is replaced only if the user
 * says so.
 */
async function confirmExportPath(target: string): Promise<boolean> {
  if (!path.isAbsolute(target)) {
    void vscode.window.showErrorMessage(
      vscode.l10n.t('Export needs an absolute path; "{0}" is relative.', target.slice(0, 200)),
    );
    return false;
  }
  if (!fs.existsSync(target)) return true;
  const replace = vscode.l10n.t('Replace');
  const choice = await vscode.window.showWarningMessage(
    vscode.l10n.t('Replace {0}?', target),
    {
      modal: true,
      detail: vscode.l10n.t(
        'The whole result is exported there; the file there now is replaced once the export completes.',
      ),
    },
    replace,
  );
  return choice === replace;
}
