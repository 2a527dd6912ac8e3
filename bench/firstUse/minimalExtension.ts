import * as fs from 'fs';
import * as path from 'path';

/** The minimal extension's id: what B11's host runner compares the explorer with. */
export const MINIMAL_EXTENSION_ID = 'onetwentyone-bench.b11-minimal';
export const MINIMAL_AUTH_PROVIDER_ID = 'b11minimal';
export const MINIMAL_CONTAINER_VIEWS = ['b11minimal.one', 'b11minimal.two', 'b11minimal.three'] as const;
export const MINIMAL_OPEN_PANEL_COMMAND = 'b11minimal.openPanel';

/**
 * The least an extension does for B11's three first actions, with the explorer's contribution shapes:
 * a view container of three trees with a few static rows each, an authentication provider with no
 * sessions, and a command that opens an empty webview and answers its first message.
 */
const MANIFEST = {
  name: 'b11-minimal',
  publisher: 'onetwentyone-bench',
  version: '0.0.1',
  engines: { vscode: '^1.100.0' },
  main: './extension.js',
  activationEvents: [`onAuthenticationRequest:${MINIMAL_AUTH_PROVIDER_ID}`],
  contributes: {
    commands: [{ command: MINIMAL_OPEN_PANEL_COMMAND, title: 'B11 minimal: open an empty webview' }],
    viewsContainers: { activitybar: [{ id: 'b11minimal', title: 'B11 minimal', icon: '$(circle)' }] },
    views: { b11minimal: MINIMAL_CONTAINER_VIEWS.map((id) => ({ id, name: id })) },
    authentication: [{ id: MINIMAL_AUTH_PROVIDER_ID, label: 'B11 minimal' }],
  },
};

const EXTENSION_JS = `const vscode = require('vscode');
exports.activate = function activate(context) {
  const rows = ['first', 'second', 'third'];
  for (const id of ${JSON.stringify(MINIMAL_CONTAINER_VIEWS)}) {
    context.subscriptions.push(vscode.window.createTreeView(id, { treeDataProvider: {
      getTreeItem: (row) => new vscode.TreeItem(row),
      getChildren: (row) => (row ? [] : rows),
    } }));
  }
  const sessions = new vscode.EventEmitter();
  context.subscriptions.push(sessions, vscode.authentication.registerAuthenticationProvider(
    ${JSON.stringify(MINIMAL_AUTH_PROVIDER_ID)}, 'B11 minimal',
    { onDidChangeSessions: sessions.event, getSessions: async () => [], createSession: async () => { throw new Error('none'); }, removeSession: async () => {} },
  ));
  context.subscriptions.push(vscode.commands.registerCommand(${JSON.stringify(MINIMAL_OPEN_PANEL_COMMAND)}, () => {
    const panel = vscode.window.createWebviewPanel('b11minimal.panel', 'B11 minimal', vscode.ViewColumn.One, { enableScripts: true });
    const usable = new Promise((resolve) => {
      panel.webview.onDidReceiveMessage((message) => {
        if (message && message.type === 'ready') void panel.webview.postMessage({ type: 'state' }).then(() => resolve(undefined));
      });
    });
    panel.webview.html = '<!DOCTYPE html><html><body><script>acquireVsCodeApi().postMessage({ type: "ready" });</script></body></html>';
    return usable.then(() => panel.dispose());
  }));
};
`;

/**
 * Installs the minimal extension into an extensions folder as VS Code does (its folder and the
 * folder's extensions.json); returns the extension's folder.
 */
export function installMinimalExtension(extensionsDir: string): string {
  const relativeLocation = `${MANIFEST.publisher}.${MANIFEST.name}-${MANIFEST.version}`;
  const dir = path.join(extensionsDir, relativeLocation);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(MANIFEST, null, 2));
  fs.writeFileSync(path.join(dir, 'extension.js'), EXTENSION_JS);
  const installed = [
    {
      identifier: { id: MINIMAL_EXTENSION_ID },
      version: MANIFEST.version,
      location: { $mid: 1, scheme: 'file', path: dir },
      relativeLocation,
      metadata: { installedTimestamp: Date.now(), source: 'vsix' },
    },
  ];
  fs.writeFileSync(path.join(extensionsDir, 'extensions.json'), JSON.stringify(installed));
  return dir;
}
