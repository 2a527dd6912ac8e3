import { DAY_MS } from './clock';

const TWO_DIGITS: string[] = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));

let cachedDay = Number.NaN;
let cachedPrefix = '';

/**
 * `YYYY-MM-DDTHH:MM:SS` + suffix for whole-second UTC times. Pages of 10,000 records format 20,000
 * timestamps; caching the date part per day makes that several times faster than `toISOString`.
 */
export function isoSeconds(ms: number, suffix: 'Z' | '+00:00' = 'Z'): string {
  const day = Math.floor(ms / DAY_MS);
  if (day !== cachedDay) {
    cachedDay = day;
    cachedPrefix = new Date(day * DAY_MS).toISOString().slice(0, 11);
  }
  const secondOfDay = Math.floor((ms - day * DAY_MS) / 1000);
  const h = Math.floor(secondOfDay / 3600);
  const m = Math.floor((secondOfDay % 3600) / 60);
  const s = secondOfDay % 60;
  return `${cachedPrefix}${TWO_DIGITS[h]}:${TWO_DIGITS[m]}:${TWO_DIGITS[s]}${suffix}`;
}
