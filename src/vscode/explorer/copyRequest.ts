import * as vscode from 'vscode';
import { toCurl, toFetch } from '../../shared/requestSnippets';
import type { AccountsService } from '../auth/accountsContract';
import type { QueryResult } from './queryResult';

/**
 * Copies the result's request as curl or TypeScript fetch. Without the token the snippet reads it
 * from $ONETWENTYONE_TOKEN; with it, only after a modal warning, and the token goes nowhere but the
 * clipboard (docs/reliability.md, "Tokens and secrets").
 */
export async function copyRequest(
  result: QueryResult | undefined,
  format: 'curl' | 'fetch',
  withToken: boolean,
  accounts: Pick<AccountsService, 'get' | 'credentialsFor'>,
): Promise<void> {
  if (!result) {
    void vscode.window.showInformationMessage(
      vscode.l10n.t('Send the request first; then it can be copied as it was sent.'),
    );
    return;
  }
  const url = result.summary.url;
  if (!withToken) {
    await vscode.env.clipboard.writeText(format === 'curl' ? toCurl(url) : toFetch(url));
    vscode.window.setStatusBarMessage(
      `$(copy) ${vscode.l10n.t('Copied as {0} (token read from $ONETWENTYONE_TOKEN)', format === 'curl' ? 'curl' : 'TypeScript fetch')}`,
      3000,
    );
    return;
  }
  const account = accounts.get(result.accountId);
  if (!account) return;
  const copyCurl = vscode.l10n.t('Copy curl with Token');
  const choice = await vscode.window.showWarningMessage(
    vscode.l10n.t('Copy the request with the access token in it?'),
    {
      modal: true,
      detail: vscode.l10n.t(
        "The token will be on your clipboard in plain text. Anyone who sees it can read this user's health data until it expires. It is never shown in the panel.",
      ),
    },
    copyCurl,
    vscode.l10n.t('Copy fetch with Token'),
  );
  if (!choice) return;
  const token = await accounts.credentialsFor(account.id).getAccessToken();
  await vscode.env.clipboard.writeText(choice === copyCurl ? toCurl(url, token) : toFetch(url, token));
  vscode.window.setStatusBarMessage(`$(key) ${vscode.l10n.t('Copied with the token')}`, 3000);
}
