import * as vscode from 'vscode';
import { AuthError } from '../../core/auth/errors';
import { validatePersonalAccessToken } from '../../core/auth/personalAccessToken';
import { shortId } from '../../core/auth/tokenRefresher';
import { accountIdOf } from '../../core/auth/tokenStore';
import { clientCheckFrom, tokenRequest, type ClientCheck } from '../../core/auth/tokenEndpoint';
import { EnvironmentError, parseBaseUrl, type EnvironmentKind } from '../../core/environment';
import type { Clock, Logger } from '../../core/ports';
import { LOOPBACK_CALLBACK_PATH } from '../../core/routes';
import type { CommandId } from '../commandIds';
import type { EnvironmentService } from '../environmentService';
import type { CommandHandler } from '../servicesContract';
import type { Account } from './accountsContract';
import type { AccountManager } from './accountManager';
import type { AccountsTreeNode } from './accountsTree';
import { logLineFor, messageFor } from './authMessages';
import type { SignInController } from './signInController';
import { DEMO_USERS, type DemoUser } from '../../sandbox/demoAccounts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface AuthCommandDeps {
  readonly accounts: AccountManager;
  readonly environments: EnvironmentService;
  readonly signIn: SignInController;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Every error text shown, newest last (the canary audit reads it in tests). */
  readonly shownMessages?: string[];
}

