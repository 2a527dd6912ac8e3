import { RECORD_SCHEMAS } from '../api/schemas';
import { routeById, type RouteId } from '../routes';
import { compareShapes, expectedShape, seenShape, type FieldRow } from './fieldShapes';

/**
 * The API compatibility report: from one small answer per route, the shapes the API sends against
 * what the explorer expects, as Markdown a developer can attach to a bug report. Shapes only: key
 * names, JSON types and forms (a link is "relative", a header "an integer"), never a value, a token,
 * a user id or a URL taken from a response.
 */

/** One route's answer, as the check received it. */
export interface RouteProbe {
  readonly route: RouteId;
  /** HTTP status; absent when no answer came. */
  readonly status?: number | undefined;
  /** The parsed JSON body; undefined when there was none or it was not JSON. */
  readonly body?: unknown;
  /** Response headers, names lower-cased (only their names and value forms are reported). */
  readonly headers: Readonly<Record<string, string>>;
  /** Why the request failed, in words that hold no value from the response (an error code). */
  readonly failure?: string | undefined;
}

export interface CompatInput {
  readonly environment: string;
  readonly origin: string;
  readonly accountKind: 'oauth' | 'pat';
  /** The token body format the token endpoint read in this window; undefined when it was not used. */
  readonly tokenBodyEncoding: 'json' | 'form' | undefined;
  readonly probes: readonly RouteProbe[];
}

export interface RouteFindings {
  readonly route: RouteId;
  readonly answer: string;
  readonly envelope: string;
  readonly pagination: string | undefined;
  readonly rateLimit: string;
  readonly fields: readonly FieldRow[];
  /** What differs from what the explorer expects, one line each. */
  readonly flags: readonly string[];
}

const EXPECTED_LIMIT_KEYS = ['X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset'];

function typeName(value: unknown): string {
  if (value === undefined) return 'omitted';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The form of a pagination link, never the link. */
export function linkForm(value: unknown, origin: string): string {
  if (typeof value !== 'string') return typeName(value);
  if (/^[a-z][a-z0-9+.-]*:/i.test(value)) {
    try {
      return new URL(value).origin === origin ? 'absolute URL, same origin' : 'absolute URL, another origin or scheme';
    } catch {
      return 'absolute URL, unreadable';
    }
  }
  if (value.startsWith('/')) return 'relative path';
  if (value.startsWith('?')) return 'relative query';
  return 'relative, other form';
}

function paginationFindings(body: Record<string, unknown>, origin: string, flags: string[]): string {
  const pagination = body.pagination;
  if (!isRecord(pagination)) {
    flags.push(`pagination is ${typeName(pagination)}, expected an object`);
    return `\`pagination\` ${typeName(pagination)}`;
  }
  const hasMore = pagination.has_more;
  const next = linkForm(pagination.next_page, origin);
  const prev = linkForm(pagination.prev_page, origin);
  if (typeof hasMore !== 'boolean') flags.push(`has_more is ${typeName(hasMore)}, expected boolean`);
  if (typeof pagination.current_page !== 'number')
    flags.push(`current_page is ${typeName(pagination.current_page)}, expected number`);
  if (hasMore === true && (next === 'omitted' || next === 'null'))
    flags.push(`has_more is true with next_page ${next}: the explorer continues with page + 1`);
  if (next === 'absolute URL, another origin or scheme')
    flags.push('next_page is an absolute URL on another origin or scheme: only its page number is used');
  for (const [name, form] of [
    ['next_page', next],
    ['prev_page', prev],
  ] as const) {
    if (form === 'omitted') flags.push(`${name} is omitted rather than null (accepted)`);
  }
  const other = Object.keys(pagination).filter(
    (k) => !['current_page', 'has_more', 'next_page', 'prev_page'].includes(k),
  );
  return [
    `current_page ${typeName(pagination.current_page)}`,
    `has_more ${typeName(hasMore)}${typeof hasMore === 'boolean' ? ` (${String(hasMore)})` : ''}`,
    `next_page ${next}`,
    `prev_page ${prev}`,
    ...(other.length > 0 ? [`other keys: ${other.map(safeKey).join(', ')}`] : []),
  ].join('; ');
}

function valueForm(value: string): string {
  if (/^\d+$/.test(value.trim())) return 'integer';
  if (/^\d+\.\d+$/.test(value.trim())) return 'decimal';
  return Number.isNaN(Date.parse(value)) ? 'other text' : 'HTTP date';
}

function rateLimitFindings(probe: RouteProbe, body: Record<string, unknown> | undefined, flags: string[]): string {
  const parts: string[] = [];
  const limit = body?.limit;
  if (limit === undefined) parts.push('no `limit` object in the body');
  else if (!isRecord(limit)) {
    parts.push(`\`limit\` ${typeName(limit)}`);
    flags.push(`limit is ${typeName(limit)}, expected an object`);
  } else {
    parts.push(
      `\`limit\` object: ${Object.entries(limit)
        .map(([k, v]) => `${safeKey(k)} ${typeName(v)}`)
        .join(', ')}`,
    );
    for (const key of EXPECTED_LIMIT_KEYS) {
      if (typeof limit[key] !== 'number') flags.push(`limit.${key} is ${typeName(limit[key])}, expected number`);
    }
  }
  const headers = Object.entries(probe.headers)
    .filter(([name]) => /ratelimit|rate-limit|retry-after/i.test(name))
    .map(([name, value]) => `${safeKey(name)} (${valueForm(value)})`);
  parts.push(headers.length > 0 ? `headers: ${headers.join(', ')}` : 'no rate-limit headers');
  return parts.join('; ');
}

/** A key as the report may print it: a field name, or `{key}` when it could be a value. */
function safeKey(key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_-]{0,47}$/.test(key) && !/^[0-9a-f]{8}-/i.test(key) ? key : '{key}';
}

