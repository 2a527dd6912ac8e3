import * as vscode from 'vscode';
import { z } from 'zod';
import { AuthError } from '../../core/auth/errors';
import { validatePersonalAccessToken } from '../../core/auth/personalAccessToken';
import { shortId } from '../../core/auth/tokenRefresher';
import { accountIdOf } from '../../core/auth/tokenStore';
import { clientCheckFrom, tokenRequest, type ClientCheck } from '../../core/auth/tokenEndpoint';
import { EnvironmentError, parseBaseUrl, type EnvironmentKind } from '../../core/environment';
import type { Clock, Logger } from '../../core/ports';
import { LOOPBACK_CALLBACK_PATH } from '../../core/routes';
import { isUuid } from '../../core/routes/rules';
import { command } from '../commandRegistry';
import { executeCommand } from '../commands';
import type { EnvironmentService } from '../environmentService';
import { logLineFor, messageFor } from '../userMessages';
import { accountPickItems, pickAccount } from './accountPicks';
import type { Account } from './accountsContract';
import type { AccountManager } from './accountManager';
import { checkCompatibility } from './compatibilityCheck';
import type { SignInController } from './signInController';
import { DEMO_USERS, type DemoUser } from '../../sandbox/demoAccounts';

export interface AuthCommandDeps {
  readonly accounts: AccountManager;
  readonly environments: EnvironmentService;
  readonly signIn: SignInController;
  readonly clock: Clock;
  readonly logger: Logger;
}

/** An account by id, or an Accounts view row (its inline actions pass the row). */
const accountTarget = z.union([z.string(), z.looseObject({ account: z.object({ id: z.string() }) })]).optional();
/** Scripted use (walkthrough links, tests): these skip the prompts. */
export const personalAccessTokenInput = z.object({
  userId: z.string(),
  token: z.string(),
  note: z.string().optional(),
});
const clientInput = z.object({ clientId: z.string(), clientSecret: z.string() });
const environmentKind = z.enum(['production', 'sandbox', 'custom']);

export type PersonalAccessTokenInput = z.input<typeof personalAccessTokenInput>;
export type AuthCommands = ReturnType<typeof createAuthCommands>;

