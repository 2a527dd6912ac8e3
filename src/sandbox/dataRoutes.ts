import type { IncomingMessage } from 'http';
import type { RouteId, Scope } from '../core/routes';
import type { QuotaBudgets } from './budgets';
import { ByteWriter } from './byteWriter';
import { labMetricByName, WORKOUT_TYPES } from './catalogue';
import type { IntakeItem, UserDataset } from './data/dataset';
import type { DemoUser } from './demoAccounts';
import type { PagingStyle } from './dialects';
import { badParameter, decodeOr400, HttpError, quoted } from './errors';
import type { GrantStore, TokenGrant } from './oauth/grants';
import { canonicalMetric, closestMetric } from './metricSpellings';
import { booleanParam, isUuid, parseListQuery, single, type ListQuery } from './query';
import { limitHeaders, limitJson, type QuotaState } from './quota';
import { timeRange, type RecordSeries } from './series';

interface RouteMatch {
  readonly id: RouteId;
  readonly userId: string;
  /** Only the quantity route has one (its regular expression's second group). */
  readonly metric?: string | undefined;
}

/** Which scope guards each route; the docs name none for supplements, medications and labs. */
const ROUTE_SCOPES: Record<RouteId, Scope> = {
  quantity: 'quantity',
  sleep: 'sleep',
  workout: 'workout',
  profile: 'profile',
  supplements: 'profile',
  medications: 'profile',
  labs: 'profile',
};

const PATTERNS: readonly [RegExp, RouteId][] = [
  [/^\/api\/v1\/quantity\/([^/]+)\/([^/]+)$/, 'quantity'],
  [/^\/api\/v1\/sleep\/([^/]+)$/, 'sleep'],
  // The docs' own next_page links drop /v1 for workout and labs; both spellings are served.
  [/^\/api(?:\/v1)?\/workout\/user\/([^/]+)$/, 'workout'],
  [/^\/api\/v1\/profile\/([^/]+)$/, 'profile'],
  [/^\/api\/v1\/supplements\/([^/]+)$/, 'supplements'],
  [/^\/api\/v1\/medications\/([^/]+)$/, 'medications'],
  [/^\/api(?:\/v1)?\/labs\/user\/([^/]+)$/, 'labs'],
];

export function matchDataRoute(pathname: string): RouteMatch | undefined {
  for (const [pattern, id] of PATTERNS) {
    const m = pattern.exec(pathname);
    if (m) return { id, userId: m[1]!, metric: m[2] };
  }
  return undefined;
}

const REALM = 'realm="OneTwentyOne"';
const CLOSE_DATA = Buffer.from(']}');

function authenticate(req: IncomingMessage, grants: GrantStore): TokenGrant {
  const header = req.headers.authorization;
  const m = header ? /^Bearer[ ]+([\x21-\x7e]+)[ ]*$/i.exec(header) : null;
  if (!m) {
    // RFC 6750 §3.1: a request without credentials gets the challenge but no error code.
    throw new HttpError(
      401,
      'unauthorized',
      'Send Authorization: Bearer <access token or personal access token>',
      {},
      { 'WWW-Authenticate': `Bearer ${REALM}` },
    );
  }
  const check = grants.checkBearer(m[1]!);
  if (check.ok) return check.grant;
  const description =
    check.reason === 'expired'
      ? 'The access token expired'
      : check.reason === 'revoked'
        ? 'The access token was revoked'
        : 'The access token is not valid';
  throw new HttpError(
    401,
    'invalid_token',
    description,
    {},
    {
      'WWW-Authenticate': `Bearer ${REALM}, error="invalid_token", error_description="${description}"`,
    },
  );
}

export interface LinkFault {
  readonly mode: 'foreign' | 'loop' | 'self' | 'missing';
  readonly foreignOrigin: string;
}

export interface DataReply {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string | Buffer;
  readonly quota?: QuotaState;
}

export interface DataContext {
  readonly grants: GrantStore;
  readonly budgets: QuotaBudgets;
  readonly users: ReadonlyMap<string, DemoUser>;
  readonly paging: PagingStyle;
  dataset(user: DemoUser): UserDataset;
}

/** What a page's envelope is written from, besides its records. */
interface PageRequest {
  readonly url: URL;
  /** `http://` and the Host the request was addressed to (already checked to be this sandbox). */
  readonly origin: string;
  readonly match: RouteMatch;
  readonly ctx: DataContext;
  readonly linkFault: LinkFault | undefined;
}

function pageLink(url: URL, page: number, pageSize: number): string {
  const params = new URLSearchParams(url.searchParams);
  params.delete('page');
  params.delete('pageSize');
  params.set('page', String(page));
  params.set('pageSize', String(pageSize));
  return `${url.pathname}?${params.toString()}`;
}

