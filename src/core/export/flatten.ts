/**
 * Flattening of nested records into dotted columns for CSV: `{ details: { name: "x" } }` becomes
 * `details.name`. Arrays stay in one cell as JSON text (a sleep session's stages or a medication's
 * logs would otherwise explode into hundreds of numbered columns that differ from row to row).
 * Keys are read with `Object.keys`, so `__proto__` or `constructor` keys are ordinary columns.
 */

export type CellValue = string | number | boolean | null;

/** Calls `visit` for each leaf of `record` with its dotted column name. */
export function forEachLeaf(record: unknown, visit: (column: string, value: CellValue) => void, prefix = ''): void {
  if (record === null || typeof record !== 'object') {
    visit(prefix || 'value', record as CellValue);
    return;
  }
  if (Array.isArray(record)) {
    visit(prefix || 'value', JSON.stringify(record));
    return;
  }
  const keys = Object.keys(record);
  if (keys.length === 0 && prefix) {
    visit(prefix, '{}');
    return;
  }
  for (const key of keys) {
    const value = (record as Record<string, unknown>)[key];
    const column = prefix ? `${prefix}.${key}` : key;
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) forEachLeaf(value, visit, column);
    else if (Array.isArray(value)) visit(column, JSON.stringify(value));
    else visit(column, value === undefined ? null : (value as CellValue));
  }
}

/** The dotted column names of `records`, in first-seen order. */
export function collectColumns(records: readonly unknown[], into: string[] = [], seen = new Set<string>(into)): string[] {
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
