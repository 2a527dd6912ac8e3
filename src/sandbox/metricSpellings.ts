import { METRICS } from '../core/routes';

/**
 * Metric names are HealthKit identifiers without the prefix, first letter lower-cased. For the two
 * identifiers that start with an acronym that leaves two plausible spellings (the docs fix neither:
 * their list of allowed metrics is not public), so both are served. The first of each pair is the
 * one the data is kept under; `uvExposure` is not in the explorer's catalogue, so it is a known
 * metric without data (an empty page).
 */
const SPELLINGS: readonly (readonly [string, string])[] = [
  ['vo2Max', 'vO2Max'],
  ['uvExposure', 'uVExposure'],
];

const CANONICAL = new Map<string, string>([
  ...METRICS.map((m): [string, string] => [m.name, m.name]),
  ...SPELLINGS.flatMap(([canonical, other]): [string, string][] => [
    [canonical, canonical],
    [other, canonical],
  ]),
]);

/** The name the sandbox keeps a metric's data under, or undefined for a metric it does not know. */
export function canonicalMetric(name: string): string | undefined {
  return CANONICAL.get(name);
}

/** Edit distance, for names a few letters off. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost));
    }
    previous = current;
  }
  return previous[b.length] ?? Math.max(a.length, b.length);
}

/**
 * The known spelling closest to an unknown name: one that differs only in case first (the first
 * spelling of a pair wins), else the nearest within a quarter of the name's length (at least 2 edits).
 */
export function closestMetric(name: string): string | undefined {
  // A name far longer than any metric is no misspelling of one.
  if (name.length > 64) return undefined;
  const lower = name.toLowerCase();
  const names = [...CANONICAL.keys()];
  const sameLetters = names.find((known) => known.toLowerCase() === lower);
  if (sameLetters) return sameLetters;
  const limit = Math.max(2, Math.floor(name.length / 4));
  let best: { name: string; edits: number } | undefined;
  for (const known of names) {
    const edits = distance(lower, known.toLowerCase());
    if (edits <= limit && (best === undefined || edits < best.edits)) best = { name: known, edits };
  }
  return best?.name;
}
