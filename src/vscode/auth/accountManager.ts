import * as vscode from 'vscode';
import { ApiError } from '../../core/api/errors';
import type { Credentials, HttpTransport } from '../../core/api/httpTypes';
import { AccountCredentials } from '../../core/auth/accountCredentials';
import { TokenRefresher, shortId } from '../../core/auth/tokenRefresher';
import type { TokenStore } from '../../core/auth/tokenStore';
import type { StoredCredentials } from '../../core/auth/tokenSet';
import type { Clock, Logger } from '../../core/ports';
import { ALL_SCOPES, type Scope } from '../../core/routes';
import type { EnvironmentService } from '../environmentService';
import { Disposable } from '../util/lifecycle';
import type { Account, AccountsService } from './accountsContract';

const ACTIVE_KEY = 'onetwentyone.activeAccount';

/**
 * The signed-in users of every environment. Holds no token in memory beyond what the store
 * caches; exposes accounts (never tokens), per-account credentials with single-flight refresh,
 * an abort signal per account, and sign-out. Changes from other windows arrive through the
 * store's `onDidChange`.
 */
export class AccountManager extends Disposable implements AccountsService {
  private readonly _onDidChange = this._register(new vscode.EventEmitter<void>());
  readonly onDidChange = this._onDidChange.event;
  private readonly _onDidSignOut = this._register(new vscode.EventEmitter<string>());
  readonly onDidSignOut = this._onDidSignOut.event;

  private readonly _accounts = new Map<string, StoredCredentials>();
  private readonly _credentials = new Map<string, AccountCredentials>();
  private readonly _aborts = new Map<string, AbortController>();
  /** Per account, the scopes a route proved this session (not stored: the next sign-in asks the API again). */
  private readonly _scopesSeen = new Map<string, Set<Scope>>();
  readonly refresher: TokenRefresher;
  private _loaded: Promise<void>;

  constructor(
    private readonly _store: TokenStore,
    private readonly _environments: EnvironmentService,
    private readonly _state: vscode.Memento,
    private readonly _clock: Clock,
    private readonly _logger: Logger,
  ) {
    super();
    this.refresher = new TokenRefresher({
      store: _store,
      clock: _clock,
      logger: _logger,
      transportFor: (origin) => _environments.transportFor(origin),
      clientSecretFor: (origin, clientId) => _environments.clientSecretFor(origin, clientId),
    });
    this._register(this.refresher.onDidChangeRefreshing(() => this._onDidChange.fire()));
    this._register(_store.onDidChange((id) => void this._reload(id)));
    // A sandbox that moved or stopped changes which accounts can be used: the views show it.
    this._register(_environments.onDidChange(() => this._onDidChange.fire()));
    this._register(
      _environments.onWillStopSandbox((origin) =>
        this._abortOrigin(origin, new ApiError('sandbox_stopped', 'The sandbox was stopped.')),
      ),
    );
    this._loaded = this._loadAll();
  }

  /** Resolves once the stored accounts have been read. */
  whenLoaded(): Promise<void> {
    return this._loaded;
  }

  list(): readonly Account[] {
    return [...this._accounts.entries()]
      .map(([id, c]) => this._toAccount(id, c))
      .sort((a, b) => a.label.localeCompare(b.label));
  }

  get(id: string): Account | undefined {
    const stored = this._accounts.get(id);
    return stored && this._toAccount(id, stored);
  }

  /** The chosen account, else the first; never one whose sandbox URL the explorer has left. */
  get activeAccount(): Account | undefined {
    const id = this._state.get<string>(ACTIVE_KEY);
    const chosen = id ? this.get(id) : undefined;
    if (chosen && !this.movedTo(chosen)) return chosen;
    return this.list().find((a) => !this.movedTo(a));
  }

  /** The sandbox origin that replaced the account's own, when its sandbox URL is no longer the sandbox's. */
  movedTo(account: Account): string | undefined {
    return this._environments.movedTo(account.environment);
  }

  setActive(id: string): void {
    if (!this._accounts.has(id)) return;
    void this._state.update(ACTIVE_KEY, id).then(() => this._onDidChange.fire());
  }

  credentialsFor(id: string): Credentials {
    let credentials = this._credentials.get(id);
    if (!credentials) {
      credentials = new AccountCredentials(id, this._store, this.refresher, this._clock);
      this._credentials.set(id, credentials);
    }
    return credentials;
  }

  noteScopeAnswered(id: string, scope: Scope): void {
    const seen = this._scopesSeen.get(id) ?? new Set<Scope>();
    if (seen.has(scope) || !this._accounts.has(id)) return;
    seen.add(scope);
    this._scopesSeen.set(id, seen);
    this._onDidChange.fire();
  }

