/**
 * Everything derived from the route descriptions in `../routes.ts`: the schema of a query (what the
 * webview protocol, history and saved queries accept), the problems the form shows, and the request
 * a query makes, whose URL the panel shows and the API client sends. One schema per route, built
 * here once, serves all of them, so they cannot disagree.
 */
import * as z from 'zod/mini';
import { localizable, renderText, textOf, type LocalizableText } from '../localizable';
import { ROUTES, routeById, type QuerySpec, type RouteDefinition, type RouteId } from '../routes';
import { lazySchema } from './lazySchema';
import { isIsoDate, isoInstant, metricRule, predicate, predicateText, uuidRule } from './rules';

const RANGE_MESSAGE = localizable('must not be before startDate');

/** A range that does not end before it starts (compared as instants; any other fault is the dates' own). */
function rangeInOrder(params: Readonly<Record<string, unknown>>): boolean {
  const { startDate, endDate } = params;
  if (typeof startDate !== 'string' || typeof endDate !== 'string') return true;
  if (!isIsoDate(startDate) || !isIsoDate(endDate)) return true;
  return isoInstant(startDate, false) <= isoInstant(endDate, true);
}

/** The one schema of a route's request: its path's metric, its parameters by their rules, nothing else. */
function specSchemaOf(route: RouteDefinition) {
  const params = z
    .strictObject(Object.fromEntries(route.params.map((p) => [p.name, z.optional(p.rule)])))
    .check(z.refine(rangeInOrder, { message: predicate(RANGE_MESSAGE), path: ['endDate'] }));
  return z.strictObject({
    route: z.literal(route.id),
    ...(route.takesMetric ? { metric: metricRule } : {}),
    params,
  });
}

type SpecSchema = ReturnType<typeof specSchemaOf>;

/**
 * A query of any route, checked by its route's schema. Typed as the wide `QuerySpec` (every route's
 * parameters optional) so code that reads a page or a date needs no narrowing by route. Built on
 * first use, with every route's schema (docs/performance.md, B11).
 */
export const querySpecSchema = lazySchema(() =>
  z.discriminatedUnion('route', ROUTES.map(specSchemaOf) as [SpecSchema, ...SpecSchema[]]),
) as unknown as z.ZodMiniType<QuerySpec>;

export interface QueryProblem {
  /** The parameter (`startDate`), `metric`, `route` or `userId`. */
  readonly field: string;
  /** A sentence that names the field: `pageSize must be a whole number from 1 to 10,000.` */
  readonly message: string;
  /** The same for under the field itself: `Must be a whole number from 1 to 10,000.` */
  readonly fieldMessage: string;
  /** `message` and `fieldMessage` still to be worded, for the layer that shows them translated. */
  readonly text: LocalizableText;
  readonly fieldText: LocalizableText;
}

const MAX_NAME_SHOWN = 40;

/** The field's name, then the rule's predicate: a sentence that names the field. */
const NAMING_FIELD = localizable('{0} {1}.');
/** The predicate alone (capitalised), under the field it is about. */
const UNDER_FIELD = localizable('{0}.');
const THIS_ROUTE = localizable('This route');
const NO_PARAMETERS = localizable('none');
const TAKES_NO_METRIC = localizable('The {0} route takes no metric.');
const TAKES_NO_METRIC_HERE = localizable('{0} takes no metric.');
const UNKNOWN_PARAMETER = localizable('Unknown parameter "{0}" for {1} (allowed: {2}).');
const UNKNOWN_PARAMETER_HERE = localizable('{0} does not take {1}.');
const ROUTE_ONE_OF = localizable('must be one of {0}');
const NOT_AN_OBJECT = localizable('must be an object of parameters');

function problemOf(field: string, text: LocalizableText, fieldText: LocalizableText): QueryProblem {
  return { field, message: renderText(text), fieldMessage: renderText(fieldText), text, fieldText };
}

function ruleProblem(field: string, predicate: LocalizableText): QueryProblem {
  return problemOf(field, textOf(NAMING_FIELD, field, predicate), {
    ...textOf(UNDER_FIELD, predicate),
    capitalized: true,
  });
}

