import type * as vscode from 'vscode';
import type { Account, AccountsService } from '../auth/accountsContract';
import type { CommandId } from '../commandIds';
import type { HistoryEntry, SavedQuery } from './historyStore';
import { l10n } from '../l10n';

/** A history entry or a saved query: what the History view can open or run again. */
export type QuerySource = HistoryEntry | SavedQuery;

/** The user a history entry or saved query belongs to, named as the History view names them. */
export interface QueryOwner {
  readonly accountId: string;
  readonly label: string;
  readonly signedIn: boolean;
}

/** The account labels the history recorded; a saved query keeps only the account id. */
export function recordedLabels(history: readonly HistoryEntry[]): ReadonlyMap<string, string> {
  const labels = new Map<string, string>();
  // Newest first: the first label seen is the latest the user gave.
  for (const h of history)
    if (h.accountId && h.accountLabel && !labels.has(h.accountId)) labels.set(h.accountId, h.accountLabel);
  return labels;
}

/** Undefined for a query that names no account (it runs as the active one). */
export function ownerOf(
  source: QuerySource,
  accounts: Pick<AccountsService, 'get'>,
  labels: ReadonlyMap<string, string> = new Map(),
): QueryOwner | undefined {
  const id = source.accountId;
  if (!id) return undefined;
  const account = accounts.get(id);
  const recorded = 'accountLabel' in source ? source.accountLabel : undefined;
  return {
    accountId: id,
    label: account?.label ?? recorded ?? labels.get(id) ?? l10n.t('Unknown user'),
    signedIn: account !== undefined,
  };
}

export function describeOwner(owner: QueryOwner): string {
  return owner.signedIn ? owner.label : `${owner.label} (signed out)`;
}

/** What the owner check shows and runs, as VS Code's window and commands do it (tests answer instead). */
export interface OwnerPrompts {
  warn(message: string, options: vscode.MessageOptions, ...choices: string[]): Thenable<string | undefined>;
  pick<T extends vscode.QuickPickItem>(items: readonly T[], options: vscode.QuickPickOptions): Thenable<T | undefined>;
  inform(message: string): void;
  runCommand(command: CommandId): Thenable<unknown>;
}

export const SIGN_IN_CHOICE = l10n.t('Sign In…');
export const ADD_TOKEN_CHOICE = l10n.t('Add Personal Access Token…');
export const OTHER_USER_CHOICE = l10n.t('Choose Another User…');

const SIGN_IN_COMMANDS: Readonly<Record<string, CommandId>> = {
  [SIGN_IN_CHOICE]: 'onetwentyone.auth.signIn',
  [ADD_TOKEN_CHOICE]: 'onetwentyone.auth.addPersonalAccessToken',
};

export interface OwnerCheckDeps {
  readonly accounts: Pick<AccountsService, 'get' | 'list' | 'activeAccount'>;
  readonly prompts: OwnerPrompts;
}

/**
 * The account to open or run a history entry or saved query as: its own while signed in, the active
 * one when it names none. Undefined when the user cancelled: nothing is to be opened or run.
 * Never another user unasked, or their records would show under this query's name.
 */
export async function accountToUse(
  owner: QueryOwner | undefined,
  queryName: string,
  verb: 'open' | 'run',
  deps: OwnerCheckDeps,
): Promise<{ readonly accountId: string | undefined } | undefined> {
  if (!owner) return { accountId: undefined };
  if (deps.accounts.get(owner.accountId)) return { accountId: owner.accountId };
  const others = deps.accounts.list();
  const answer = await deps.prompts.warn(
    l10n.t('{0} is signed out.', owner.label),
    {
      modal: true,
      detail: signedOutDetail(queryName, owner.label, verb, others.length > 0),
    },
    SIGN_IN_CHOICE,
    ADD_TOKEN_CHOICE,
    ...(others.length ? [OTHER_USER_CHOICE] : []),
  );
  if (answer === OTHER_USER_CHOICE) {
    const picked = await pickOtherUser(owner, queryName, verb, others, deps);
    return picked ? { accountId: picked.id } : undefined;
  }
  const signIn = answer ? SIGN_IN_COMMANDS[answer] : undefined;
  if (!signIn) return undefined;
  await deps.prompts.runCommand(signIn);
  if (deps.accounts.get(owner.accountId)) return { accountId: owner.accountId };
  deps.prompts.inform(
    verb === 'run'
      ? l10n.t('{0} is still signed out, so “{1}” was not run.', owner.label, queryName)
      : l10n.t('{0} is still signed out, so “{1}” was not opened.', owner.label, queryName),
  );
  return undefined;
}

/** Whole sentences per verb and case, so each can be translated as a whole. */
function signedOutDetail(queryName: string, owner: string, verb: 'open' | 'run', othersSignedIn: boolean): string {
  const args = [queryName, owner] as const;
  if (verb === 'run' && othersSignedIn)
    return l10n.t(
      '“{0}” is for {1}. Sign in as {1} again to run it, or choose another signed-in user to run it as.',
      ...args,
    );
  if (verb === 'run') return l10n.t('“{0}” is for {1}. Sign in as {1} again to run it.', ...args);
  if (othersSignedIn)
    return l10n.t(
      '“{0}” is for {1}. Sign in as {1} again to open it, or choose another signed-in user to open it as.',
      ...args,
    );
  return l10n.t('“{0}” is for {1}. Sign in as {1} again to open it.', ...args);
}

async function pickOtherUser(
  owner: QueryOwner,
  queryName: string,
  verb: 'open' | 'run',
  others: readonly Account[],
  deps: OwnerCheckDeps,
): Promise<Account | undefined> {
  const active = deps.accounts.activeAccount;
  const picked = await deps.prompts.pick(
    others.map((a) => ({
      label: a.label,
      description: a.id === active?.id ? l10n.t('{0} · active', a.environment.kind) : a.environment.kind,
      detail: a.userId,
      account: a,
    })),
    {
      title:
        verb === 'run' ? l10n.t('Run “{0}” as which user?', queryName) : l10n.t('Open “{0}” as which user?', queryName),
      placeHolder: l10n.t('{0} is signed out', owner.label),
    },
  );
  return picked?.account;
}