  signalFor(id: string): AbortSignal {
    let controller = this._aborts.get(id);
    if (!controller || controller.signal.aborted) {
      controller = new AbortController();
      this._aborts.set(id, controller);
    }
    return controller.signal;
  }

  /** The transport of the account's environment (the only origin its token may go to). */
  transportFor(id: string): HttpTransport {
    const stored = this._accounts.get(id);
    if (!stored) throw new Error('Unknown account.');
    const { kind, origin } = stored.environment;
    return kind === 'sandbox'
      ? this._environments.sandboxTransportFor(origin)
      : this._environments.transportFor(origin);
  }

  /** Stores new credentials (sign-in, PAT) and makes the account active. */
  async add(id: string, credentials: StoredCredentials): Promise<Account> {
    await this._store.set(id, credentials);
    this._accounts.set(id, credentials);
    // A new sign-in may grant other scopes: what the old token proved no longer counts.
    this._scopesSeen.delete(id);
    await this._state.update(ACTIVE_KEY, id);
    this._onDidChange.fire();
    this._logger.info(
      `Signed in account ${shortId(credentials.userId)} (${credentials.kind}, ${credentials.environment.kind}).`,
    );
    return this._toAccount(id, credentials);
  }

  /** Signs one account out: aborts its requests, deletes its secret entry, tells the views. */
  async signOut(id: string): Promise<void> {
    this._aborts.get(id)?.abort(new Error('signed out'));
    this._aborts.delete(id);
    this._credentials.delete(id);
    this._scopesSeen.delete(id);
    const existed = this._accounts.delete(id);
    try {
      await this._store.delete(id);
    } finally {
      if (existed) {
        this._logger.info('Signed out one account.');
        this._onDidSignOut.fire(id);
        this._onDidChange.fire();
      }
    }
  }

  /** Ends the requests of every account of `origin` (its server stopped); later requests get fresh signals. */
  private _abortOrigin(origin: string, reason: Error): void {
    for (const [id, stored] of this._accounts) {
      if (stored.environment.origin !== origin) continue;
      this._aborts.get(id)?.abort(reason);
      this._aborts.delete(id);
    }
  }

  /** Force a refresh (the Refresh command). */
  async refresh(id: string): Promise<void> {
    await this.refresher.refresh(id);
  }

  private async _loadAll(): Promise<void> {
    try {
      for (const id of await this._store.list()) {
        const stored = await this._store.get(id);
        if (stored) this._accounts.set(id, stored);
      }
    } catch (error) {
      this._logger.error(
        `Could not read the stored accounts: ${error instanceof Error ? error.message : 'unknown error'}`,
      );
    }
    this._onDidChange.fire();
  }

  private async _reload(id: string): Promise<void> {
    if (id === '') {
      // The account index changed in another window: re-read the whole list.
      const ids = new Set(await this._store.list().catch(() => [...this._accounts.keys()]));
      for (const known of [...this._accounts.keys()]) if (!ids.has(known)) await this._reload(known);
      for (const added of ids) if (!this._accounts.has(added)) await this._reload(added);
      return;
    }
    const stored = await this._store.get(id).catch(() => undefined);
    if (stored) {
      this._accounts.set(id, stored);
      this._onDidChange.fire();
    } else if (this._accounts.has(id)) {
      // Removed elsewhere (another window, or a dead grant): same as a sign-out here.
      this._accounts.delete(id);
      this._credentials.delete(id);
      this._aborts.get(id)?.abort(new Error('signed out'));
      this._aborts.delete(id);
      this._onDidSignOut.fire(id);
      this._onDidChange.fire();
    }
  }

  private _toAccount(id: string, c: StoredCredentials): Account {
    const scopes = c.kind === 'pat' && c.scopes.length === 0 ? ALL_SCOPES : c.scopes.filter(isScope);
    const now = this._clock.now();
    const status: Account['status'] = this.refresher.isRefreshing(id)
      ? 'refreshing'
      : c.kind === 'oauth' && c.expiresAt !== undefined && c.expiresAt <= now
        ? c.refreshToken
          ? 'expired'
          : 'invalid'
        : 'valid';
    return {
      id,
      userId: c.userId,
      kind: c.kind,
      label:
        c.label ??
        (c.kind === 'pat'
          ? vscode.l10n.t('Personal token {0}', shortId(c.userId))
          : vscode.l10n.t('User {0}', shortId(c.userId))),
      environment: c.environment,
      scopes,
      scopesSeen: ALL_SCOPES.filter((scope) => this._scopesSeen.get(id)?.has(scope)),
      ...(c.kind === 'oauth' && c.expiresAt !== undefined ? { expiresAt: c.expiresAt } : {}),
      status,
    };
  }
}

function isScope(s: string): s is Scope {
  return (ALL_SCOPES as readonly string[]).includes(s);
}
