import * as vscode from 'vscode';
import type { AreaModule } from '../areaModule';
import { personalAccessTokenInput, type PersonalAccessTokenInput } from '../auth/authCommands';
import { command } from '../commandRegistry';
import { executeCommand } from '../commands';
import type { AreaHost } from '../servicesContract';
import { Disposable } from '../util/lifecycle';
import { SandboxController } from './sandboxController';

export type SandboxCommands = ReturnType<typeof sandboxCommands>;

export interface SandboxModule extends AreaModule<SandboxCommands> {
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
  readonly commands: SandboxCommands;

  constructor(host: AreaHost) {
    super();
    this.controller = this._register(new SandboxController(host.logger.scoped('sandbox')));
    this.commands = sandboxCommands(this.controller);
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

export function createSandboxModule(host: AreaHost): SandboxModule {
  return new SandboxArea(host);
}

function sandboxCommands(controller: SandboxController) {
  return {
    'onetwentyone.sandbox.try': command(
      vscode.l10n.t('Trying the sandbox'),
      // Scripted use: the token "Add Personal Access Token…" takes instead of asking.
      [personalAccessTokenInput.optional()],
      (tokenInput) => trySandbox(controller, tokenInput),
    ),
    'onetwentyone.sandbox.start': command(vscode.l10n.t('Starting the sandbox'), [], async () => {
      await controller.start();
    }),
    'onetwentyone.sandbox.stop': command(vscode.l10n.t('Stopping the sandbox'), [], () => controller.stop()),
  };
}

/**
 * "Try the Sandbox": the sandbox already configured (`onetwentyone.sandbox.url`, as `npm start`
 * sets it), else one started inside VS Code; then straight on to signing a synthetic user in.
 */
async function trySandbox(
  controller: SandboxController,
  tokenInput: PersonalAccessTokenInput | undefined,
): Promise<string | undefined> {
  const config = vscode.workspace.getConfiguration('onetwentyone');
  if (config.get<string>('sandbox.url', '').trim()) {
    // Global, as "Start Sandbox" does: the sandbox belongs to this VS Code, not to the open folder.
    if (config.get<string>('environment') !== 'sandbox')
      await config.update('environment', 'sandbox', vscode.ConfigurationTarget.Global);
  } else {
    await controller.start({ notify: false });
  }
  return tokenInput
    ? executeCommand('onetwentyone.auth.addPersonalAccessToken', tokenInput)
    : executeCommand('onetwentyone.auth.addPersonalAccessToken');
}
