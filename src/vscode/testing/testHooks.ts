import * as vscode from 'vscode';
import { ACCOUNT_PREFIX } from '../../core/auth/secretStorageTokenStore';
import { SIGN_IN_TIMEOUT_MS } from '../../core/auth/callback';
import type { AuthModule, AuthOptions } from '../auth/authModule';
import { openInSystemBrowser } from '../auth/signInController';
import type { ErrorReporter } from '../errorReporter';
import type { ExplorerModule, ExplorerOptions } from '../explorer/explorerModule';
import type { OwnerPrompts } from '../explorer/queryOwner';
import { PanelMessageLogs, type PanelMessages } from '../explorer/panelMessageLog';
import type { QueryPanel } from '../explorer/queryPanel';
import type { SandboxModule } from '../sandbox/sandboxModule';
import type { AreaHost } from '../servicesContract';
import { Disposable } from '../util/lifecycle';
import type { AdjustableClock } from './testClock';

/**
 * What the integration tests turn in a test run: the clock, how sign-in opens the browser and how
 * long it waits, and the answers to the signed-out-user prompts. The areas get them as constructor
 * options; the product passes none.
 */
export class TestSeams extends Disposable {
  openExternal: ((url: string) => Promise<boolean>) | undefined;
  signInTimeoutMs: number | undefined;
  ownerPrompts: Partial<OwnerPrompts> | undefined;
  /** The last messages of each query panel both ways. */
  readonly panelMessages = new PanelMessageLogs();

  readonly authOptions: AuthOptions;

  /** The clock the accounts were built on: the services bundle builds them before the seams. */
  constructor(private readonly _clock: AdjustableClock) {
    super();
    this.authOptions = {
      clock: _clock,
      signIn: {
        openExternal: (url) => (this.openExternal ?? openInSystemBrowser)(url),
        timeoutMs: () => this.signInTimeoutMs ?? SIGN_IN_TIMEOUT_MS,
      },
    };
  }

  /** How far the tests moved the clock ahead (to age tokens). */
  get clockOffsetMs(): number {
    return this._clock.offsetMs;
  }

  set clockOffsetMs(offsetMs: number) {
    this._clock.offsetMs = offsetMs;
  }

  private readonly _shown: string[] = [];

  /** Every error text the extension showed, newest last. */
  shownMessages(): readonly string[] {
    return [...this._shown];
  }

  recordShownMessages(reporter: ErrorReporter): void {
    this._register(
      reporter.onDidShow((text) => {
        this._shown.push(text);
        if (this._shown.length > 50) this._shown.shift();
      }),
    );
  }

  readonly explorerOptions: ExplorerOptions = {
    panelObserver: this.panelMessages,
    prompts: {
      warn: (message, options, ...choices) =>
        (this.ownerPrompts?.warn ?? vscode.window.showWarningMessage)(message, options, ...choices),
      pick: (items, options) => (this.ownerPrompts?.pick ?? vscode.window.showQuickPick)(items, options),
      inform: (message) =>
        this.ownerPrompts?.inform
          ? this.ownerPrompts.inform(message)
          : void vscode.window.showInformationMessage(message),
      runCommand: (command) =>
        this.ownerPrompts?.runCommand ? this.ownerPrompts.runCommand(command) : vscode.commands.executeCommand(command),
    },
  };
}

/** Everything the integration tests reach, in one type they import: a rename here breaks them at compile time. */
export interface TestHooks {
  readonly seams: TestSeams;
  readonly sandbox: SandboxModule;
  readonly auth: AuthModule;
  readonly explorer: ExplorerModule;
  /** The query panel open now, if any. */
  panel(): QueryPanel | undefined;
  /** The last messages a query panel posted to its webview and received from it, newest last. */
  messagesOf(panel: QueryPanel): PanelMessages;
  /** The key of an account's entry in SecretStorage (tests read and corrupt it there). */
  accountSecretKey(accountId: string): string;
  /** Every error text the extension showed, newest last. */
  shownMessages(): readonly string[];
  /** What the Accounts view shows: label, description, tooltip (as on hover) and context value of every row. */
  accountsTreeItems(): { label: string; description: string; tooltip: string; contextValue: string }[];
  /** The folder of this window's logs (the canary audit reads every file in it). */
  readonly logFolder: string;
  globalStateSnapshot(): string;
}

export function testHooksOf(
  seams: TestSeams,
  areas: {
    host: AreaHost;
    sandbox: SandboxModule;
    auth: AuthModule;
    explorer: ExplorerModule;
    currentPanel: () => QueryPanel | undefined;
  },
): TestHooks {
  const { host, auth } = areas;
  seams.recordShownMessages(host.reporter);
  const tree = auth.accountsTree;
  return {
    seams,
    sandbox: areas.sandbox,
    auth,
    explorer: areas.explorer,
    panel: areas.currentPanel,
    messagesOf: (panel) => seams.panelMessages.of(panel),
    accountSecretKey: (accountId) => ACCOUNT_PREFIX + accountId,
    shownMessages: () => seams.shownMessages(),
    accountsTreeItems: () =>
      tree
        .getChildren()
        .flatMap((node) => [node, ...tree.getChildren(node)])
        .map((node) => {
          const item = tree.resolveTreeItem(tree.getTreeItem(node), node);
          const tooltip = item.tooltip;
          return {
            label: String(item.label),
            description: String(item.description ?? ''),
            tooltip: typeof tooltip === 'string' ? tooltip : (tooltip?.value ?? ''),
            contextValue: item.contextValue ?? '',
          };
        }),
    logFolder: host.context.logUri.fsPath,
    globalStateSnapshot: () =>
      JSON.stringify(host.context.globalState.keys().map((k) => [k, host.context.globalState.get(k)])),
  };
}