/** The auth area's command handlers. Every failure becomes a message chosen from its code. */
export function createAuthCommands(deps: AuthCommandDeps): Partial<Record<CommandId, CommandHandler>> {
  const { accounts, environments, signIn, logger } = deps;

  const guarded =
    (name: string, run: (...args: unknown[]) => Promise<unknown>): CommandHandler =>
    async (...args: unknown[]) => {
      try {
        return await run(...args);
      } catch (error) {
        logger.warn(`${name} failed: ${logLineFor(error)}`);
        // Not awaited: the command finishes while the message waits for the user.
        void showError(error, deps.shownMessages);
        return undefined;
      }
    };

  return {
    'onetwentyone.auth.signIn': guarded('Sign-in', async () => {
      const account = await signIn.signIn();
      void vscode.window.showInformationMessage(`Signed in ${account.label} (${account.environment.kind}).`);
      return account.id;
    }),

    'onetwentyone.auth.useLoopbackRedirect': guarded('Switching to the loopback redirect', async () => {
      await vscode.workspace
        .getConfiguration('onetwentyone')
        .update('redirect', 'loopback', vscode.ConfigurationTarget.Global);
      return vscode.commands.executeCommand('onetwentyone.auth.signIn');
    }),

    'onetwentyone.auth.completeFromRedirectUrl': guarded('Completing sign-in from a URL', async (arg?: unknown) => {
      const raw =
        typeof arg === 'string'
          ? arg
          : await vscode.window.showInputBox({
              title: 'Complete Sign-In from Redirect URL',
              prompt: 'Paste the full URL the browser ended on after you approved access (it contains code=…&state=…).',
              ignoreFocusOut: true,
              password: true,
            });
      if (!raw) return undefined;
      const outcome = signIn.completeFromRedirectUrl(raw);
      if (outcome === 'ignored') {
        void vscode.window.showWarningMessage(
          'That URL does not belong to a sign-in in progress in this window. Start "Sign In" first, then paste the URL while it waits.',
        );
      }
      return outcome;
    }),

    'onetwentyone.auth.addPersonalAccessToken': guarded('Adding a personal access token', async (arg?: unknown) => {
      const env = environments.current();
      if (isPatInput(arg)) {
        if (!UUID.test(arg.userId)) throw new AuthError('invalid_user_id', 'The user ID must be a UUID.');
        return addPersonalAccessToken(deps, {
          userId: arg.userId.toLowerCase(),
          token: arg.token,
          note: arg.note ?? '',
          envKind: env.kind,
          origin: env.origin,
        });
      }
      if (env.kind === 'sandbox') {
        const demo = await pickSandboxDemoToken(env.origin);
        if (demo === 'cancelled') return undefined;
        if (demo === 'signIn') return vscode.commands.executeCommand('onetwentyone.auth.signIn');
        if (demo)
          return addPersonalAccessToken(deps, {
            userId: demo.userId,
            token: demo.pat,
            note: demo.name,
            envKind: env.kind,
            origin: env.origin,
          });
      }
      const userId = await vscode.window.showInputBox({
        title: `Add Personal Access Token for ${env.origin} (1/3)`,
        prompt: 'The user ID shown on the personal access token page (a UUID).',
        ignoreFocusOut: true,
        validateInput: (v) =>
          UUID.test(v.trim()) ? undefined : 'Enter a UUID such as 123e4567-e89b-12d3-a456-426614174000.',
      });
      if (!userId) return undefined;
      const token = await vscode.window.showInputBox({
        title: `Add Personal Access Token for ${env.origin} (2/3)`,
        prompt: `The personal access token (shown once when you created it). It is sent only to ${env.origin}.`,
        password: true,
        ignoreFocusOut: true,
        validateInput: (v) => (v.trim().length >= 8 && !/\s/.test(v.trim()) ? undefined : 'Paste the whole token.'),
      });
      if (!token) return undefined;
      const note = await vscode.window.showInputBox({
        title: `Add Personal Access Token for ${env.origin} (3/3)`,
        prompt: 'A name for this token in the Accounts view (optional).',
        ignoreFocusOut: true,
        validateInput: (v) => (v.length <= 100 ? undefined : 'Keep it under 100 characters.'),
      });
      if (note === undefined) return undefined;
      return addPersonalAccessToken(deps, {
        userId: userId.trim().toLowerCase(),
        token: token.trim(),
        note: note.trim(),
        envKind: env.kind,
        origin: env.origin,
      });
    }),

    'onetwentyone.auth.signOut': guarded('Sign-out', async (arg?: unknown) => {
      const account = await pickAccount(accounts, arg, 'Sign out which account?');
      if (!account) return undefined;
      await accounts.signOut(account.id);
      void vscode.window.showInformationMessage(`Signed out ${account.label}.`);
      return account.id;
    }),

    'onetwentyone.auth.signOutAll': guarded('Sign-out of all accounts', async (arg?: unknown) => {
      const all = accounts.list();
      if (all.length === 0) return 0;
      if (arg !== 'confirmed') {
        const answer = await vscode.window.showWarningMessage(
          `Sign out of all ${all.length} OneTwentyOne account(s)?`,
          { modal: true },
          'Sign Out All',
        );
        if (answer !== 'Sign Out All') return undefined;
      }
      for (const account of all) await accounts.signOut(account.id);
      return all.length;
    }),

    'onetwentyone.auth.refresh': guarded('Token refresh', async (arg?: unknown) => {
      const account = await pickAccount(
        accounts,
        arg,
        'Refresh the token of which account?',
        (a) => a.kind === 'oauth',
      );
      if (!account) return undefined;
      await accounts.refresh(account.id);
      return account.id;
    }),

    'onetwentyone.auth.copyUserId': guarded('Copy user ID', async (arg?: unknown) => {
      const account = await pickAccount(accounts, arg, 'Copy the user ID of which account?');
      if (!account) return undefined;
      await vscode.env.clipboard.writeText(account.userId);
      void vscode.window.setStatusBarMessage(`Copied user ID ${shortId(account.userId)}…`, 3000);
      return account.userId;
    }),

    'onetwentyone.client.configure': guarded('Client setup', async (arg?: unknown) =>
      configureClient(deps, isClientInput(arg) ? arg : undefined),
    ),

    'onetwentyone.environment.select': guarded('Environment selection', async (arg?: unknown) => {
      type Item = vscode.QuickPickItem & { kind2: EnvironmentKind };
      const items: Item[] = [
        { label: 'Production', description: 'https://api.onetwentyone.ai', kind2: 'production' },
        { label: 'Sandbox', description: 'the local sandbox (no account or network needed)', kind2: 'sandbox' },
        { label: 'Custom…', description: 'another base URL', kind2: 'custom' },
      ];
      const picked =
        typeof arg === 'string'
          ? items.find((i) => i.kind2 === arg)
          : await vscode.window.showQuickPick(items, { title: 'Select Environment' });
      if (!picked) return undefined;
      let custom: string | undefined;
      if (picked.kind2 === 'custom') {
        custom = await vscode.window.showInputBox({
          title: 'Custom API base URL',
          prompt: 'For example https://staging.example.com (https:, or http: on 127.0.0.1).',
          ignoreFocusOut: true,
          validateInput: (v) => {
            try {
              parseBaseUrl(v);
              return undefined;
            } catch (e) {
              return e instanceof EnvironmentError ? e.message : 'Invalid URL.';
            }
          },
        });
        if (!custom) return undefined;
        custom = parseBaseUrl(custom);
      }
      await environments.select(picked.kind2, custom);
      return picked.kind2;
    }),
  };
}

/** Validates a PAT against the profile route, then stores it as its own account. */
export async function addPersonalAccessToken(
  deps: AuthCommandDeps,
  input: { userId: string; token: string; note: string; envKind: EnvironmentKind; origin: string },
): Promise<string> {
  const env = { kind: input.envKind, origin: input.origin };
  const { scopes, displayName } = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Checking the personal access token…' },
    () =>
      validatePersonalAccessToken(deps.environments.transportFor(env.origin), {
        token: input.token,
        userId: input.userId,
      }),
  );
  const id = accountIdOf(env, input.userId);
  const account = await deps.accounts.add(id, {
    version: 1,
    kind: 'pat',
    environment: env,
    userId: input.userId,
    accessToken: input.token,
    scopes: [...scopes],
    // The name given here, else the profile's name of the user.
    label: input.note || displayName || undefined,
    issuedAt: deps.clock.now(),
  });
  void vscode.window.showInformationMessage(`Added ${account.label} (${env.kind}).`);
  return id;
}

