import * as vscode from 'vscode';
import type { ExportFormat, ExportOutcome } from '../../core/dataset/exportResult';
import { describeQuery } from '../../shared/query';
import { messageFor } from '../userMessages';
import type { PanelContext } from './panelContext';
import { exportToFile, pickExportTarget } from './resultJobs';
import { formatCount } from '../l10n';

const EXPORTING = vscode.l10n.t('Exporting the result');

/** Export of the panel's whole result to a file; a new export stops the one before. */
export class ResultExport {
  private _running: AbortController | undefined;

  constructor(private readonly _panel: PanelContext) {}

  cancel(): void {
    this._running?.abort();
  }

  /**
   * Through a save dialog, or to `targetPath` when a command or test gives one. Resolves with the
   * outcome, or undefined when there was nothing to export or the user backed out.
   */
  async run(format: ExportFormat, targetPath?: string): Promise<ExportOutcome | undefined> {
    const result = this._panel.result;
    if (!result?.store) {
      void vscode.window.showInformationMessage(
        vscode.l10n.t('Send a request for a list of records first; then it can be exported.'),
      );
      return undefined;
    }
    const target = targetPath ?? (await pickExportTarget(format, describeQuery(result.query)));
    if (!target) {
      // The save dialog was dismissed: the webview puts the focus back on its Export button.
      this._panel.notify('didChangeExport', { running: false, message: '' });
      return undefined;
    }
    this._running?.abort();
    const controller = new AbortController();
    this._running = controller;
    this._panel.notify('didChangeExport', {
      running: true,
      message: vscode.l10n.t('Exporting {0} records…', formatCount(result.recordCount)),
    });
    try {
      const outcome = await exportToFile(result, format, target, controller.signal);
      const message = outcome.complete
        ? vscode.l10n.t(
            'Exported {0} records ({1} MB).',
            formatCount(outcome.records),
            (outcome.bytes / 1024 / 1024).toFixed(1),
          )
        : vscode.l10n.t('Export cancelled; the incomplete file was deleted.');
      this._panel.notify('didChangeExport', { running: false, message });
      if (outcome.complete && !targetPath) void vscode.window.showInformationMessage(message);
      return outcome;
    } catch (err) {
      this._panel.notify('didChangeExport', { running: false, message: messageFor(err, EXPORTING).text });
      // A command that gave the path reports its own failure; one from the panel is reported here.
      if (targetPath) throw err;
      this._panel.deps.reporter.report(EXPORTING, err);
      return undefined;
    } finally {
      if (this._running === controller) this._running = undefined;
    }
  }
}