function paginationJson(page: PageRequest, q: ListQuery, total: number): string {
  const { url, linkFault: fault } = page;
  const style = page.ctx.paging;
  const hasMore = q.page * q.pageSize < total;
  let next = hasMore && !style.nextLinkDropped(q.page) ? pageLink(url, q.page + 1, q.pageSize) : undefined;
  const prev = q.page > 1 ? pageLink(url, q.page - 1, q.pageSize) : undefined;
  let more = hasMore;
  if (fault) {
    more = true;
    next =
      fault.mode === 'foreign'
        ? `${fault.foreignOrigin}${pageLink(url, q.page + 1, q.pageSize)}`
        : fault.mode === 'loop'
          ? pageLink(url, 1, q.pageSize)
          : fault.mode === 'self'
            ? pageLink(url, q.page, q.pageSize)
            : undefined;
  }
  const link = (name: string, target: string | undefined): string => {
    if (target === undefined) return style.omitAbsentLinks ? '' : `,"${name}":null`;
    const written = style.absoluteLinks && target.startsWith('/') ? `${page.origin}${target}` : target;
    return `,"${name}":${JSON.stringify(written)}`;
  };
  return `{"current_page":${q.page},"has_more":${more}${link('next_page', next)}${link('prev_page', prev)}}`;
}

/**
 * The records of one page as JSON bytes, walking indices so only this page's records are generated.
 * `head` (given the total) is written first into the same buffer, so the page is never copied.
 */
export function pageOfSeries(
  series: RecordSeries,
  q: ListQuery,
  head?: (total: number) => string,
): { total: number; json: Buffer } {
  const { from, to } = timeRange(series, q.startMs, q.endMs);
  const total = to - from;
  const skip = (q.page - 1) * q.pageSize;
  const count = Math.max(0, Math.min(q.pageSize, total - skip));
  const out = new ByteWriter(Math.max(1024, count * 110 + 1024));
  if (head) out.text(head(total));
  if (series.writeRange && count > 0) {
    series.writeRange(q.sort === 'asc' ? from + skip : to - 1 - skip, count, q.sort === 'desc', out);
  } else {
    for (let k = 0; k < count; k++) {
      if (k > 0) out.byte(44);
      const i = q.sort === 'asc' ? from + skip + k : to - 1 - skip - k;
      if (series.writeAt) series.writeAt(i, out);
      else out.text(series.jsonAt(i));
    }
  }
  if (head) out.text(']}');
  return { total, json: out.result() };
}

/**
 * Supplements and medications: one item per product, its `logs` filtered by the date range and
 * ordered like the items. Items are ordered by their latest log (desc) or earliest log (asc);
 * products without a log in range are left out.
 */
function pageOfIntake(
  items: readonly IntakeItem[],
  q: ListQuery,
  idParam: string | undefined,
): { total: number; json: Buffer } {
  const kept = items
    .filter((item) => idParam === undefined || item.id === idParam)
    .map((item) => {
      const logs = item.logs.filter(
        (l) => (q.startMs === undefined || l.time >= q.startMs) && (q.endMs === undefined || l.time <= q.endMs),
      );
      if (q.sort === 'desc') logs.reverse();
      return { item, logs };
    })
    .filter((e) => e.logs.length > 0)
    .sort((a, b) => (a.logs[0]!.time - b.logs[0]!.time) * (q.sort === 'asc' ? 1 : -1));
  const slice = kept.slice((q.page - 1) * q.pageSize, q.page * q.pageSize);
  const json = slice
    .map(
      ({ item, logs }) =>
        `{"id":"${item.id}","details":${item.detailsJson},"logs":[${logs.map((l) => l.json).join(',')}]}`,
    )
    .join(',');
  return { total: kept.length, json: Buffer.from(json) };
}

function optionalName(
  params: URLSearchParams,
  name: string,
  valid: (v: string) => boolean,
  what: string,
): string | undefined {
  const raw = single(params, name);
  if (raw === undefined) return undefined;
  if (!valid(raw)) throw badParameter(name, `${name} must be ${what}; got ${quoted(raw)}`);
  return raw;
}

