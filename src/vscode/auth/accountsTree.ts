import * as vscode from 'vscode';
import type { Clock } from '../../core/ports';
import { Disposable } from '../util/lifecycle';
import { resolveTooltip } from '../util/treeItem';
import type { Account, AccountsService } from './accountsContract';

/** An account row, or one of its detail rows. */
export type AccountsTreeNode =
  | { readonly kind: 'account'; readonly account: Account }
  | {
      readonly kind: 'detail';
      readonly accountId: string;
      readonly key: 'environment' | 'scopes' | 'token';
      readonly account: Account;
    };

const LABEL_REFRESH_MS = 30_000;

/** What the tree asks beyond the contract (the AccountManager answers): has the account's sandbox moved? */
export interface MovedSandboxes {
  /** The sandbox origin that replaced the account's own, if its sandbox URL is no longer the sandbox's. */
  movedTo(account: Account): string | undefined;
}

/**
 * The Accounts view: each user with environment, granted scopes and token status (valid for N
 * min, refreshing, expired), and inline refresh / copy user ID / sign out actions (menus keyed on
 * `contextValue` `account:oauth` and `account:pat`). Labels are recomputed as time passes.
 */
export class AccountsTreeProvider extends Disposable implements vscode.TreeDataProvider<AccountsTreeNode> {
  private readonly _onDidChangeTreeData = this._register(new vscode.EventEmitter<AccountsTreeNode | undefined>());
  readonly onDidChangeTreeData = this._onDidChangeTreeData.event;

  constructor(
    private readonly _accounts: AccountsService & MovedSandboxes,
    private readonly _clock: Clock,
  ) {
    super();
    this._register(_accounts.onDidChange(() => this._onDidChangeTreeData.fire(undefined)));
    const timer = setInterval(() => {
      if (_accounts.list().some((a) => a.kind === 'oauth')) this._onDidChangeTreeData.fire(undefined);
    }, LABEL_REFRESH_MS);
    this._register({ dispose: () => clearInterval(timer) });
  }

  getChildren(element?: AccountsTreeNode): AccountsTreeNode[] {
    if (!element) return this._accounts.list().map((account) => ({ kind: 'account', account }));
    if (element.kind !== 'account') return [];
    const { account } = element;
    return (['environment', 'scopes', 'token'] as const).map((key) => ({
      kind: 'detail',
      accountId: account.id,
      key,
      account,
    }));
  }

  getTreeItem(element: AccountsTreeNode): vscode.TreeItem {
    const fresh = this._accounts.get(element.account.id) ?? element.account;
    if (element.kind === 'account') return this._accountItem(fresh);
    const item = new vscode.TreeItem(
      detailLabel(element.key, fresh, this._clock.now(), this._accounts.movedTo(fresh)),
      vscode.TreeItemCollapsibleState.None,
    );
    item.id = `${fresh.id}#${element.key}`;
    item.iconPath = new vscode.ThemeIcon(
      element.key === 'environment' ? 'server-environment' : element.key === 'scopes' ? 'shield' : 'clock',
    );
    item.contextValue = 'accountDetail';
    return item;
  }

  private _accountItem(account: Account): vscode.TreeItem {
    const movedTo = this._accounts.movedTo(account);
    const active = !movedTo && this._accounts.activeAccount?.id === account.id;
    const item = new vscode.TreeItem(account.label, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = account.id;
    item.description = movedTo
      ? vscode.l10n.t(
          '{0} (old URL {1}) · not in use, sign in again',
          account.environment.kind,
          account.environment.origin,
        )
      : active
        ? vscode.l10n.t('{0} · {1} · active', account.environment.kind, tokenStatus(account, this._clock.now()))
        : vscode.l10n.t('{0} · {1}', account.environment.kind, tokenStatus(account, this._clock.now()));
    item.iconPath = new vscode.ThemeIcon(
      movedTo ? 'warning' : account.kind === 'pat' ? 'key' : active ? 'pass-filled' : 'account',
    );
    item.contextValue = `account:${account.kind}`;
    return item;
  }

  /** An account's tooltip, on hover only (see `resolveTooltip`); detail rows have none. */
  resolveTreeItem(item: vscode.TreeItem, element: AccountsTreeNode): vscode.TreeItem {
    return resolveTooltip(item, () => {
      if (element.kind !== 'account') return undefined;
      const account = this._accounts.get(element.account.id) ?? element.account;
      const movedTo = this._accounts.movedTo(account);
      const now = this._clock.now();
      return new vscode.MarkdownString(undefined, false).appendText(
        [
          account.label,
          vscode.l10n.t('User ID: {0}', account.userId),
          detailLabel('environment', account, now, movedTo),
          scopesText(account),
          detailLabel('token', account, now, movedTo),
        ].join('\n'),
      );
    });
  }
}

/** "valid for 42 min", "refreshing…", "expired", or "personal token". */
export function tokenStatus(account: Account, now: number): string {
  if (account.status === 'refreshing') return vscode.l10n.t('refreshing…');
  if (account.kind === 'pat') return vscode.l10n.t('personal token');
  if (account.status === 'invalid') return vscode.l10n.t('expired, sign in again');
  if (account.expiresAt === undefined) return vscode.l10n.t('valid');
  const minutes = Math.floor((account.expiresAt - now) / 60_000);
  if (account.expiresAt <= now) return vscode.l10n.t('expired (refreshes on next request)');
  return minutes < 1 ? vscode.l10n.t('valid for less than a minute') : vscode.l10n.t('valid for {0} min', minutes);
}

function detailLabel(
  key: 'environment' | 'scopes' | 'token',
  account: Account,
  now: number,
  movedTo: string | undefined,
): string {
  switch (key) {
    case 'environment':
      return movedTo
        ? vscode.l10n.t(
            'Environment: {0} ({1}), no longer in use: the sandbox is now {2}',
            account.environment.kind,
            account.environment.origin,
            movedTo,
          )
        : vscode.l10n.t('Environment: {0} ({1})', account.environment.kind, account.environment.origin);
    case 'scopes':
      return scopesText(account);
    case 'token':
      return vscode.l10n.t('Token: {0}', tokenStatus(account, now));
  }
}

/**
 * The granted scopes as the API reported them; else those routes have answered so far. The API
 * names a token's scopes only on the profile route, which needs the profile scope itself.
 */
export function scopesText(account: Account): string {
  if (account.scopes.length) return vscode.l10n.t('Scopes: {0}', account.scopes.join(', '));
  if (account.scopesSeen.length)
    return vscode.l10n.t(
      "Scopes: {0} (seen answering; the API lists a token's scopes only to the profile scope)",
      account.scopesSeen.join(', '),
    );
  return vscode.l10n.t(
    "Scopes: not reported (the API lists a token's scopes only to the profile scope; they show here as routes answer)",
  );
}
