import * as vscode from 'vscode';
import { compareHostToWebview, compareWebviewToHost, type CompareHostMessage } from '../../shared/compareProtocol';
import { contentSecurityPolicy, createNonce } from '../explorer/html';
import { queryPanelOptions } from '../commandIds';
import { l10n } from '../l10n';
import { Disposable } from '../util/lifecycle';
import type { Comparison } from './comparison';

export const COMPARE_VIEW_TYPE = 'onetwentyone.compare';

/** Logs what a compare view refused or could not send; never a record. */
export interface CompareLog {
  warn(message: string): void;
}

/**
 * One comparison in its own editor tab. The host keeps the two results and their difference; the
 * page gets the summary and chart at load and asks for windows of differences as it scrolls.
 */
export class ComparePanel extends Disposable {
  private static readonly open = new Set<ComparePanel>();

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly comparison: Comparison,
    private readonly log: CompareLog,
  ) {
    super();
    ComparePanel.open.add(this);
    this._register(panel.onDidDispose(() => this.dispose()));
    this._register(panel.webview.onDidReceiveMessage((raw: unknown) => this.received(raw)));
  }

  static show(extensionUri: vscode.Uri, comparison: Comparison, log: CompareLog): ComparePanel {
    const title = l10n.t('Compare: {0} ↔ {1}', comparison.a.result.label, comparison.b.result.label).slice(0, 200);
    const panel = vscode.window.createWebviewPanel(
      COMPARE_VIEW_TYPE,
      title,
      vscode.ViewColumn.Active,
      queryPanelOptions(extensionUri, vscode.Uri.joinPath),
    );
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'activity-bar.svg');
    panel.webview.html = compareHtml(panel.webview, extensionUri, title);
    return new ComparePanel(panel, comparison, log);
  }

  /** Closes every compare view (the area is being disposed). */
  static disposeAll(): void {
    for (const panel of [...ComparePanel.open]) panel.dispose();
  }

  override dispose(): void {
    if (this.isDisposed) return;
    ComparePanel.open.delete(this);
    this.comparison.dispose();
    super.dispose();
    this.panel.dispose();
  }

  private received(raw: unknown): void {
    const parsed = compareWebviewToHost.safeParse(raw);
    if (!parsed.success) {
      this.log.warn('Compare view: ignored a message outside the protocol.');
      return;
    }
    const message = parsed.data;
    if (message.type === 'ready') this.post(this.comparison.init());
    else this.post({ type: 'rows', from: message.from, rows: this.comparison.rows(message.from, message.count) });
  }

  private post(message: CompareHostMessage): void {
    if (this.isDisposed) return;
    const checked = compareHostToWebview.safeParse(message);
    if (!checked.success) {
      this.log.warn(`Compare view: not posting a ${message.type} message that breaks the protocol.`);
      return;
    }
    void this.panel.webview.postMessage(message).then(undefined, () => undefined);
  }
}

/** CSP first (scripts by nonce only, nothing inline), the panel's stylesheet, the compare script. No data in it. */
export function compareHtml(
  webview: Pick<vscode.Webview, 'cspSource' | 'asWebviewUri'>,
  extensionUri: vscode.Uri,
  title: string,
  nonce = createNonce(),
): string {
  const asset = (...p: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, ...p)).toString();
  const attr = (text: string) =>
    text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return `<!DOCTYPE html>
<html lang="${attr(vscode.env.language)}">
<head>
<meta http-equiv="Content-Security-Policy" content="${attr(contentSecurityPolicy(webview.cspSource, nonce))}">
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="${attr(asset('dist', 'codicons', 'codicon.css'))}">
<link rel="stylesheet" href="${attr(asset('media', 'query.css'))}">
<title>${attr(title)}</title>
</head>
<body>
<script nonce="${attr(nonce)}" src="${attr(asset('dist', 'compare.js'))}"></script>
</body>
</html>`;
}
