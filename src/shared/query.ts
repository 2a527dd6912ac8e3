/**
 * The shape of one API request as the explorer keeps it: the form state, a history entry and a saved
 * query all use it. It never holds a token or any response data, only the request's route and parameters.
 * Pure data and functions, shared by the host and the webview.
 */
import { METRIC_NAME_PATTERN, MAX_PAGE_SIZE, routeById, type RouteDefinition, type RouteId } from '../core/routes';

export interface QueryParams {
  startDate?: string;
  endDate?: string;
  sort?: 'asc' | 'desc';
  page?: number;
  pageSize?: number;
  include_stages?: boolean;
  include_metrics?: boolean;
  type?: string;
  supplementID?: string;
  medicationID?: string;
}

export interface QuerySpec {
  route: RouteId;
  /** Quantity only: the metric name in the path. */
  metric?: string;
  params: QueryParams;
}

export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Date-only (`2024-01-31`) or a full ISO 8601 date-time with an offset. */
export const ISO_DATE_PATTERN = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;

export interface QueryProblem {
  readonly field: string;
  readonly message: string;
}

/** The date part names a day the calendar has (`2024-02-30` does not). */
export function isRealDate(value: string): boolean {
  const day = value.slice(0, 10);
  const t = Date.parse(`${day}T00:00:00Z`);
  return Number.isFinite(t) && new Date(t).toISOString().slice(0, 10) === day;
}

/** Checks a query the way the API's documented rules say, so mistakes show before anything is sent. */
export function validateQuery(query: QuerySpec): QueryProblem[] {
  const problems: QueryProblem[] = [];
  const route = routeById(query.route);
  const allowed = new Set(route.params.map((p) => p.name));
  if (query.route === 'quantity') {
    if (!query.metric) problems.push({ field: 'metric', message: 'Choose or type a metric name, such as stepCount.' });
    else if (!METRIC_NAME_PATTERN.test(query.metric))
      problems.push({
        field: 'metric',
        message:
          'A metric name is a HealthKit-style identifier such as heartRate (letters and digits, starting lower-case).',
      });
  }
  const p = query.params;
  for (const [name, value] of Object.entries(p)) {
    if (value !== undefined && !allowed.has(name))
      problems.push({ field: name, message: `${route.label} does not take ${name}.` });
  }
  for (const field of ['startDate', 'endDate'] as const) {
    const v = p[field];
    if (v !== undefined && (!ISO_DATE_PATTERN.test(v) || !isRealDate(v)))
      problems.push({ field, message: 'Use an ISO 8601 date such as 2024-01-31.' });
  }
  if (
    p.startDate &&
    p.endDate &&
    !problems.some((x) => x.field === 'startDate' || x.field === 'endDate') &&
    p.startDate.slice(0, 10) > p.endDate.slice(0, 10)
  ) {
    problems.push({ field: 'endDate', message: 'The end date is before the start date.' });
  }
  if (p.page !== undefined && (!Number.isInteger(p.page) || p.page < 1))
    problems.push({ field: 'page', message: 'The page is a whole number from 1.' });
  if (p.pageSize !== undefined && (!Number.isInteger(p.pageSize) || p.pageSize < 1 || p.pageSize > MAX_PAGE_SIZE)) {
    problems.push({
      field: 'pageSize',
      message: `The page size is a whole number from 1 to ${MAX_PAGE_SIZE.toLocaleString('en-US')}.`,
    });
  }
  for (const field of ['supplementID', 'medicationID'] as const) {
    const v = p[field];
    if (v !== undefined && !UUID_PATTERN.test(v))
      problems.push({ field, message: 'This ID is a UUID such as 326aa713-a248-4c98-9a40-a5f39b25ca94.' });
  }
  if (p.type !== undefined && !/^[A-Za-z][A-Za-z0-9_]{0,127}$/.test(p.type))
    problems.push({ field: 'type', message: 'The type is an identifier such as traditionalStrengthTraining.' });
  return problems;
}

