import * as vscode from 'vscode';
import type { AccountsService } from '../auth/accountsContract';
import { Disposable } from '../util/lifecycle';
import type { ApiAccess } from './apiAccess';

/** Made once: `toLocaleString` builds a formatter per call, and the quota changes with every page. */
const COUNT_FORMAT = new Intl.NumberFormat();
const TIME_FORMAT = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  second: 'numeric',
});

/** The active user and what is left of the daily quota (the routes that spend it are named); a click opens the accounts. */
export class ExplorerStatusBar extends Disposable {
  private readonly _item: vscode.StatusBarItem;

  constructor(
    private readonly _accounts: AccountsService,
    private readonly _api: ApiAccess,
  ) {
    super();
    this._item = this._register(
      vscode.window.createStatusBarItem('onetwentyone.status', vscode.StatusBarAlignment.Left, 50),
    );
    this._item.name = 'OneTwentyOne';
    this._item.command = 'workbench.view.extension.onetwentyone';
    this._register(_accounts.onDidChange(() => this.update()));
    this._register(_api.onDidChangeQuota(() => this.update()));
    this.update();
  }

  get text(): string {
    return this._item.text;
  }

  update(): void {
    const account = this._accounts.activeAccount;
    if (!account) {
      this._item.text = '$(account) OneTwentyOne: signed out';
      this._item.tooltip = 'No OneTwentyOne user is active. Click to open the Accounts view.';
      this._item.backgroundColor = undefined;
      this._item.show();
      return;
    }
    const q = this._api.quotaFor(account);
    const remaining = q?.remaining;
    const budget = q?.budget.label ?? '';
    const quota = remaining === undefined ? '' : ` · ${budget}: ${COUNT_FORMAT.format(remaining)} left`;
    this._item.text = `$(account) ${account.label}${quota}`;
    const reset = q?.resetAt ? `, resets ${TIME_FORMAT.format(q.resetAt)}` : '';
    this._item.tooltip = `OneTwentyOne user ${account.label} (${account.environment.kind})${remaining === undefined ? '\nQuota: not known until the first request' : `\nDaily quota (${budget}): ${COUNT_FORMAT.format(remaining)}${q?.limit !== undefined ? ` of ${COUNT_FORMAT.format(q.limit)}` : ''} requests left today${reset}; the other routes do not count against it`}\nClick to open the Accounts view.`;
    const low = remaining !== undefined && q?.limit !== undefined && remaining <= q.limit * 0.05;
    this._item.backgroundColor = low ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this._item.show();
  }
}
