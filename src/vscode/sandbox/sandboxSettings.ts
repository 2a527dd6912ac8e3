import { parseBaseUrl } from '../../core/environment';
import { DEFAULT_DAILY_LIMIT } from '../../core/routes';
import { DEFAULT_DIALECT, isDialectName, type DialectName } from '../../sandbox/dialects/names';
import { formatCount, l10n } from '../l10n';

/** The `onetwentyone.sandbox.dailyLimit` setting as a usable quota: a whole number ≥ 1, else the default. */
export function resolveDailyLimit(raw: unknown): number {
  return typeof raw === 'number' && Number.isSafeInteger(raw) && raw >= 1 ? raw : DEFAULT_DAILY_LIMIT;
}

/** The `onetwentyone.sandbox.dialect` setting as a dialect the sandbox serves, else the default. */
export function resolveDialect(raw: unknown): DialectName {
  return isDialectName(raw) ? raw : DEFAULT_DIALECT;
}

/** `externalUrl`: the `onetwentyone.sandbox.url` setting, which wins over the in-process sandbox. */
export function startedMessage(
  baseUrl: string,
  dailyLimit: number,
  externalUrl = '',
  dialect: DialectName = DEFAULT_DIALECT,
): string {
  const limit = formatCount(dailyLimit);
  const started =
    dialect === DEFAULT_DIALECT
      ? l10n.t('OneTwentyOne sandbox running at {0} (synthetic users, {1} requests per user per day).', baseUrl, limit)
      : l10n.t(
          'OneTwentyOne sandbox running at {0} (synthetic users, {1} requests per user per day, dialect {2}).',
          baseUrl,
          limit,
          dialect,
        );
  return externalUrl.trim()
    ? l10n.t(
        '{0} The explorer keeps using {1} from the setting onetwentyone.sandbox.url; clear it to use this one.',
        started,
        externalUrl.trim(),
      )
    : l10n.t('{0} The explorer now uses it.', started);
}

/** Environment to go back to after "Stop Sandbox": the one before start, unless the user changed it meanwhile. */
export function environmentAfterStop(
  current: string | undefined,
  beforeStart: string | undefined,
  setByStart: boolean,
): string | undefined | 'keep' {
  if (!setByStart || current !== 'sandbox') return 'keep';
  return beforeStart;
}

/** The origin of a base URL, or undefined when it is empty or not a usable base URL. */
export function originOf(baseUrl: string | undefined): string | undefined {
  if (!baseUrl?.trim()) return undefined;
  try {
    return parseBaseUrl(baseUrl);
  } catch {
    return undefined;
  }
}

/** How to get a sandbox answering at `origin` again; `configuredUrl` is the setting onetwentyone.sandbox.url. */
export function notRunningHint(origin: string, configuredUrl: string): string {
  if (originOf(configuredUrl) === origin) {
    const url = new URL(origin);
    const port = url.port || (url.protocol === 'https:' ? '443' : '80');
    return l10n.t(
      'Nothing answers at {0} (the setting onetwentyone.sandbox.url): start that sandbox with `npm run sandbox -- --port {1}`, or clear the setting and run "OneTwentyOne: Start Sandbox".',
      origin,
      port,
    );
  }
  return l10n.t(
    'Nothing answers at {0}. Run "OneTwentyOne: Start Sandbox" (or `npm run sandbox` with onetwentyone.sandbox.url set to its URL), then sign in again against it.',
    origin,
  );
}

/** Why an account of a sandbox URL the explorer has left is not used; names both origins. */
export function movedMessage(accountOrigin: string, sandboxOrigin: string): string {
  return l10n.t(
    'This account was signed in against the sandbox at {0}, but the sandbox is now {1}. Sign in again (or add the personal access token again) against the current sandbox: a token is only ever sent to the URL it was issued for.',
    accountOrigin,
    sandboxOrigin,
  );
}