/** The auth area's commands. A failure is reported by the registry, in words chosen from its code. */
export function createAuthCommands(deps: AuthCommandDeps) {
  const { accounts, environments, signIn } = deps;

  return {
    'onetwentyone.auth.signIn': command(vscode.l10n.t('Sign-in'), [], async () => {
      const account = await signIn.signIn();
      void vscode.window.showInformationMessage(
        vscode.l10n.t('Signed in {0} ({1}).', account.label, account.environment.kind),
      );
      return account.id;
    }),

    // Results that come from another command are annotated: inferring them would go in a circle.
    'onetwentyone.auth.useLoopbackRedirect': command(
      vscode.l10n.t('Switching to the loopback redirect'),
      [],
      async (): Promise<string | undefined> => {
        await vscode.workspace
          .getConfiguration('onetwentyone')
          .update('redirect', 'loopback', vscode.ConfigurationTarget.Global);
        return executeCommand('onetwentyone.auth.signIn');
      },
    ),

    'onetwentyone.auth.completeFromRedirectUrl': command(
      vscode.l10n.t('Completing sign-in from a URL'),
      [z.string().optional()],
      async (url) => {
        const raw =
          url ??
          (await vscode.window.showInputBox({
            title: vscode.l10n.t('Complete Sign-In from Redirect URL'),
            prompt: vscode.l10n.t(
              'Paste the full URL the browser ended on after you approved access (it contains code=…&state=…).',
            ),
            ignoreFocusOut: true,
            password: true,
          }));
        if (!raw) return undefined;
        const outcome = signIn.completeFromRedirectUrl(raw);
        if (outcome === 'wrongAddress') {
          void vscode.window.showWarningMessage(
            vscode.l10n.t(
              'That URL is not at the redirect URI this sign-in sent (scheme, host and path must match), so it was not used. Paste the address the browser landed on after approving access.',
            ),
          );
        } else if (outcome === 'ignored') {
          void vscode.window.showWarningMessage(
            vscode.l10n.t(
              'That URL does not belong to a sign-in in progress in this window. Start "Sign In" first, then paste the URL while it waits.',
            ),
          );
        }
        return outcome;
      },
    ),

    'onetwentyone.auth.addPersonalAccessToken': command(
      vscode.l10n.t('Adding a personal access token'),
      [personalAccessTokenInput.optional()],
      async (input): Promise<string | undefined> => {
        const env = environments.current();
        if (input) {
          if (!isUuid(input.userId)) throw new AuthError('invalid_user_id', 'The user ID must be a UUID.');
          return addPersonalAccessToken(deps, {
            userId: input.userId.toLowerCase(),
            token: input.token,
            note: input.note ?? '',
            envKind: env.kind,
            origin: env.origin,
          });
        }
        if (env.kind === 'sandbox') {
          const demo = await pickSandboxDemoToken(env.origin);
          if (demo === 'cancelled') return undefined;
          if (demo === 'signIn') return executeCommand('onetwentyone.auth.signIn');
          if (demo)
            return addPersonalAccessToken(deps, {
              userId: demo.userId,
              token: demo.pat,
              note: demo.name,
              envKind: env.kind,
              origin: env.origin,
            });
        }
        const typed = await promptPersonalAccessToken(env.origin);
        return typed && addPersonalAccessToken(deps, { ...typed, envKind: env.kind, origin: env.origin });
      },
    ),

    'onetwentyone.auth.signOut': command(vscode.l10n.t('Sign-out'), [accountTarget], async (target) => {
      const account = await accountFrom(accounts, target, vscode.l10n.t('Sign out which account?'));
      if (!account) return undefined;
      await accounts.signOut(account.id);
      void vscode.window.showInformationMessage(vscode.l10n.t('Signed out {0}.', account.label));
      return account.id;
    }),

    'onetwentyone.auth.signOutAll': command(
      vscode.l10n.t('Sign-out of all accounts'),
      [z.literal('confirmed').optional()],
      async (confirmed) => {
        const all = accounts.list();
        if (all.length === 0) return 0;
        if (!confirmed) {
          const signOutAll = vscode.l10n.t('Sign Out All');
          const answer = await vscode.window.showWarningMessage(
            vscode.l10n.t('Sign out of all {0} OneTwentyOne account(s)?', all.length),
            { modal: true },
            signOutAll,
          );
          if (answer !== signOutAll) return undefined;
        }
        for (const account of all) await accounts.signOut(account.id);
        return all.length;
      },
    ),

    'onetwentyone.auth.refresh': command(vscode.l10n.t('Token refresh'), [accountTarget], async (target) => {
      const account = await accountFrom(
        accounts,
        target,
        vscode.l10n.t('Refresh the token of which account?'),
        (a) => a.kind === 'oauth',
      );
      if (!account) return undefined;
      await accounts.refresh(account.id);
      return account.id;
    }),

    'onetwentyone.auth.checkCompatibility': command(
      vscode.l10n.t('Checking API compatibility'),
      [accountTarget, z.literal('confirmed').optional()],
      async (target, confirmed) => {
        const account = await accountFrom(
          accounts,
          target,
          vscode.l10n.t('Check API compatibility for which account?'),
        );
        return account && checkCompatibility(accounts, deps.logger, account, confirmed === 'confirmed');
      },
    ),

    'onetwentyone.auth.copyUserId': command(vscode.l10n.t('Copy user ID'), [accountTarget], async (target) => {
      const account = await accountFrom(accounts, target, vscode.l10n.t('Copy the user ID of which account?'));
      if (!account) return undefined;
      await vscode.env.clipboard.writeText(account.userId);
      void vscode.window.setStatusBarMessage(vscode.l10n.t('Copied user ID {0}…', shortId(account.userId)), 3000);
      return account.userId;
    }),

    'onetwentyone.client.configure': command(vscode.l10n.t('Client setup'), [clientInput.optional()], (scripted) =>
      configureClient(deps, scripted),
    ),

    'onetwentyone.environment.select': command(
      vscode.l10n.t('Environment selection'),
      [environmentKind.optional()],
      async (kind) => selectEnvironment(environments, kind),
    ),
  };
}

