import * as vscode from 'vscode';
import type { HypnogramAnswers } from './chartAnswers';
import { answerQuantityChart } from './chartAnswers';
import { copyRequest } from './copyRequest';
import { copyAsTypeScriptClient, generateTypesFromResult } from './generatedCode';
import type { FetchAllJob } from './fetchAllJob';
import type { CommandHandlers, RequestHandlers } from './messageDispatcher';
import type { PanelContext } from './panelContext';
import type { QueryResult } from './queryResult';
import type { QueryRuns } from './queryRuns';
import type { ResultExport } from './resultExport';
import { resultGone, type ResultSearch } from './resultSearch';

/** The chart answers still take a request id; the dispatcher puts the request's own on the reply. */
const PAIRED_BY_DISPATCHER = 0;

/** The panel's answers to the webview's requests, each about the result on screen. */
export function requestHandlers(
  panel: PanelContext,
  search: ResultSearch,
  hypnograms: HypnogramAnswers,
): RequestHandlers {
  /** The result a request names; undefined once the webview was told that result is gone. */
  const named = (resultId: number, reply: { fail(message: string): void }): QueryResult | undefined => {
    const result = panel.result;
    if (result?.resultId === resultId) return result;
    reply.fail(resultGone());
    return undefined;
  };
  return {
    getRows: ({ resultId, offset, count }, reply) => {
      const window = named(resultId, reply)?.rows(offset, count);
      if (window) reply.send({ resultId, offset: window.offset, rowLines: window.lines });
    },
    getRaw: ({ resultId }, reply) => {
      const raw = named(resultId, reply)?.raw();
      if (raw) reply.send({ resultId, text: raw.text, totalChars: raw.totalChars, truncated: raw.truncated });
    },
    find: ({ resultId, text, caseSensitive }, reply) => {
      const found = named(resultId, reply)?.find(text, caseSensitive);
      if (found) reply.send({ resultId, hits: found.hits, total: found.total, capped: found.capped });
    },
    search: (request, reply) => search.search(panel.result, request, reply),
    getHit: (request, reply) => search.hit(request, reply),
    getChart: async ({ resultId, bucket }, reply) => {
      const result = panel.result;
      const answer = await answerQuantityChart(result, PAIRED_BY_DISPATCHER, resultId, bucket);
      // Another result came meanwhile: the webview no longer shows the chart asked for.
      if (panel.result === result) reply.send(answer);
    },
    getHypnogram: async ({ resultId, session }, reply) => {
      const result = panel.result;
      const answer = await hypnograms.answer(result, PAIRED_BY_DISPATCHER, resultId, session);
      if (panel.result === result) reply.send(answer);
    },
  };
}

export interface CommandParts {
  readonly runs: QueryRuns;
  readonly fetchAll: FetchAllJob;
  readonly exports: ResultExport;
  /** The webview (re)loaded: it gets the whole current state. */
  ready(): void;
}

/** What the panel does on the webview's commands (messages that get no reply of their own). */
export function commandHandlers(panel: PanelContext, parts: CommandParts): CommandHandlers {
  const { deps } = panel;
  return {
    ready: () => parts.ready(),
    runQuery: async ({ requestId, form }) => {
      await parts.runs.run(requestId, form);
    },
    cancel: ({ requestId }) => parts.runs.cancel(requestId),
    copyRequest: ({ format, withToken }) => copyRequest(panel.result, format, withToken, deps.accounts),
    generateCode: async ({ resultId, what }) => {
      const result = panel.result?.resultId === resultId ? panel.result : undefined;
      await (what === 'types' ? generateTypesFromResult(result) : copyAsTypeScriptClient(result));
    },
    copyText: async ({ what, text }) => {
      await vscode.env.clipboard.writeText(text);
      vscode.window.setStatusBarMessage(
        `$(copy) ${what === 'path' ? vscode.l10n.t('JSON path copied') : vscode.l10n.t('Value copied')}`,
        2000,
      );
    },
    saveQuery: async ({ form }) => {
      const name = await vscode.window.showInputBox({
        title: vscode.l10n.t('Save Query'),
        prompt: vscode.l10n.t('A name for this query'),
        value: form.query.route === 'quantity' ? `${form.query.metric ?? 'quantity'}` : form.query.route,
        validateInput: (v) =>
          v.trim() && v.length <= 100 ? undefined : vscode.l10n.t('Between 1 and 100 characters.'),
      });
      if (name) await deps.history.save(name.trim(), form.query, form.accountId);
    },
    selectAccount: async () => {
      await vscode.commands.executeCommand('workbench.view.extension.onetwentyone');
    },
    openRawInEditor: async ({ resultId }) => {
      const result = panel.result;
      if (!result || result.resultId !== resultId) return;
      const doc = await vscode.workspace.openTextDocument({ language: 'json', content: result.fullRaw() });
      await vscode.window.showTextDocument(doc, { preview: true, viewColumn: vscode.ViewColumn.Beside });
    },
    fetchAll: async ({ resultId }) => {
      if (panel.result?.resultId === resultId) await parts.fetchAll.run();
    },
    cancelFetchAll: ({ resultId }) => parts.fetchAll.cancel(resultId),
    exportResult: async ({ resultId, format }) => {
      if (panel.result?.resultId === resultId) await parts.exports.run(format);
    },
  };
}