/** The path and query string exactly as they will be requested, with the user id filled in. */
export function buildRequestPath(query: QuerySpec, userId: string): string {
  const route: RouteDefinition = routeById(query.route);
  const path = route.pathTemplate
    .replace('{user_id}', encodeURIComponent(userId))
    .replace('{metric}', encodeURIComponent(query.metric ?? ''));
  const search = new URLSearchParams();
  for (const param of route.params) {
    const value = (query.params as Record<string, string | number | boolean | undefined>)[param.name];
    if (value === undefined || value === '') continue;
    search.set(param.name, String(value));
  }
  const qs = search.toString();
  return qs ? `${path}?${qs}` : path;
}

/** `YYYY-MM-DD` of a local calendar day. */
export function formatLocalDate(date: Date): string {
  const y = String(date.getFullYear()).padStart(4, '0');
  const m = String(date.getMonth() + 1).padStart(2, '0');
  const d = String(date.getDate()).padStart(2, '0');
  return `${y}-${m}-${d}`;
}

/**
 * Ranges ending today. None is shorter than a week: the app syncs a user's records in batches, so
 * the current day is often still empty (the sandbox's data, too, ends at the start of today, UTC).
 */
export const DATE_PRESETS = [
  { id: '7d', label: '7 days', days: 7 },
  { id: '30d', label: '30 days', days: 30 },
  { id: '90d', label: '90 days', days: 90 },
  { id: '1y', label: '1 year', days: 365 },
  { id: 'all', label: 'All', days: 0 },
] as const;
export type DatePresetId = (typeof DATE_PRESETS)[number]['id'];

/** The date range of a preset ending today (inclusive); `all` leaves both dates out. */
export function presetRange(id: DatePresetId, today: Date): { startDate?: string; endDate?: string } {
  const preset = DATE_PRESETS.find((p) => p.id === id);
  if (!preset || preset.days === 0) return {};
  const start = new Date(today.getFullYear(), today.getMonth(), today.getDate() - (preset.days - 1));
  return { startDate: formatLocalDate(start), endDate: formatLocalDate(today) };
}

/** A new query for a route with the explorer's defaults: the last 7 days (every date for a sparse route), first page. */
export function defaultQuery(routeId: RouteId, today: Date, metric?: string): QuerySpec {
  const route = routeById(routeId);
  const params: QueryParams = {};
  const names = new Set(route.params.map((p) => p.name));
  const range = presetRange(route.sparse ? 'all' : '7d', today);
  if (names.has('startDate')) params.startDate = range.startDate;
  if (names.has('endDate')) params.endDate = range.endDate;
  if (names.has('page')) params.page = 1;
  if (names.has('pageSize')) params.pageSize = 1000;
  const query: QuerySpec = { route: routeId, params };
  if (routeId === 'quantity') query.metric = metric ?? 'stepCount';
  return query;
}

/** One line that names a query in trees and pickers, e.g. `quantity/heartRate 2024-01-01…2024-01-07 p2`. */
export function describeQuery(query: QuerySpec): string {
  const parts = [query.route === 'quantity' ? `quantity/${query.metric ?? '?'}` : query.route];
  const { startDate, endDate, page } = query.params;
  if (startDate || endDate) parts.push(`${startDate ?? '…'}…${endDate ?? '…'}`);
  if (page && page > 1) parts.push(`p${page}`);
  return parts.join(' ');
}

/** The same question of the API, perhaps another page of it (route, metric and every other parameter equal). */
export function sameQueryIgnoringPage(a: QuerySpec, b: QuerySpec): boolean {
  if (a.route !== b.route || (a.metric ?? '') !== (b.metric ?? '')) return false;
  const rest = (q: QuerySpec) =>
    Object.entries(q.params).filter(([name, value]) => name !== 'page' && value !== undefined && value !== '');
  const left = rest(a);
  const right = new Map(rest(b));
  return left.length === right.size && left.every(([name, value]) => right.get(name) === value);
}
