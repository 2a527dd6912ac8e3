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
      this._item.text = `$(account) ${vscode.l10n.t('OneTwentyOne: signed out')}`;
      this._item.tooltip = vscode.l10n.t('No OneTwentyOne user is active. Click to open the Accounts view.');
      this._item.backgroundColor = undefined;
      this._item.show();
      return;
    }
    const q = this._api.quotaFor(account);
    const remaining = q?.remaining;
    const budget = q?.budget.label ?? '';
    const quota =
      remaining === undefined ? '' : ` · ${vscode.l10n.t('{0}: {1} left', budget, COUNT_FORMAT.format(remaining))}`;
    this._item.text = `$(account) ${account.label}${quota}`;
    const left =
      q?.limit !== undefined
        ? vscode.l10n.t(
            '{0} of {1} requests left today',
            COUNT_FORMAT.format(remaining ?? 0),
            COUNT_FORMAT.format(q.limit),
          )
        : vscode.l10n.t('{0} requests left today', COUNT_FORMAT.format(remaining ?? 0));
    const reset = q?.resetAt ? vscode.l10n.t(', resets {0}', TIME_FORMAT.format(q.resetAt)) : '';
    this._item.tooltip = [
      vscode.l10n.t('OneTwentyOne user {0} ({1})', account.label, account.environment.kind),
      remaining === undefined
        ? vscode.l10n.t('Quota: not known until the first request')
        : vscode.l10n.t('Daily quota ({0}): {1}{2}; the other routes do not count against it', budget, left, reset),
      vscode.l10n.t('Click to open the Accounts view.'),
    ].join('\n');
    const low = remaining !== undefined && q?.limit !== undefined && remaining <= q.limit * 0.05;
    this._item.backgroundColor = low ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this._item.show();
  }
}
