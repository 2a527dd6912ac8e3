import { z } from 'zod';
import { MAX_SHOWN_DEPTH, nestedDeeperThan } from '../dataset/deepJson';
import { localizable, renderText, textOf, type LocalizableText } from '../localizable';
import type { RouteId } from '../routes';
import { ApiError } from './errors';
import { limitSchema, paginationSchema, RECORD_SCHEMAS, type LimitObject, type Pagination } from './schemas';

/**
 * Checks a parsed response body against the route's schemas and returns the envelope parts with
 * drift warnings (docs/reliability.md, "Responses and paging"). Records are returned exactly as parsed.
 */

export interface SchemaWarning {
  /** JSON path of the first occurrence, e.g. `data[3].value`. */
  readonly path: string;
  /** e.g. `expected number, got string`. */
  readonly message: string;
  /** How many records showed the same problem at the same place. */
  readonly count: number;
}

export interface CheckedEnvelope {
  /** Absent when the route is not paginated, or the block is missing or unusable (see warnings). */
  readonly pagination?: Pagination;
  readonly limit?: LimitObject;
  /** The records (list routes) or the object (profile), exactly as parsed: unknown fields kept. */
  readonly data: unknown;
  readonly warnings: readonly SchemaWarning[];
}

const MAX_WARNINGS = 50;

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = root;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

