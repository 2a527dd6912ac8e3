import * as v8 from 'v8';
import * as vm from 'vm';

/**
 * Deterministic five-year per-minute heart-rate pages in the sandbox's record shape
 * (`{"value":…,"unit":"count/min","start_date":…,"end_date":…}`), for the dataset benchmarks.
 */

export const PAGE_SIZE = 10_000;
/** Five years of per-minute heart rate: 2,629,800 records = 263 pages (the last one partial). */
export const FIVE_YEAR_RECORDS = 2_629_800;
export const FIVE_YEAR_PAGES = Math.ceil(FIVE_YEAR_RECORDS / PAGE_SIZE);

const START_MS = Date.UTC(2021, 0, 1);

function hash(n: number): number {
  let x = Math.imul(n ^ 0x9e3779b9, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  return ((x ^ (x >>> 16)) >>> 0) / 4294967296;
}

/** Beats per minute of sample `i`: a resting level, daily rhythm and occasional exertion above 180. */
export function bpm(i: number): number {
  const hour = Math.floor(i / 60) % 24;
  const active = hour >= 7 && hour <= 21 ? 18 : 0;
  const burst = hash(Math.floor(i / 7)) > 0.97 ? 95 : 0;
  return Math.round(56 + active + burst + 30 * hash(i));
}

let cachedDay = NaN;
let cachedPrefix = '';
const TWO = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));

/** `YYYY-MM-DDTHH:MM:SSZ`, with the day part made once per day (generation must not dominate the run). */
function iso(ms: number): string {
  const day = Math.floor(ms / 86_400_000);
  if (day !== cachedDay) {
    cachedDay = day;
    cachedPrefix = new Date(day * 86_400_000).toISOString().slice(0, 11);
  }
  const s = Math.floor((ms - day * 86_400_000) / 1000);
  return `${cachedPrefix}${TWO[Math.floor(s / 3600)]}:${TWO[Math.floor(s / 60) % 60]}:${TWO[s % 60]}Z`;
}

function range(page: number): [number, number] {
  const from = page * PAGE_SIZE;
  return [from, Math.min(FIVE_YEAR_RECORDS, from + PAGE_SIZE)];
}

export function heartRatePageRecords(page: number): Record<string, unknown>[] {
  const [from, to] = range(page);
  const out: Record<string, unknown>[] = [];
  for (let i = from; i < to; i++) {
    const t = START_MS + i * 60_000;
    out.push({ value: bpm(i), unit: 'count/min', start_date: iso(t), end_date: iso(t + 60_000) });
  }
  return out;
}

/** The page's `data` array as JSON text (≈ 0.95 MB). */
export function heartRatePageText(page: number): string {
  const [from, to] = range(page);
  const parts: string[] = [];
  for (let i = from; i < to; i++) {
    const t = START_MS + i * 60_000;
    parts.push(`{"value":${bpm(i)},"unit":"count/min","start_date":"${iso(t)}","end_date":"${iso(t + 60_000)}"}`);
  }
  return `[${parts.join(',')}]`;
}

/** `global.gc`, exposed at run time so the benchmark runs with a plain `node file.js`. */
export function exposeGc(): () => void {
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
}

/** Heap plus ArrayBuffer bytes (typed arrays live outside the JS heap but are memory all the same). */
export function memoryBytes(gc: () => void): number {
  gc();
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

export function verdict(name: string, metric: string, ratio: number, target: string, pass: boolean): string {
  return `${name}: ${metric} ratio ${ratio.toFixed(3)} (target ${target}) ${pass ? 'PASS' : 'MISS'}`;
}
