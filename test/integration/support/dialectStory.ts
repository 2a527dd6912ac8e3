import * as assert from 'assert';
import * as vscode from 'vscode';
import { ADA_USER_ID } from '../../../src/sandbox/demoAccounts';
import type { Account } from '../../../src/vscode/auth/accountsContract';
import { executeCommand } from '../../../src/vscode/commands';
import { waitFor } from '../../support/waitFor';
import { submitConsent } from '../../unit/auth/support/consent';
import { configuration, type TestHooks } from './extension';
import type { SandboxHandle } from './sandbox';

/**
 * What the main story needs besides the extension: a client of the developer's own with an https
 * redirect, its sign-in completed by pasting the URL the browser lands on, and references read from
 * the sandbox with plain HTTP and with the test's own reading of times (never the explorer's).
 */

/** A client of the developer's own, registered with an https page of their app (never reachable here). */
export const OWN_CLIENT = {
  clientId: 'own-app-client',
  clientSecret: 'own-app-secret-0123456789',
  redirectUri: 'https://app.example.test/oauth/callback',
} as const;

export const OWN_CLIENT_REGISTRATION = {
  clientId: OWN_CLIENT.clientId,
  clientSecret: OWN_CLIENT.clientSecret,
  redirectUris: [OWN_CLIENT.redirectUri],
};

const DAY_MS = 86_400_000;

/** `YYYY-MM-DD` of the UTC day `daysAgo` days before today. */
export function utcDay(daysAgo: number): string {
  return new Date(Date.now() - daysAgo * DAY_MS).toISOString().slice(0, 10);
}

/**
 * "Configure API Client…" with the own client and the pasted-redirect mode, then "Sign In": the
 * consent page is approved over HTTP as a browser would, and the address it lands on is pasted.
 * A URL of another sign-in is refused first. Resolves with the signed-in account.
 */
export async function signInByPastedRedirect(
  h: TestHooks,
  sandbox: SandboxHandle,
  scopes: readonly string[],
): Promise<Account> {
  await configuration().update('redirect', 'pasteUrl', vscode.ConfigurationTarget.Global);
  await configuration().update('redirectUri', OWN_CLIENT.redirectUri, vscode.ConfigurationTarget.Global);
  const shown = await executeCommand('onetwentyone.client.configure', {
    clientId: OWN_CLIENT.clientId,
    clientSecret: OWN_CLIENT.clientSecret,
  });
  assert.strictEqual(shown, OWN_CLIENT.redirectUri, 'client setup names the redirect to register');

  const opened: string[] = [];
  h.seams.openExternal = (url) => {
    opened.push(url);
    return Promise.resolve(true);
  };
  try {
    const signIn = executeCommand('onetwentyone.auth.signIn');
    const authorizeUrl = await waitFor('the authorize URL to be opened', () => opened[0]);
    assert.strictEqual(new URL(authorizeUrl).searchParams.get('redirect_uri'), OWN_CLIENT.redirectUri);
    const landed = await submitConsent(authorizeUrl, { decision: 'approve', userId: ADA_USER_ID, scopes });
    const landedUrl = new URL(landed);
    assert.strictEqual(`${landedUrl.origin}${landedUrl.pathname}`, OWN_CLIENT.redirectUri);

    // Validated as a callback is: the code with another state belongs to no sign-in here.
    const forged = new URL(landed);
    forged.searchParams.set('state', 'not-this-sign-in');
    assert.strictEqual(await executeCommand('onetwentyone.auth.completeFromRedirectUrl', forged.href), 'ignored');
    assert.strictEqual(h.auth.signIn.flows.pendingCount, 1, 'the sign-in still waits');

    assert.strictEqual(await executeCommand('onetwentyone.auth.completeFromRedirectUrl', ` ${landed} `), 'completed');
    const id = await signIn;
    assert.ok(typeof id === 'string', 'the sign-in resolves with the account');
    const account = h.auth.accounts.get(id);
    assert.ok(account, 'the account is stored');
    assert.strictEqual(account.userId, ADA_USER_ID);
    assert.strictEqual(account.environment.origin, sandbox.baseUrl);
    return account;
  } finally {
    h.seams.openExternal = undefined;
  }
}

/** Every record the sandbox serves for `url` (its query as sent), page by page by number, with plain HTTP. */
export async function referenceRecords(url: string, token: string): Promise<Record<string, unknown>[]> {
  const all: Record<string, unknown>[] = [];
  for (let page = 1; page < 1000; page++) {
    const pageUrl = new URL(url);
    pageUrl.searchParams.set('page', String(page));
    const response = await fetch(pageUrl, { headers: { Authorization: `Bearer ${token}` } });
    assert.strictEqual(response.status, 200, `reference page ${page}`);
    const body = (await response.json()) as { data: Record<string, unknown>[]; pagination?: { has_more?: boolean } };
    all.push(...body.data);
    if (body.pagination?.has_more !== true) return all;
  }
  throw new Error('The reference has more than 1,000 pages');
}

/** The test's own reading of the two timestamp forms the sandbox writes: ISO with `Z`, and `… HH:MM:SS+00`. */
export function instantOf(text: unknown): number {
  assert.ok(typeof text === 'string', `a timestamp: ${String(text)}`);
  const ms = Date.parse(text.replace(' ', 'T').replace(/\+00$/, 'Z'));
  assert.ok(Number.isFinite(ms), `a timestamp: ${text}`);
  return ms;
}

/** The first of `names` a record has (standard and export records name their times differently). */
export function fieldIn(record: Record<string, unknown>, names: readonly string[]): unknown {
  const name = names.find((n) => n in record);
  assert.ok(name, `one of ${names.join(', ')} in ${JSON.stringify(record).slice(0, 200)}`);
  return record[name];
}

/** Start of the day (as UTC midnight of its date) that `ms` falls in, in `zone` or in UTC. */
export function dayOf(ms: number, zone: string | undefined): number {
  if (!zone) return Math.floor(ms / DAY_MS) * DAY_MS;
  const date = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' })
    .format(ms)
    .slice(0, 10);
  return Date.parse(date);
}

/** Daily sums of `value`, by the record's own time zone when it names one: the reference for the chart. */
export function dailySums(records: readonly Record<string, unknown>[]): Map<number, { sum: number; count: number }> {
  const days = new Map<number, { sum: number; count: number }>();
  for (const r of records) {
    const zone = typeof r.timezone === 'string' ? r.timezone : undefined;
    const day = dayOf(instantOf(fieldIn(r, ['start_date', 'start'])), zone);
    const bucket = days.get(day) ?? { sum: 0, count: 0 };
    bucket.sum += r.value as number;
    bucket.count++;
    days.set(day, bucket);
  }
  return days;
}
