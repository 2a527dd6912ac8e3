import * as vscode from 'vscode';
import { createApiClient } from '../../core/api/apiClient';
import { isApiError } from '../../core/api/errors';
import { knownBodyEncoding } from '../../core/auth/tokenEndpoint';
import { compatibilityReport, type RouteProbe } from '../../core/compat/compatReport';
import type { Logger } from '../../core/ports';
import { ROUTES, type RouteDefinition } from '../../core/routes';
import type { Account } from './accountsContract';
import type { AccountManager } from './accountManager';

/** The metric the quantity route is asked for: one the docs confirm. */
const PROBE_METRIC = 'stepCount';

/** The routes an account may use: those of its granted scopes, or all when the API did not list them. */
export function routesToCheck(account: Account): RouteDefinition[] {
  return ROUTES.filter((r) => account.scopes.length === 0 || account.scopes.includes(r.scope));
}

/** The confirmation's text: what is sent and what it spends, before anything is. */
export function compatibilityPlan(account: Account, routes: readonly RouteDefinition[]): string {
  const spending = routes.filter((r) => r.dailyQuota).map((r) => r.label.toLowerCase());
  const quota =
    spending.length > 0
      ? vscode.l10n.t(
          '{0} each spend one unit of the daily quota ({1} in all); the other routes spend none.',
          new Intl.ListFormat(vscode.env.language, { type: 'conjunction' }).format(spending),
          spending.length,
        )
      : vscode.l10n.t('None of them spends the daily quota.');
  return vscode.l10n.t(
    'Check API compatibility for {0} at {1}? One request per route ({2}), each for one record, not retried. {3} The report shows field names and types only: no values, tokens or user IDs.',
    account.label,
    account.environment.origin,
    routes.map((r) => r.label.toLowerCase()).join(', '),
    quota,
  );
}

/**
 * "Check API Compatibility": one small request per route the account may use, then the report in
 * an untitled Markdown editor (what a developer attaches to a bug report). Returns the report.
 */
export async function checkCompatibility(
  accounts: AccountManager,
  logger: Logger,
  account: Account,
  confirmed: boolean,
): Promise<string | undefined> {
  const routes = routesToCheck(account);
  if (!confirmed) {
    const check = vscode.l10n.t('Check');
    const answer = await vscode.window.showWarningMessage(compatibilityPlan(account, routes), { modal: true }, check);
    if (answer !== check) return undefined;
  }
  // Its own client: no retry, so no route spends more than the one request said up front.
  const client = createApiClient({
    transport: accounts.transportFor(account.id),
    credentials: accounts.credentialsFor(account.id),
    logger,
    retry: { maxRetries: 0 },
  });
  const probes = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Checking API compatibility…') },
    async (progress) => {
      const out: RouteProbe[] = [];
      for (const route of routes) {
        progress.report({ message: route.label });
        out.push(await probe(client, account, route));
      }
      return out;
    },
  );
  const report = compatibilityReport({
    environment: account.environment.kind,
    origin: account.environment.origin,
    accountKind: account.kind,
    tokenBodyEncoding: account.kind === 'oauth' ? knownBodyEncoding(account.environment.origin) : undefined,
    probes,
  });
  const document = await vscode.workspace.openTextDocument({ language: 'markdown', content: report });
  await vscode.window.showTextDocument(document, { preview: false });
  return report;
}

async function probe(
  client: ReturnType<typeof createApiClient>,
  account: Account,
  route: RouteDefinition,
): Promise<RouteProbe> {
  try {
    const page = await client.getPage(
      route.id,
      {
        userId: account.userId,
        metric: route.takesMetric ? PROBE_METRIC : undefined,
        query: route.paginated ? { pageSize: 1 } : {},
      },
      { keepRaw: true },
    );
    let body: unknown;
    try {
      body = page.rawText === undefined ? undefined : (JSON.parse(page.rawText) as unknown);
    } catch {
      body = undefined;
    }
    return { route: route.id, status: page.status, body, headers: Object.fromEntries(page.headers ?? []) };
  } catch (error) {
    // The error's code and status only: its message may quote the answer.
    return {
      route: route.id,
      status: isApiError(error) ? error.status : undefined,
      headers: {},
      failure: isApiError(error) ? error.code : 'the request did not complete',
    };
  }
}