async function configureClient(
  deps: AuthCommandDeps,
  scripted?: { clientId: string; clientSecret: string },
): Promise<string | undefined> {
  const env = deps.environments.current();
  const settings = vscode.workspace.getConfiguration('onetwentyone');
  if (env.kind === 'sandbox' && !scripted) {
    const go = await vscode.window.showInformationMessage(
      'The sandbox uses its built-in demo client automatically. Configure a different client anyway?',
      'Configure',
      'Cancel',
    );
    if (go !== 'Configure') return undefined;
  }
  const validId = (v: string) =>
    /^[\x21-\x7e]{1,200}$/.test(v.trim()) ? undefined : 'Enter the client ID: printable characters, no spaces.';
  const validSecret = (v: string) =>
    /^[\x21-\x7e]{8,500}$/.test(v.trim()) ? undefined : 'Paste the whole client secret.';
  const clientId =
    scripted?.clientId.trim() ??
    (
      await vscode.window.showInputBox({
        title: `Configure API Client for ${env.origin} (1/2)`,
        prompt: 'Client ID (from the 121 Health app, when you created the client). Kept in settings.',
        value: settings.get<string>('clientId', ''),
        ignoreFocusOut: true,
        validateInput: validId,
      })
    )?.trim();
  if (!clientId) return undefined;
  const clientSecret =
    scripted?.clientSecret.trim() ??
    (
      await vscode.window.showInputBox({
        title: `Configure API Client for ${env.origin} (2/2)`,
        prompt: "Client secret (shown once when you created the client). Kept only in VS Code's secret storage.",
        password: true,
        ignoreFocusOut: true,
        validateInput: validSecret,
      })
    )?.trim();
  if (!clientSecret) return undefined;
  if (validId(clientId) || validSecret(clientSecret))
    throw new AuthError('invalid_client', 'The client ID or secret is not well-formed.');

  const check = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Checking the client ID and secret…' },
    () => probeClient(deps, env.origin, clientId, clientSecret),
  );
  deps.logger.info(`Client check for ${env.origin}: ${check.verdict} (${check.reason}).`);
  if (check.verdict === 'rejected') {
    // A script passed the values itself and has no one to ask; a person may know better than the probe.
    if (scripted)
      throw new AuthError('invalid_client', 'The API did not accept the client ID or client secret.', {
        detail: check.reason,
      });
    const cancel: vscode.MessageItem = { title: 'Cancel', isCloseAffordance: true };
    const save: vscode.MessageItem = { title: 'Save Anyway' };
    const choice = await vscode.window.showWarningMessage(
      `The API rejected the client ID or secret (${check.reason}). Save them anyway?`,
      { modal: true },
      save,
      cancel,
    );
    if (choice !== save) return undefined;
  }
  await deps.environments.saveClient(env, clientId, clientSecret);

  const uriHandler = deps.signIn.uriHandlerRedirectUri();
  const loopback = `http://127.0.0.1${LOOPBACK_CALLBACK_PATH}`;
  const checked =
    check.verdict === 'accepted'
      ? 'The API accepted the client.'
      : check.verdict === 'rejected'
        ? `Saved although the API rejected the client (${check.reason}).`
        : `Saved; the check could not tell whether the API accepts the client (${check.reason}).`;
  if (!deps.signIn.uriHandlerReachable()) {
    // Here only the loopback redirect can come back (see SignInController.uriHandlerReachable).
    const switched =
      deps.signIn.redirectMode() === 'uriHandler'
        ? ' In VS Code in a browser the URI-handler redirect cannot come back, so sign-in uses the loopback redirect.'
        : '';
    if (switched)
      await vscode.workspace
        .getConfiguration('onetwentyone')
        .update('redirect', 'loopback', vscode.ConfigurationTarget.Global);
    void vscode.window
      .showInformationMessage(
        `${checked} Register this redirect URI with the client: ${loopback}${switched}`,
        'Copy Redirect URI',
      )
      .then((copy) => (copy ? vscode.env.clipboard.writeText(loopback) : undefined));
    return loopback;
  }
  const preferred = deps.signIn.redirectMode() === 'loopback' ? loopback : uriHandler;
  const other = preferred === loopback ? uriHandler : loopback;
  // Not awaited: the command completes while the message offers the copy buttons.
  void vscode.window
    .showInformationMessage(
      `${checked} Register this redirect URI with the client: ${preferred}`,
      'Copy Redirect URI',
      preferred === loopback ? 'Copy URI-Handler URI' : 'Copy Loopback URI',
    )
    .then((copy) =>
      copy ? vscode.env.clipboard.writeText(copy === 'Copy Redirect URI' ? preferred : other) : undefined,
    );
  return preferred;
}