async function selectEnvironment(
  environments: EnvironmentService,
  kind: EnvironmentKind | undefined,
): Promise<EnvironmentKind | undefined> {
  type Item = vscode.QuickPickItem & { kind2: EnvironmentKind };
  const items: Item[] = [
    { label: vscode.l10n.t('Production'), description: 'https://api.onetwentyone.ai', kind2: 'production' },
    {
      label: vscode.l10n.t('Sandbox'),
      description: vscode.l10n.t('the local sandbox (no account or network needed)'),
      kind2: 'sandbox',
    },
    { label: vscode.l10n.t('Custom…'), description: vscode.l10n.t('another base URL'), kind2: 'custom' },
  ];
  const picked = kind
    ? items.find((i) => i.kind2 === kind)
    : await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Select Environment') });
  if (!picked) return undefined;
  let custom: string | undefined;
  if (picked.kind2 === 'custom') {
    custom = await vscode.window.showInputBox({
      title: vscode.l10n.t('Custom API base URL'),
      prompt: vscode.l10n.t('For example https://staging.example.com (https:, or http: on 127.0.0.1).'),
      ignoreFocusOut: true,
      validateInput: (v) => {
        try {
          parseBaseUrl(v);
          return undefined;
        } catch (e) {
          return e instanceof EnvironmentError ? messageFor(e).text : vscode.l10n.t('Invalid URL.');
        }
      },
    });
    if (!custom) return undefined;
    custom = parseBaseUrl(custom);
  }
  await environments.select(picked.kind2, custom);
  return picked.kind2;
}

/** The three prompts of "Add Personal Access Token"; undefined when one is dismissed. */
async function promptPersonalAccessToken(
  origin: string,
): Promise<{ userId: string; token: string; note: string } | undefined> {
  const userId = await vscode.window.showInputBox({
    title: vscode.l10n.t('Add Personal Access Token for {0} (1/3)', origin),
    prompt: vscode.l10n.t('The user ID shown on the personal access token page (a UUID).'),
    ignoreFocusOut: true,
    validateInput: (v) =>
      isUuid(v.trim()) ? undefined : vscode.l10n.t('Enter a UUID such as 123e4567-e89b-12d3-a456-426614174000.'),
  });
  if (!userId) return undefined;
  const token = await vscode.window.showInputBox({
    title: vscode.l10n.t('Add Personal Access Token for {0} (2/3)', origin),
    prompt: vscode.l10n.t(
      'The personal access token (shown once when you created it). It is sent only to {0}.',
      origin,
    ),
    password: true,
    ignoreFocusOut: true,
    validateInput: (v) =>
      v.trim().length >= 8 && !/\s/.test(v.trim()) ? undefined : vscode.l10n.t('Paste the whole token.'),
  });
  if (!token) return undefined;
  const note = await vscode.window.showInputBox({
    title: vscode.l10n.t('Add Personal Access Token for {0} (3/3)', origin),
    prompt: vscode.l10n.t('A name for this token in the Accounts view (optional).'),
    ignoreFocusOut: true,
    validateInput: (v) => (v.length <= 100 ? undefined : vscode.l10n.t('Keep it under 100 characters.')),
  });
  if (note === undefined) return undefined;
  return { userId: userId.trim().toLowerCase(), token: token.trim(), note: note.trim() };
}

