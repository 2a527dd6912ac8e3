import * as vscode from 'vscode';
import type { ViewId } from './vscode/commandIds';
import { Shell } from './vscode/shell';
import { UriEventHandler } from './vscode/uriEventHandler';

/** Composition root: the shell registers everything; the heavy services load on first use. */
export function activate(context: vscode.ExtensionContext) {
  const log = vscode.window.createOutputChannel('OneTwentyOne', { log: true });
  const uriHandler = new UriEventHandler();
  const shell = new Shell(context, log, uriHandler);
  context.subscriptions.push(log, uriHandler, vscode.window.registerUriHandler(uriHandler), shell);
  return {
    /** For integration tests: loads the services and returns their test hooks. */
    testHooks: () => shell.services().testHooks,
    uriHandler,
    /** Only for the integration tests, and only in test mode: other extensions must never reach our secrets. */
    testAccess: context.extensionMode === vscode.ExtensionMode.Test
      ? { secrets: context.secrets, treeView: (id: ViewId) => shell.treeView(id) }
      : undefined,
  };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
