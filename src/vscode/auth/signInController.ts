import * as vscode from 'vscode';
import { AuthorizationFlows, type AuthorizationAttempt } from '../../core/auth/authorizationFlows';
import type { ValidatedCallback } from '../../core/auth/callback';
import { SIGN_IN_TIMEOUT_MS } from '../../core/auth/callback';
import { AuthError } from '../../core/auth/errors';
import { readTokenIdentity, type TokenIdentity } from '../../core/auth/personalAccessToken';
import { CallbackRelay } from './callbackRelay';
import { processTokenResponse, tokenRequest } from '../../core/auth/tokenEndpoint';
import { accountIdOf } from '../../core/auth/tokenStore';
import type { Clock, Logger } from '../../core/ports';
import { EXTENSION_ID, LOOPBACK_CALLBACK_PATH, URI_HANDLER_CALLBACK_PATH } from '../../core/routes';
import { DEMO_USERS } from '../../sandbox/demoAccounts';
import type { EnvironmentService } from '../environmentService';
import type { UriEventHandler } from '../uriEventHandler';
import { Disposable } from '../util/lifecycle';
import type { Account } from './accountsContract';
import type { AccountManager } from './accountManager';
import { avoidWebPortMapping } from './browserUrl';
import { LoopbackServer } from './loopbackServer';
import { isAtRedirect, registeredRedirectProblem } from './pastedRedirect';

export type RedirectMode = 'uriHandler' | 'loopback' | 'pasteUrl';

/** What a pasted URL did; `wrongAddress`: it is not at the redirect URI its sign-in sent. */
export type PastedUrlOutcome = 'completed' | 'failed' | 'ignored' | 'wrongAddress';

/** How a sign-in opens the browser and how long it waits; tests pass their own. */
export interface SignInOptions {
  /** Opens the authorize URL; by default in the system browser. */
  readonly openExternal?: (url: string) => Promise<boolean>;
  /** How long an attempt waits for its callback; read when the attempt starts. */
  readonly timeoutMs?: () => number;
}

/**
 * "Sign In (Authorize a User)": fresh state and PKCE per attempt, the authorize URL opened in the
 * system browser with `env.openExternal`, the redirect received by the URI handler or a loopback
 * server, a cancellable progress notification and a 5-minute timeout, then exactly one code
 * exchange. Fallback: paste the final redirect URL (`completeFromRedirectUrl`).
 */
export class SignInController extends Disposable {
  readonly flows: AuthorizationFlows;
  private readonly _onDidStartAttempt = this._register(new vscode.EventEmitter<string>());
  /** Fires with the authorize URL once an attempt waits for its callback. */
  readonly onDidStartAttempt = this._onDidStartAttempt.event;

  constructor(
    uriHandler: UriEventHandler,
    private readonly _environments: EnvironmentService,
    private readonly _accounts: AccountManager,
    private readonly _clock: Clock,
    private readonly _logger: Logger,
    secrets?: vscode.SecretStorage,
    private readonly _options: SignInOptions = {},
  ) {
    super();
    this.flows = new AuthorizationFlows(_clock, _logger);
    // A callback of a sign-in another window started goes on to that window (desktop VS Code hands
    // a vscode:// redirect to one window only); one this window owns completes here.
    const relay = secrets
      ? this._register(new CallbackRelay(secrets, (params) => this.flows.handleCallback(params), _logger))
      : undefined;
    this.relay = relay;
    // One listener for the extension's lifetime: a callback for no pending attempt is refused
    // (and logged) instead of going unnoticed.
    this._register(
      uriHandler.event((uri) => {
        if (uri.path !== URI_HANDLER_CALLBACK_PATH) return;
        const params = new URLSearchParams(uri.query);
        if (relay) void relay.receive(params);
        else this.flows.handleCallback(params);
      }),
    );
  }

  /** How callbacks reach the window whose sign-in they belong to (undefined without a secret storage). */
  readonly relay: CallbackRelay | undefined;

  /** Which redirect the setting asks for; `auto` is loopback in browser-based VS Code. */
  redirectMode(): RedirectMode {
    const setting = vscode.workspace.getConfiguration('onetwentyone').get<string>('redirect', 'auto');
    if (setting === 'uriHandler' || setting === 'loopback' || setting === 'pasteUrl') return setting;
    return vscode.env.uiKind === vscode.UIKind.Web ? 'loopback' : 'uriHandler';
  }

  /** Whether a browser can return to this window at the URI-handler redirect as a client registers it. */
  uriHandlerReachable(external: string = this.uriHandlerRedirectUri()): boolean {
    return vscode.env.uiKind !== vscode.UIKind.Web && external === this.uriHandlerRedirectUri();
  }

  /** The URI-handler redirect to register with a client, e.g. `vscode://onetwentyone.onetwentyone-explorer/auth/callback`. */
  uriHandlerRedirectUri(): string {
    return `${vscode.env.uriScheme}://${EXTENSION_ID}${URI_HANDLER_CALLBACK_PATH}`;
  }

