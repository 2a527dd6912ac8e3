/**
 * ISO 8601 timestamp layouts a column can store as a number and print back character for character.
 * A value is only encoded when formatting it again gives the very same text, so nothing is lost.
 */

export type TimeLayout =
  | { readonly kind: 'secondsZ' }
  | { readonly kind: 'millisZ' }
  | { readonly kind: 'secondsOffset'; readonly suffix: string; readonly offsetMs: number }
  | { readonly kind: 'date' };

const SECONDS_Z = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const MILLIS_Z = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const SECONDS_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}([+-])(\d{2}):(\d{2})$/;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** The layout of `text`, or undefined when it is not a timestamp this module can store exactly. */
export function detectTimeLayout(text: string): TimeLayout | undefined {
  let layout: TimeLayout | undefined;
  if (SECONDS_Z.test(text)) layout = { kind: 'secondsZ' };
  else if (MILLIS_Z.test(text)) layout = { kind: 'millisZ' };
  else if (DATE_ONLY.test(text)) layout = { kind: 'date' };
  else {
    const m = SECONDS_OFFSET.exec(text);
    if (m) {
      const minutes = Number(m[2]) * 60 + Number(m[3]);
      layout = {
        kind: 'secondsOffset',
        suffix: `${m[1]}${m[2]}:${m[3]}`,
        offsetMs: (m[1] === '-' ? -1 : 1) * minutes * 60_000,
      };
    }
  }
  if (!layout) return undefined;
  const ms = encodeTime(layout, text);
  return ms !== undefined && formatTime(layout, ms) === text ? layout : undefined;
}

/** Units of the stored integer: seconds, milliseconds or days. */
export function unitMs(layout: TimeLayout): number {
  switch (layout.kind) {
    case 'secondsZ':
    case 'secondsOffset':
      return 1000;
    case 'millisZ':
      return 1;
    case 'date':
      return 86_400_000;
  }
}

/**
 * Epoch milliseconds of `text` in `layout`, or undefined if it would not print back identically.
 * Reads the digits by hand: `Date.parse` plus a formatting check cost ~20 ms per 10,000-record page.
 */
export function encodeTime(layout: TimeLayout, text: string): number | undefined {
  switch (layout.kind) {
    case 'secondsZ':
      return text.length === 20 && text.charCodeAt(19) === 90 /* Z */ ? dateTimeMs(text) : undefined;
    case 'millisZ': {
      if (text.length !== 24 || text.charCodeAt(19) !== 46 /* . */ || text.charCodeAt(23) !== 90) return undefined;
      const ms = digits(text, 20, 3);
      const base = dateTimeMs(text);
      return base === undefined || ms < 0 ? undefined : base + ms;
    }
    case 'secondsOffset': {
      if (text.length !== 25 || !text.endsWith(layout.suffix)) return undefined;
      const local = dateTimeMs(text);
      return local === undefined ? undefined : local - layout.offsetMs;
    }
    case 'date': {
      if (text.length !== 10) return undefined;
      const day = dayNumber(text);
      return day === undefined ? undefined : day * DAY_MS;
    }
  }
}

