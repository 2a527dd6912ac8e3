import * as vscode from 'vscode';
import { Disposable } from '../util/lifecycle';
import type { Account } from './accountsContract';
import type { AccountManager } from './accountManager';

/**
 * The `onetwentyone` authentication provider: accounts appear in VS Code's Accounts menu, and
 * other extensions may ask for a session with `vscode.authentication.getSession('onetwentyone', scopes)`
 * (VS Code asks the user before handing a session to another extension).
 */
export class OneTwentyOneAuthProvider extends Disposable implements vscode.AuthenticationProvider {
  private readonly _onDidChangeSessions = this._register(
    new vscode.EventEmitter<vscode.AuthenticationProviderAuthenticationSessionsChangeEvent>(),
  );
  readonly onDidChangeSessions = this._onDidChangeSessions.event;
  private _known = new Map<string, Account>();

  constructor(
    private readonly _accounts: AccountManager,
    private readonly _signIn: () => Promise<Account>,
  ) {
    super();
    this._register(_accounts.onDidChange(() => this._diff()));
    void _accounts.whenLoaded().then(() => this._diff());
  }

  async getSessions(scopes: readonly string[] | undefined): Promise<vscode.AuthenticationSession[]> {
    await this._accounts.whenLoaded();
    const wanted = scopes ?? [];
    const matching = this._accounts
      .list()
      .filter((a) => wanted.every((s) => (a.scopes as readonly string[]).includes(s)));
    const sessions: vscode.AuthenticationSession[] = [];
    for (const account of matching) {
      try {
        sessions.push(await this._session(account));
      } catch {
        // An account whose token cannot be renewed has no session to offer.
      }
    }
    return sessions;
  }

  async createSession(scopes: readonly string[]): Promise<vscode.AuthenticationSession> {
    const account = await this._signIn();
    const missing = scopes.filter((s) => !(account.scopes as readonly string[]).includes(s));
    if (missing.length > 0 && account.scopes.length > 0) {
      throw new Error(vscode.l10n.t('The user did not grant the scope(s) {0}.', missing.join(', ')));
    }
    return this._session(account);
  }

  async removeSession(sessionId: string): Promise<void> {
    await this._accounts.signOut(sessionId);
  }

  private async _session(account: Account): Promise<vscode.AuthenticationSession> {
    return {
      id: account.id,
      accessToken: await this._accounts.credentialsFor(account.id).getAccessToken(),
      account: { id: account.id, label: `${account.label} (${account.environment.kind})` },
      scopes: account.scopes,
    };
  }

  /** Turns account changes into added/removed/changed session events. */
  private _diff(): void {
    const next = new Map(this._accounts.list().map((a) => [a.id, a]));
    const added: vscode.AuthenticationSession[] = [];
    const removed: vscode.AuthenticationSession[] = [];
    const changed: vscode.AuthenticationSession[] = [];
    const shell = (a: Account): vscode.AuthenticationSession => ({
      id: a.id,
      accessToken: '',
      account: { id: a.id, label: a.label },
      scopes: a.scopes,
    });
    for (const [id, account] of next) {
      const before = this._known.get(id);
      if (!before) added.push(shell(account));
      else if (before.expiresAt !== account.expiresAt || before.scopes.join() !== account.scopes.join())
        changed.push(shell(account));
    }
    for (const [id, account] of this._known) if (!next.has(id)) removed.push(shell(account));
    this._known = next;
    if (added.length || removed.length || changed.length) this._onDidChangeSessions.fire({ added, removed, changed });
  }
}