function unknownKeyProblems(
  route: RouteDefinition | undefined,
  where: string,
  keys: readonly string[],
): QueryProblem[] {
  const label = textOf(route?.label ?? THIS_ROUTE);
  return keys.map((key) => {
    const name = key.slice(0, MAX_NAME_SHOWN);
    if (where === '' && key === 'metric')
      return problemOf('metric', textOf(TAKES_NO_METRIC, label), textOf(TAKES_NO_METRIC_HERE, label));
    const allowed = route?.params.length ? route.params.map((p) => p.name).join(', ') : textOf(NO_PARAMETERS);
    return problemOf(
      name,
      textOf(UNKNOWN_PARAMETER, name, label, allowed),
      textOf(UNKNOWN_PARAMETER_HERE, label, name),
    );
  });
}

function routeOf(spec: unknown): RouteDefinition | undefined {
  const id = (spec as { route?: unknown } | null)?.route;
  return ROUTES.find((r) => r.id === id);
}

/** What is wrong with a query, field by field, by its route's schema; empty when it may be sent. */
export function queryProblems(spec: unknown): QueryProblem[] {
  const result = querySpecSchema.safeParse(spec);
  if (result.success) return [];
  const route = routeOf(spec);
  return result.error.issues.flatMap((issue): QueryProblem[] => {
    const [head, name] = issue.path.map(String);
    if (issue.code === 'unrecognized_keys') return unknownKeyProblems(route, head ?? '', issue.keys);
    if (head === 'route' || route === undefined)
      return [ruleProblem('route', textOf(ROUTE_ONE_OF, ROUTES.map((r) => r.id).join(', ')))];
    if (head === 'params' && name !== undefined)
      return [ruleProblem(name.slice(0, MAX_NAME_SHOWN), predicateText(issue.message))];
    if (head === 'metric') return [ruleProblem('metric', predicateText(issue.message))];
    return [ruleProblem(head ?? 'query', textOf(NOT_AN_OBJECT))];
  });
}

/** The path and query of a request, in the route's documented parameter order. */
export interface RequestTarget {
  readonly route: RouteDefinition;
  /** With the user and metric filled in (URL-encoded). */
  readonly path: string;
  /** Names and values as sent. */
  readonly query: ReadonlyArray<readonly [string, string]>;
}

function targetOf(spec: QuerySpec, userId: string | undefined): RequestTarget {
  const route = routeById(spec.route);
  const path = route.pathTemplate
    .replace('{user_id}', userId === undefined ? '{user_id}' : encodeURIComponent(userId))
    .replace('{metric}', encodeURIComponent(spec.metric ?? ''));
  const values = spec.params as Readonly<Record<string, string | number | boolean | undefined>>;
  const query = route.params.flatMap((p): [string, string][] => {
    const value = values[p.name];
    return value === undefined ? [] : [[p.name, String(value)]];
  });
  return { route, path, query };
}

export interface PlannedRequest {
  /** As sent (the checked values: UUIDs lower-case) when there are no problems, else as typed. */
  readonly target: RequestTarget;
  readonly problems: readonly QueryProblem[];
}

/**
 * The request a query makes for `userId` and what stops it. The form previews it, the panel shows
 * it and the API client sends it: one builder, so what is shown is what is sent. Without a user
 * (nobody signed in yet) the path keeps its `{user_id}` placeholder.
 */
export function planRequest(spec: QuerySpec, userId?: string): PlannedRequest {
  const checked = querySpecSchema.safeParse(spec);
  const user = userId === undefined ? undefined : uuidRule.safeParse(userId);
  const problems: QueryProblem[] = checked.success ? [] : queryProblems(spec);
  if (user && !user.success)
    problems.unshift(ruleProblem('userId', predicateText(user.error.issues[0]?.message ?? '')));
  const target = targetOf(checked.success ? checked.data : spec, user?.success ? user.data : userId);
  return { target, problems };
}

/** `path?query` of a target, encoded as the request line carries it. */
export function requestPath(target: RequestTarget): string {
  const search = new URLSearchParams(target.query.map(([name, value]): [string, string] => [name, value])).toString();
  return search ? `${target.path}?${search}` : target.path;
}

/** A spec from loose parts (the API client's untyped entry): absent values are left out. */
export function specOf(
  route: RouteId,
  metric: string | undefined,
  query: Readonly<Record<string, unknown>> | undefined,
): QuerySpec {
  const params = Object.fromEntries(Object.entries(query ?? {}).filter(([, value]) => value !== undefined));
  return { route, ...(metric !== undefined ? { metric } : {}), params };
}
