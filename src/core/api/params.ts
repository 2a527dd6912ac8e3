import type { RouteId } from '../routes';
import { planRequest, requestPath, specOf, type RequestTarget } from '../routes/request';
import { ApiError } from './errors';

/**
 * Parameter checks done before anything is sent, so a bad date or page size is a clear local error
 * instead of a server 400 that costs quota. The rules are the route descriptions' (src/core/routes.ts).
 */

export type QueryValue = string | number | boolean | undefined;

/** Parameters of a data route: the path parts plus the route's documented query parameters. */
export interface RouteParams {
  readonly userId: string;
  /** Quantity only. */
  readonly metric?: string | undefined;
  readonly query?: Readonly<Record<string, QueryValue>> | undefined;
}

/** The checked path (user and metric filled in) and query of a request. */
export type BuiltRequest = RequestTarget;

/**
 * Requests built already, by their parameters (the checks passed): Fetch All builds the same query
 * hundreds of times, a page number apart, and each build checks every parameter on the extension
 * host's main thread (docs/performance.md, B4).
 */
const BUILT = new Map<string, BuiltRequest>();
const BUILT_KEPT = 512;

/**
 * Checks every parameter of a data-route request and builds its path and query. Unknown
 * parameters are refused (a typo would otherwise be silently ignored by the server).
 */
export function buildRouteRequest(routeId: RouteId, params: RouteParams): BuiltRequest {
  const key = JSON.stringify([routeId, params.userId, params.metric ?? null, params.query ?? null]);
  const known = BUILT.get(key);
  if (known) return known;
  const { target, problems } = planRequest(specOf(routeId, params.metric, params.query), params.userId);
  const [first] = problems;
  if (first) throw new ApiError('invalid_params', first.message, { route: target.route.pathTemplate });
  if (BUILT.size >= BUILT_KEPT) BUILT.clear();
  BUILT.set(key, target);
  return target;
}

/** Absolute URL of a built request on `origin` (the request line the form shows); never contains a token. */
export function requestUrl(origin: string, built: BuiltRequest): URL {
  return new URL(requestPath(built), origin);
}
