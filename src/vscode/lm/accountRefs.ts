import type { Account } from '../auth/accountsContract';

/**
 * How a model names an account: by the label the user sees in the Accounts view, made unique when
 * two accounts share one. Never the user ID, the account's internal id or anything from its token.
 */
export function accountHandles(accounts: readonly Account[]): Map<string, Account> {
  const byLabel = new Map<string, Account[]>();
  for (const a of accounts) byLabel.set(a.label, [...(byLabel.get(a.label) ?? []), a]);
  const handles = new Map<string, Account>();
  for (const [label, same] of byLabel) {
    if (same.length === 1 && same[0]) {
      handles.set(label, same[0]);
      continue;
    }
    const sorted = [...same].sort((x, y) => x.id.localeCompare(y.id));
    sorted.forEach((a, i) => {
      const byKind = sorted.filter((b) => b.environment.kind === a.environment.kind).length === 1;
      handles.set(byKind ? `${label} (${a.environment.kind})` : `${label} (${a.environment.kind} ${i + 1})`, a);
    });
  }
  return handles;
}

export function handleOf(account: Account, accounts: readonly Account[]): string {
  for (const [handle, a] of accountHandles(accounts)) if (a.id === account.id) return handle;
  return account.label;
}

export type AccountChoice = { readonly account: Account } | { readonly problem: string };

/**
 * The account a tool call means: the one named (case-insensitive), else the active account, else
 * the only one. The refusal lists the names the model may use.
 */
export function chooseAccount(
  requested: string | undefined,
  accounts: readonly Account[],
  active: Account | undefined,
): AccountChoice {
  const handles = accountHandles(accounts);
  const names = [...handles.keys()].map((h) => JSON.stringify(h)).join(', ');
  if (accounts.length === 0)
    return {
      problem:
        'No OneTwentyOne user is signed in. Ask the user to sign in (OneTwentyOne: Sign In, Add Personal Access Token, or Try the Sandbox); nothing was sent.',
    };
  if (requested === undefined || requested.trim() === '') {
    const fallback = active ?? (accounts.length === 1 ? accounts[0] : undefined);
    if (fallback) return { account: fallback };
    return { problem: `Parameter "account": several users are signed in and none is active; name one of ${names}.` };
  }
  const wanted = requested.trim().toLowerCase();
  for (const [handle, account] of handles) if (handle.toLowerCase() === wanted) return { account };
  const byLabel = accounts.filter((a) => a.label.toLowerCase() === wanted);
  if (byLabel.length === 1 && byLabel[0]) return { account: byLabel[0] };
  return {
    problem: `Parameter "account": no signed-in user is called ${JSON.stringify(requested.slice(0, 80))}; use one of ${names} (see onetwentyone_list_accounts).`,
  };
}