  /** The redirect URI of the developer's own the `pasteUrl` mode sends (setting `onetwentyone.redirectUri`). */
  registeredRedirectUri(): string | undefined {
    const raw = vscode.workspace.getConfiguration('onetwentyone').get<string>('redirectUri', '').trim();
    return raw && !registeredRedirectProblem(raw) ? raw : undefined;
  }

  /**
   * A pasted redirect URL: the `pasteUrl` mode's way back, and the fallback of the others. It must be
   * at the redirect URI its sign-in sent (scheme, host, port, path), then it is validated exactly as
   * a callback is (state, code, user).
   */
  completeFromRedirectUrl(raw: string): PastedUrlOutcome {
    let url: URL;
    try {
      url = new URL(raw.trim());
    } catch {
      throw new AuthError('malformed_callback', 'That is not a URL.');
    }
    const sent = this._redirectOfAttempt.get(url.searchParams.get('state') ?? '');
    if (sent !== undefined && !isAtRedirect(url, sent)) {
      this._logger.warn('Ignored a pasted sign-in URL that is not at the redirect URI its sign-in sent.');
      return 'wrongAddress';
    }
    return this.flows.handleCallback(url.searchParams);
  }

  /** The redirect URI each waiting attempt sent, by state: a pasted URL must be at it. */
  private readonly _redirectOfAttempt = new Map<string, string>();

  async signIn(): Promise<Account> {
    const env = this._environments.current();
    const client = await this._environments.client(env);
    if (!client) throw new AuthError('client_not_configured', 'No API client is configured for this environment.');
    const mode = this.redirectMode();

    let loopback: LoopbackServer | undefined;
    let attempt: AuthorizationAttempt | undefined;
    let pasteBox: vscode.Disposable | undefined;
    try {
      let redirectUri: string;
      if (mode === 'loopback') {
        const flows = this.flows;
        loopback = await LoopbackServer.start((params) => flows.handleCallback(params));
        // In remote windows the port is forwarded and the forwarded address is what the browser
        // reaches; it stays a registrable loopback URI only if just the port changed. code-server
        // maps it to its /proxy/<port>/ path instead, which no client can register: there the
        // browser runs beside the server and reaches 127.0.0.1 directly.
        const external = await vscode.env.asExternalUri(vscode.Uri.parse(loopback.redirectUri));
        const pureForward =
          external.scheme === 'http' &&
          /^127\.0\.0\.1:\d+$/.test(external.authority) &&
          external.path === LOOPBACK_CALLBACK_PATH;
        redirectUri = pureForward ? `http://${external.authority}${LOOPBACK_CALLBACK_PATH}` : loopback.redirectUri;
      } else if (mode === 'pasteUrl') {
        redirectUri = await this._askRegisteredRedirect();
      } else {
        redirectUri = this.uriHandlerRedirectUri();
        // asExternalUri registers the window for the callback in browser-based and remote VS Code.
        const external = await vscode.env.asExternalUri(vscode.Uri.parse(redirectUri));
        // A client registers one fixed redirect URI. In browser-based VS Code the browser has no app
        // for the editor's scheme, and where VS Code maps it to a web address, that address carries a
        // per-request id no client can register: the approval would never come back. Say so now
        // instead of waiting for the timeout. (Desktop VS Code may add a query naming the window; the
        // address itself is what must match.)
        if (!this.uriHandlerReachable(external.with({ query: '', fragment: '' }).toString(true))) {
          throw new AuthError(
            'redirect_unreachable',
            `${redirectUri} cannot bring the approval back to this VS Code in the browser.`,
          );
        }
      }
      attempt = this.flows.start({ origin: env.origin, clientId: client.clientId, redirectUri });
      this._redirectOfAttempt.set(attempt.state, redirectUri);
      this._logger.info(`Sign-in started (${env.kind}, ${mode} redirect).`);

      const current = attempt;
      const callback = await vscode.window.withProgress<ValidatedCallback>(
        {
          location: vscode.ProgressLocation.Notification,
          title: vscode.l10n.t('Signing in to OneTwentyOne at {0}: approve access in your browser…', env.origin),
          cancellable: true,
        },
        async (_progress, token) => {
          const timeout = setTimeout(
            () => current.cancel('timeout'),
            this._options.timeoutMs?.() ?? SIGN_IN_TIMEOUT_MS,
          );
          const cancellation = token.onCancellationRequested(() => current.cancel('cancelled'));
          try {
            // Shown before the browser opens, so it is there when the user comes back with the URL.
            if (mode === 'pasteUrl') pasteBox = this._showPasteBox(redirectUri);
            this._onDidStartAttempt.fire(current.authorizeUrl.toString());
            const opened = await this._open(current.authorizeUrl.toString());
            if (!opened) this._logger.warn('The browser could not be opened for the sign-in.');
            return await current.callback;
          } finally {
            clearTimeout(timeout);
            cancellation.dispose();
            pasteBox?.dispose();
          }
        },
      );

      // Exactly one exchange per code, no retry on any failure: an authorization code is single-use.
      const sentAt = this._clock.now();
      const response = await tokenRequest(this._environments.transportFor(env.origin), {
        code: callback.code,
        clientId: client.clientId,
        clientSecret: client.clientSecret,
        redirectUri: callback.pending.redirectUri,
        codeVerifier: callback.pending.codeVerifier,
      });
      const tokens = processTokenResponse(response, { sentAt, userId: callback.userId });
      const identity = await this._identity(env.origin, tokens.accessToken, tokens.userId);
      const scopes = tokens.scopes.length > 0 ? tokens.scopes : identity.scopes;
      const id = accountIdOf(env, tokens.userId);
      return await this._accounts.add(id, {
        version: 1,
        kind: 'oauth',
        environment: { kind: env.kind, origin: env.origin },
        userId: tokens.userId,
        accessToken: tokens.accessToken,
        refreshToken: tokens.refreshToken,
        expiresAt: tokens.expiresAt,
        scopes: [...scopes],
        clientId: client.clientId,
        issuedAt: sentAt,
        // Named as the profile names the user; without the profile scope, by the user id (or, in the
        // sandbox, the synthetic user's name).
        label:
          identity.displayName ??
          (env.kind === 'sandbox' ? DEMO_USERS.find((u) => u.userId === tokens.userId)?.name : undefined),
      });
    } finally {
      if (attempt) this._redirectOfAttempt.delete(attempt.state);
      attempt?.cancel('cancelled');
      if (loopback) {
        const server = loopback;
        // Let the browser receive its "you can close this tab" page before the server goes.
        setTimeout(() => void server.close(), 2000).unref?.();
      }
    }
  }

