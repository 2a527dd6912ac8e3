import * as vscode from 'vscode';
import type { activate } from '../../../src/extension';

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

/** Polls until `probe` returns something truthy; fails with `what` after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
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
