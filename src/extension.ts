import * as vscode from 'vscode';
import type { ViewId } from './vscode/commandIds';
import { Shell } from './vscode/shell';
import { LazyLogChannel } from './vscode/util/logChannel';
import type { TestHooks } from './vscode/testing/testHooks';
import { UriEventHandler } from './vscode/uriEventHandler';

/** Composition root: the shell registers everything; the heavy services load on first use. */
export function activate(context: vscode.ExtensionContext) {
  const log = new LazyLogChannel('OneTwentyOne');
  const uriHandler = new UriEventHandler();
  const shell = new Shell(context, log, uriHandler);
  context.subscriptions.push(log, uriHandler, vscode.window.registerUriHandler(uriHandler), shell);
  // The exported API exists only for the integration tests: other extensions get nothing of ours.
  if (context.extensionMode !== vscode.ExtensionMode.Test) return undefined;
  return {
    testHooks: (): TestHooks => {
      const hooks = shell.services().testHooks;
      if (!hooks) throw new Error('Test hooks exist only in ExtensionMode.Test');
      return hooks;
    },
    uriHandler,
    testAccess: {
      secrets: context.secrets,
      treeView: (id: ViewId) => shell.treeView(id),
      explorerLoaded: () => shell.explorerLoaded,
    },
  };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
