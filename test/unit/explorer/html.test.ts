import * as assert from 'assert';
import type * as vscode from 'vscode';
import { buildQueryPanelHtml, contentSecurityPolicy } from '../../../src/vscode/explorer/html';
import { queryPanelOptions } from '../../../src/vscode/commandIds';

// The HTML builder needs only these of a Uri; the real ones come from the extension host in the integration tier.
const uri = (path: string) =>
  ({ path, toString: () => `https://file+.vscode-resource.example${path}` }) as unknown as vscode.Uri;
const joinPath = (base: vscode.Uri, ...parts: string[]) => uri([base.path, ...parts].join('/'));
const webview = { cspSource: 'https://file+.vscode-resource.example', asWebviewUri: (u: vscode.Uri) => u };

suite('explorer: query panel HTML, a static audit of its CSP and sources', () => {
  test('the CSP is exactly the strict one, first in <head>', () => {
    const html = buildQueryPanelHtml(webview, uri('/ext'), joinPath, 'n0nce+/=');
    assert.strictEqual(
      contentSecurityPolicy(webview.cspSource, 'abc'),
      "default-src 'none'; img-src https://file+.vscode-resource.example data:; style-src https://file+.vscode-resource.example; font-src https://file+.vscode-resource.example; script-src 'nonce-abc'; connect-src 'none'",
    );
    const head = html.slice(html.indexOf('<head>') + 6).trimStart();
    assert.ok(head.startsWith('<meta http-equiv="Content-Security-Policy"'), head.slice(0, 80));
  });

  test('one external script with the nonce; no inline script, style or handler', () => {
    const html = buildQueryPanelHtml(webview, uri('/ext'), joinPath, 'n0nce+/=');
    assert.deepStrictEqual(html.match(/<script[^>]*>/g), [
      '<script nonce="n0nce+/=" src="https://file+.vscode-resource.example/ext/dist/webview.js">',
    ]);
    assert.ok(!/<style|style="|\son[a-z]+=/i.test(html));
  });

  test('every load gets a fresh 128-bit nonce', () => {
    const nonces = new Set(
      Array.from({ length: 50 }, () => /'nonce-([^']+)'/.exec(buildQueryPanelHtml(webview, uri('/ext'), joinPath))![1]),
    );
    assert.strictEqual(nonces.size, 50);
    for (const n of nonces) assert.strictEqual(Buffer.from(n!, 'base64').length, 16);
  });

  test('options: scripts only, no forms, no command links, resources from dist and media only', () => {
    const options = queryPanelOptions(uri('/ext'), joinPath);
    assert.strictEqual(options.enableScripts, true);
    assert.strictEqual(options.enableForms, false);
    assert.strictEqual(options.enableCommandUris, false);
    assert.deepStrictEqual(
      options.localResourceRoots?.map((u) => u.path),
      ['/ext/dist', '/ext/media'],
    );
  });
});
