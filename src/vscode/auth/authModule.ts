import * as vscode from 'vscode';
import type { Clock } from '../../core/ports';
import type { AreaModule } from '../areaModule';
import { EnvironmentService } from '../environmentService';
import type { SandboxModule } from '../sandbox/sandboxModule';
import type { ShellHost } from '../servicesContract';
import { OutputChannelLogger } from '../util/logger';
import { Disposable } from '../util/lifecycle';
import { AccountManager } from './accountManager';
import type { AccountsService } from './accountsContract';
import { AccountsTreeProvider } from './accountsTree';
import { createAuthCommands } from './authCommands';
import { OneTwentyOneAuthProvider } from './authProvider';
import { FaultableSecretStorage } from './faultableSecretStorage';
import { SecretTokenStore } from './secretTokenStore';
import { SignInController } from './signInController';

export interface AuthModule extends AreaModule {
  readonly accounts: AccountsService;
  readonly authProvider: vscode.AuthenticationProvider;
  readonly environments: EnvironmentService;
}

/**
 * The auth area: environments and client setup, sign-in (URI handler or loopback), tokens in
 * SecretStorage with single-flight refresh, personal access tokens, the Accounts view and the
 * `onetwentyone` authentication provider.
 */
class AuthArea extends Disposable implements AuthModule {
  readonly commands: AreaModule['commands'];
  readonly trees: AreaModule['trees'];
  readonly accounts: AccountManager;
  readonly authProvider: OneTwentyOneAuthProvider;
  readonly environments: EnvironmentService;
  readonly testHooks: Record<string, unknown>;

  constructor(host: ShellHost, deps: { sandbox: SandboxModule }) {
    super();
    let clockOffsetMs = 0;
    const clock: Clock = { now: () => Date.now() + clockOffsetMs };
    const logger = new OutputChannelLogger(host.log).scoped('auth');
    const secrets = new FaultableSecretStorage(host.context.secrets);
    const store = new SecretTokenStore(secrets, logger);
    this._register(store);
    this.environments = this._register(new EnvironmentService(secrets, deps.sandbox, logger));
    this.accounts = this._register(
      new AccountManager(store, this.environments, host.context.globalState, clock, logger),
    );
    const signIn = this._register(
      new SignInController(host.uriHandler, this.environments, this.accounts, clock, logger, host.context.secrets),
    );
    this.authProvider = this._register(new OneTwentyOneAuthProvider(this.accounts, () => signIn.signIn()));
    this.trees = {
      'onetwentyone.accounts': this._register(
        new AccountsTreeProvider(this.accounts, clock),
      ) as vscode.TreeDataProvider<unknown>,
    };
    const shownMessages: string[] = [];
    this.commands = createAuthCommands({
      accounts: this.accounts,
      environments: this.environments,
      signIn,
      clock,
      logger,
      shownMessages,
    });
    const tree = this.trees['onetwentyone.accounts'] as AccountsTreeProvider;

    const accounts = this.accounts;
    // Hooks can flip storage faults and reach credentials: only ever in a test run.
    this.testHooks =
      host.context.extensionMode !== vscode.ExtensionMode.Test
        ? {}
        : {
            auth: {
              accounts,
              authProvider: this.authProvider,
              whenLoaded: () => accounts.whenLoaded(),
              lastAuthorizeUrl: () => signIn.lastAuthorizeUrl,
              onDidStartAttempt: signIn.onDidStartAttempt,
              pendingSignIns: () => signIn.flows.pendingCount,
              redirectMode: () => signIn.redirectMode(),
              uriHandlerRedirectUri: () => signIn.uriHandlerRedirectUri(),
              setOpenExternal: (open: ((url: string) => Promise<boolean>) | undefined) => {
                signIn.seams.openExternal = open;
              },
              setSignInTimeoutMs: (ms: number | undefined) => {
                signIn.seams.timeoutMs = ms;
              },
              setClockOffsetMs: (ms: number) => {
                clockOffsetMs = ms;
              },
              setSecretStorageFailing: (failing: boolean) => {
                secrets.failing = failing;
              },
              /** Whether any stored value contains `text` (the canary audit), without returning values. */
              secretStorageContains: async (text: string) => {
                for (const id of await store.list()) {
                  if ((await host.context.secrets.get(`onetwentyone.account/${id}`))?.includes(text)) return true;
                }
                return false;
              },
              /** Writes a raw value into an account's entry (corrupt-secret case 46). */
              writeRawAccountSecret: (id: string, raw: string) =>
                host.context.secrets.store(`onetwentyone.account/${id}`, raw),
              refresh: (id: string) => accounts.refresh(id),
              cancelSignIns: () => signIn.flows.cancelAll('cancelled'),
              shownMessages: () => [...shownMessages],
              /** What the Accounts view shows: label, description and context value of every row. */
              accountsTreeItems: () =>
                tree
                  .getChildren()
                  .flatMap((node) => [node, ...tree.getChildren(node)])
                  .map((node) => {
                    const item = tree.getTreeItem(node);
                    return {
                      label: String(item.label),
                      description: String(item.description ?? ''),
                      contextValue: item.contextValue ?? '',
                    };
                  }),
              logFolder: host.context.logUri.fsPath,
              globalStateSnapshot: () =>
                JSON.stringify(host.context.globalState.keys().map((k) => [k, host.context.globalState.get(k)])),
            },
          };
  }
}

export function createAuthModule(host: ShellHost, deps: { sandbox: SandboxModule }): AuthModule {
  return new AuthArea(host, deps);
}
