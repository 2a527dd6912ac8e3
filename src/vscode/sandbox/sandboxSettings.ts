import { parseBaseUrl } from '../../core/environment';
import { DEFAULT_DAILY_LIMIT } from '../../core/routes';
import { DEFAULT_DIALECT, isDialectName, type DialectName } from '../../sandbox/dialects/names';

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
  const variant = dialect === DEFAULT_DIALECT ? '' : `, dialect ${dialect}`;
  const started = `OneTwentyOne sandbox running at ${baseUrl} (synthetic users, ${dailyLimit.toLocaleString('en-US')} requests per user per day${variant}).`;
  return externalUrl.trim()
    ? `${started} The explorer keeps using ${externalUrl.trim()} from the setting onetwentyone.sandbox.url; clear it to use this one.`
    : `${started} The explorer now uses it.`;
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
    return `Nothing answers at ${origin} (the setting onetwentyone.sandbox.url): start that sandbox with \`npm run sandbox -- --port ${port}\`, or clear the setting and run "OneTwentyOne: Start Sandbox".`;
  }
  return `Nothing answers at ${origin}. Run "OneTwentyOne: Start Sandbox" (or \`npm run sandbox\` with onetwentyone.sandbox.url set to its URL), then sign in again against it.`;
}

/** Why an account of a sandbox URL the explorer has left is not used; names both origins. */
export function movedMessage(accountOrigin: string, sandboxOrigin: string): string {
  return (
    `This account was signed in against the sandbox at ${accountOrigin}, but the sandbox is now ${sandboxOrigin}. ` +
    'Sign in again (or add the personal access token again) against the current sandbox: a token is only ever sent to the URL it was issued for.'
  );
}
