import type * as vscode from 'vscode';
import { routeById } from '../../core/routes';
import type { QuerySpec } from '../../core/routes';
import { boundedObject, boundedRecords, DEPTH_CAP, RESULT_CHAR_CAP, scrubbed, STRING_CAP } from './resultText';
import { l10n } from '../l10n';
import { failureResult, textResult, type ToolContext } from './toolContext';
import { checkQueryInput, QUERY_RECORD_CAP } from './toolInputs';

const TOOL = 'onetwentyone_run_query';
/** Page size when the model names none: enough to see the shape, within the record cap. */
const DEFAULT_TOOL_PAGE_SIZE = 20;

/** The checked input, the account it means, and the query as it will be sent; or why not. */
function plan(context: ToolContext, input: unknown) {
  return context.planFor(TOOL, checkQueryInput(input), (ok): QuerySpec => {
    const params = { ...ok.query.params };
    if (routeById(ok.query.route).paginated) {
      params.page ??= 1;
      params.pageSize ??= DEFAULT_TOOL_PAGE_SIZE;
    }
    return { ...ok.query, params };
  });
}

function routeName(query: QuerySpec): string {
  return query.route === 'quantity' ? `quantity/${query.metric ?? ''}` : query.route;
}

function rangeText(query: QuerySpec): string {
  const { startDate, endDate } = query.params;
  if (!routeById(query.route).params.some((p) => p.input === 'date')) return l10n.t('not dated (one object)');
  if (!startDate && !endDate) return l10n.t('every date (no range given)');
  return l10n.t('{0} to {1}', startDate ?? l10n.t('the first record'), endDate ?? l10n.t('the latest record'));
}

export function runQueryTool(context: ToolContext): vscode.LanguageModelTool<unknown> {
  return {
    prepareInvocation: (options) => {
      const planned = plan(context, options.input);
      // A refused input sends nothing, so it asks nothing: invoke explains the refusal.
      if ('refusal' in planned) return { invocationMessage: l10n.t('Checking the OneTwentyOne query') };
      const { account, request: query, key } = planned.plan;
      const route = routeById(query.route);
      const records = route.paginated
        ? l10n.t(
            'up to {0} records (page {1})',
            Math.min(query.params.pageSize ?? QUERY_RECORD_CAP, QUERY_RECORD_CAP),
            query.params.page ?? 1,
          )
        : l10n.t('the whole object');
      return context.confirm(
        key,
        l10n.t("Send {0}'s {1} data to the language model?", context.handle(account), route.label.toLowerCase()),
        [
          l10n.t('User: {0}', context.whose(account)),
          l10n.t('Route: {0}', routeName(query)),
          l10n.t('Dates: {0}', rangeText(query)),
          l10n.t('Quota: {0}', context.quotaText(account, query.route, l10n.t('1 request'))),
          l10n.t("The model receives {0} of this user's health data.", records),
        ],
      );
    },
    invoke: async (options, token) => {
      const ready = context.toRun(plan(context, options.input), token);
      if ('result' in ready) return ready.result;
      const { account, request: query, agreed, client, abort } = ready.run;
      try {
        const page = await client.getPage(
          query.route,
          { userId: account.userId, ...(query.metric ? { metric: query.metric } : {}), query: { ...query.params } },
          { signal: abort.signal },
        );
        const route = routeById(query.route);
        const about: Record<string, unknown> = {
          userAgreed: agreed,
          user: context.handle(account),
          environment: account.environment.kind,
          route: routeName(query),
          dates: rangeText(query),
          parameters: query.params,
          status: page.status,
        };
        let body: string;
        if (route.paginated && Array.isArray(page.data)) {
          const bounded = boundedRecords(page.data);
          const p = page.pagination;
          about['pagination'] = {
            currentPage: p?.current_page ?? query.params.page ?? 1,
            pageSize: query.params.pageSize,
            recordsOnPage: page.data.length,
            hasMore: p?.has_more ?? false,
            ...(p?.has_more ? { next: `call again with page ${p.current_page + 1}` } : {}),
          };
          about['records'] = {
            shown: bounded.kept,
            ...(bounded.dropped ? { leftOutForSize: bounded.dropped } : {}),
            caps: `at most ${QUERY_RECORD_CAP} records and ${RESULT_CHAR_CAP.toLocaleString('en-US')} characters per result; strings over ${STRING_CAP} characters and nesting deeper than ${DEPTH_CAP} levels are cut`,
          };
          body = bounded.json;
        } else {
          about['records'] = { caps: `one object, cut at ${RESULT_CHAR_CAP.toLocaleString('en-US')} characters` };
          body = boundedObject(page.data);
        }
        if (page.warnings.length)
          about['schemaWarnings'] =
            `${page.warnings.length} field(s) differ from the documented schema; the records are as received`;
        about['quota'] = context.quotaAfter(account, query.route);
        return textResult(scrubbed(JSON.stringify(about, null, 1)), scrubbed(body));
      } catch (err) {
        return failureResult('request', err);
      } finally {
        abort.dispose();
      }
    },
  };
}
