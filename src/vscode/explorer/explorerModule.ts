import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { cleanupStaleSpills } from '../../core/dataset/fallbackRecords';
import { METRIC_CATEGORIES, METRICS, type QueryParams, type RouteId } from '../../core/routes';
import { METRIC_NAME_PATTERN } from '../../core/routes/rules';
import { formStateSchema, type FormState } from '../../shared/protocol';
import { DATE_PRESETS, defaultQuery, describeQuery, presetRange, type DatePresetId } from '../../shared/query';
import type { AreaModule } from '../areaModule';
import type { Account, AccountsService } from '../auth/accountsContract';
import type { CommandId } from '../commandIds';
import type { CommandHandler, ShellHost } from '../servicesContract';
import { Disposable, toDisposable } from '../util/lifecycle';
import { ApiAccess } from './apiAccess';
import { EndpointsTreeProvider, type EndpointNode } from './endpointsTree';
import { HistoryStore } from './historyStore';
import { HistoryTreeProvider, type HistoryNode } from './historyTree';
import { QueryPanel, type QueryPanelDeps } from './queryPanel';
import { accountToUse, ownerOf, recordedLabels, type OwnerPrompts, type QuerySource } from './queryOwner';
import { ExplorerStatusBar } from './statusBar';

export interface ExplorerModule extends AreaModule {
  revivePanel(panel: vscode.WebviewPanel, state: unknown): Promise<void>;
}

/** Arguments the run commands accept instead of asking (tests, keybindings, other extensions). */
interface RunArgs {
  accountId?: string;
  metric?: string;
  preset?: DatePresetId;
  startDate?: string;
  endDate?: string;
  page?: number;
  pageSize?: number;
}

class Explorer extends Disposable implements ExplorerModule {
  readonly commands: Partial<Record<CommandId, CommandHandler>>;
  readonly trees;
  readonly testHooks: Record<string, unknown>;
  private readonly _deps: QueryPanelDeps;
  private readonly _history: HistoryStore;
  private readonly _windowPrompts: OwnerPrompts = {
    warn: (message, options, ...choices) => vscode.window.showWarningMessage(message, options, ...choices),
    pick: (items, options) => vscode.window.showQuickPick(items, options),
    inform: (message) => void vscode.window.showInformationMessage(message),
    runCommand: (command) => vscode.commands.executeCommand(command),
  };
  /** What asks about a signed-out user; a test run swaps in its own answers. */
  private _prompts: OwnerPrompts = this._windowPrompts;

  constructor(
    host: ShellHost,
    private readonly _accounts: AccountsService,
  ) {
    super();
    const logger = {
      trace: (m: string) => host.log.trace(m),
      debug: (m: string) => host.log.debug(m),
      info: (m: string) => host.log.info(m),
      warn: (m: string) => host.log.warn(m),
      error: (m: string) => host.log.error(m),
    };
    const api = this._register(new ApiAccess(_accounts, logger));
    this._history = new HistoryStore(host.context.globalState);
    const testMode = host.context.extensionMode === vscode.ExtensionMode.Test;
    // Spill files of results from hosts that are gone (a crash, a killed window) go at the next start.
    const spillDirectory = path.join(host.context.globalStorageUri.fsPath, 'results');
    const stale = cleanupStaleSpills(spillDirectory);
    if (stale) logger.info(`Deleted ${stale} result file${stale === 1 ? '' : 's'} left by an earlier session.`);
    this._deps = {
      extensionUri: host.context.extensionUri,
      accounts: _accounts,
      api,
      history: this._history,
      logger,
      recordMessages: testMode,
      spillDirectory,
    };
    const endpoints = this._register(new EndpointsTreeProvider());
    const historyTree = this._register(new HistoryTreeProvider(this._history, _accounts));
    const statusBar = this._register(new ExplorerStatusBar(_accounts, api));
    this._register(toDisposable(() => QueryPanel.current?.dispose()));
    this.trees = {
      'onetwentyone.endpoints': endpoints as vscode.TreeDataProvider<unknown>,
      'onetwentyone.history': historyTree as vscode.TreeDataProvider<unknown>,
    };
    this.commands = {
      'onetwentyone.query.open': (arg?: unknown) => {
        const source = querySourceOf(arg);
        return source ? this._openFromHistory(source) : this._open(arg);
      },
      'onetwentyone.query.runQuantity': (args?: unknown) => this._runQuantity(args as RunArgs | undefined),
      'onetwentyone.query.runSleep': (args?: unknown) => this._runSleep(args as RunArgs | undefined),
      'onetwentyone.endpoints.open': (node?: unknown) => this._openEndpoint(node as EndpointNode | undefined),
      'onetwentyone.endpoints.enterMetric': (metric?: unknown) =>
        this._enterMetric(typeof metric === 'string' ? metric : undefined),
      'onetwentyone.query.fetchAll': (args?: unknown) => this._fetchAll(args),
      'onetwentyone.query.export': (args?: unknown) => this._export(args),
      'onetwentyone.history.rerun': (node?: unknown) => this._rerun(node),
      'onetwentyone.history.clear': () => this._history.clear(),
      'onetwentyone.history.removeSaved': (node?: unknown) => {
        const n = node as HistoryNode | undefined;
        return n?.kind === 'saved' ? this._history.removeSaved(n.saved.id) : undefined;
      },
    };
    this.testHooks = !testMode
      ? {}
      : {
          explorer: {
            panel: () => QueryPanel.current,
            history: () => this._history.history(),
            saved: () => this._history.saved(),
            historyStore: this._history,
            endpointsTree: endpoints,
            historyTree,
            /** Answers for the signed-out-user prompts (undefined: VS Code's own again). */
            setOwnerPrompts: (prompts: Partial<OwnerPrompts> | undefined) => {
              this._prompts = { ...this._windowPrompts, ...prompts };
            },
            statusBarText: () => statusBar.text,
            rateLimits: api.rateLimits,
          },
        };
  }