/**
 * Checks a client without a user: a code exchange with a code that cannot exist (see
 * `clientCheckFrom` for what each answer means). Never throws: a check that fails says why.
 */
async function probeClient(
  deps: AuthCommandDeps,
  origin: string,
  clientId: string,
  clientSecret: string,
): Promise<ClientCheck> {
  try {
    const response = await tokenRequest(deps.environments.transportFor(origin), {
      code: 'onetwentyone-explorer-client-check',
      clientId,
      clientSecret,
      redirectUri: 'http://127.0.0.1/callback',
      codeVerifier: 'x'.repeat(43),
    });
    return clientCheckFrom(response);
  } catch (error) {
    deps.logger.warn(`Client check could not complete: ${logLineFor(error)}`);
    return {
      verdict: 'unknown',
      reason: error instanceof AuthError ? (error.detail ?? error.message) : 'the check did not complete',
    };
  }
}

async function pickAccount(
  accounts: AccountManager,
  arg: unknown,
  title: string,
  filter: (a: Account) => boolean = () => true,
): Promise<Account | undefined> {
  const fromArg = typeof arg === 'string' ? accounts.get(arg) : isNode(arg) ? accounts.get(arg.account.id) : undefined;
  if (fromArg) return fromArg;
  const candidates = accounts.list().filter(filter);
  if (candidates.length === 0) {
    void vscode.window.showInformationMessage('No matching OneTwentyOne account is signed in.');
    return undefined;
  }
  if (candidates.length === 1 && arg === undefined) return candidates[0];
  const picked = await vscode.window.showQuickPick(
    candidates.map((a) => ({ label: a.label, description: `${a.environment.kind} · ${a.userId}`, account: a })),
    { title },
  );
  return picked?.account;
}

/**
 * In the sandbox, its synthetic users' tokens are offered first (they work only against a sandbox),
 * and its consent page. Undefined: the user chose to type a token; 'signIn': to sign in through the
 * consent page; 'cancelled': the picker was dismissed.
 */
async function pickSandboxDemoToken(origin: string): Promise<DemoUser | undefined | 'signIn' | 'cancelled'> {
  type Item = vscode.QuickPickItem & { choice: DemoUser | 'type' | 'signIn' };
  const items: Item[] = [
    ...DEMO_USERS.map((user): Item => ({
      label: user.name,
      description: `sandbox demo token · ${user.userId}`,
      detail: user.description,
      choice: user,
    })),
    { label: '', kind: vscode.QuickPickItemKind.Separator, choice: 'type' },
    {
      label: '$(sign-in) Sign in through the consent page…',
      description: 'OAuth, as your users will: pick a user and the scopes in the browser',
      choice: 'signIn',
    },
    { label: 'Enter a token…', description: 'a personal access token and its user ID', choice: 'type' },
  ];
  const picked = await vscode.window.showQuickPick(items, {
    title: `Sign in a sandbox user at ${origin}`,
    placeHolder: 'Pick a synthetic user of the sandbox, or enter a token',
  });
  if (!picked) return 'cancelled';
  return picked.choice === 'type' ? undefined : picked.choice;
}

/** Scripted use (walkthrough links, tests): `{ clientId, clientSecret }` skips the prompts. */
function isClientInput(value: unknown): value is { clientId: string; clientSecret: string } {
  const v = value as { clientId?: unknown; clientSecret?: unknown } | undefined;
  return typeof v === 'object' && v !== null && typeof v.clientId === 'string' && typeof v.clientSecret === 'string';
}

/** Scripted use (walkthrough links, tests): `{ userId, token, note? }` skips the prompts. */
function isPatInput(value: unknown): value is { userId: string; token: string; note?: string } {
  const v = value as { userId?: unknown; token?: unknown; note?: unknown } | undefined;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.userId === 'string' &&
    typeof v.token === 'string' &&
    (v.note === undefined || typeof v.note === 'string')
  );
}

function isNode(value: unknown): value is AccountsTreeNode {
  return (
    typeof value === 'object' &&
    value !== null &&
    'account' in value &&
    typeof (value as { account?: { id?: unknown } }).account?.id === 'string'
  );
}

async function showError(error: unknown, shown: string[] | undefined): Promise<void> {
  const message = messageFor(error);
  if (message.quiet) return;
  if (shown) {
    shown.push(message.text);
    if (shown.length > 50) shown.shift();
  }
  const choice = await vscode.window.showErrorMessage(message.text, ...message.actions.map((a) => a.title));
  const action = message.actions.find((a) => a.title === choice);
  if (action) await vscode.commands.executeCommand(action.command);
}
