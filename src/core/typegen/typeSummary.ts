/**
 * What a set of JSON values has in common, gathered one value at a time and merged across sources
 * (a result's columns and its irregular records). Bounded memory: strings keep their distinct values
 * only while there are few enough to be an enumeration, objects at most `MAX_FIELDS` named fields.
 */

/** Strings shaped like ISO 8601 date-times (`T` or a space, optional seconds, fraction and offset). */
export const DATE_TIME_PATTERN = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?$/;
/** Calendar dates: `2024-01-31`. */
export const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;
/** Decimal numbers sent as strings: `"72"`, `"-0.5"`. */
export const NUMERIC_PATTERN = /^-?\d+(?:\.\d+)?$/;

/** At most this many distinct strings make an enumeration (stage names, units, sources). */
export const MAX_ENUM_VALUES = 12;
/** An object with more distinct keys than this is treated as a map from string to one value type. */
export const MAX_FIELDS = 200;

export type StringForm = 'date-time' | 'date' | 'numeric' | 'text';

export interface StringSummary {
  count: number;
  /** The narrowest form every string so far has. */
  form: StringForm;
  /** Distinct values while there are at most MAX_ENUM_VALUES of them; undefined after. */
  distinct: Set<string> | undefined;
}

export interface ObjectSummary {
  count: number;
  /** Per key: the summary of its values (its `count` is how many objects had the key). */
  fields: Map<string, TypeSummary>;
  /** Set once the objects had more than MAX_FIELDS keys: all values summarised together. */
  mapValues: TypeSummary | undefined;
}

export interface TypeSummary {
  /** Values seen, nulls included. */
  count: number;
  nulls: number;
  booleans: number;
  numbers: number;
  /** False once a number that is not a safe integer has been seen. */
  integersOnly: boolean;
  strings: StringSummary | undefined;
  arrays: { count: number; elements: TypeSummary } | undefined;
  objects: ObjectSummary | undefined;
}

export function emptySummary(): TypeSummary {
  return {
    count: 0,
    nulls: 0,
    booleans: 0,
    numbers: 0,
    integersOnly: true,
    strings: undefined,
    arrays: undefined,
    objects: undefined,
  };
}

/** The form of one string: the first of date-time, date, numeric that fits, else text. */
export function formOf(text: string): StringForm {
  if (DATE_PATTERN.test(text)) return 'date';
  if (DATE_TIME_PATTERN.test(text)) return 'date-time';
  if (NUMERIC_PATTERN.test(text)) return 'numeric';
  return 'text';
}

/** The narrowest form that holds both. */
export function joinForms(a: StringForm, b: StringForm): StringForm {
  return a === b ? a : 'text';
}

export function addValue(summary: TypeSummary, value: unknown): void {
  summary.count++;
  if (value === null) {
    summary.nulls++;
  } else if (typeof value === 'boolean') {
    summary.booleans++;
  } else if (typeof value === 'number') {
    summary.numbers++;
    if (!Number.isSafeInteger(value)) summary.integersOnly = false;
  } else if (typeof value === 'string') {
    addString(summary, value);
  } else if (Array.isArray(value)) {
    summary.arrays ??= { count: 0, elements: emptySummary() };
    summary.arrays.count++;
    for (const element of value) addValue(summary.arrays.elements, element);
  } else if (typeof value === 'object') {
    addObject(summary, value as Record<string, unknown>);
  }
}

/** Adds `count` strings known to share `form`, whose distinct values are `distinct` (if known). */
export function addStrings(
  summary: TypeSummary,
  count: number,
  form: StringForm,
  distinct: Iterable<string> | undefined,
): void {
  if (count === 0) return;
  summary.count += count;
  const strings = (summary.strings ??= { count: 0, form, distinct: new Set() });
  strings.form = strings.count === 0 ? form : joinForms(strings.form, form);
  strings.count += count;
  if (distinct === undefined) {
    strings.distinct = undefined;
    return;
  }
  for (const text of distinct) {
    if (strings.distinct === undefined) return;
    strings.distinct.add(text);
    if (strings.distinct.size > MAX_ENUM_VALUES) strings.distinct = undefined;
  }
}

function addString(summary: TypeSummary, text: string): void {
  summary.count--;
  addStrings(summary, 1, formOf(text), [text]);
}

function addObject(summary: TypeSummary, record: Record<string, unknown>): void {
  const objects = (summary.objects ??= { count: 0, fields: new Map(), mapValues: undefined });
  objects.count++;
  for (const key of Object.keys(record)) {
    const value = record[key];
    if (objects.mapValues) {
      addValue(objects.mapValues, value);
      continue;
    }
    let field = objects.fields.get(key);
    if (!field) {
      field = emptySummary();
      objects.fields.set(key, field);
    }
    addValue(field, value);
    if (objects.fields.size > MAX_FIELDS) becomeMap(objects);
  }
}

function becomeMap(objects: ObjectSummary): void {
  let values = objects.mapValues ?? emptySummary();
  for (const field of objects.fields.values()) values = mergeSummaries(values, field);
  objects.fields.clear();
  objects.mapValues = values;
}

/** One summary holding what both hold (neither argument is changed). */
export function mergeSummaries(a: TypeSummary, b: TypeSummary): TypeSummary {
  const merged: TypeSummary = {
    count: a.count + b.count,
    nulls: a.nulls + b.nulls,
    booleans: a.booleans + b.booleans,
    numbers: a.numbers + b.numbers,
    integersOnly: a.integersOnly && b.integersOnly,
    strings: mergeStrings(a.strings, b.strings),
    arrays: undefined,
    objects: mergeObjects(a.objects, b.objects),
  };
  if (a.arrays || b.arrays) {
    merged.arrays = {
      count: (a.arrays?.count ?? 0) + (b.arrays?.count ?? 0),
      elements: mergeSummaries(a.arrays?.elements ?? emptySummary(), b.arrays?.elements ?? emptySummary()),
    };
  }
  return merged;
}

function mergeStrings(a: StringSummary | undefined, b: StringSummary | undefined): StringSummary | undefined {
  if (!a || !b) return a ? copyStrings(a) : b ? copyStrings(b) : undefined;
  const merged = copyStrings(a);
  const holder = emptySummary();
  holder.strings = merged;
  addStrings(holder, b.count, b.form, b.distinct);
  return holder.strings;
}

function copyStrings(s: StringSummary): StringSummary {
  return { count: s.count, form: s.form, distinct: s.distinct && new Set(s.distinct) };
}

function mergeObjects(a: ObjectSummary | undefined, b: ObjectSummary | undefined): ObjectSummary | undefined {
  if (!a && !b) return undefined;
  const merged: ObjectSummary = { count: 0, fields: new Map(), mapValues: undefined };
  for (const side of [a, b]) {
    if (!side) continue;
    merged.count += side.count;
    if (side.mapValues) merged.mapValues = mergeSummaries(merged.mapValues ?? emptySummary(), side.mapValues);
    for (const [key, field] of side.fields) {
      const known = merged.fields.get(key);
      merged.fields.set(key, known ? mergeSummaries(known, field) : mergeSummaries(emptySummary(), field));
    }
  }
  if (merged.mapValues || merged.fields.size > MAX_FIELDS) becomeMap(merged);
  return merged;
}
