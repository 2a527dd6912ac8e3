import type * as vscode from 'vscode';
import type { Logger } from '../../core/ports';
import type { SparePageWorker } from '../../core/worker/sparePageWorker';
import type { HostMessage, HostMessageType, Quota } from '../../shared/protocol';
import type { Account, AccountsService } from '../auth/accountsContract';
import type { ErrorReporter } from '../errorReporter';
import type { ApiAccess } from './apiAccess';
import type { HistoryStore } from './historyStore';
import type { PanelMessageObserver } from './panelMessageLog';
import type { QueryResult } from './queryResult';

export interface QueryPanelDeps {
  readonly extensionUri: vscode.Uri;
  readonly accounts: AccountsService;
  readonly api: ApiAccess;
  readonly history: HistoryStore;
  readonly logger: Logger;
  /** Shows a failure the user should see, in the words of the one error mapping, and logs it. */
  readonly reporter: Pick<ErrorReporter, 'report'>;
  /** The extension's own storage folder for records spilled by large results (deleted on close). */
  readonly spillDirectory: string | undefined;
  /** Fetch All's page worker, started when a first page with more after it is shown (docs/performance.md, B4). */
  readonly pageWorkers: SparePageWorker;
  /** Sees every message both ways; only the test hooks pass one (rows can be a megabyte each). */
  readonly observer?: PanelMessageObserver;
}

/** What the panel's parts (runs, jobs, handlers) share: its deps, the result on screen and the webview. */
export interface PanelContext {
  readonly deps: QueryPanelDeps;
  readonly result: QueryResult | undefined;
  /** Posts to the webview once it said ready; before that its ready handler sends the whole state. */
  notify<K extends HostMessageType>(type: K, params: Omit<HostMessage<K>, 'type'>): void;
  /**
   * The quota of the budget the shown result's route spends (before any result, the daily one); the
   * panel shows `account`'s quota from then on, also when the quota changes later.
   */
  quotaFor(account: Account | undefined): Quota | null;
}
