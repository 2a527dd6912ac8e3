/**
 * Queries as the explorer starts and names them: date presets, a route's default query, a query's
 * one-line name. The query's shape and rules are the route descriptions' (src/core/routes.ts).
 * Pure data and functions, shared by the host and the webview.
 */
import { localizable } from '../core/localizable';
import { DEFAULT_PAGE_SIZE, routeById, type QueryParams, type QuerySpec, type RouteId } from '../core/routes';

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
  { id: '7d', label: localizable('7 days'), days: 7 },
  { id: '30d', label: localizable('30 days'), days: 30 },
  { id: '90d', label: localizable('90 days'), days: 90 },
  { id: '1y', label: localizable('1 year'), days: 365 },
  { id: 'all', label: localizable('All'), days: 0 },
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
  if (names.has('pageSize')) params.pageSize = DEFAULT_PAGE_SIZE;
  const query: QuerySpec = { route: routeId, params };
  if (route.takesMetric) query.metric = metric ?? 'stepCount';
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
