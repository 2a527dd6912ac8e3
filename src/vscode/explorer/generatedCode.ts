import * as vscode from 'vscode';
import { DEFAULT_TOKEN_VARIABLE, generateClientModule } from '../../core/typegen/clientModule';
import { generateTypesModule, recordTypeName } from '../../core/typegen/emitTypes';
import { summarizeStore } from '../../core/typegen/summarizeStore';
import type { QueryResult } from './queryResult';

/**
 * "Generate Types from Result" and "Copy as TypeScript Client": code from what the API returned.
 * Every record of the result counts (all fetched pages, read from the store), and the generated text
 * holds field names, enumerations and the request's URL, never a token or a measured value.
 */

interface GeneratedTypes {
  readonly typeName: string;
  readonly module: string;
}

async function typesFor(result: QueryResult): Promise<GeneratedTypes | undefined> {
  const store = result.store;
  if (!store || store.count === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('This result has no records to infer types from.'));
    return undefined;
  }
  const { route, metric } = result.query;
  const typeName = recordTypeName(route, ...(metric ? [metric] : []));
  const url = new URL(result.summary.url);
  const summary = await vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: vscode.l10n.t('Inferring types from {0} records…', store.count.toLocaleString()),
      cancellable: true,
    },
    (_progress, token) => {
      const abort = new AbortController();
      const listener = token.onCancellationRequested(() => abort.abort());
      return summarizeStore(store, abort.signal).finally(() => listener.dispose());
    },
  );
  return {
    typeName,
    module: generateTypesModule(summary, {
      typeName,
      source: `${route === 'quantity' && metric ? `the ${metric} ` : ''}records of GET ${url.pathname}`,
      recordCount: store.count,
    }),
  };
}

/** The result's types, or undefined after saying why there are none (`withoutResult` when there is no result). */
async function typesOrExplain(
  result: QueryResult | undefined,
  withoutResult: string,
): Promise<GeneratedTypes | undefined> {
  if (result) return typesFor(result);
  void vscode.window.showInformationMessage(withoutResult);
  return undefined;
}

export async function generateTypesFromResult(result: QueryResult | undefined): Promise<void> {
  const types = await typesOrExplain(
    result,
    vscode.l10n.t('Run a query first; its records are what the types are inferred from.'),
  );
  if (!types) return;
  const document = await vscode.workspace.openTextDocument({ language: 'typescript', content: types.module });
  await vscode.window.showTextDocument(document, { preview: false, viewColumn: vscode.ViewColumn.Beside });
}

export async function copyAsTypeScriptClient(result: QueryResult | undefined): Promise<void> {
  const types = await typesOrExplain(
    result,
    vscode.l10n.t('Run a query first; the client repeats it with every page.'),
  );
  if (!result || !types) return;
  const url = new URL(result.summary.url);
  url.searchParams.delete('page');
  await vscode.env.clipboard.writeText(
    generateClientModule({
      origin: url.origin,
      firstPage: `${url.pathname}${url.search}`,
      typesModule: types.module,
      typeName: types.typeName,
      tokenVariable: DEFAULT_TOKEN_VARIABLE,
    }),
  );
  vscode.window.setStatusBarMessage(
    `$(code) Copied as a TypeScript client (token read from $${DEFAULT_TOKEN_VARIABLE})`,
    4000,
  );
}
