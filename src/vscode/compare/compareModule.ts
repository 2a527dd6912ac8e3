import * as path from 'path';
import * as vscode from 'vscode';
import { z } from 'zod';
import { ResultFileError } from '../../core/compare/resultFile';
import { CancelledError } from '../../core/dataset/cooperative';
import type { CompareRow } from '../../shared/compareProtocol';
import { command } from '../commandRegistry';
import { QueryPanel } from '../explorer/queryPanel';
import { l10n } from '../l10n';
import type { AreaHost } from '../servicesContract';
import { Disposable, toDisposable } from '../util/lifecycle';
import { ComparePanel } from './comparePanel';
import { Comparison } from './comparison';
import {
  keepPanelResult,
  loadSource,
  SourceGoneError,
  sourceChoices,
  sourceRefSchema,
  type SourceDeps,
  type SourceRef,
} from './compareSources';
import { KeptResults } from './keptResults';

/** Scripts and tests name both sides instead of picking them. */
const compareArgs = z.object({ first: sourceRefSchema.optional(), second: sourceRefSchema.optional() });
type CompareArgs = z.output<typeof compareArgs>;
/** A notebook cell's title bar passes the cell: its output is A. */
const notebookCell = z.custom<vscode.NotebookCell>(
  (value) =>
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { index?: unknown }).index === 'number' &&
    (value as { notebook?: { uri?: unknown } }).notebook?.uri instanceof vscode.Uri,
);

/** What a comparison found: what its view shows at first (scripts and tests read it). */
export interface CompareOutcome {
  readonly key: 'id' | 'time' | 'index';
  readonly counts: { a: number; b: number; unchanged: number; changed: number; added: number; removed: number };
  readonly fields: readonly { field: string; changed: number }[];
  readonly differences: number;
  /** The first differences, as the view's table shows them. */
  readonly rows: readonly CompareRow[];
  readonly chart: { bucket: string; a: number; b: number } | null;
}

const OUTCOME_ROWS = 100;

export type CompareCommands = ReturnType<typeof compareCommands>;

export function compareCommands(area: CompareArea) {
  return {
    'onetwentyone.compare.results': command(
      l10n.t('Comparing results'),
      [z.union([notebookCell, compareArgs]).optional()],
      (args) =>
        area.compare(
          args && 'notebook' in args
            ? { first: { kind: 'cell', notebook: args.notebook.uri.toString(), cell: args.index } }
            : (args ?? {}),
        ),
    ),
    'onetwentyone.compare.keepResult': command(l10n.t('Keeping the result for comparison'), [], () => area.keep()),
  };
}

/** The compare area: which results there are, comparing two of them, and their views. */
export class CompareArea extends Disposable {
  readonly commands: CompareCommands;
  private readonly kept = new KeptResults();
  private readonly deps: SourceDeps;

  constructor(private readonly host: AreaHost) {
    super();
    this.deps = {
      currentPanel: () => QueryPanel.current,
      kept: this.kept,
      spillDirectory: path.join(host.context.globalStorageUri.fsPath, 'results'),
    };
    this._register(toDisposable(() => ComparePanel.disposeAll()));
    this._register(toDisposable(() => this.kept.dispose()));
    this.commands = compareCommands(this);
  }

  async compare(args: CompareArgs): Promise<CompareOutcome | undefined> {
    const first = args.first ?? (await this.pick(l10n.t('Compare Results: A, the Reference'), undefined));
    if (!first) return undefined;
    const second = args.second ?? (await this.pick(l10n.t('Compare Results: B, Compared with A'), first));
    if (!second) {
      if (first.kind === 'panel') await this.keep();
      return undefined;
    }
    const comparison = await this.withProgress(l10n.t('Comparing results'), async (signal) => {
      const a = await loadSource(first, this.deps, signal);
      try {
        const b = await loadSource(second, this.deps, signal);
        return await Comparison.of(a, b, signal);
      } catch (error) {
        a.result.release();
        throw error;
      }
    });
    if (!comparison) return undefined;
    ComparePanel.show(this.host.context.extensionUri, comparison, this.host.logger.scoped('compare'));
    const init = comparison.init();
    return {
      key: init.key,
      counts: { ...comparison.diff.counts },
      fields: init.fields,
      differences: init.differences,
      rows: comparison.rows(0, OUTCOME_ROWS),
      chart: init.chart && {
        bucket: init.chart.bucket,
        a: init.chart.a.bucketStart.length,
        b: init.chart.b.bucketStart.length,
      },
    };
  }

  /** Keeps a copy of the query panel's result, to compare it with a later one. */
  async keep(): Promise<{ id: number; label: string; records: number } | undefined> {
    const kept = await this.withProgress(l10n.t('Keeping the result for comparison'), (signal) =>
      keepPanelResult(this.deps, signal),
    );
    if (!kept) return undefined;
    void vscode.window.showInformationMessage(
      l10n.t('Kept “{0}” for comparison. Run another query, then choose Compare Results… to compare them.', kept.label),
    );
    return { id: kept.id, label: kept.label, records: kept.store.count };
  }

  private async pick(title: string, exclude: SourceRef | undefined): Promise<SourceRef | undefined> {
    const picked = await vscode.window.showQuickPick(sourceChoices(this.deps, exclude), {
      title,
      placeHolder: l10n.t('A query panel result, a kept result, a notebook cell output or a saved export'),
      matchOnDescription: true,
    });
    if (!picked) return undefined;
    if (picked.ref) return picked.ref;
    const files = await vscode.window.showOpenDialog({
      title,
      canSelectMany: false,
      filters: { [l10n.t('Exported results')]: ['json', 'ndjson', 'jsonl', 'csv'] },
    });
    const file = files?.[0];
    return file ? { kind: 'file', path: file.fsPath } : undefined;
  }

  /** Runs `work` with a cancellable notification; cancelled or refused sources end as undefined. */
  private async withProgress<T>(title: string, work: (signal: AbortSignal) => Promise<T>): Promise<T | undefined> {
    try {
      return await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title, cancellable: true },
        (_, token) => {
          const controller = new AbortController();
          token.onCancellationRequested(() => controller.abort());
          return work(controller.signal);
        },
      );
    } catch (error) {
      if (error instanceof CancelledError) return undefined;
      if (error instanceof SourceGoneError) {
        void vscode.window.showInformationMessage(error.message);
        return undefined;
      }
      if (error instanceof ResultFileError) {
        void vscode.window.showErrorMessage(fileErrorText(error));
        return undefined;
      }
      throw error;
    }
  }
}

function fileErrorText(error: ResultFileError): string {
  switch (error.code) {
    case 'badLine':
      return l10n.t('The file cannot be compared: line {0} is not JSON.', error.line ?? 0);
    case 'tooLarge':
      return l10n.t('The file cannot be compared: it is too large to read unless it holds one record per line.');
    case 'notRecords':
      return l10n.t('The file cannot be compared: it holds no list of records.');
  }
}
