/**
 * The rules a route parameter's value follows, each written once as a zod/mini schema: the route
 * descriptions in `../routes.ts` pick from them, and every check (the form's, the webview
 * protocol's, the request builder's) is derived from those descriptions.
 * Each message is a predicate ("must be …") so it reads after the parameter's name and, capitalised,
 * under the form field. zod/mini keeps the webview bundle small; no node or DOM here. Each schema is
 * built on first use (docs/performance.md, B11).
 */
import * as z from 'zod/mini';
import { localizable, renderText, textOf, type LocalizableText, type TextArg } from '../localizable';
import { lazySchema } from './lazySchema';

/**
 * Each rule's message as zod reports it (English, values filled in) to the same message still to be
 * worded: a zod issue carries text only, and the layer that shows it translates the template.
 */
const PREDICATES = new Map<string, LocalizableText>();

/** A rule's message, from a marked template and its values: English for zod, kept for translation. */
export function predicate(template: string, ...args: TextArg[]): string {
  const text = textOf(template, ...args);
  const english = renderText(text);
  PREDICATES.set(english, text);
  return english;
}

/** The message of a rule's zod issue, to be worded; a message of no rule (zod's own) as it is. */
export function predicateText(message: string): LocalizableText {
  return PREDICATES.get(message) ?? textOf(message);
}

/** A user, supplement or medication id: a UUID in any letter case, sent lower-case. */
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A metric name the API could accept: a HealthKit-style lower-camel identifier. */
export const METRIC_NAME_PATTERN = /^[a-z][A-Za-z0-9]{1,63}$/;

/**
 * A workout or lab type: a HealthKit-style identifier. The docs give no length; 128 characters is
 * far above any HealthKit name and still keeps a URL short.
 */
const TYPE_NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_]{0,127}$/;

/**
 * ISO 8601 calendar date, alone or with a time and an optional zone: `Z`, `±hh:mm` or `±hhmm` (the
 * docs ask only for ISO 8601, which allows both offset forms and a local time).
 */
const ISO_DATE_PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-](\d{2}):?(\d{2}))?)?$/;

export function isUuid(value: string): boolean {
  return UUID_PATTERN.test(value);
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** True for a real ISO 8601 date or date-time (no 2024-02-30, no 25:00, no +24:00). */
export function isIsoDate(value: string): boolean {
  const m = ISO_DATE_PATTERN.exec(value);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return false;
  if (m[4] !== undefined && (Number(m[4]) > 23 || Number(m[5]) > 59 || (m[6] !== undefined && Number(m[6]) > 59)))
    return false;
  return !(m[8] !== undefined && (Number(m[8]) > 23 || Number(m[9]) > 59));
}

const DAY_MS = 86_400_000;

/**
 * The instant an ISO date stands for in a range, as the sandbox reads it: a date-time without a
 * zone is UTC, a date alone is the start of its UTC day, or its last millisecond for the range's end.
 */
export function isoInstant(value: string, end: boolean): number {
  if (!value.includes('T')) return Date.parse(`${value}T00:00:00Z`) + (end ? DAY_MS - 1 : 0);
  const zoned = /(Z|[+-]\d{2}:?\d{2})$/.exec(value);
  if (!zoned) return Date.parse(`${value}Z`);
  const offset = zoned[1] ?? 'Z';
  const withColon = offset.length === 5 ? `${offset.slice(0, 3)}:${offset.slice(3)}` : offset;
  return Date.parse(value.slice(0, value.length - offset.length) + withColon);
}

// Each rule's message is marked as the module loads (the panel gets the translations of every marked
// text) and worded when its schema is first built.
const UUID_MESSAGE = localizable('must be a UUID such as {0}');
export const uuidRule = lazySchema(() => {
  const message = predicate(UUID_MESSAGE, '326aa713-a248-4c98-9a40-a5f39b25ca94');
  return z.string(message).check(z.regex(UUID_PATTERN, message), z.toLowerCase());
});

const METRIC_MESSAGE = localizable(
  'must be a HealthKit-style name such as stepCount or heartRate (letters and digits, starting lower-case)',
);
export const metricRule = lazySchema(() => {
  const message = predicate(METRIC_MESSAGE);
  return z.string(message).check(z.regex(METRIC_NAME_PATTERN, message));
});

const DATE_MESSAGE = localizable('must be an ISO 8601 date such as {0} (a day the calendar has)');
export const isoDateRule = lazySchema(() => {
  const message = predicate(DATE_MESSAGE, '2024-01-31');
  return z.string(message).check(z.refine(isIsoDate, message));
});

const SORT_MESSAGE = localizable('must be asc or desc');
export const sortRule = lazySchema(() => z.enum(['asc', 'desc'], predicate(SORT_MESSAGE)));

const PAGE_MESSAGE = localizable('must be a whole number of 1 or more');
export const pageRule = lazySchema(() => {
  const message = predicate(PAGE_MESSAGE);
  return z.int(message).check(z.gte(1, message), z.lte(Number.MAX_SAFE_INTEGER, message));
});

const COUNT_MESSAGE = localizable('must be a whole number from 1 to {0}');
/** A whole number from 1 to `max` (the page size). */
export function countRule(max: number) {
  return lazySchema(() => {
    const message = predicate(COUNT_MESSAGE, max);
    return z.int(message).check(z.gte(1, message), z.lte(max, message));
  });
}

const FLAG_MESSAGE = localizable('must be true or false');
export const flagRule = lazySchema(() => z.boolean(predicate(FLAG_MESSAGE)));

const TYPE_MESSAGE = localizable('must be a name made of letters, digits and _, such as traditionalStrengthTraining');
export const typeNameRule = lazySchema(() => {
  const message = predicate(TYPE_MESSAGE);
  return z.string(message).check(z.regex(TYPE_NAME_PATTERN, message));
});
