import type { Account } from '../auth/accountsContract';

/**
 * How a model names an account: by the label the user sees in the Accounts view, made unique when
 * two accounts share one. Never the user ID, the account's internal id or anything from its token.
 */
export function accountHandles(accounts: readonly Account[]): Map<string, Account> {
  const handles = new Map<string, Account>();
  // Each label, then each label and environment, then each label and server, is kept where unique.
  const ways: ((a: Account) => string)[] = [
    (a) => a.label,
    (a) => `${a.label} (${a.environment.kind})`,
    (a) => `${a.label} (${a.environment.origin})`,
  ];
  let left = [...accounts].sort((x, y) => x.id.localeCompare(y.id));
  for (const name of ways) {
    const counts = new Map<string, number>();
    for (const a of left) counts.set(name(a), (counts.get(name(a)) ?? 0) + 1);
    for (const a of left) if (counts.get(name(a)) === 1) handles.set(name(a), a);
    left = left.filter((a) => counts.get(name(a)) !== 1);
  }
  // The same label for two users of one server: numbered, in a stable order.
  left.forEach((a, i) => handles.set(`${a.label} (${a.environment.origin} ${i + 1})`, a));
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