/** Validates a PAT against the profile route, then stores it as its own account. */
export async function addPersonalAccessToken(
  deps: AuthCommandDeps,
  input: { userId: string; token: string; note: string; envKind: EnvironmentKind; origin: string },
): Promise<string> {
  const env = { kind: input.envKind, origin: input.origin };
  const { scopes, displayName } = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Checking the personal access token…') },
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
  void vscode.window.showInformationMessage(vscode.l10n.t('Added {0} ({1}).', account.label, env.kind));
  return id;
}

async function configureClient(
  deps: AuthCommandDeps,
  scripted?: { clientId: string; clientSecret: string },
): Promise<string | undefined> {
  const env = deps.environments.current();
  const settings = vscode.workspace.getConfiguration('onetwentyone');
  if (env.kind === 'sandbox' && !scripted) {
    const configure = vscode.l10n.t('Configure');
    const go = await vscode.window.showInformationMessage(
      vscode.l10n.t('The sandbox uses its built-in demo client automatically. Configure a different client anyway?'),
      configure,
      vscode.l10n.t('Cancel'),
    );
    if (go !== configure) return undefined;
  }
  const validId = (v: string) =>
    /^[\x21-\x7e]{1,200}$/.test(v.trim())
      ? undefined
      : vscode.l10n.t('Enter the client ID: printable characters, no spaces.');
  const validSecret = (v: string) =>
    /^[\x21-\x7e]{8,500}$/.test(v.trim()) ? undefined : vscode.l10n.t('Paste the whole client secret.');
  const clientId =
    scripted?.clientId.trim() ??
    (
      await vscode.window.showInputBox({
        title: vscode.l10n.t('Configure API Client for {0} (1/2)', env.origin),
        prompt: vscode.l10n.t('Client ID (from the 121 Health app, when you created the client). Kept in settings.'),
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
        title: vscode.l10n.t('Configure API Client for {0} (2/2)', env.origin),
        prompt: vscode.l10n.t(
          "Client secret (shown once when you created the client). Kept only in VS Code's secret storage.",
        ),
        password: true,
        ignoreFocusOut: true,
        validateInput: validSecret,
      })
    )?.trim();
  if (!clientSecret) return undefined;
  if (validId(clientId) || validSecret(clientSecret))
    throw new AuthError('invalid_client', 'The client ID or secret is not well-formed.');

  const check = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Checking the client ID and secret…') },
    () => probeClient(deps, env.origin, clientId, clientSecret),
  );
  deps.logger.info(`Client check for ${env.origin}: ${check.verdict} (${check.reason}).`);
  if (check.verdict === 'rejected') {
    // A script passed the values itself and has no one to ask; a person may know better than the probe.
    if (scripted)
      throw new AuthError('invalid_client', 'The API did not accept the client ID or client secret.', {
        detail: check.reason,
      });
    const cancel: vscode.MessageItem = { title: vscode.l10n.t('Cancel'), isCloseAffordance: true };
    const save: vscode.MessageItem = { title: vscode.l10n.t('Save Anyway') };
    const choice = await vscode.window.showWarningMessage(
      vscode.l10n.t('The API rejected the client ID or secret ({0}). Save them anyway?', check.reason),
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
      ? vscode.l10n.t('The API accepted the client.')
      : check.verdict === 'rejected'
        ? vscode.l10n.t('Saved although the API rejected the client ({0}).', check.reason)
        : vscode.l10n.t('Saved; the check could not tell whether the API accepts the client ({0}).', check.reason);
  if (deps.signIn.redirectMode() === 'pasteUrl') {
    // The developer's own redirect URI: registered by them, known here only once set.
    const own = deps.signIn.registeredRedirectUri();
    void vscode.window.showInformationMessage(
      own
        ? vscode.l10n.t(
            '{0} Sign-in sends the redirect URI {1}; it must be registered with the client exactly. After approving access, paste the address the browser lands on.',
            checked,
            own,
          )
        : vscode.l10n.t(
            '{0} Sign-in asks for the redirect URI registered with the client (an https page of your app, for example) and then for the address the browser lands on.',
            checked,
          ),
    );
    return own;
  }
  if (!deps.signIn.uriHandlerReachable()) {
    // Here only the loopback redirect can come back (see SignInController.uriHandlerReachable).
    const switched =
      deps.signIn.redirectMode() === 'uriHandler'
        ? vscode.l10n.t(
            'In VS Code in a browser the URI-handler redirect cannot come back, so sign-in uses the loopback redirect.',
          )
        : '';
    if (switched)
      await vscode.workspace
        .getConfiguration('onetwentyone')
        .update('redirect', 'loopback', vscode.ConfigurationTarget.Global);
    const register = vscode.l10n.t('{0} Register this redirect URI with the client: {1}', checked, loopback);
    void vscode.window
      .showInformationMessage(switched ? `${register} ${switched}` : register, vscode.l10n.t('Copy Redirect URI'))
      .then((copy) => (copy ? vscode.env.clipboard.writeText(loopback) : undefined));
    return loopback;
  }
  const preferred = deps.signIn.redirectMode() === 'loopback' ? loopback : uriHandler;
  const other = preferred === loopback ? uriHandler : loopback;
  const copyPreferred = vscode.l10n.t('Copy Redirect URI');
  // Not awaited: the command completes while the message offers the copy buttons.
  void vscode.window
    .showInformationMessage(
      vscode.l10n.t('{0} Register this redirect URI with the client: {1}', checked, preferred),
      copyPreferred,
      preferred === loopback ? vscode.l10n.t('Copy URI-Handler URI') : vscode.l10n.t('Copy Loopback URI'),
    )
    .then((copy) => (copy ? vscode.env.clipboard.writeText(copy === copyPreferred ? preferred : other) : undefined));
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
      reason:
        error instanceof AuthError ? (error.detail ?? error.message) : vscode.l10n.t('the check did not complete'),
    };
  }
}