export function formatPath(prefix: string, path: readonly PropertyKey[]): string {
  let out = prefix;
  for (const key of path) {
    if (typeof key === 'number' || (typeof key === 'string' && /^\d+$/.test(key))) out += `[${String(key)}]`;
    else if (typeof key === 'string' && /^[A-Za-z_$][\w$]*$/.test(key)) out += out ? `.${key}` : key;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out;
}

/**
 * The sentences of the drift this module describes, marked for translation, most specific first.
 * A warning carries its English only (it crosses to the page worker and back as plain data), so
 * `warningText` finds its template again from it. Type and format names (`number`, `string`) are
 * the schema's and stay as they are.
 */
const DEEP_RECORD_TEMPLATE = localizable(
  'the record is nested deeper than {0} levels: the tree stops there ("nested too deeply"); the raw view and exports keep all of it',
);
const MISSING = localizable('missing (expected {0})');
const WRONG_TYPE = localizable('expected {0}, got {1}');
const NOT_DATE_TIME = localizable('expected an ISO 8601 date-time with a zone');
const NOT_UUID = localizable('expected a UUID');
const TOO_SMALL = localizable('must be at least {0}');
const TOO_BIG = localizable('must be at most {0}');
const WRONG_FORMAT = localizable('expected {0}');
const DRIFT_TEMPLATES = [
  DEEP_RECORD_TEMPLATE,
  MISSING,
  WRONG_TYPE,
  NOT_DATE_TIME,
  NOT_UUID,
  TOO_SMALL,
  TOO_BIG,
  WRONG_FORMAT,
].map((template) => ({ template, pattern: templatePattern(template) }));

function templatePattern(template: string): RegExp {
  const literal = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
  return new RegExp(`^${literal.replace(/\{\d+\}/g, '(.+?)')}$`, 's');
}

/**
 * A warning's message still to be worded: the template it was written from with its values, or
 * the message itself as a text to translate whole (a paging fallback's sentence, marked where it
 * is written; a server's or zod's own words, which no translation names, stay as they came).
 */
export function warningText(message: string): LocalizableText {
  for (const { template, pattern } of DRIFT_TEMPLATES) {
    const values = pattern.exec(message);
    if (values) return textOf(template, ...values.slice(1));
  }
  return textOf(message);
}

function describeIssue(issue: z.core.$ZodIssue, actual: unknown): string {
  switch (issue.code) {
    case 'invalid_type':
      return renderText(
        actual === undefined ? textOf(MISSING, issue.expected) : textOf(WRONG_TYPE, issue.expected, kindOf(actual)),
      );
    case 'invalid_format':
      if (issue.format === 'datetime') return NOT_DATE_TIME;
      if (issue.format === 'guid') return NOT_UUID;
      return renderText(textOf(WRONG_FORMAT, issue.format));
    case 'too_small':
      return renderText(textOf(TOO_SMALL, String(issue.minimum)));
    case 'too_big':
      return renderText(textOf(TOO_BIG, String(issue.maximum)));
    default:
      return issue.message;
  }
}

/** Groups issues by path shape (indices replaced) so 10,000 identical drifts make one warning. */
export class WarningCollector {
  private readonly _byShape = new Map<string, { path: string; message: string; count: number }>();

  /**
   * `indexOffset` is added to the first path index when `root` is a chunk of records that starts
   * at that index of `data`.
   */
  add(prefix: string, root: unknown, issues: readonly z.core.$ZodIssue[], indexOffset = 0): void {
    for (const issue of issues) {
      const message = describeIssue(issue, valueAt(root, issue.path));
      const [head, ...rest] = issue.path;
      const path = indexOffset !== 0 && typeof head === 'number' ? [head + indexOffset, ...rest] : issue.path;
      const shape = `${formatPath(
        prefix,
        path.map((k) => (typeof k === 'number' ? '*' : k)),
      )}|${message}`;
      const existing = this._byShape.get(shape);
      if (existing) existing.count++;
      else if (this._byShape.size < MAX_WARNINGS)
        this._byShape.set(shape, { path: formatPath(prefix, path), message, count: 1 });
    }
  }

  list(): SchemaWarning[] {
    return [...this._byShape.values()];
  }
}

/** The drift reported for a record nested deeper than the tree shows. */
export const DEEP_RECORD_MESSAGE = renderText(textOf(DEEP_RECORD_TEMPLATE, String(MAX_SHOWN_DEPTH)));

/**
 * The record schema with a depth check in front. The check must see the record as parsed: zod
 * strips the fields a schema does not name from what a later refinement gets, and those are where
 * deep nesting hides (the schemas never descend into them). A record nested too deep reports only
 * that; its other drift is not looked for.
 */
function withDepthCheck(record: z.ZodType): z.ZodType {
  return z.preprocess((input: unknown, ctx) => {
    if (nestedDeeperThan(input, MAX_SHOWN_DEPTH))
      ctx.addIssue({ code: 'custom', message: DEEP_RECORD_MESSAGE, input: undefined });
    return input;
  }, record);
}

const arraySchemas = new Map<RouteId, z.ZodType>();

/** The schema of an array of the route's records (made once per route), depth check included. */
export function arraySchemaOf(routeId: RouteId): z.ZodType {
  let schema = arraySchemas.get(routeId);
  if (!schema) {
    schema = withDepthCheck(RECORD_SCHEMAS[routeId]).array();
    arraySchemas.set(routeId, schema);
  }
  return schema;
}

/**
 * Validates a parsed body for `routeId`. Throws `schema` only when the body is unusable; everything
 * else becomes warnings.
 */
export function checkEnvelope(
  routeId: RouteId,
  paginated: boolean,
  body: unknown,
  routeLabel?: string,
): CheckedEnvelope {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new ApiError('schema', `expected a JSON object, got ${kindOf(body)}.`, { route: routeLabel });
  }
  const envelope = body as Record<string, unknown>;
  if (!('data' in envelope)) throw new ApiError('schema', 'the response has no "data" member.', { route: routeLabel });
  const data = envelope.data;
  const collector = new WarningCollector();

  if (paginated) {
    if (!Array.isArray(data))
      throw new ApiError('schema', `data: expected an array of records, got ${kindOf(data)}.`, { route: routeLabel });
  } else if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new ApiError('schema', `data: expected an object, got ${kindOf(data)}.`, { route: routeLabel });
  }

  let pagination: Pagination | undefined;
  if (paginated) {
    const result = paginationSchema.safeParse(envelope.pagination);
    if (result.success) pagination = envelope.pagination as Pagination;
    else collector.add('pagination', envelope.pagination, result.error.issues);
  }

  let limit: LimitObject | undefined;
  if (envelope.limit !== undefined) {
    const result = limitSchema.safeParse(envelope.limit);
    if (result.success) limit = envelope.limit as LimitObject;
    else collector.add('limit', envelope.limit, result.error.issues);
  }

  if (Array.isArray(data)) {
    const checked = arraySchemaOf(routeId).safeParse(data);
    if (!checked.success) collector.add('data', data, checked.error.issues);
  } else {
    const checked = RECORD_SCHEMAS[routeId].safeParse(data);
    if (!checked.success) collector.add('data', data, checked.error.issues);
    if (nestedDeeperThan(data, MAX_SHOWN_DEPTH))
      collector.add('data', data, [{ code: 'custom', message: DEEP_RECORD_MESSAGE, path: [], input: undefined }]);
  }

  return { ...(pagination ? { pagination } : {}), ...(limit ? { limit } : {}), data, warnings: collector.list() };
}

/** One line per warning, for logs and the UI: `data[3].value: expected number, got string (×120)`. */
export function formatWarning(warning: SchemaWarning): string {
  return `${warning.path}: ${warning.message}${warning.count > 1 ? ` (×${warning.count})` : ''}`;
}
