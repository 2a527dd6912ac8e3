import * as vscode from 'vscode';
import { createApiClient, type ApiClient } from '../../core/api/apiClient';
import type { HttpTransport } from '../../core/api/httpTypes';
import {
  budgetOf,
  createRateLimitState,
  type QuotaBudget,
  type RateLimitSnapshot,
  type RateLimitState,
} from '../../core/api/rateLimit';
import { createUndiciTransport } from '../../core/api/transport';
import { systemClock, type Logger } from '../../core/ports';
import type { RouteId } from '../../core/routes';
import type { Account, AccountsService } from '../auth/accountsContract';
import { Disposable, toDisposable } from '../util/lifecycle';

/** What the auth layer's AccountManager offers beyond the contract: the transport of an account's origin. */
interface TransportSource {
  transportFor?(accountId: string): HttpTransport;
}

/**
 * API clients per account, all sharing one rate-limit state so every panel, the status bar and
 * the tree see the same quota (reliability case 34).
 */
export class ApiAccess extends Disposable {
  readonly rateLimits: RateLimitState;
  private readonly _clients = new Map<string, ApiClient>();
  private readonly _ownTransports = new Map<string, HttpTransport>();
  private readonly _onDidChangeQuota = this._register(new vscode.EventEmitter<void>());
  readonly onDidChangeQuota = this._onDidChangeQuota.event;

  constructor(
    private readonly _accounts: AccountsService,
    private readonly _logger: Logger,
  ) {
    super();
    this.rateLimits = createRateLimitState(systemClock);
    const sub = this.rateLimits.onDidChange(() => this._onDidChangeQuota.fire());
    this._register(toDisposable(() => sub.dispose()));
    this._register(_accounts.onDidSignOut((id) => this._clients.delete(id)));
    this._register(
      toDisposable(() => {
        for (const t of this._ownTransports.values()) void t.close();
      }),
    );
  }

  clientFor(account: Account): ApiClient {
    let client = this._clients.get(account.id);
    if (!client) {
      client = createApiClient({
        transport: this._transportFor(account),
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

  private _transportFor(account: Account): HttpTransport {
    const source = this._accounts as AccountsService & TransportSource;
    if (typeof source.transportFor === 'function') return source.transportFor(account.id);
    // Fallback while the auth layer does not share its transports: one proxy-aware transport per origin.
    const origin = account.environment.origin;
    let transport = this._ownTransports.get(origin);
    if (!transport) {
      const http = vscode.workspace.getConfiguration('http');
      const settings = vscode.workspace.getConfiguration('onetwentyone');
      transport = createUndiciTransport({
        origin,
        proxy: {
          proxyUrl: http.get<string>('proxy', '').trim() || undefined,
          strictSSL: http.get<boolean>('proxyStrictSSL', true),
          noProxy: http.get<string[]>('noProxy', []),
        },
        deadlineMs: settings.get<number>('request.timeoutSeconds', 60) * 1000,
        maxResponseBytes: settings.get<number>('request.maxResponseMegabytes', 50) * 1024 * 1024,
        logger: this._logger,
      });
      this._ownTransports.set(origin, transport);
    }
    return transport;
  }
}
