import type * as vscode from 'vscode';
import { systemClock, type Clock } from '../../core/ports';
import type { AreaModule } from '../areaModule';
import type { ViewId } from '../commandIds';
import { EnvironmentService } from '../environmentService';
import type { SandboxModule } from '../sandbox/sandboxModule';
import type { AreaHost } from '../servicesContract';
import { Disposable } from '../util/lifecycle';
import { AccountManager } from './accountManager';
import type { AccountsService } from './accountsContract';
import { AccountsTreeProvider } from './accountsTree';
import { createAuthCommands, type AuthCommands } from './authCommands';
import { OneTwentyOneAuthProvider } from './authProvider';
import { SecretTokenStore } from './secretTokenStore';
import { SignInController, type SignInOptions } from './signInController';

export interface AuthModule extends AreaModule<AuthCommands> {
  readonly accounts: AccountManager & AccountsService;
  readonly authProvider: vscode.AuthenticationProvider;
  readonly environments: EnvironmentService;
  readonly signIn: SignInController;
  readonly accountsTree: AccountsTreeProvider;
}

/** What a test run changes; the product uses the defaults. */
export interface AuthOptions {
  readonly clock?: Clock;
  readonly signIn?: SignInOptions;
}

/**
 * The auth area: environments and client setup, sign-in (URI handler or loopback), tokens in
 * SecretStorage with single-flight refresh, personal access tokens, the Accounts view and the
 * `onetwentyone` authentication provider.
 */
class AuthArea extends Disposable implements AuthModule {
  readonly commands: AuthCommands;
  readonly trees: Partial<Record<ViewId, vscode.TreeDataProvider<unknown>>>;
  readonly accounts: AccountManager;
  readonly authProvider: OneTwentyOneAuthProvider;
  readonly environments: EnvironmentService;
  readonly signIn: SignInController;
  readonly accountsTree: AccountsTreeProvider;

  constructor(host: AreaHost, deps: { sandbox: SandboxModule }, options: AuthOptions) {
    super();
    const clock = options.clock ?? systemClock;
    const logger = host.logger.scoped('auth');
    const secrets = host.context.secrets;
    const store = this._register(new SecretTokenStore(secrets, logger));
    this.environments = this._register(new EnvironmentService(secrets, deps.sandbox, logger));
    this.accounts = this._register(
      new AccountManager(store, this.environments, host.context.globalState, clock, logger),
    );
    this.signIn = this._register(
      new SignInController(host.uriHandler, this.environments, this.accounts, clock, logger, secrets, options.signIn),
    );
    const signIn = this.signIn;
    this.authProvider = this._register(new OneTwentyOneAuthProvider(this.accounts, () => signIn.signIn()));
    this.accountsTree = this._register(new AccountsTreeProvider(this.accounts, clock));
    this.trees = { 'onetwentyone.accounts': this.accountsTree };
    this.commands = createAuthCommands({
      accounts: this.accounts,
      environments: this.environments,
      signIn,
      clock,
      logger,
    });
  }
}

export function createAuthModule(
  host: AreaHost,
  deps: { sandbox: SandboxModule },
  options: AuthOptions = {},
): AuthModule {
  return new AuthArea(host, deps, options);
}
