import type * as vscode from 'vscode';
import { budgetOf } from '../../core/api/rateLimit';
import { accountHandles } from './accountRefs';
import { describeApi } from './apiDescription';
import { scrubbed } from './resultText';
import { l10n } from '../l10n';
import { textResult, type ToolContext } from './toolContext';

/** list_accounts: who is signed in, as the Accounts view shows it, without IDs or anything of a token. */
export function listAccountsTool(context: ToolContext): vscode.LanguageModelTool<unknown> {
  return {
    prepareInvocation: () => ({ invocationMessage: l10n.t('Listing the signed-in OneTwentyOne users') }),
    invoke: () => {
      const { accounts, api } = context.deps;
      const all = accounts.list();
      const active = accounts.activeAccount;
      const listed = [...accountHandles(all)].map(([handle, a]) => {
        const quota = api.quotaFor(a, 'quantity');
        return {
          account: handle,
          signedInWith: a.kind === 'pat' ? 'personal access token' : 'OAuth sign-in',
          environment: a.environment.kind,
          server: a.environment.origin,
          scopes: a.scopes.length ? a.scopes : a.scopesSeen,
          scopesSource: a.scopes.length
            ? 'granted, as the API reported'
            : 'seen answering this session (the API lists scopes only to the profile scope)',
          status: a.status,
          active: a.id === active?.id,
          ...(quota?.remaining !== undefined
            ? {
                dailyQuota: {
                  budget: budgetOf('quantity').label,
                  remaining: quota.remaining,
                  ...(quota.limit !== undefined ? { limit: quota.limit } : {}),
                },
              }
            : {}),
        };
      });
      const note = listed.length
        ? 'Pass "account" to the other OneTwentyOne tools to choose a user; without it they use the active one.'
        : 'No OneTwentyOne user is signed in: ask the user to sign in (OneTwentyOne: Sign In, Add Personal Access Token, or Try the Sandbox).';
      return textResult(scrubbed(JSON.stringify({ accounts: listed, note }, null, 1)));
    },
  };
}

/** describe_api: routes, parameters, the metric catalogue with units, and the tools' limits. */
export function describeApiTool(): vscode.LanguageModelTool<unknown> {
  return {
    prepareInvocation: () => ({ invocationMessage: l10n.t('Reading the OneTwentyOne API description') }),
    invoke: (options) => {
      const route = (options.input as { route?: unknown } | undefined)?.route;
      const described =
        route === undefined || route === null || route === ''
          ? describeApi(undefined)
          : describeApi(typeof route === 'string' ? route : String(route));
      return textResult('problem' in described ? `Nothing was described. ${described.problem}` : described.text);
    },
  };
}