export function routeFindings(probe: RouteProbe, origin: string): RouteFindings {
  const route = routeById(probe.route);
  const flags: string[] = [];
  const status = probe.status === undefined ? 'no answer' : `HTTP ${probe.status}`;
  if (probe.failure !== undefined || !isRecord(probe.body)) {
    const why = probe.failure ?? (probe.body === undefined ? 'the body is not JSON' : 'the body is not an object');
    if (probe.status !== 403) flags.push(`the request failed: ${why}`);
    return {
      route: probe.route,
      answer: `${status}: ${why}`,
      envelope: '—',
      pagination: undefined,
      rateLimit: probe.body === undefined ? '—' : rateLimitFindings(probe, undefined, flags),
      fields: [],
      flags,
    };
  }
  const body = probe.body;
  const envelope = Object.entries(body)
    .map(([k, v]) => `\`${safeKey(k)}\` ${typeName(v)}`)
    .join(', ');
  const data = body.data;
  const records = route.paginated ? (Array.isArray(data) ? data : []) : isRecord(data) ? [data] : [];
  if (route.paginated && !Array.isArray(data)) flags.push(`data is ${typeName(data)}, expected an array`);
  if (!route.paginated && !isRecord(data)) flags.push(`data is ${typeName(data)}, expected an object`);
  if (route.paginated && records.length > 1) flags.push(`pageSize 1 answered with ${records.length} records`);
  const expected = expectedShape(RECORD_SCHEMAS[probe.route]);
  const fields = compareShapes(expected, seenShape(records, expected), records.length);
  for (const row of fields) {
    if (row.status === 'differs') flags.push(`${row.path}: expected ${row.expected}, seen ${row.seen}`);
    if (row.status === 'missing') flags.push(`${row.path}: expected ${row.expected}, missing`);
  }
  const recordWord = records.length === 1 ? 'record' : 'records';
  return {
    route: probe.route,
    answer: `${status}, ${records.length} ${route.paginated ? recordWord : 'object'}`,
    envelope,
    pagination: route.paginated ? paginationFindings(body, origin, flags) : undefined,
    rateLimit: rateLimitFindings(probe, body, flags),
    fields,
    flags,
  };
}

function tokenBodyLine(input: CompatInput): string {
  if (input.accountKind === 'pat') return 'not used (a personal access token)';
  if (input.tokenBodyEncoding === 'form') return 'form-encoded (the JSON body was not read)';
  if (input.tokenBodyEncoding === 'json') return 'JSON';
  return 'not used in this window yet (JSON is tried first)';
}

const cell = (text: string): string => text.replace(/\|/g, '\\|');

export function compatibilityReport(input: CompatInput): string {
  const findings = input.probes.map((p) => routeFindings(p, input.origin));
  const flagged = findings.flatMap((f) => f.flags.map((flag) => `- ${f.route}: ${flag}`));
  const lines = [
    '# OneTwentyOne API compatibility report',
    '',
    'Shapes only: field names, JSON types and forms. No values, tokens or user IDs.',
    '',
    `- Environment: ${input.environment} (${input.origin})`,
    `- Account: ${input.accountKind === 'oauth' ? 'signed in (OAuth)' : 'personal access token'}`,
    `- Token request body: ${tokenBodyLine(input)}`,
    `- Routes checked: ${findings.map((f) => f.route).join(', ') || 'none'} (one request each, pageSize 1)`,
    '',
    '## What differs from what the explorer expects',
    '',
    ...(flagged.length > 0 ? flagged : ['Nothing: every answer has the shapes the explorer expects.']),
  ];
  for (const f of findings) {
    const route = routeById(f.route);
    lines.push('', `## ${route.label}: \`${route.method} ${route.pathTemplate}\``, '');
    lines.push(`- Answer: ${f.answer}`, `- Envelope: ${f.envelope}`);
    if (f.pagination !== undefined) lines.push(`- Pagination: ${f.pagination}`);
    lines.push(`- Rate limit: ${f.rateLimit}`);
    if (f.fields.length > 0) {
      lines.push('', '| Field | Expected | Seen | |', '| --- | --- | --- | --- |');
      for (const row of f.fields)
        lines.push(`| \`${cell(row.path)}\` | ${cell(row.expected)} | ${cell(row.seen)} | ${row.status} |`);
    }
  }
  return `${lines.join('\n')}\n`;
}
