import { randomBytes } from 'crypto';
import type * as vscode from 'vscode';
import { L10N_META_NAME, type WebviewBootstrap } from '../../shared/webviewStrings';
import { webviewBootstrap } from './webviewStrings';

export function createNonce(): string {
  return randomBytes(16).toString('base64');
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    `default-src 'none'`,
    `img-src ${cspSource} data:`,
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
    `connect-src 'none'`,
  ].join('; ');
}

function attr(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

/**
 * The user's locale and the webview's words as a meta element: JSON in an attribute, which the page
 * reads as text and checks with zod (never parsed as HTML, and no inline script for the CSP to allow).
 */
export function l10nMeta(bootstrap: WebviewBootstrap): string {
  return `<meta name="${L10N_META_NAME}" content="${attr(JSON.stringify(bootstrap))}">`;
}

/**
 * The one HTML builder of the query panel: CSP first, then the words, styles and the nonce'd script.
 * No data in it: the words are the extension's own.
 */
export function buildQueryPanelHtml(
  webview: Pick<vscode.Webview, 'cspSource' | 'asWebviewUri'>,
  extensionUri: vscode.Uri,
  joinPath: (base: vscode.Uri, ...p: string[]) => vscode.Uri,
  nonce = createNonce(),
  bootstrap: WebviewBootstrap = webviewBootstrap(),
): string {
  const asset = (...p: string[]) => webview.asWebviewUri(joinPath(extensionUri, ...p)).toString();
  return `<!DOCTYPE html>
<html lang="${attr(bootstrap.locale)}">
<head>
<meta http-equiv="Content-Security-Policy" content="${attr(contentSecurityPolicy(webview.cspSource, nonce))}">
<meta charset="utf-8">
${l10nMeta(bootstrap)}
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="${attr(asset('dist', 'codicons', 'codicon.css'))}">
<link rel="stylesheet" href="${attr(asset('media', 'query.css'))}">
<title>OneTwentyOne Query</title>
</head>
<body>
<script nonce="${attr(nonce)}" src="${attr(asset('dist', 'webview.js'))}"></script>
</body>
</html>`;
}
