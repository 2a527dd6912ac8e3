import { MAX_PAGE_SIZE, METRIC_NAME_PATTERN, routeById, type RouteDefinition, type RouteId } from '../routes';
import { ApiError } from './errors';

/**
 * Parameter checks done before anything is sent (API doc §15; reliability checklist case 40), so a
 * bad date or page size is a clear local error instead of a server 400 that costs quota.
 */

export type QueryValue = string | number | boolean | undefined;

/** Parameters of a data route: the path parts plus the route's documented query parameters. */
export interface RouteParams {
  readonly userId: string;
  /** Quantity only. */
  readonly metric?: string;
  readonly query?: Readonly<Record<string, QueryValue>>;
}

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Workout and lab type names: HealthKit-style identifiers. */
const TYPE_NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_]{0,79}$/;
/** ISO 8601 calendar date, optionally with a time and a zone (the API examples use date-only). */
const ISO_DATE_PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-](\d{2}):?(\d{2}))?)?$/;

export function isUuid(value: string): boolean {
  return UUID_PATTERN.test(value);
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** True for a real ISO 8601 date or date-time (no 2024-02-30, no 25:00). */
export function isIsoDate(value: string): boolean {
  const m = ISO_DATE_PATTERN.exec(value);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return false;
  if (m[4] !== undefined && (Number(m[4]) > 23 || Number(m[5]) > 59 || (m[6] !== undefined && Number(m[6]) > 59)))
    return false;
  if (m[8] !== undefined && (Number(m[8]) > 23 || Number(m[9]) > 59)) return false;
  return true;
}

/** Comparable instant of an ISO date for the start ≤ end check (date-only counts as 00:00 UTC). */
function isoInstant(value: string): number {
  return Date.parse(/T/.test(value) && !/(Z|[+-]\d{2}:?\d{2})$/.test(value) ? `${value}Z` : value);
}

function invalid(message: string, route: RouteDefinition): ApiError {
  return new ApiError('invalid_params', message, { route: route.pathTemplate });
}

/** Validates one query value by its kind and returns the text sent on the wire. */
function checkQueryValue(
  route: RouteDefinition,
  name: string,
  kind: string,
  value: Exclude<QueryValue, undefined>,
): string {
  const text = typeof value === 'string' ? value.trim() : String(value);
  switch (kind) {
    case 'date':
      if (!isIsoDate(text))
        throw invalid(`${name} must be an ISO 8601 date such as 2024-01-31 (got "${text.slice(0, 40)}").`, route);
      return text;
    case 'sort':
      if (text !== 'asc' && text !== 'desc') throw invalid(`sort must be asc or desc.`, route);
      return text;
    case 'page': {
      const n = Number(text);
      if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n < 1)
        throw invalid(`page must be a whole number of 1 or more.`, route);
      return String(n);
    }
    case 'pageSize': {
      const n = Number(text);
      if (!/^\d+$/.test(text) || n < 1 || n > MAX_PAGE_SIZE)
        throw invalid(`pageSize must be a whole number from 1 to ${MAX_PAGE_SIZE.toLocaleString('en-US')}.`, route);
      return String(n);
    }
    case 'boolean':
      if (text !== 'true' && text !== 'false') throw invalid(`${name} must be true or false.`, route);
      return text;
    case 'uuid':
      if (!isUuid(text)) throw invalid(`${name} must be a UUID.`, route);
      return text.toLowerCase();
    default:
      if (!TYPE_NAME_PATTERN.test(text))
        throw invalid(`${name} must be a name made of letters and digits, such as traditionalStrengthTraining.`, route);
      return text;
  }
}

/** The validated path (with user and metric filled in) and query of a request. */
export interface BuiltRequest {
  readonly route: RouteDefinition;
  readonly path: string;
  /** Query parameters in the route's documented order. */
  readonly query: ReadonlyArray<readonly [string, string]>;
}

/**
 * Checks every parameter of a data-route request and builds its path and query. Unknown
 * parameters are refused (a typo would otherwise be silently ignored by the server).
 */
export function buildRouteRequest(routeId: RouteId, params: RouteParams): BuiltRequest {
  const route = routeById(routeId);
  const userId = typeof params.userId === 'string' ? params.userId.trim() : '';
  if (!isUuid(userId)) throw invalid('The user ID must be a UUID such as 123e4567-e89b-12d3-a456-426614174000.', route);
  let path = route.pathTemplate.replace('{user_id}', userId.toLowerCase());
  if (route.pathTemplate.includes('{metric}')) {
    const metric = typeof params.metric === 'string' ? params.metric.trim() : '';
    if (!METRIC_NAME_PATTERN.test(metric))
      throw invalid('The metric must be a HealthKit-style name such as stepCount or heartRate.', route);
    path = path.replace('{metric}', metric);
  } else if (params.metric !== undefined) {
    throw invalid(`The ${route.label} route takes no metric.`, route);
  }
  const given = params.query ?? {};
  const known = new Map(route.params.map((p) => [p.name, p.kind]));
  for (const name of Object.keys(given)) {
    if (!known.has(name) && given[name] !== undefined) {
      const allowed = route.params.length ? route.params.map((p) => p.name).join(', ') : 'none';
      throw invalid(`Unknown parameter "${name.slice(0, 40)}" for ${route.label} (allowed: ${allowed}).`, route);
    }
  }
  const query: Array<readonly [string, string]> = [];
  for (const param of route.params) {
    const value = given[param.name];
    if (value === undefined || value === '') continue;
    query.push([param.name, checkQueryValue(route, param.name, param.kind, value)]);
  }
  const start = query.find(([n]) => n === 'startDate')?.[1];
  const end = query.find(([n]) => n === 'endDate')?.[1];
  if (start && end && isoInstant(start) > isoInstant(end)) throw invalid('startDate must not be after endDate.', route);
  return { route, path, query };
}

/** Absolute URL of a built request on `origin`; never contains a token. */
export function requestUrl(origin: string, built: BuiltRequest): URL {
  const url = new URL(built.path, origin);
  for (const [name, value] of built.query) url.searchParams.append(name, value);
  return url;
}