const DAY_MS = 86_400_000;
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The number in `text[at…at+count)`, or -1 when a character is not a digit. */
function digits(text: string, at: number, count: number): number {
  let n = 0;
  for (let i = at; i < at + count; i++) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

/** Days since 1970-01-01 of the `YYYY-MM-DD` that starts `text` (proleptic Gregorian), or undefined. */
function dayNumber(text: string): number | undefined {
  if (text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return undefined;
  const y = digits(text, 0, 4);
  const m = digits(text, 5, 2);
  const d = digits(text, 8, 2);
  // Years below 1000 are left to the plain string column: they print with other rules elsewhere.
  if (y < 1000 || m < 1 || m > 12 || d < 1) return undefined;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  if (d > (m === 2 && leap ? 29 : MONTH_DAYS[m - 1]!)) return undefined;
  // Days from civil (H. Hinnant): March-based years put the leap day at the end of the year.
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1;
  return era * 146_097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719_468;
}

/** Epoch ms of the `YYYY-MM-DDTHH:MM:SS` that starts `text`, or undefined. */
function dateTimeMs(text: string): number | undefined {
  if (text.charCodeAt(10) !== 84 /* T */ || text.charCodeAt(13) !== 58 || text.charCodeAt(16) !== 58) return undefined;
  const day = dayNumber(text);
  const h = digits(text, 11, 2);
  const min = digits(text, 14, 2);
  const sec = digits(text, 17, 2);
  if (day === undefined || h < 0 || h > 23 || min < 0 || min > 59 || sec < 0 || sec > 59) return undefined;
  return day * DAY_MS + ((h * 60 + min) * 60 + sec) * 1000;
}

/**
 * Epoch ms of `YYYY-MM-DD`, or `YYYY-MM-DD` then `T` or a space then `HH:MM[:SS[.fff…]]`, with `Z`,
 * `±HH`, `±HHMM`, `±HH:MM` or no zone (read as UTC); undefined for any other text. Read by hand
 * for the same reason as `encodeTime`: charts read every record of a result through it.
 */
export function readTimestampMs(text: string): number | undefined {
  const n = text.length;
  if (n === 10) {
    const day = dayNumber(text);
    return day === undefined ? undefined : day * DAY_MS;
  }
  if (n < 16) return undefined;
  const separator = text.charCodeAt(10);
  if ((separator !== 84 /* T */ && separator !== 32) || text.charCodeAt(13) !== 58) return undefined;
  const day = dayNumber(text);
  const h = digits(text, 11, 2);
  const min = digits(text, 14, 2);
  if (day === undefined || h < 0 || h > 23 || min < 0 || min > 59) return undefined;
  let at = 16;
  let sec = 0;
  let ms = 0;
  if (at < n && text.charCodeAt(at) === 58) {
    sec = at + 3 <= n ? digits(text, at + 1, 2) : -1;
    if (sec < 0 || sec > 59) return undefined;
    at += 3;
    if (at < n && text.charCodeAt(at) === 46 /* . */) {
      const first = ++at;
      for (let scale = 100; at < n; at++, scale /= 10) {
        const c = text.charCodeAt(at) - 48;
        if (c < 0 || c > 9) break;
        if (scale >= 1) ms += c * scale;
      }
      if (at === first) return undefined;
    }
  }
  const local = day * DAY_MS + ((h * 60 + min) * 60 + sec) * 1000 + ms;
  if (at === n) return local;
  const zone = text.charCodeAt(at);
  if ((zone === 90 || zone === 122) /* Z z */ && at + 1 === n) return local;
  if (zone !== 43 && zone !== 45 /* + - */) return undefined;
  const rest = n - at;
  const oh = rest >= 3 ? digits(text, at + 1, 2) : -1;
  const om =
    rest === 3
      ? 0
      : rest === 5
        ? digits(text, at + 3, 2)
        : rest === 6 && text.charCodeAt(at + 3) === 58
          ? digits(text, at + 4, 2)
          : -1;
  if (oh < 0 || oh > 23 || om < 0 || om > 59) return undefined;
  return local - (zone === 45 ? -1 : 1) * (oh * 60 + om) * 60_000;
}

const TWO_DIGITS = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));
const THREE_DIGITS = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));
/** Consecutive records mostly share a day: its `YYYY-MM-DDT` text is made once. */
let cachedDay = NaN;
let cachedDayPrefix = '';

export function formatTime(layout: TimeLayout, ms: number): string {
  const local = layout.kind === 'secondsOffset' ? ms + layout.offsetMs : ms;
  const day = Math.floor(local / DAY_MS);
  if (day !== cachedDay) {
    cachedDayPrefix = new Date(day * DAY_MS).toISOString().slice(0, 11);
    cachedDay = day;
  }
  if (layout.kind === 'date') return cachedDayPrefix.slice(0, 10);
  let rest = local - day * DAY_MS;
  const millis = rest % 1000;
  rest = (rest - millis) / 1000;
  const clock = `${cachedDayPrefix}${TWO_DIGITS[Math.floor(rest / 3600)]}:${TWO_DIGITS[Math.floor(rest / 60) % 60]}:${TWO_DIGITS[rest % 60]}`;
  switch (layout.kind) {
    case 'secondsZ':
      return `${clock}Z`;
    case 'millisZ':
      return `${clock}.${THREE_DIGITS[millis]}Z`;
    case 'secondsOffset':
      return clock + layout.suffix;
  }
}

const DATE_LITERAL = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})?)?$/;

/**
 * Epoch ms of a date literal typed in a filter (`2024-01-01`, `2024-01-01T10:00`, …), read as UTC
 * when it has no offset; undefined when it is not a date.
 */
export function parseDateLiteral(text: string): number | undefined {
  if (!DATE_LITERAL.test(text)) return undefined;
  const hasZone = /(Z|[+-]\d{2}:\d{2})$/.test(text) && text.includes('T');
  const ms = Date.parse(hasZone || !text.includes('T') ? text : `${text}Z`);
  return Number.isFinite(ms) ? ms : undefined;
}
