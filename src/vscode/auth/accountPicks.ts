import * as vscode from 'vscode';
import type { Account } from './accountsContract';

/** Quick-pick rows for accounts, as every picker of a user shows them: environment, active mark, user id. */
export function accountPickItems(
  accounts: readonly Account[],
  active: Account | undefined,
): (vscode.QuickPickItem & { readonly account: Account })[] {
  return accounts.map((a) => ({
    label: a.label,
    description: a.id === active?.id ? vscode.l10n.t('{0} · active', a.environment.kind) : a.environment.kind,
    detail: a.userId,
    account: a,
  }));
}

/** The account the user picks among `accounts`; the only one without asking. */
export async function pickAccount(
  accounts: readonly Account[],
  active: Account | undefined,
  options: { title: string; placeHolder?: string },
): Promise<Account | undefined> {
  if (accounts.length === 1) return accounts[0];
  return (await vscode.window.showQuickPick(accountPickItems(accounts, active), options))?.account;
}
