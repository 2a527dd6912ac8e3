/**
 * Flattening of nested records into dotted columns for CSV: `{ details: { name: "x" } }` becomes
 * `details.name`. Arrays stay in one cell as JSON text (a sleep session's stages or a medication's
 * logs would otherwise explode into hundreds of numbered columns that differ from row to row).
 * Keys are read with `Object.keys`, so `__proto__` or `constructor` keys are ordinary columns.
 */
import { stringifyJson } from '../dataset/deepJson';

export type CellValue = string | number | boolean | null;

/**
 * Objects nested deeper than this are not split further: the object at this depth is one cell of
 * JSON text, like an array. Keeps column names short and the walk bounded whatever the server sends.
 */
export const MAX_FLATTEN_DEPTH = 32;

interface Level {
  readonly object: Record<string, unknown>;
  readonly keys: readonly string[];
  readonly prefix: string;
  index: number;
}

/**
 * Calls `visit` for each leaf of `record` with its dotted column name, in key order. Walks with an
 * explicit stack: the nesting depth is the server's choice.
 */
export function forEachLeaf(record: unknown, visit: (column: string, value: CellValue) => void, prefix = ''): void {
  if (record === null || typeof record !== 'object') {
    visit(prefix || 'value', record as CellValue);
    return;
  }
  if (Array.isArray(record)) {
    visit(prefix || 'value', stringifyJson(record) ?? 'null');
    return;
  }
  const rootKeys = Object.keys(record);
  if (rootKeys.length === 0 && prefix) {
    visit(prefix, '{}');
    return;
  }
  const stack: Level[] = [{ object: record as Record<string, unknown>, keys: rootKeys, prefix, index: 0 }];
  for (let level = stack[stack.length - 1]; level !== undefined; level = stack[stack.length - 1]) {
    const key = level.keys[level.index];
    if (key === undefined) {
      stack.pop();
      continue;
    }
    level.index++;
    const value = level.object[key];
    const column = level.prefix ? `${level.prefix}.${key}` : key;
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      const keys = Object.keys(value);
      if (keys.length === 0) visit(column, '{}');
      else if (stack.length >= MAX_FLATTEN_DEPTH) visit(column, stringifyJson(value) ?? 'null');
      else stack.push({ object: value as Record<string, unknown>, keys, prefix: column, index: 0 });
    } else if (Array.isArray(value)) {
      visit(column, stringifyJson(value) ?? 'null');
    } else {
      visit(column, value === undefined ? null : (value as CellValue));
    }
  }
}

/** The dotted column names of `records`, in first-seen order. */
export function collectColumns(
  records: readonly unknown[],
  into: string[] = [],
  seen = new Set<string>(into),
): string[] {
  for (const record of records) {
    forEachLeaf(record, (column) => {
      if (!seen.has(column)) {
        seen.add(column);
        into.push(column);
      }
    });
  }
  return into;
}