/** The account given (by id or row), else the only candidate, else the one the user picks. */
async function accountFrom(
  accounts: AccountManager,
  target: z.output<typeof accountTarget>,
  title: string,
  filter: (a: Account) => boolean = () => true,
): Promise<Account | undefined> {
  const given =
    target === undefined ? undefined : accounts.get(typeof target === 'string' ? target : target.account.id);
  if (given) return given;
  const candidates = accounts.list().filter(filter);
  if (candidates.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('No matching OneTwentyOne account is signed in.'));
    return undefined;
  }
  // An account that was named but is gone is not silently replaced by the only other one.
  if (target !== undefined && candidates.length === 1)
    return (await vscode.window.showQuickPick(accountPickItems(candidates, accounts.activeAccount), { title }))
      ?.account;
  return pickAccount(candidates, accounts.activeAccount, { title });
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
      description: vscode.l10n.t('sandbox demo token · {0}', user.userId),
      detail: user.description,
      choice: user,
    })),
    { label: '', kind: vscode.QuickPickItemKind.Separator, choice: 'type' },
    {
      label: `$(sign-in) ${vscode.l10n.t('Sign in through the consent page…')}`,
      description: vscode.l10n.t('OAuth, as your users will: pick a user and the scopes in the browser'),
      choice: 'signIn',
    },
    {
      label: vscode.l10n.t('Enter a token…'),
      description: vscode.l10n.t('a personal access token and its user ID'),
      choice: 'type',
    },
  ];
  const picked = await vscode.window.showQuickPick(items, {
    title: vscode.l10n.t('Sign in a sandbox user at {0}', origin),
    placeHolder: vscode.l10n.t('Pick a synthetic user of the sandbox, or enter a token'),
  });
  if (!picked) return 'cancelled';
  return picked.choice === 'type' ? undefined : picked.choice;
}
