import * as path from 'path';
import * as vscode from 'vscode';
import { z } from 'zod';
import { pauser } from '../../core/compare/compareKey';
import { loadResultFile } from '../../core/compare/resultFile';
import { ResultStore } from '../../core/dataset/resultStore';
import { parseCellOutput } from '../../core/notebook/cellOutput';
import { describeQuery } from '../../shared/query';
import type { QueryPanel } from '../explorer/queryPanel';
import { l10n } from '../l10n';
import { NOTEBOOK_TYPE, RECORDS_MIME } from '../notebook/notebookIds';
import { KeptResults, type SharedResult } from './keptResults';

/**
 * Where a compared result comes from: the query panel's result (copied, so that the next query in
 * the panel does not change it), one kept earlier, a notebook cell's output, or an export file.
 */
export const sourceRefSchema = z.union([
  z.object({ kind: z.literal('panel') }),
  z.object({ kind: z.literal('kept'), id: z.number().int().nonnegative() }),
  z.object({ kind: z.literal('cell'), notebook: z.string().max(4000), cell: z.number().int().nonnegative() }),
  z.object({ kind: z.literal('file'), path: z.string().max(4000) }),
]);
export type SourceRef = z.output<typeof sourceRefSchema>;

export interface SourceChoice extends vscode.QuickPickItem {
  /** Undefined: ask for a file with the open dialog. */
  readonly ref: SourceRef | undefined;
}

/** What the comparison needs of one side. */
export interface LoadedSource {
  readonly result: SharedResult;
  /** The route when it is known (a file does not say). */
  readonly route: string | undefined;
  readonly metric: string | undefined;
}

export interface SourceDeps {
  readonly currentPanel: () => QueryPanel | undefined;
  readonly kept: KeptResults;
  readonly spillDirectory: string | undefined;
}

/** Records copied between turns of the event loop. */
const COPY_BATCH = 4096;

/** The results there are to compare now, for a quick pick (the export file last). */
export function sourceChoices(deps: SourceDeps, exclude?: SourceRef): SourceChoice[] {
  const choices: SourceChoice[] = [];
  const result = deps.currentPanel()?.result;
  if (result?.store && exclude?.kind !== 'panel')
    choices.push({
      label: `$(window) ${l10n.t('Query panel: {0}', describeQuery(result.query))}`,
      description: l10n.t('{0} records', result.store.count),
      ref: { kind: 'panel' },
    });
  for (const kept of deps.kept.list()) {
    if (exclude?.kind === 'kept' && exclude.id === kept.id) continue;
    choices.push({
      label: `$(pinned) ${l10n.t('Kept: {0}', kept.label)}`,
      description: l10n.t('{0} records', kept.store.count),
      ref: { kind: 'kept', id: kept.id },
    });
  }
  for (const notebook of vscode.workspace.notebookDocuments) {
    if (notebook.notebookType !== NOTEBOOK_TYPE) continue;
    for (const cell of notebook.getCells()) {
      const output = cellOutputOf(cell);
      if (!output) continue;
      const ref: SourceRef = { kind: 'cell', notebook: notebook.uri.toString(), cell: cell.index };
      if (exclude?.kind === 'cell' && exclude.notebook === ref.notebook && exclude.cell === ref.cell) continue;
      choices.push({
        label: `$(notebook) ${l10n.t('{0}, cell {1}', path.basename(notebook.uri.path), cell.index + 1)}`,
        description: `${output.route}${output.metric ? `/${output.metric}` : ''} · ${output.account}`,
        ref,
      });
    }
  }
  choices.push({
    label: `$(file) ${l10n.t('Saved Export File…')}`,
    description: l10n.t('JSON, NDJSON or CSV as the query panel exports them'),
    ref: undefined,
  });
  return choices;
}

/** Loads one side; the caller releases the result when done with it. */
export async function loadSource(ref: SourceRef, deps: SourceDeps, signal: AbortSignal): Promise<LoadedSource> {
  switch (ref.kind) {
    case 'panel': {
      const kept = await keepPanelResult(deps, signal);
      return { result: kept.acquire(), route: kept.route, metric: kept.metric };
    }
    case 'kept': {
      const kept = deps.kept.get(ref.id);
      if (!kept) throw new SourceGoneError(l10n.t('That kept result is no longer there.'));
      return { result: kept.acquire(), route: kept.route, metric: kept.metric };
    }
    case 'cell': {
      const notebook = vscode.workspace.notebookDocuments.find((n) => n.uri.toString() === ref.notebook);
      const cell = notebook && ref.cell < notebook.cellCount ? notebook.cellAt(ref.cell) : undefined;
      const output = cell && cellOutputOf(cell);
      if (!notebook || !output)
        throw new SourceGoneError(l10n.t('That notebook cell has no result now (the notebook closed or ran again).'));
      const store = new ResultStore(deps.spillDirectory ? { spillDirectory: deps.spillDirectory } : {});
      store.append(Array.isArray(output.records) ? output.records : [output.records]);
      store.seal();
      const label = l10n.t('{0}, cell {1}', path.basename(notebook.uri.path), ref.cell + 1);
      return {
        result: KeptResults.transient(store, label, false),
        route: output.route,
        metric: output.metric,
      };
    }
    case 'file': {
      const loaded = await loadResultFile(ref.path, { signal, spillDirectory: deps.spillDirectory });
      return {
        result: KeptResults.transient(loaded.store, path.basename(ref.path), loaded.textValues),
        route: undefined,
        metric: undefined,
      };
    }
  }
}

/** Copies the query panel's result into a kept one (the panel keeps only its latest result). */
export async function keepPanelResult(deps: SourceDeps, signal: AbortSignal) {
  const result = deps.currentPanel()?.result;
  const source = result?.store;
  if (!result || !source)
    throw new SourceGoneError(l10n.t('The query panel shows no list of records to compare; run a query first.'));
  const copy = new ResultStore(deps.spillDirectory ? { spillDirectory: deps.spillDirectory } : {});
  try {
    const pause = pauser({ signal });
    const total = source.count;
    for (let from = 0; from < total; from += COPY_BATCH) {
      const batch: unknown[] = [];
      source.forEachJson(from, Math.min(total, from + COPY_BATCH), (_, json) => batch.push(JSON.parse(json)));
      copy.append(batch);
      await pause();
    }
    copy.seal();
  } catch (error) {
    copy.dispose();
    throw error;
  }
  const label = describeQuery(result.query);
  return deps.kept.add(copy, label, result.query.route, result.query.metric);
}

function cellOutputOf(cell: vscode.NotebookCell) {
  for (const output of cell.outputs)
    for (const item of output.items) if (item.mime === RECORDS_MIME) return parseCellOutput(textOf(item.data));
  return undefined;
}

/**
 * An output item's bytes as text. Items a run of this extension wrote are Uint8Arrays; those that
 * came from elsewhere in the window (another extension, a test) may be array-likes of another realm,
 * which TextDecoder refuses.
 */
function textOf(data: Uint8Array): string {
  return (
    ArrayBuffer.isView(data) ? Buffer.from(data.buffer, data.byteOffset, data.byteLength) : Buffer.from(data)
  ).toString('utf8');
}

/** A source that was there when listed and is gone now. */
export class SourceGoneError extends Error {
  override readonly name = 'SourceGoneError';
}
