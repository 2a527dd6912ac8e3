import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type * as vscode from 'vscode';
import {
  createWebviewL10n,
  parseWebviewBootstrap,
  WEBVIEW_STRING_ARGS,
  WEBVIEW_STRING_KEYS,
  type WebviewBootstrap,
} from '../../../src/shared/webviewStrings';
import { buildQueryPanelHtml } from '../../../src/vscode/explorer/html';
import { webviewStrings } from '../../../src/vscode/explorer/webviewStrings';
import { REPO } from '../../support/repo';

const HOST_TABLE = path.join(REPO, 'src', 'vscode', 'explorer', 'webviewStrings.ts');

function bundle(): Record<string, string> {
  return JSON.parse(fs.readFileSync(path.join(REPO, 'l10n', 'bundle.l10n.json'), 'utf8')) as Record<string, string>;
}

suite("webview strings: one table, the host's words", () => {
  test('every key of the shared table has exactly one host message, and the host has no other', () => {
    const host = webviewStrings();
    assert.deepStrictEqual(Object.keys(host).sort(), [...WEBVIEW_STRING_KEYS].sort());
    const source = fs.readFileSync(HOST_TABLE, 'utf8');
    for (const key of WEBVIEW_STRING_KEYS) {
      // A literal l10n.t call per key: scripts/l10n.js finds only literals.
      const entry = new RegExp(`'${key.replace(/\./g, '\\.')}': l10n\\.t\\(\\s*'`);
      assert.ok(entry.test(source), `${key} is not a literal l10n.t call`);
    }
  });

  test("the host's English is the English bundle's, message for message", () => {
    const english = bundle();
    for (const [key, message] of Object.entries(webviewStrings())) {
      assert.strictEqual(english[message], message, `${key}: "${message}" is not in l10n/bundle.l10n.json`);
    }
  });

  test('each message has exactly the placeholders its key promises', () => {
    for (const [key, message] of Object.entries(webviewStrings())) {
      const count = WEBVIEW_STRING_ARGS[key as keyof typeof WEBVIEW_STRING_ARGS];
      const found = [...new Set(message.match(/\{\d+\}/g) ?? [])].sort();
      const expected = Array.from({ length: count }, (_, i) => `{${i}}`).sort();
      assert.deepStrictEqual(found, expected, `${key}: "${message}"`);
    }
  });

  test('values go in formatted for the locale; plurals follow the locale', () => {
    const strings = webviewStrings();
    const english = createWebviewL10n({ locale: 'en', strings });
    assert.strictEqual(english.t('raw.truncated', 1234, 1234567), 'Showing the first 1,234 of 1,234,567 characters.');
    assert.strictEqual(english.plural(1, 'status.records.one', 'status.records.other'), '1 record');
    assert.strictEqual(english.plural(2, 'status.records.one', 'status.records.other'), '2 records');
    const german = createWebviewL10n({ locale: 'de', strings });
    assert.strictEqual(german.t('raw.complete', 1234567), '1.234.567 characters, exactly as received.');
    assert.strictEqual(german.number(2.5, { maximumFractionDigits: 1 }), '2,5');
    assert.match(german.date(Date.UTC(2024, 2, 4), { month: 'long', timeZone: 'UTC' }), /März/);
  });

  test('the pseudo-locale is no Intl locale: formats fall back to English, the words stay its own', () => {
    const l10n = createWebviewL10n({
      locale: 'qps-ploc',
      strings: { ...webviewStrings(), 'pager.page': '[!! Pägë {0} !!]' },
    });
    assert.strictEqual(l10n.locale, 'en');
    assert.strictEqual(l10n.t('pager.page', 1200), '[!! Pägë 1,200 !!]');
  });

  test('without a table each message is its key, so a view drawn without one shows it at once', () => {
    assert.strictEqual(createWebviewL10n(undefined).t('form.send'), 'form.send');
  });

  test('the bootstrap is checked: a missing or unknown key, a non-string or bad JSON is refused', () => {
    const good: WebviewBootstrap = { locale: 'fr', strings: webviewStrings() };
    assert.deepStrictEqual(parseWebviewBootstrap(JSON.stringify(good)), good);
    const { 'form.send': _send, ...missing } = good.strings;
    for (const bad of [
      JSON.stringify({ ...good, strings: missing }),
      JSON.stringify({ ...good, strings: { ...good.strings, extra: 'x' } }),
      JSON.stringify({ ...good, strings: { ...good.strings, 'form.send': 1 } }),
      JSON.stringify({ strings: good.strings }),
      '{"locale":',
      '',
      null,
    ])
      assert.strictEqual(parseWebviewBootstrap(bad), undefined, String(bad).slice(0, 60));
  });
});

suite('webview strings: handed to the page in its HTML', () => {
  const uri = (p: string) =>
    ({ path: p, toString: () => `https://file+.vscode-resource.example${p}` }) as unknown as vscode.Uri;
  const joinPath = (base: vscode.Uri, ...parts: string[]) => uri([base.path, ...parts].join('/'));
  const webview = { cspSource: 'https://file+.vscode-resource.example', asWebviewUri: (u: vscode.Uri) => u };

  test('the table and locale ride in a meta attribute, escaped, and read back exactly; the page says its language', () => {
    const hostile = '"></meta><script>alert(1)</script> & <b>';
    const bootstrap: WebviewBootstrap = { locale: 'de', strings: { ...webviewStrings(), 'form.send': hostile } };
    const html = buildQueryPanelHtml(webview, uri('/ext'), joinPath, 'n0nce', bootstrap);
    assert.match(html, /<html lang="de">/);
    assert.strictEqual((html.match(/<script/g) ?? []).length, 1, 'no script but the bundle');
    const content = /<meta name="onetwentyone-l10n" content="([^"]*)">/.exec(html)?.[1];
    assert.ok(content, 'the meta element is in the page');
    assert.ok(!content.includes('<'), 'no markup in the attribute');
    const text = content
      .replace(/&quot;/g, '"')
      .replace(/&lt;/g, '<')
      .replace(/&amp;/g, '&');
    assert.deepStrictEqual(parseWebviewBootstrap(text), bootstrap);
  });

  test("by default the page gets the host's table in English outside VS Code", () => {
    const html = buildQueryPanelHtml(webview, uri('/ext'), joinPath, 'n0nce');
    assert.match(html, /<html lang="en">/);
    assert.ok(html.includes('&quot;form.send&quot;:&quot;Send&quot;'));
  });
});
