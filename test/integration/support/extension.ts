import * as vscode from 'vscode';
import type { activate } from '../../../src/extension';
import type { Account } from '../../../src/vscode/auth/accountsContract';
import { executeCommand } from '../../../src/vscode/commands';
import type { TestHooks } from '../../../src/vscode/testing/testHooks';
import { DEMO_USERS } from '../../../src/sandbox/demoAccounts';
import { waitFor } from '../../support/waitFor';

export type { TestHooks };

export const EXTENSION_ID = 'onetwentyone.onetwentyone-explorer';

/** What the extension's activate() returns: the handle integration tests talk to. */
export type ExtensionApi = NonNullable<ReturnType<typeof activate>>;

export function getExtension(): vscode.Extension<ExtensionApi> {
  const extension = vscode.extensions.getExtension<ExtensionApi>(EXTENSION_ID);
  if (!extension) throw new Error(`${EXTENSION_ID} is not loaded in this extension host`);
  return extension;
}

/** Activates the extension (if it is not yet) and returns its API. */
export async function activateExtension(): Promise<ExtensionApi> {
  const api = await getExtension().activate();
  if (!api) throw new Error('The extension exports its test API only in ExtensionMode.Test');
  return api;
}

/** The test-only part of the API; present only when the extension runs in test mode. */
export async function testAccess(): Promise<ExtensionApi['testAccess']> {
  return (await activateExtension()).testAccess;
}

let loaded: TestHooks | undefined;

/** The extension's test hooks (loading its services, if nothing has yet). */
export async function hooks(): Promise<TestHooks> {
  loaded ??= (await activateExtension()).testHooks();
  return loaded;
}

/** The hooks, for synchronous probes once a suite has awaited `hooks()`. */
export function loadedHooks(): TestHooks {
  if (!loaded) throw new Error('await hooks() in the suite setup first');
  return loaded;
}

export const configuration = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('onetwentyone');

/** Points the explorer at a sandbox by URL, as `npm start` does (user settings). */
export async function useSandboxEnvironment(baseUrl: string): Promise<void> {
  await configuration().update('sandbox.url', baseUrl, vscode.ConfigurationTarget.Global);
  await configuration().update('environment', 'sandbox', vscode.ConfigurationTarget.Global);
}

/** The personal access token of one of the sandbox's synthetic users. */
export function demoPat(userId: string): string {
  const user = DEMO_USERS.find((u) => u.userId === userId);
  if (!user) throw new Error(`${userId} is not a synthetic user of the sandbox`);
  return user.pat;
}

/** The signed-in account of `userId` at `origin`, if any. */
export async function accountAt(userId: string, origin: string): Promise<Account | undefined> {
  return (await hooks()).auth.accounts.list().find((a) => a.userId === userId && a.environment.origin === origin);
}

/** Adds a synthetic user's personal access token against the sandbox in use now; resolves with its account. */
export async function addDemoPat(userId: string, origin: string, note: string): Promise<Account> {
  await (await hooks()).auth.accounts.whenLoaded();
  await executeCommand('onetwentyone.auth.addPersonalAccessToken', { userId, token: demoPat(userId), note });
  return waitFor(`${note} at ${origin}`, () => accountAt(userId, origin));
}

/** Resolves with the next value of `event` that `accept` takes; rejects after `timeoutMs`. */
export function nextEvent<T>(
  event: vscode.Event<T>,
  accept: (value: T) => boolean,
  what: string,
  timeoutMs = 15_000,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      listener.dispose();
      reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`));
    }, timeoutMs);
    const listener = event((value) => {
      if (!accept(value)) return;
      clearTimeout(timer);
      listener.dispose();
      resolve(value);
    });
  });
}
