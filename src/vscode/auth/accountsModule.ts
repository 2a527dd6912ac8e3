import * as vscode from 'vscode';
import type { Clock } from '../../core/ports';
import { EnvironmentService, type RunningSandbox } from '../environmentService';
import type { FirstUseHost } from '../servicesContract';
import { Disposable } from '../util/lifecycle';
import { AccountManager } from './accountManager';
import type { Account } from './accountsContract';
import { AccountsTreeProvider } from './accountsTree';
import { OneTwentyOneAuthProvider } from './authProvider';
import { SecretTokenStore } from './secretTokenStore';

/**
 * What the first action of any kind needs from the auth area: the accounts read from SecretStorage,
 * the `onetwentyone` authentication provider and the Accounts view. Sign-in, the auth commands and
 * the sandbox load with the first command (docs/performance.md, B11); the provider reaches sign-in
 * through `signIn`.
 */
export interface AccountsModule extends vscode.Disposable {
  readonly environments: EnvironmentService;
  readonly accounts: AccountManager;
  readonly authProvider: OneTwentyOneAuthProvider;
  readonly accountsTree: AccountsTreeProvider;
  /** Connects the in-process sandbox once the sandbox area exists: until then none is running. */
  attachSandbox(sandbox: RunningSandbox): void;
}

/** Stands in for the sandbox area until it is built, so the environments can be read before it. */
class SandboxRelay extends Disposable implements RunningSandbox {
  private readonly _onDidChange = this._register(new vscode.EventEmitter<unknown>());
  readonly onDidChange = this._onDidChange.event;
  private readonly _onWillStop = this._register(new vscode.EventEmitter<string>());
  readonly onWillStop = this._onWillStop.event;
  private _sandbox: RunningSandbox | undefined;

  get runningBaseUrl(): string | undefined {
    return this._sandbox?.runningBaseUrl;
  }

  attach(sandbox: RunningSandbox): void {
    this._sandbox = sandbox;
    if (sandbox.onDidChange) this._register(sandbox.onDidChange((e) => this._onDidChange.fire(e)));
    if (sandbox.onWillStop) this._register(sandbox.onWillStop((origin) => this._onWillStop.fire(origin)));
  }
}

class AccountsArea extends Disposable implements AccountsModule {
  readonly environments: EnvironmentService;
  readonly accounts: AccountManager;
  readonly authProvider: OneTwentyOneAuthProvider;
  readonly accountsTree: AccountsTreeProvider;
  private readonly _sandbox = this._register(new SandboxRelay());

  constructor(host: FirstUseHost, clock: Clock, signIn: () => Promise<Account>) {
    super();
    const logger = host.logger.scoped('auth');
    const secrets = host.context.secrets;
    const store = this._register(new SecretTokenStore(secrets, logger));
    this.environments = this._register(new EnvironmentService(secrets, this._sandbox, logger));
    this.accounts = this._register(
      new AccountManager(store, this.environments, host.context.globalState, clock, logger),
    );
    this.authProvider = this._register(new OneTwentyOneAuthProvider(this.accounts, signIn));
    this.accountsTree = this._register(new AccountsTreeProvider(this.accounts, clock));
  }

  attachSandbox(sandbox: RunningSandbox): void {
    this._sandbox.attach(sandbox);
  }
}

export function createAccountsModule(host: FirstUseHost, clock: Clock, signIn: () => Promise<Account>): AccountsModule {
  return new AccountsArea(host, clock, signIn);
}
