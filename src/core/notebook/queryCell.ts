/**
 * A query cell: `route:`, `metric:` (quantity), `account:` (an account's name as the Accounts view
 * shows it, never a token), `fetch:` (`page`, the default, or `all` pages) and the route's parameters, one `name: value` per line, any value may
 * use the notebook's variables (`{{from}}`). It is checked by the route descriptions
 * (`queryProblems`), so the messages are the query form's, each placed on its line.
 */
import { routeById, ROUTES, type QueryParams, type QuerySpec, type RouteId } from '../routes';
import { queryProblems } from '../routes/request';
import { entriesOf, VARIABLE_NAMES, type Entry, type LineProblem, type Variables } from './settings';

/** Keys of a query cell that are not parameters of the route. */
export const CELL_KEYS = ['route', 'metric', 'account', 'fetch'] as const;

/** How much a cell asks for: the page its parameters name, or every page from it on. */
export const FETCH_MODES = ['page', 'all'] as const;
const FETCH_MESSAGE = `fetch must be ${FETCH_MODES.join(' or ')}.`;

export interface QueryCell {
  /** The query to send: only when there are no problems. */
  readonly spec: QuerySpec | undefined;
  /** The account's name after variables; undefined when the cell names none. */
  readonly account: string | undefined;
  readonly problems: readonly LineProblem[];
  /** `fetch: all`: every page, with the query panel's plan and quota check. */
  readonly fetchAll: boolean;
  /** The cell's lines as read, for completion. */
  readonly entries: readonly Entry[];
}

const VARIABLE = /\{\{\s*([A-Za-z_]\w*)\s*\}\}/g;

/** `value` with its `{{name}}`s filled in from `variables`, and what could not be filled. */
export function substitute(value: string, variables: Variables): { value: string; missing: string[] } {
  const missing: string[] = [];
  const filled = value.replace(VARIABLE, (whole, name: string) => {
    const known = (VARIABLE_NAMES as readonly string[]).includes(name);
    const found = known ? variables[name as keyof Variables] : undefined;
    if (found === undefined) missing.push(name);
    return found ?? whole;
  });
  return { value: filled, missing };
}

function missingMessage(name: string): string {
  return (VARIABLE_NAMES as readonly string[]).includes(name)
    ? `{{${name}}} is not set: give ${name} a value in the notebook's settings (the front matter).`
    : `{{${name}}} is not a notebook variable (${VARIABLE_NAMES.map((n) => `{{${n}}}`).join(', ')}).`;
}

/** A parameter's value as its form field would hold it: numbers and flags typed, the rest text. */
function typedValue(route: RouteId | undefined, name: string, value: string): unknown {
  const param = route && routeById(route).params.find((p) => p.name === name);
  if (param?.input === 'number' && /^[+-]?\d+(\.\d+)?$/.test(value)) return Number(value);
  if (param?.input === 'checkbox' && (value === 'true' || value === 'false')) return value === 'true';
  return value;
}

export function parseQueryCell(text: string, variables: Variables): QueryCell {
  const { entries, problems } = entriesOf(text);
  const filled = new Map<string, { line: number; value: string }>();
  for (const entry of entries) {
    const { value, missing } = substitute(entry.value, variables);
    for (const name of missing) problems.push({ line: entry.line, field: entry.key, message: missingMessage(name) });
    filled.set(entry.key, { line: entry.line, value });
  }
  const routeValue = filled.get('route')?.value;
  const route = ROUTES.find((r) => r.id === routeValue)?.id;
  const params: Record<string, unknown> = {};
  for (const [key, { value }] of filled)
    if (!(CELL_KEYS as readonly string[]).includes(key)) params[key] = typedValue(route, key, value);
  const metric = filled.get('metric');
  const candidate = { route: routeValue, ...(metric ? { metric: metric.value } : {}), params };
  const unfilled = new Set(problems.map((p) => p.field));
  for (const problem of queryProblems(candidate)) {
    // A value still holding a variable that is not set already has its problem.
    if (unfilled.has(problem.field)) continue;
    const line = filled.get(problem.field)?.line ?? 0;
    problems.push({ line, field: problem.field, message: problem.message, text: problem.text });
  }
  const fetch = filled.get('fetch');
  if (fetch && !(FETCH_MODES as readonly string[]).includes(fetch.value))
    problems.push({ line: fetch.line, field: 'fetch', message: FETCH_MESSAGE });
  const account = filled.get('account')?.value ?? variables.account;
  return {
    spec: problems.length === 0 ? (candidate as QuerySpec) : undefined,
    account: account === '' ? undefined : account,
    problems,
    fetchAll: fetch?.value === 'all',
    entries,
  };
}

/** A query cell's text for a query (what "Open in notebook" and the tests write). */
export function queryCellText(spec: QuerySpec, account?: string): string {
  const lines = [`route: ${spec.route}`];
  if (spec.metric !== undefined) lines.push(`metric: ${spec.metric}`);
  if (account !== undefined) lines.push(`account: ${account}`);
  const values = spec.params as Readonly<Record<string, QueryParams[keyof QueryParams]>>;
  for (const param of routeById(spec.route).params) {
    const value = values[param.name];
    if (value !== undefined) lines.push(`${param.name}: ${String(value)}`);
  }
  return lines.join('\n');
}
