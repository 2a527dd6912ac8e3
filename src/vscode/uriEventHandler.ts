import * as vscode from 'vscode';

/**
 * The extension's one URI handler, an event source that sign-in flows listen to.
 * Registered once at activation (a second registerUriHandler throws).
 */
export class UriEventHandler extends vscode.EventEmitter<vscode.Uri> implements vscode.UriHandler {
  handleUri(uri: vscode.Uri): void {
    this.fire(uri);
  }
}
