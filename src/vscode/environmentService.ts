import * as vscode from 'vscode';
import { ApiError, isApiError } from '../core/api/errors';
import type { HttpTransport } from '../core/api/httpTypes';
import { createUndiciTransport } from '../core/api/transport';
import { AuthError } from '../core/auth/errors';
import {
  environment,
  EnvironmentError,
  isLoopbackHost,
  PRODUCTION_BASE_URL,
  type Environment,
  type EnvironmentKind,
} from '../core/environment';
import type { Logger } from '../core/ports';
import { DEMO_CLIENT_ID, DEMO_CLIENT_SECRET } from '../sandbox/demoAccounts';
import { movedMessage, notRunningHint, originOf } from './sandbox/sandboxSettings';
import { Disposable } from './util/lifecycle';

/** The OAuth client used for one environment. The secret never leaves SecretStorage and memory. */
export interface ClientConfig {
  readonly clientId: string;
  readonly clientSecret: string;
  /** The sandbox's built-in demo client, used without any setup. */
  readonly isDemo: boolean;
}

/** Where a client secret is kept in SecretStorage: one entry per API origin. */
export function clientSecretKey(origin: string): string {
  return `onetwentyone.clientSecret/${origin}`;
}

/** What the environment service needs from the sandbox glue (its running in-process sandbox). */
export interface RunningSandbox {
  readonly runningBaseUrl: string | undefined;
  readonly onDidChange?: vscode.Event<unknown>;
  /** Fires with the origin of the in-process sandbox about to stop. */
  readonly onWillStop?: vscode.Event<string>;
}

/**
 * Which API the explorer talks to (settings `onetwentyone.environment`, `customBaseUrl`,
 * `sandbox.url`), the OAuth client per environment (ID in settings, secret in SecretStorage keyed
 * by origin, the sandbox's demo client automatically), and one HTTP transport per origin built
 * with the user's proxy settings. Tokens and secrets are bound to an origin and its transport
 * refuses every other one.
 */
export class EnvironmentService extends Disposable {
  private readonly _onDidChange = this._register(new vscode.EventEmitter<void>());
  readonly onDidChange = this._onDidChange.event;
  private readonly _onWillStopSandbox = this._register(new vscode.EventEmitter<string>());
  /** The origin of a sandbox about to stop: requests to it end as stopped before its connections close. */
  readonly onWillStopSandbox = this._onWillStopSandbox.event;
  private readonly _transports = new Map<string, HttpTransport>();
  private readonly _sandboxTransports = new Map<string, HttpTransport>();
  /**
   * `onetwentyone.sandbox.url`, read once after each change of the settings: every request to a
   * sandbox checks it (`movedTo`), and Fetch All sends hundreds (docs/performance.md, B4).
   */
  private _sandboxUrlSetting: string | undefined;

