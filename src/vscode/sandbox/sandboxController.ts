import * as vscode from 'vscode';
import type { Logger } from '../../core/ports';
import type { SandboxHandle, SandboxOptions } from '../../sandbox/types';
import { Disposable } from '../util/lifecycle';
import { environmentAfterStop, resolveDailyLimit, resolveDialect, startedMessage } from './sandboxSettings';

export interface SandboxBundle {
  startSandbox(options?: SandboxOptions): Promise<SandboxHandle>;
}

/** dist/services.js and dist/sandbox.js sit side by side; `./sandbox.js` is external in esbuild.js. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const loadBundledSandbox = (): SandboxBundle => require('./sandbox.js') as SandboxBundle;

export const SANDBOX_RUNNING_CONTEXT = 'onetwentyone.sandboxRunning';

/**
 * Runs the sandbox inside the extension host ("Start Sandbox" / "Stop Sandbox") and points the
 * explorer at it. The sandbox bundle is loaded only on the first start.
 */
export class SandboxController extends Disposable {
  private readonly _onDidChange = this._register(new vscode.EventEmitter<void>());
  readonly onDidChange = this._onDidChange.event;
  private readonly _onWillStop = this._register(new vscode.EventEmitter<string>());
  /** The origin of the sandbox about to stop, before its connections close: its requests end as stopped, not as network faults. */
  readonly onWillStop = this._onWillStop.event;
  private _handle: SandboxHandle | undefined;
  private _starting: Promise<SandboxHandle> | undefined;
  private _environmentBefore: string | undefined;
  private _environmentSetByStart = false;

  constructor(
    private readonly _log: Logger,
    private readonly _load: () => SandboxBundle = loadBundledSandbox,
  ) {
    super();
    this._register({ dispose: () => void this._close() });
  }

  get handle(): SandboxHandle | undefined {
    return this._handle;
  }

  get baseUrl(): string | undefined {
    return this._handle?.baseUrl;
  }

  /** Starts the sandbox, or returns the running one; concurrent calls share one start. */
  start(options: { notify?: boolean } = {}): Promise<SandboxHandle> {
    if (this._handle) return Promise.resolve(this._handle);
    this._starting ??= this._start(options.notify ?? true).finally(() => {
      this._starting = undefined;
    });
    return this._starting;
  }

  async stop(): Promise<void> {
    if (this._starting) await this._starting.catch(() => undefined);
    if (!this._handle) {
      void vscode.window.showInformationMessage(vscode.l10n.t('The OneTwentyOne sandbox is not running.'));
      return;
    }
    this._onWillStop.fire(this._handle.baseUrl);
    await this._close();
    const config = vscode.workspace.getConfiguration('onetwentyone');
    const back = environmentAfterStop(
      config.inspect<string>('environment')?.globalValue,
      this._environmentBefore,
      this._environmentSetByStart,
    );
    this._environmentSetByStart = false;
    if (back !== 'keep') await config.update('environment', back, vscode.ConfigurationTarget.Global);
    this._log.info('Sandbox stopped');
    void vscode.window.showInformationMessage(vscode.l10n.t('OneTwentyOne sandbox stopped.'));
  }

  private async _start(notify: boolean): Promise<SandboxHandle> {
    const config = vscode.workspace.getConfiguration('onetwentyone');
    const dailyLimit = resolveDailyLimit(config.get('sandbox.dailyLimit'));
    const dialect = resolveDialect(config.get('sandbox.dialect'));
    const handle = await this._load().startSandbox({ port: 0, dailyLimit, dialect });
    if (this.isDisposed) {
      await handle.close();
      throw new Error('The extension is shutting down');
    }
    this._handle = handle;
    await vscode.commands.executeCommand('setContext', SANDBOX_RUNNING_CONTEXT, true);
    const before = config.inspect<string>('environment')?.globalValue;
    if (before !== 'sandbox') {
      this._environmentBefore = before;
      this._environmentSetByStart = true;
      // Global, not workspace: the sandbox belongs to this VS Code, not to the folder that is open.
      await config.update('environment', 'sandbox', vscode.ConfigurationTarget.Global);
    }
    this._log.info(`Sandbox started at ${handle.baseUrl} (daily limit ${dailyLimit}, dialect ${dialect})`);
    this._onDidChange.fire();
    if (notify) {
      const copyUrl = vscode.l10n.t('Copy URL');
      void vscode.window
        .showInformationMessage(
          startedMessage(handle.baseUrl, dailyLimit, config.get<string>('sandbox.url', ''), dialect),
          copyUrl,
        )
        .then((choice) => {
          if (choice === copyUrl) void vscode.env.clipboard.writeText(handle.baseUrl);
        });
    }
    return handle;
  }

  private async _close(): Promise<void> {
    const handle = this._handle;
    if (!handle) return;
    this._handle = undefined;
    await handle.close();
    if (!this.isDisposed) {
      await vscode.commands.executeCommand('setContext', SANDBOX_RUNNING_CONTEXT, false);
      this._onDidChange.fire();
    }
  }
}
