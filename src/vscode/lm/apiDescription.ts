import { budgetOf } from '../../core/api/rateLimit';
import { MAX_PAGE_SIZE, METRICS, ROUTES, type RouteDefinition, type RouteParam } from '../../core/routes';
import { METRIC_NAME_PATTERN } from '../../core/routes/rules';
import { DEFAULT_SUMMARY_REQUESTS, MAX_SUMMARY_REQUESTS, QUERY_RECORD_CAP } from './toolInputs';
import { MAX_SUMMARY_BUCKETS, SUMMARY_BUCKETS } from './summaryBuckets';

/**
 * What describe_api tells a model: every route with its parameters, the metric catalogue with units,
 * and the tools' own limits, all derived from `src/core/routes.ts` so it cannot drift from the
 * client, the query form and the Endpoints view.
 */

/** What a parameter takes, from its form field (the rule behind it refuses anything else). */
function allowed(p: RouteParam): string {
  switch (p.input) {
    case 'date':
      return 'ISO 8601 date such as 2024-01-31, or a date-time';
    case 'choice':
      return (p.choices ?? []).flatMap(([value]) => (value ? [value] : [])).join(' or ');
    case 'number': {
      const [min, max] = p.range ?? [1, Number.MAX_SAFE_INTEGER];
      const upper = p.name === 'pageSize' ? Math.min(max, QUERY_RECORD_CAP) : max;
      return upper >= Number.MAX_SAFE_INTEGER ? `whole number from ${min}` : `whole number from ${min} to ${upper}`;
    }
    case 'checkbox':
      return 'true or false';
    case 'text':
      return p.example ? `such as ${p.example}` : 'text';
  }
}

function describeRoute(route: RouteDefinition) {
  const budget = budgetOf(route.id);
  return {
    route: route.id,
    label: route.label,
    description: route.description,
    path: route.pathTemplate,
    scope: route.scope,
    paginated: route.paginated,
    quota: budget.daily ? `spends the user's daily request quota (${budget.label})` : 'not counted in the daily quota',
    ...(route.id === 'quantity'
      ? { metric: 'required: a metric name from the catalogue below, or another HealthKit name' }
      : {}),
    parameters: route.params.map((p) => ({ name: p.name, description: p.description, allowed: allowed(p) })),
  };
}

export function describeApi(routeFilter: string | undefined): { text: string } | { problem: string } {
  const routes = routeFilter === undefined ? ROUTES : ROUTES.filter((r) => r.id === routeFilter);
  if (!routes.length)
    return { problem: `Parameter "route": must be one of ${ROUTES.map((r) => r.id).join(', ')}, or left out for all.` };
  const description = {
    routes: routes.map(describeRoute),
    ...(routeFilter === undefined || routeFilter === 'quantity'
      ? {
          metrics: METRICS.map((m) => ({
            name: m.name,
            label: m.label,
            category: m.category,
            unit: m.unit,
            combines: m.aggregation === 'sum' ? 'sum (a count or amount)' : 'mean (a rate or level)',
          })),
          otherMetrics: `The API may know more quantity metrics than this catalogue: any name matching ${METRIC_NAME_PATTERN.source} may be queried.`,
        }
      : {}),
    toolLimits: {
      run_query: `at most ${QUERY_RECORD_CAP} records per call (pageSize 1 to ${QUERY_RECORD_CAP}); long strings are cut; page through with page`,
      summarize_metric: `quantity metrics only; buckets ${SUMMARY_BUCKETS.join(', ')} (UTC days, ISO weeks from Monday, months); at most ${MAX_SUMMARY_BUCKETS} buckets; at most ${MAX_SUMMARY_REQUESTS} requests (maxRequests, default ${DEFAULT_SUMMARY_REQUESTS}) of ${MAX_PAGE_SIZE} records each`,
    },
  };
  return { text: JSON.stringify(description, null, 1) };
}