  async revivePanel(panel: vscode.WebviewPanel, _state: unknown): Promise<void> {
    // The webview restores its own form and view state (setState); the host starts empty.
    QueryPanel.revive(panel, this._deps);
  }

  private _today(): Date {
    return new Date();
  }

  private _open(arg: unknown): QueryPanel {
    const parsed = formStateSchema.safeParse(arg);
    return QueryPanel.createOrShow(this._deps, parsed.success ? parsed.data : undefined);
  }

  private async _openFromHistory(source: QuerySource): Promise<QueryPanel | undefined> {
    const choice = await this._accountFor(source, 'open');
    return choice && QueryPanel.createOrShow(this._deps, this._form(source.query, choice.accountId));
  }

  private _openEndpoint(node: EndpointNode | undefined): QueryPanel | undefined {
    if (!node) return this._open(undefined);
    let route: RouteId;
    let metric: string | undefined;
    if (node.kind === 'route') route = node.route.id;
    else if (node.kind === 'metric') {
      route = 'quantity';
      metric = node.metric.name;
    } else if (node.kind === 'freeMetric') {
      void this._enterMetric(undefined);
      return undefined;
    } else return undefined;
    return QueryPanel.createOrShow(this._deps, this._form(defaultQuery(route, this._today(), metric)));
  }

  private _form(query: FormState['query'], accountId?: string): FormState {
    const id = accountId ?? this._accounts.activeAccount?.id;
    return { query, ...(id ? { accountId: id } : {}) };
  }

  private async _enterMetric(metric: string | undefined): Promise<QueryPanel | undefined> {
    const name =
      metric ??
      (await vscode.window.showInputBox({
        title: 'Query Any Quantity Metric',
        prompt: 'A HealthKit quantity name without the HKQuantityTypeIdentifier prefix, first letter lower-case',
        placeHolder: 'appleWalkingSteadiness',
        validateInput: (v) =>
          METRIC_NAME_PATTERN.test(v.trim())
            ? undefined
            : 'Letters and digits, starting with a lower-case letter, such as heartRate.',
      }));
    if (!name || !METRIC_NAME_PATTERN.test(name.trim())) return undefined;
    return QueryPanel.createOrShow(this._deps, this._form(defaultQuery('quantity', this._today(), name.trim())));
  }

  private async _rerun(node: unknown) {
    const source = querySourceOf(node);
    if (!source) return undefined;
    const choice = await this._accountFor(source, 'run');
    return choice && this._runInPanel(this._form(source.query, choice.accountId));
  }