  constructor(
    private readonly _secrets: vscode.SecretStorage,
    private readonly _sandbox: RunningSandbox,
    private readonly _logger: Logger,
  ) {
    super();
    this._register(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('http') || e.affectsConfiguration('onetwentyone.request')) this._closeTransports();
        if (e.affectsConfiguration('onetwentyone')) {
          this._sandboxUrlSetting = undefined;
          this._onDidChange.fire();
        }
      }),
    );
    if (_sandbox.onDidChange) this._register(_sandbox.onDidChange(() => this._onDidChange.fire()));
    if (_sandbox.onWillStop)
      this._register(_sandbox.onWillStop((baseUrl) => this._onWillStopSandbox.fire(new URL(baseUrl).origin)));
    this._register({ dispose: () => this._closeTransports() });
  }

  get kind(): EnvironmentKind {
    return config().get<EnvironmentKind>('environment', 'production');
  }

  /** The selected environment; throws `EnvironmentError` with a plain message when it is unusable. */
  current(): Environment {
    const kind = this.kind;
    if (kind === 'production') return environment('production', PRODUCTION_BASE_URL);
    if (kind === 'custom') {
      const base = config().get<string>('customBaseUrl', '').trim();
      if (!base)
        throw new EnvironmentError(
          vscode.l10n.t('Set onetwentyone.customBaseUrl to the API base URL, or select another environment.'),
        );
      return environment('custom', base);
    }
    const base = this._sandboxBaseUrl();
    if (!base)
      throw new EnvironmentError(
        vscode.l10n.t(
          'The sandbox is not running. Run "OneTwentyOne: Start Sandbox" first, or set onetwentyone.sandbox.url.',
        ),
      );
    return environment('sandbox', base);
  }

  /** The origin of the sandbox in use now, whichever environment is selected; undefined when none is set or running. */
  sandboxOrigin(): string | undefined {
    return originOf(this._sandboxBaseUrl());
  }

  /**
   * The sandbox origin that took the place of `env`'s: `env` is a sandbox whose URL is no longer the
   * sandbox's (the setting changed, or "Start Sandbox" got another port). Undefined while it is current
   * or no sandbox is set or running.
   */
  movedTo(env: Environment): string | undefined {
    if (env.kind !== 'sandbox') return undefined;
    const now = this.sandboxOrigin();
    return now !== undefined && now !== env.origin ? now : undefined;
  }

  /** The client for an environment, or undefined when it still needs "Configure API Client". */
  async client(env: Environment): Promise<ClientConfig | undefined> {
    const configured = config().get<string>('clientId', '').trim();
    if (env.kind === 'sandbox' && (!configured || configured === DEMO_CLIENT_ID)) {
      return { clientId: DEMO_CLIENT_ID, clientSecret: DEMO_CLIENT_SECRET, isDemo: true };
    }
    if (!configured) return undefined;
    const secret = await this._readSecret(env.origin);
    return secret ? { clientId: configured, clientSecret: secret, isDemo: false } : undefined;
  }

  /**
   * The secret of the client that issued a grant, for refreshing it. The demo secret is only
   * ever given for a loopback origin (it belongs to the local sandbox).
   */
  async clientSecretFor(origin: string, clientId: string): Promise<string | undefined> {
    if (clientId === DEMO_CLIENT_ID && isLoopbackHost(new URL(origin).hostname)) return DEMO_CLIENT_SECRET;
    return this._readSecret(origin);
  }

  /** Saves the client ID (settings, global) and secret (SecretStorage, per origin). */
  async saveClient(env: Environment, clientId: string, clientSecret: string): Promise<void> {
    await config().update('clientId', clientId, vscode.ConfigurationTarget.Global);
    try {
      await this._secrets.store(clientSecretKey(env.origin), clientSecret);
    } catch (error) {
      throw new AuthError('storage_failure', vscode.l10n.t('The client secret could not be saved to secret storage.'), {
        cause: error,
      });
    }
  }

  async select(kind: EnvironmentKind, customBaseUrl?: string): Promise<void> {
    if (customBaseUrl !== undefined)
      await config().update('customBaseUrl', customBaseUrl, vscode.ConfigurationTarget.Global);
    await config().update('environment', kind, vscode.ConfigurationTarget.Global);
  }

  /**
   * The one transport for an origin: proxy-aware, with the request limits from settings. The
   * object stays the same for the origin's lifetime (API clients keep it); the undici transport
   * behind it is rebuilt when the proxy or request settings change.
   */
  transportFor(origin: string): HttpTransport {
    let transport = this._transports.get(origin);
    if (!transport) {
      let inner: HttpTransport | undefined;
      const current = () => (inner ??= this._createTransport(origin));
      transport = {
        origin,
        send: (request) => current().send(request),
        close: async () => {
          const closing = inner;
          inner = undefined;
          await closing?.close();
        },
        elsewhere: (runner) => current().elsewhere?.(runner),
      };
      this._transports.set(origin, transport);
    }
    return transport;
  }

  /**
   * The transport of a sandbox account's origin: nothing is sent once the sandbox has moved to
   * another URL, and a refused connection says the sandbox is not running and how to start it.
   */
  sandboxTransportFor(origin: string): HttpTransport {
    let transport = this._sandboxTransports.get(origin);
    if (!transport) {
      transport = this._sandboxGuard(origin, this.transportFor(origin));
      this._sandboxTransports.set(origin, transport);
    }
    return transport;
  }

  /** `inner` (here or in the page worker) with the sandbox's checks around it. */
  private _sandboxGuard(origin: string, inner: HttpTransport): HttpTransport {
    return {
      origin,
      send: (request) => {
        const movedTo = this.movedTo({ kind: 'sandbox', origin });
        if (movedTo)
          return Promise.reject(
            new ApiError('origin_changed', movedMessage(origin, movedTo), { route: request.url.pathname }),
          );
        return inner.send(request).catch((error: unknown) => {
          throw this._sandboxFailure(origin, error);
        });
      },
      close: () => inner.close(),
      elsewhere: (runner) => {
        const there = inner.elsewhere?.(runner);
        return there && this._sandboxGuard(origin, there);
      },
    };
  }

  private _sandboxFailure(origin: string, error: unknown): unknown {
    if (!isApiError(error) || error.code !== 'network' || !refused(error)) return error;
    return new ApiError('sandbox_not_running', notRunningHint(origin, config().get<string>('sandbox.url', '')), {
      route: error.route,
      cause: error,
    });
  }

  /** onetwentyone.sandbox.url wins over a sandbox started inside VS Code (what "Start Sandbox" tells the user). */
  private _sandboxBaseUrl(): string | undefined {
    this._sandboxUrlSetting ??= config().get<string>('sandbox.url', '').trim();
    return this._sandboxUrlSetting || this._sandbox.runningBaseUrl;
  }

  private _createTransport(origin: string): HttpTransport {
    const http = vscode.workspace.getConfiguration('http');
    const proxyUrl = http.get<string>('proxy', '').trim();
    return createUndiciTransport({
      origin,
      proxy: {
        ...(proxyUrl ? { proxyUrl } : {}),
        strictSSL: http.get<boolean>('proxyStrictSSL', true),
        noProxy: http.get<string[]>('noProxy', []),
      },
      deadlineMs: config().get<number>('request.timeoutSeconds', 60) * 1000,
      maxResponseBytes: config().get<number>('request.maxResponseMegabytes', 50) * 1024 * 1024,
      logger: this._logger,
    });
  }

  private async _readSecret(origin: string): Promise<string | undefined> {
    try {
      return (await this._secrets.get(clientSecretKey(origin))) || undefined;
    } catch (error) {
      throw new AuthError(
        'storage_failure',
        vscode.l10n.t('The client secret could not be read from secret storage.'),
        {
          cause: error,
        },
      );
    }
  }

  /** Closes the undici transports (requests in flight finish); the next request builds new ones. */
  private _closeTransports(): void {
    for (const transport of this._transports.values()) void transport.close().catch(() => undefined);
  }
}

/** Connection refused: nothing listens at the origin (a stopped local server, not a network fault). */
function refused(error: ApiError): boolean {
  return (error.cause as { code?: unknown } | undefined)?.code === 'ECONNREFUSED';
}

function config(): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration('onetwentyone');
}
