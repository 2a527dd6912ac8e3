import type * as vscode from 'vscode';
import type { AuthCommands } from './auth/authCommands';
import type { SignatureOf } from './commandRegistry';
import type { CompareCommands } from './compare/compareModule';
import type { ExplorerCommands } from './explorer/explorerCommands';
import type { SandboxCommands } from './sandbox/sandboxModule';
import type { ServicesCommands } from './services';

/** Every command, as the areas declare them (schema and handler side by side, in each area). */
type DeclaredCommands = AuthCommands & SandboxCommands & ExplorerCommands & ServicesCommands & CompareCommands;

/** Never while no two areas declare the same command (one would replace the other's handler). */
type DeclaredTwice =
  | (keyof AuthCommands & keyof SandboxCommands)
  | (keyof (AuthCommands & SandboxCommands) & keyof ExplorerCommands)
  | (keyof (AuthCommands & SandboxCommands & ExplorerCommands) & keyof ServicesCommands)
  | (keyof (AuthCommands & SandboxCommands & ExplorerCommands & ServicesCommands) & keyof CompareCommands);

/** With a command declared twice this is `never`, and the list below fails to compile. */
export type CommandId = [DeclaredTwice] extends [never] ? keyof DeclaredCommands & string : never;

/** What callers of each command pass and get back; `executeCommand` holds calls to it. */
export type CommandSignatures = { readonly [K in CommandId]: SignatureOf<DeclaredCommands[K]> };

/**
 * The contributed commands in package.json's order (a test compares them). Typed as a record so
 * that a declared command missing here, or an id here that no area declares, fails to compile.
 */
const CONTRIBUTED: { readonly [K in CommandId]: true } = {
  'onetwentyone.client.configure': true,
  'onetwentyone.environment.select': true,
  'onetwentyone.auth.signIn': true,
  'onetwentyone.auth.completeFromRedirectUrl': true,
  'onetwentyone.auth.useLoopbackRedirect': true,
  'onetwentyone.auth.addPersonalAccessToken': true,
  'onetwentyone.auth.signOut': true,
  'onetwentyone.auth.signOutAll': true,
  'onetwentyone.auth.refresh': true,
  'onetwentyone.auth.copyUserId': true,
  'onetwentyone.auth.checkCompatibility': true,
  'onetwentyone.sandbox.try': true,
  'onetwentyone.sandbox.start': true,
  'onetwentyone.sandbox.stop': true,
  'onetwentyone.query.open': true,
  'onetwentyone.query.runQuantity': true,
  'onetwentyone.query.runSleep': true,
  'onetwentyone.query.fetchAll': true,
  'onetwentyone.query.export': true,
  'onetwentyone.query.generateTypes': true,
  'onetwentyone.query.copyAsClient': true,
  'onetwentyone.query.openInNotebook': true,
  'onetwentyone.endpoints.open': true,
  'onetwentyone.endpoints.enterMetric': true,
  'onetwentyone.history.rerun': true,
  'onetwentyone.history.clear': true,
  'onetwentyone.history.removeSaved': true,
  'onetwentyone.compare.results': true,
  'onetwentyone.compare.keepResult': true,
  'onetwentyone.showLog': true,
};

export const COMMAND_IDS = Object.keys(CONTRIBUTED) as readonly CommandId[];

export const VIEW_IDS = ['onetwentyone.accounts', 'onetwentyone.endpoints', 'onetwentyone.history'] as const;
export type ViewId = (typeof VIEW_IDS)[number];

export const QUERY_PANEL_VIEW_TYPE = 'onetwentyone.query';

/**
 * The query panel's webview options: scripts on, nothing else (docs/reliability.md, "Untrusted
 * input"). Here, beside its view type, as the activation shell creates the panel too (B11).
 */
export function queryPanelOptions(
  extensionUri: vscode.Uri,
  joinPath: (base: vscode.Uri, ...p: string[]) => vscode.Uri,
): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return {
    enableScripts: true,
    enableForms: false,
    enableCommandUris: false,
    // Only the extension's own build output and media: the default would include the workspace.
    localResourceRoots: [joinPath(extensionUri, 'dist'), joinPath(extensionUri, 'media')],
    retainContextWhenHidden: false,
  };
}

/** The query panel's title while it shows no result. */
export function queryPanelTitle(l10n: Pick<typeof vscode.l10n, 't'>): string {
  return l10n.t('OneTwentyOne Query');
}
export const AUTH_PROVIDER_ID = 'onetwentyone';
