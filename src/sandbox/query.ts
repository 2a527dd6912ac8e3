import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../core/routes';
import { badParameter, quoted } from './errors';

export type SortOrder = 'asc' | 'desc';

export interface ListQuery {
  readonly startMs: number | undefined;
  readonly endMs: number | undefined;
  readonly sort: SortOrder;
  readonly page: number;
  readonly pageSize: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/** The largest page number accepted; beyond it `page * pageSize` stops being an exact integer. */
const MAX_PAGE = 1_000_000_000;

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;

/**
 * ISO 8601 date or date-time to epoch ms. A date alone means the start of that UTC day, or its
 * last millisecond when `endOfDay` (so `endDate=2022-01-31` includes the 31st). A date-time
 * without an offset is UTC. A `+` offset decoded to a space (unencoded in the URL) is accepted.
 */
function parseIsoDate(raw: string, endOfDay: boolean): number | undefined {
  const text = raw.replace(/ (\d{2}:?\d{2})$/, '+$1');
  const m = ISO.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, offset] = m;
  const year = Number(y),
    month = Number(mo),
    day = Number(d);
  const hour = Number(h ?? 0),
    minute = Number(mi ?? 0),
    second = Number(s ?? 0);
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return undefined;
  const dayStart = Date.UTC(year, month - 1, day);
  if (new Date(dayStart).getUTCDate() !== day) return undefined;
  if (h === undefined) return endOfDay ? dayStart + 86_399_999 : dayStart;
  let ms = dayStart + ((hour * 60 + minute) * 60 + second) * 1000 + Math.floor(Number(`0.${frac ?? '0'}`) * 1000);
  if (offset && offset.toUpperCase() !== 'Z') {
    const sign = offset.startsWith('-') ? -1 : 1;
    const digits = offset.slice(1).replace(':', '');
    const oh = Number(digits.slice(0, 2)),
      om = Number(digits.slice(2));
    if (oh > 23 || om > 59) return undefined;
    ms -= sign * (oh * 60 + om) * 60_000;
  }
  return ms;
}

/** The value of a parameter given at most once; repeating a parameter is a 400, not a guess. */
export function single(params: URLSearchParams, name: string): string | undefined {
  const all = params.getAll(name);
  if (all.length > 1) throw badParameter(name, `${name} was given ${all.length} times; give it at most once`);
  return all[0];
}

function dateParam(params: URLSearchParams, name: string, endOfDay: boolean): number | undefined {
  const raw = single(params, name);
  if (raw === undefined) return undefined;
  const ms = parseIsoDate(raw, endOfDay);
  if (ms === undefined) {
    throw badParameter(
      name,
      `${name} must be an ISO 8601 date (2022-01-31) or date-time (2022-01-31T08:00:00Z); got ${quoted(raw)}`,
    );
  }
  return ms;
}

function integerParam(params: URLSearchParams, name: string, fallback: number, min: number, max: number): number {
  const raw = single(params, name);
  if (raw === undefined) return fallback;
  const value = /^\d{1,10}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(value >= min && value <= max)) {
    throw badParameter(
      name,
      `${name} must be a whole number from ${min} to ${max.toLocaleString('en-US')}; got ${quoted(raw)}`,
    );
  }
  return value;
}

export function booleanParam(params: URLSearchParams, name: string): boolean {
  const raw = single(params, name);
  if (raw === undefined) return false;
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  throw badParameter(name, `${name} must be true or false; got ${quoted(raw)}`);
}

/**
 * The parameters every list route shares. `endDate` is accepted on every list route (the docs
 * list it only for quantity, sleep and workout). `startAlias` is labs' `date`, used in its
 * documented `next_page`.
 */
export function parseListQuery(params: URLSearchParams, startAlias?: string): ListQuery {
  let startMs = dateParam(params, 'startDate', false);
  if (startMs === undefined && startAlias) startMs = dateParam(params, startAlias, false);
  const endMs = dateParam(params, 'endDate', true);
  if (startMs !== undefined && endMs !== undefined && startMs > endMs) {
    throw badParameter('endDate', 'endDate must not be before startDate');
  }
  const sortRaw = single(params, 'sort');
  if (sortRaw !== undefined && sortRaw !== 'asc' && sortRaw !== 'desc') {
    throw badParameter('sort', `sort must be asc or desc; got ${quoted(sortRaw)}`);
  }
  return {
    startMs,
    endMs,
    sort: sortRaw ?? 'desc',
    page: integerParam(params, 'page', 1, 1, MAX_PAGE),
    pageSize: integerParam(params, 'pageSize', DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE),
  };
}