  private _accountFor(source: QuerySource, verb: 'open' | 'run') {
    const owner = ownerOf(source, this._accounts, recordedLabels(this._history.history()));
    const name = 'name' in source ? source.name : describeQuery(source.query);
    return accountToUse(owner, name, verb, { accounts: this._accounts, prompts: this._prompts });
  }

  private async _pickAccount(accountId: string | undefined): Promise<Account | undefined> {
    if (accountId) return this._accounts.get(accountId);
    const all = this._accounts.list();
    if (all.length === 0) {
      const choice = await vscode.window.showInformationMessage(
        'No OneTwentyOne user is signed in.',
        'Sign In…',
        'Add Personal Access Token…',
        'Try the Sandbox',
      );
      const command =
        choice === 'Sign In…'
          ? 'onetwentyone.auth.signIn'
          : choice === 'Add Personal Access Token…'
            ? 'onetwentyone.auth.addPersonalAccessToken'
            : choice
              ? 'onetwentyone.sandbox.try'
              : undefined;
      if (command) await vscode.commands.executeCommand(command);
      return undefined;
    }
    if (all.length === 1) return all[0];
    const active = this._accounts.activeAccount;
    const pick = await vscode.window.showQuickPick(
      all.map((a) => ({
        label: a.label,
        description: `${a.environment.kind}${a.id === active?.id ? ' · active' : ''}`,
        detail: a.userId,
        account: a,
      })),
      { title: 'Which user?', placeHolder: 'The user whose data to query' },
    );
    return pick?.account;
  }

  private async _pickRange(args: RunArgs): Promise<QueryParams | undefined> {
    if (args.startDate || args.endDate)
      return {
        ...(args.startDate ? { startDate: args.startDate } : {}),
        ...(args.endDate ? { endDate: args.endDate } : {}),
      };
    let preset = args.preset;
    if (!preset) {
      const pick = await vscode.window.showQuickPick(
        DATE_PRESETS.map((p) => {
          const range = presetRange(p.id, this._today());
          return {
            label: p.label,
            description: range.startDate ? `${range.startDate} … ${range.endDate}` : 'every record',
            id: p.id,
          };
        }),
        { title: 'Date range', placeHolder: 'Records of which days?' },
      );
      preset = pick?.id;
    }
    return preset ? presetRange(preset, this._today()) : undefined;
  }

  private async _runQuantity(args: RunArgs = {}) {
    const account = await this._pickAccount(args.accountId);
    if (!account) return undefined;
    let metric = args.metric;
    if (!metric) {
      type Item = vscode.QuickPickItem & { metric?: string };
      const items: Item[] = [];
      for (const c of METRIC_CATEGORIES) {
        items.push({ label: c.label, kind: vscode.QuickPickItemKind.Separator });
        for (const m of METRICS.filter((x) => x.category === c.id))
          items.push({ label: m.label, description: `${m.name} · ${m.unit}`, metric: m.name });
      }
      items.push(
        { label: 'Other', kind: vscode.QuickPickItemKind.Separator },
        { label: '$(edit) Another metric…', metric: undefined },
      );
      const pick = await vscode.window.showQuickPick(items, {
        title: 'Quantity metric',
        placeHolder: 'Steps, heart rate, VO2 max… (type to filter)',
        matchOnDescription: true,
      });
      if (!pick) return undefined;
      metric =
        pick.metric ??
        (await vscode.window.showInputBox({
          title: 'Metric name',
          placeHolder: 'appleWalkingSteadiness',
          validateInput: (v) =>
            METRIC_NAME_PATTERN.test(v.trim()) ? undefined : 'Letters and digits, starting lower-case.',
        }));
      if (!metric) return undefined;
    }
    const range = await this._pickRange(args);
    if (!range) return undefined;
    const query = defaultQuery('quantity', this._today(), metric.trim());
    query.params = {
      ...query.params,
      startDate: undefined,
      endDate: undefined,
      ...range,
      ...(args.page ? { page: args.page } : {}),
      ...(args.pageSize ? { pageSize: args.pageSize } : {}),
    };
    return this._runInPanel(this._form(stripUndefined(query), account.id));
  }

