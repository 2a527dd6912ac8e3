import { MAX_PAGE_SIZE, type QuerySpec } from '../../core/routes';
import { queryProblems, querySpecSchema } from '../../core/routes/request';
import { scrubbed } from './resultText';
import { bucketCountCap, daysBetween, type SummaryBucket, SUMMARY_BUCKETS } from './summaryBuckets';

/**
 * The inputs of the query and summary tools, checked with the query form's own rules
 * (`queryProblems`: one schema per route) plus the tools' caps. A refusal names each parameter and what is allowed, so the
 * model can correct its call; nothing is sent for a refused input.
 */

/** Most records one run_query result carries (the page size it may ask for). */
export const QUERY_RECORD_CAP = 100;
/** Requests one summary may spend unless the model asks for fewer. */
export const DEFAULT_SUMMARY_REQUESTS = 20;
/** Most requests one summary may spend. */
export const MAX_SUMMARY_REQUESTS = 100;

/** Parameters of the tools themselves; every other key is a query parameter the route's schema checks. */
const TOOL_KEYS = ['account', 'route', 'metric'];
const SUMMARY_KEYS = ['account', 'metric', 'startDate', 'endDate', 'bucket', 'maxRequests'];

export interface QueryToolInput {
  readonly account: string | undefined;
  readonly query: QuerySpec;
}

export interface SummaryToolInput {
  readonly account: string | undefined;
  readonly metric: string;
  readonly startDate: string;
  readonly endDate: string;
  readonly bucket: SummaryBucket;
  readonly maxRequests: number;
}

export type Checked<T> = { readonly ok: T } | { readonly problems: readonly string[] };

const problem = (name: string, text: string) => `Parameter "${name}": ${text}`;

/** The query form's own checks (one schema per route), worded for a model. */
function formProblems(spec: unknown): string[] {
  return queryProblems(spec).map((p) => problem(p.field, p.message));
}

function asRecord(input: unknown): Record<string, unknown> | undefined {
  return typeof input === 'object' && input !== null && !Array.isArray(input)
    ? (input as Record<string, unknown>)
    : undefined;
}

function optionalString(record: Record<string, unknown>, name: string, problems: string[]): string | undefined {
  const value = record[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') {
    problems.push(problem(name, 'must be a string.'));
    return undefined;
  }
  return value.trim() === '' ? undefined : value.trim();
}

export function checkQueryInput(input: unknown): Checked<QueryToolInput> {
  const record = asRecord(input);
  if (!record) return { problems: ['The input must be a JSON object of parameters.'] };
  const problems: string[] = [];
  const account = optionalString(record, 'account', problems);
  const params = Object.fromEntries(
    Object.entries(record).filter(([key, value]) => !TOOL_KEYS.includes(key) && value !== undefined && value !== null),
  );
  const metric = record['metric'];
  const spec = { route: record['route'], ...(metric !== undefined && metric !== null ? { metric } : {}), params };
  problems.push(...formProblems(spec));
  const pageSize = params['pageSize'];
  if (typeof pageSize === 'number' && pageSize > QUERY_RECORD_CAP)
    problems.push(
      problem(
        'pageSize',
        `this tool returns at most ${QUERY_RECORD_CAP} records, so pageSize is 1 to ${QUERY_RECORD_CAP}; for totals or averages over many records use onetwentyone_summarize_metric.`,
      ),
    );
  return problems.length ? { problems } : { ok: { account, query: querySpecSchema.parse(spec) } };
}

export function checkSummaryInput(input: unknown): Checked<SummaryToolInput> {
  const record = asRecord(input);
  if (!record) return { problems: ['The input must be a JSON object of parameters.'] };
  const problems: string[] = [];
  for (const key of Object.keys(record))
    if (!SUMMARY_KEYS.includes(key) && record[key] !== undefined)
      problems.push(problem(key.slice(0, 40), `not a parameter of this tool; allowed: ${SUMMARY_KEYS.join(', ')}.`));
  const account = optionalString(record, 'account', problems);
  const metric = optionalString(record, 'metric', problems);
  const startDate = optionalString(record, 'startDate', problems);
  const endDate = optionalString(record, 'endDate', problems);
  if (metric === undefined) problems.push(problem('metric', 'required: a quantity metric such as stepCount.'));
  if (startDate === undefined) problems.push(problem('startDate', 'required: an ISO 8601 date such as 2024-01-01.'));
  if (endDate === undefined) problems.push(problem('endDate', 'required: an ISO 8601 date such as 2024-12-31.'));
  const bucketValue = record['bucket'] ?? 'week';
  const bucket = SUMMARY_BUCKETS.find((b) => b === bucketValue);
  if (!bucket) problems.push(problem('bucket', `must be one of ${SUMMARY_BUCKETS.join(', ')}.`));
  const requestsValue = record['maxRequests'] ?? DEFAULT_SUMMARY_REQUESTS;
  const maxRequests =
    typeof requestsValue === 'number' &&
    Number.isInteger(requestsValue) &&
    requestsValue >= 1 &&
    requestsValue <= MAX_SUMMARY_REQUESTS
      ? requestsValue
      : undefined;
  if (maxRequests === undefined)
    problems.push(problem('maxRequests', `must be a whole number from 1 to ${MAX_SUMMARY_REQUESTS}.`));
  if (metric === undefined || startDate === undefined || endDate === undefined || !bucket || !maxRequests)
    return { problems };
  problems.push(
    ...formProblems({ route: 'quantity', metric, params: { startDate, endDate, pageSize: MAX_PAGE_SIZE } }),
  );
  if (!problems.length) {
    const cap = bucketCountCap(bucket);
    const days = daysBetween(startDate, endDate);
    if (cap !== undefined && days > cap.days)
      problems.push(
        problem(
          'bucket',
          `${days} days by ${bucket} would be more than ${cap.buckets} buckets (the result's cap); use a larger bucket (${cap.larger}) or a shorter range.`,
        ),
      );
  }
  return problems.length ? { problems } : { ok: { account, metric, startDate, endDate, bucket, maxRequests } };
}

/** The refusal text for the model: what to fix, and that nothing was sent. */
export function refusal(problems: readonly string[]): string {
  // A refusal may quote the input; whatever the model passed that looks like a token does not come back.
  return scrubbed(
    [
      'Nothing was sent to the API. Fix these parameters and call the tool again:',
      ...problems.map((p) => `- ${p}`),
    ].join('\n'),
  );
}
