import type * as vscode from 'vscode';
import { systemClock, type Clock } from '../../core/ports';
import type { AreaModule } from '../areaModule';
import type { EnvironmentService } from '../environmentService';
import type { SandboxModule } from '../sandbox/sandboxModule';
import type { AreaHost } from '../servicesContract';
import { Disposable } from '../util/lifecycle';
import type { AccountManager } from './accountManager';
import type { AccountsService } from './accountsContract';
import type { AccountsModule } from './accountsModule';
import type { AccountsTreeProvider } from './accountsTree';
import { createAuthCommands, type AuthCommands } from './authCommands';
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
 * `onetwentyone` authentication provider. The accounts, the provider and the view are built first
 * (`AccountsModule`, for a first action that needs no command); this adds sign-in and the commands.
 */
class AuthArea extends Disposable implements AuthModule {
  readonly commands: AuthCommands;
  readonly accounts: AccountManager;
  readonly authProvider: vscode.AuthenticationProvider;
  readonly environments: EnvironmentService;
  readonly signIn: SignInController;
  readonly accountsTree: AccountsTreeProvider;

  constructor(host: AreaHost, deps: { sandbox: SandboxModule; accounts: AccountsModule }, options: AuthOptions) {
    super();
    const clock = options.clock ?? systemClock;
    const logger = host.logger.scoped('auth');
    const secrets = host.context.secrets;
    this.environments = deps.accounts.environments;
    this.accounts = deps.accounts.accounts;
    this.authProvider = deps.accounts.authProvider;
    this.accountsTree = deps.accounts.accountsTree;
    deps.accounts.attachSandbox(deps.sandbox);
    this.signIn = this._register(
      new SignInController(host.uriHandler, this.environments, this.accounts, clock, logger, secrets, options.signIn),
    );
    this.commands = createAuthCommands({
      accounts: this.accounts,
      environments: this.environments,
      signIn: this.signIn,
      clock,
      logger,
    });
  }
}

export function createAuthModule(
  host: AreaHost,
  deps: { sandbox: SandboxModule; accounts: AccountsModule },
  options: AuthOptions = {},
): AuthModule {
  return new AuthArea(host, deps, options);
}