  private async _runSleep(args: RunArgs = {}) {
    const account = await this._pickAccount(args.accountId);
    if (!account) return undefined;
    const range = await this._pickRange(args);
    if (!range) return undefined;
    const query = defaultQuery('sleep', this._today());
    query.params = {
      ...query.params,
      startDate: undefined,
      endDate: undefined,
      ...range,
      include_stages: true,
      ...(args.page ? { page: args.page } : {}),
      ...(args.pageSize ? { pageSize: args.pageSize } : {}),
    };
    return this._runInPanel(this._form(stripUndefined(query), account.id));
  }

  /** Args (tests, other extensions): `{ confirmed?: boolean, spendReserve?: boolean }`; without them the plan is shown first. */
  private async _fetchAll(args: unknown) {
    const panel = QueryPanel.current;
    if (!panel?.result) {
      void vscode.window.showInformationMessage(
        'Run a query in the query panel first; then all its pages can be fetched.',
      );
      return undefined;
    }
    const a = (typeof args === 'object' && args !== null ? args : {}) as {
      confirmed?: unknown;
      spendReserve?: unknown;
    };
    return panel.fetchAll({ confirmed: a.confirmed === true, spendReserve: a.spendReserve === true });
  }

  /** Args: `{ format?: 'json'|'ndjson'|'csv', path?: string }`; without a format it asks, without a path the save dialog does. */
  private async _export(args: unknown) {
    const panel = QueryPanel.current;
    if (!panel?.result) {
      void vscode.window.showInformationMessage(
        'Run a query in the query panel first; then its result can be exported.',
      );
      return undefined;
    }
    const a = (typeof args === 'object' && args !== null ? args : {}) as { format?: unknown; path?: unknown };
    const formats = ['json', 'ndjson', 'csv'] as const;
    let format = formats.find((f) => f === a.format);
    if (!format) {
      const picked = await vscode.window.showQuickPick(
        [
          { label: 'CSV', description: 'RFC 4180, nested fields as dotted columns', format: 'csv' as const },
          { label: 'JSON', description: 'one array of records', format: 'json' as const },
          { label: 'NDJSON', description: 'one record per line', format: 'ndjson' as const },
        ],
        { title: 'Export the Whole Result' },
      );
      format = picked?.format;
    }
    if (!format) return undefined;
    const target = typeof a.path === 'string' && a.path ? a.path : undefined;
    if (target !== undefined && !(await confirmExportPath(target))) return undefined;
    return panel.exportResult(format, target);
  }

  private async _runInPanel(form: FormState) {
    const panel = QueryPanel.createOrShow(this._deps);
    const result = await panel.runFromHost(form);
    return result?.summary;
  }
}

/** The entry or saved query of a History view node (the tree passes nodes to its commands). */
function querySourceOf(node: unknown): QuerySource | undefined {
  const n = node as Partial<HistoryNode> | undefined;
  const source =
    n?.kind === 'entry'
      ? (n as Extract<HistoryNode, { kind: 'entry' }>).entry
      : n?.kind === 'saved'
        ? (n as Extract<HistoryNode, { kind: 'saved' }>).saved
        : undefined;
  // Other extensions can pass anything to these commands: only a well-formed query reaches the panel.
  return source &&
    formStateSchema.safeParse({ query: source.query, ...(source.accountId ? { accountId: source.accountId } : {}) })
      .success
    ? source
    : undefined;
}

function stripUndefined<T extends { params: QueryParams }>(query: T): T {
  const params: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(query.params)) if (v !== undefined) params[k] = v;
  return { ...query, params: params as QueryParams };
}

export function createExplorerModule(host: ShellHost, deps: { accounts: AccountsService }): ExplorerModule {
  return new Explorer(host, deps.accounts);
}

/**
 * A path given to the export command (by a script or another extension, not the save dialog) is
 * held to what the dialog ensures: absolute, and a file already there is replaced only if the user
 * says so.
 */
async function confirmExportPath(target: string): Promise<boolean> {
  if (!path.isAbsolute(target)) {
    void vscode.window.showErrorMessage(`Export needs an absolute path; "${target.slice(0, 200)}" is relative.`);
    return false;
  }
  if (!fs.existsSync(target)) return true;
  const choice = await vscode.window.showWarningMessage(
    `Replace ${target}?`,
    {
      modal: true,
      detail: 'The whole result is exported there; the file there now is replaced once the export completes.',
    },
    'Replace',
  );
  return choice === 'Replace';
}
