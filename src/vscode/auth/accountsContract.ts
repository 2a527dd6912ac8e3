import type * as vscode from 'vscode';
import type { Credentials, HttpTransport } from '../../core/api/httpTypes';
import type { Environment } from '../../core/environment';
import type { Scope } from '../../core/routes';

/** One authorized user in one environment, as the rest of the extension sees it. Never holds a token. */
export interface Account {
  /** Stable id: environment key plus user id. */
  readonly id: string;
  readonly userId: string;
  readonly kind: 'oauth' | 'pat';
  /** What the user sees: a note for a PAT, the user id (shortened) for OAuth. */
  readonly label: string;
  readonly environment: Environment;
  /** Granted scopes as the API reported them; empty when it did not (no profile scope). */
  readonly scopes: readonly Scope[];
  /** Scopes a route answered this session with a 200 (what is known when `scopes` is empty). */
  readonly scopesSeen: readonly Scope[];
  /** Access-token expiry (ms since epoch) for OAuth accounts. */
  readonly expiresAt?: number;
  readonly status: 'valid' | 'refreshing' | 'expired' | 'invalid';
}

/** The accounts of all environments, owned by the auth layer and read by the explorer. */
export interface AccountsService {
  readonly onDidChange: vscode.Event<void>;
  list(): readonly Account[];
  get(id: string): Account | undefined;
  /** The account the explorer uses by default (status bar, quick picks). */
  readonly activeAccount: Account | undefined;
  setActive(id: string): void;
  /** Tokens for API calls of this account; refresh is single-flight per account. */
  credentialsFor(id: string): Credentials;
  /** The one transport of the account's environment origin (the only place its token may go). */
  transportFor(id: string): HttpTransport;
  /** Aborted when the account signs out, or when the local sandbox it belongs to stops (the reason is then an `ApiError` `sandbox_stopped`), so its in-flight requests stop. */
  signalFor(id: string): AbortSignal;
  /** A route guarded by `scope` answered the account with a 200: the scope is granted. */
  noteScopeAnswered(id: string, scope: Scope): void;
  /** Fires when an account signs out, so views can clear what was fetched for it. */
  readonly onDidSignOut: vscode.Event<string>;
}
