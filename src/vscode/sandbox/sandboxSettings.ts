import { DEFAULT_DAILY_LIMIT } from '../../core/routes';

/** The `onetwentyone.sandbox.dailyLimit` setting as a usable quota: a whole number ≥ 1, else the default. */
export function resolveDailyLimit(raw: unknown): number {
  return typeof raw === 'number' && Number.isSafeInteger(raw) && raw >= 1 ? raw : DEFAULT_DAILY_LIMIT;
}

/** `externalUrl`: the `onetwentyone.sandbox.url` setting, which wins over the in-process sandbox. */
export function startedMessage(baseUrl: string, dailyLimit: number, externalUrl = ''): string {
  const started = `OneTwentyOne sandbox running at ${baseUrl} (synthetic users, ${dailyLimit.toLocaleString('en-US')} requests per user per day).`;
  return externalUrl.trim()
    ? `${started} The explorer keeps using ${externalUrl.trim()} from the setting onetwentyone.sandbox.url; clear it to use this one.`
    : `${started} The explorer now uses it.`;
}

/** Environment to go back to after "Stop Sandbox": the one before start, unless the user changed it meanwhile. */
export function environmentAfterStop(current: string | undefined, beforeStart: string | undefined, setByStart: boolean): string | undefined | 'keep' {
  if (!setByStart || current !== 'sandbox') return 'keep';
  return beforeStart;
}