  /**
   * Who the tokens belong to, from the profile route: the user's name and, since the token response
   * names no scopes, the granted ones. It also proves the tokens belong to the user the callback
   * named (a mismatch fails the sign-in). Without the profile scope both stay unknown.
   */
  private async _identity(origin: string, accessToken: string, userId: string): Promise<TokenIdentity> {
    try {
      const identity = await readTokenIdentity(
        this._environments.transportFor(origin),
        { token: accessToken, userId },
        { logger: this._logger },
      );
      return identity === 'no_profile_scope' ? { scopes: [] } : identity;
    } catch (error) {
      if (error instanceof AuthError) throw error;
      this._logger.warn('The granted scopes could not be read from the profile route.');
      return { scopes: [] };
    }
  }

  /** The configured redirect URI of the developer's own; asked for (and saved in user settings) if unset. */
  private async _askRegisteredRedirect(): Promise<string> {
    const configured = this.registeredRedirectUri();
    if (configured) return configured;
    const entered = await vscode.window.showInputBox({
      title: vscode.l10n.t('Redirect URI Registered with Your API Client'),
      prompt: vscode.l10n.t(
        'The exact redirect URI your client is registered with (for example an https page of your app). After you approve access, paste the address the browser lands on.',
      ),
      placeHolder: 'https://app.example.com/oauth/callback',
      ignoreFocusOut: true,
      validateInput: (value) => registeredRedirectProblem(value),
    });
    if (!entered) throw new AuthError('cancelled', 'The sign-in was cancelled.');
    await vscode.workspace
      .getConfiguration('onetwentyone')
      .update('redirectUri', entered.trim(), vscode.ConfigurationTarget.Global);
    return entered.trim();
  }

  /**
   * The input box that takes the URL the browser landed on. It stays open while the sign-in waits
   * (closed when it ends, however it ends); a URL that does not complete it says why and can be
   * pasted again. The command "Complete Sign-In from Redirect URL" takes the same URL.
   */
  private _showPasteBox(redirectUri: string): vscode.Disposable {
    const box = vscode.window.createInputBox();
    box.title = vscode.l10n.t('Complete Sign-In: Paste the Redirect URL');
    box.prompt = vscode.l10n.t(
      'After you approve access, the browser lands on {0}?code=…&state=…. Paste that whole address here.',
      redirectUri,
    );
    box.password = true;
    box.ignoreFocusOut = true;
    box.onDidAccept(() => {
      let outcome: PastedUrlOutcome;
      try {
        outcome = this.completeFromRedirectUrl(box.value);
      } catch {
        box.validationMessage = vscode.l10n.t('That is not a URL.');
        return;
      }
      if (outcome === 'wrongAddress') box.validationMessage = vscode.l10n.t('That address is not {0}.', redirectUri);
      else if (outcome === 'ignored')
        box.validationMessage = vscode.l10n.t('That URL does not belong to this sign-in.');
    });
    box.show();
    return box;
  }

  private _open(url: string): Promise<boolean> {
    return (this._options.openExternal ?? openInSystemBrowser)(url);
  }
}

/** Opens a URL in the system browser (in VS Code in a browser, past its port mapping). */
export function openInSystemBrowser(url: string): Promise<boolean> {
  const target = vscode.env.uiKind === vscode.UIKind.Web ? avoidWebPortMapping(url) : url;
  return Promise.resolve(vscode.env.openExternal(vscode.Uri.parse(target, true)));
}