/** Everything between the route match and the bytes: auth, scope, user, parameters, quota, page. */
export function serveData(
  req: IncomingMessage,
  url: URL,
  match: RouteMatch,
  ctx: DataContext,
  linkFault: LinkFault | undefined,
): DataReply {
  if (req.method !== 'GET') {
    throw new HttpError(405, 'method_not_allowed', 'Data routes only answer GET', {}, { Allow: 'GET' });
  }
  const grant = authenticate(req, ctx.grants);
  if (!isUuid(match.userId))
    throw badParameter(
      'user_id',
      `user_id must be a UUID such as 123e4567-e89b-12d3-a456-426614174000; got ${quoted(match.userId)}`,
    );
  const scope = ROUTE_SCOPES[match.id];
  if (!grant.scopes.includes(scope)) {
    throw new HttpError(
      403,
      'insufficient_scope',
      `This route needs the ${scope} scope, which this token was not granted`,
      { scope },
      {
        'WWW-Authenticate': `Bearer ${REALM}, error="insufficient_scope", scope="${scope}"`,
      },
    );
  }
  const user = ctx.users.get(match.userId.toLowerCase());
  if (!user) throw new HttpError(404, 'not_found', 'No user with this user_id');
  if (user.userId !== grant.userId)
    throw new HttpError(403, 'forbidden', "This token belongs to another user and cannot read this user's data");

  const params = url.searchParams;
  const data = ctx.dataset(user);
  const page: PageRequest = { url, origin: `http://${req.headers.host ?? '127.0.0.1'}`, match, ctx, linkFault };
  switch (match.id) {
    case 'quantity': {
      const metric = knownMetric(decodeOr400(match.metric ?? '', 'metric'));
      const q = parseListQuery(params);
      return finish(page, q, data.quantity(metric));
    }
    case 'sleep': {
      const stages = booleanParam(params, 'include_stages');
      const metrics = booleanParam(params, 'include_metrics');
      const q = parseListQuery(params);
      return finish(page, q, data.sleep({ stages, metrics }));
    }
    case 'workout': {
      const type = optionalName(
        params,
        'type',
        (v) => WORKOUT_TYPES.includes(v),
        'a HealthKit workout type such as traditionalStrengthTraining',
      );
      const q = parseListQuery(params);
      return finish(page, q, data.workouts(type));
    }
    case 'labs': {
      const type = optionalName(
        params,
        'type',
        (v) => labMetricByName(v) !== undefined,
        'a lab metric such as serumALT',
      );
      const q = parseListQuery(params, 'date');
      return finish(page, q, data.labs(type));
    }
    case 'supplements':
    case 'medications': {
      const idName = match.id === 'supplements' ? 'supplementID' : 'medicationID';
      const id = optionalName(params, idName, isUuid, 'a UUID');
      const q = parseListQuery(params);
      const items = match.id === 'supplements' ? data.supplements() : data.medications();
      return finish(page, q, pageOfIntake(items, q, id));
    }
    case 'profile': {
      const quota = spendOrRefuse(ctx, match);
      return {
        status: 200,
        headers: limitHeaders(quota),
        body: `{"limit":${limitJson(quota)},"data":${data.profileJson(grant.scopes)}}`,
        quota,
      };
    }
  }
}

type PageSource = RecordSeries | { total: number; json: Buffer };

/** The catalogue's name of a metric in any spelling the sandbox serves; a 400 naming the closest one otherwise. */
function knownMetric(metric: string): string {
  const known = canonicalMetric(metric);
  if (known !== undefined) return known;
  const suggestion = closestMetric(metric);
  throw badParameter(
    'metric',
    suggestion === undefined
      ? `Unknown metric ${quoted(metric)}: not an allowed metric (names like stepCount, heartRate, vo2Max)`
      : `Unknown metric ${quoted(metric)}. Did you mean ${JSON.stringify(suggestion)}?`,
  );
}

function finish(page: PageRequest, q: ListQuery, source: PageSource): DataReply {
  const { match, ctx } = page;
  const quota = spendOrRefuse(ctx, match);
  // The labs example shows no `limit` object; the headers still carry the values.
  const limitPart = match.id === 'labs' ? '' : `"limit":${limitJson(quota)},`;
  const head = (total: number): string => `{"pagination":${paginationJson(page, q, total)},${limitPart}"data":[`;
  const body =
    'timeAt' in source
      ? pageOfSeries(source, q, head).json
      : Buffer.concat([Buffer.from(head(source.total)), source.json, CLOSE_DATA]);
  return { status: 200, headers: limitHeaders(quota), body, quota };
}

function spendOrRefuse(ctx: DataContext, match: RouteMatch): QuotaState {
  const userId = match.userId.toLowerCase();
  const budget = ctx.budgets.of(match.id);
  if (!budget.spends) return budget.quota.peek(userId);
  const spent = budget.quota.spend(userId);
  if (spent) return spent;
  const state = budget.quota.peek(userId);
  const resetIso = new Date(state.resetSeconds * 1000).toISOString().replace('.000Z', 'Z');
  throw new HttpError(
    429,
    'rate_limit_exceeded',
    `Daily limit of ${state.limit} requests reached; it resets at ${resetIso}`,
    {
      limit: { 'X-RateLimit-Limit': state.limit, 'X-RateLimit-Remaining': 0, 'X-RateLimit-Reset': state.resetSeconds },
    },
    { ...limitHeaders(state), 'Retry-After': String(state.retryAfterSeconds) },
  );
}
