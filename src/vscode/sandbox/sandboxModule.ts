import * as vscode from 'vscode';
import type { AreaModule } from '../areaModule';
import type { ShellHost } from '../servicesContract';
import { Disposable } from '../util/lifecycle';
import { SandboxController } from './sandboxController';

export interface SandboxModule extends AreaModule {
  /** Base URL of the sandbox running inside VS Code, if any. */
  readonly runningBaseUrl: string | undefined;
  /** Fires when the in-process sandbox starts or stops. */
  readonly onDidChange: vscode.Event<void>;
  /** Fires with its origin when the in-process sandbox is about to stop. */
  readonly onWillStop: vscode.Event<string>;
  readonly controller: SandboxController;
}

class SandboxArea extends Disposable implements SandboxModule {
  readonly controller: SandboxController;
  readonly commands: SandboxModule['commands'];
  readonly testHooks: Record<string, unknown>;

  constructor(host: ShellHost) {
    super();
    this.controller = this._register(new SandboxController(host.log));
    const fail =
      (action: string) =>
      (e: unknown): void => {
        const message = e instanceof Error ? e.message : String(e);
        host.log.error(`${action} failed: ${message}`);
        void vscode.window.showErrorMessage(`Could not ${action.toLowerCase()}: ${message}`);
      };
    this.commands = {
      'onetwentyone.sandbox.try': (tokenInput?: unknown) => this._try(tokenInput).catch(fail('Try the sandbox')),
      'onetwentyone.sandbox.start': () => this.controller.start().then(() => undefined, fail('Start the sandbox')),
      'onetwentyone.sandbox.stop': () => this.controller.stop().catch(fail('Stop the sandbox')),
    };
    // For integration tests: the running sandbox (its demo credentials are public constants).
    this.testHooks = { sandboxController: this.controller };
  }

  /**
   * "Try the Sandbox": the sandbox already configured (`onetwentyone.sandbox.url`, as `npm start`
   * sets it), else one started inside VS Code; then straight on to signing a synthetic user in.
   * `tokenInput` (scripted use) goes to "Add Personal Access Token…" as its input.
   */
  private async _try(tokenInput?: unknown): Promise<unknown> {
    const config = vscode.workspace.getConfiguration('onetwentyone');
    if (config.get<string>('sandbox.url', '').trim()) {
      // Global, as "Start Sandbox" does: the sandbox belongs to this VS Code, not to the open folder.
      if (config.get<string>('environment') !== 'sandbox')
        await config.update('environment', 'sandbox', vscode.ConfigurationTarget.Global);
    } else {
      await this.controller.start({ notify: false });
    }
    return vscode.commands.executeCommand('onetwentyone.auth.addPersonalAccessToken', tokenInput);
  }

  get runningBaseUrl(): string | undefined {
    return this.controller.baseUrl;
  }

  get onDidChange(): vscode.Event<void> {
    return this.controller.onDidChange;
  }

  get onWillStop(): vscode.Event<string> {
    return this.controller.onWillStop;
  }
}

export function createSandboxModule(host: ShellHost): SandboxModule {
  return new SandboxArea(host);
}
