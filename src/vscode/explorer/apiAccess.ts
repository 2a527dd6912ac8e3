import * as vscode from 'vscode';
import { createApiClient, type ApiClient } from '../../core/api/apiClient';
import {
  budgetOf,
  createRateLimitState,
  type QuotaBudget,
  type RateLimitSnapshot,
  type RateLimitState,
} from '../../core/api/rateLimit';
import { systemClock, type Logger } from '../../core/ports';
import type { RouteId } from '../../core/routes';
import type { Account, AccountsService } from '../auth/accountsContract';
import { Disposable, toDisposable } from '../util/lifecycle';
import { Throttle } from '../util/throttle';

/**
 * Fetch All Pages changes the quota once a page; each change updates the status bar and the query
 * panel, and each of those crosses from the extension host to the window (docs/performance.md, B4).
 */
const QUOTA_EVENT_INTERVAL_MS = 250;

/**
 * API clients per account, all sharing one rate-limit state so every panel, the status bar and
 * the tree see the same quota (docs/reliability.md, "Rate limits and quota").
 */
export class ApiAccess extends Disposable {
  readonly rateLimits: RateLimitState;
  private readonly _clients = new Map<string, ApiClient>();
  private readonly _onDidChangeQuota = this._register(new vscode.EventEmitter<void>());
  readonly onDidChangeQuota = this._onDidChangeQuota.event;

  constructor(
    private readonly _accounts: AccountsService,
    private readonly _logger: Logger,
  ) {
    super();
    this.rateLimits = createRateLimitState(systemClock);
    const changed = this._register(new Throttle(() => this._onDidChangeQuota.fire(), QUOTA_EVENT_INTERVAL_MS));
    const sub = this.rateLimits.onDidChange(() => changed.call());
    this._register(toDisposable(() => sub.dispose()));
    this._register(_accounts.onDidSignOut((id) => this._clients.delete(id)));
  }

  clientFor(account: Account): ApiClient {
    let client = this._clients.get(account.id);
    if (!client) {
      client = createApiClient({
        // The auth layer's transport of the account's origin: the only place its token may go.
        transport: this._accounts.transportFor(account.id),
        credentials: this._accounts.credentialsFor(account.id),
        rateLimits: this.rateLimits,
        logger: this._logger,
      });
      this._clients.set(account.id, client);
    }
    return client;
  }

  /** What is known of the budget `route` spends (without one: the daily quota), and its name. */
  quotaFor(
    account: Account | undefined,
    route?: RouteId,
  ): (RateLimitSnapshot & { readonly budget: QuotaBudget }) | undefined {
    if (!account) return undefined;
    const snapshot = this.rateLimits.get(this.rateLimits.scopeOf(account.environment.origin, account.userId, route));
    return snapshot && { ...snapshot, budget: budgetOf(route) };
  }
}
