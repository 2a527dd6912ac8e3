/**
 * The table view of `data` records: one row per record, one column per leaf field (nested objects
 * flattened with dotted names, arrays summarized). Columns are discovered from the records seen so
 * far, in first-seen order, capped so hostile data cannot make thousands of columns.
 */

import { fmt } from './l10n';

export const MAX_COLUMNS = 60;
const MAX_FLATTEN_DEPTH = 4;

export class ColumnSet {
  private readonly _columns: string[] = [];
  private readonly _known = new Set<string>();

  get columns(): readonly string[] {
    return this._columns;
  }

  /** Adds the record's leaf paths; returns true when a column was added. */
  addFrom(record: unknown): boolean {
    let added = false;
    const visit = (value: unknown, prefix: string, depth: number) => {
      if (this._columns.length >= MAX_COLUMNS) return;
      if (
        value !== null &&
        typeof value === 'object' &&
        !Array.isArray(value) &&
        depth < MAX_FLATTEN_DEPTH &&
        Object.keys(value).length > 0
      ) {
        for (const k of Object.keys(value))
          visit((value as Record<string, unknown>)[k], prefix ? `${prefix}.${k}` : k, depth + 1);
        return;
      }
      const name = prefix || 'value';
      if (!this._known.has(name)) {
        this._known.add(name);
        this._columns.push(name);
        added = true;
      }
    };
    visit(record, '', 0);
    return added;
  }
}

/** The value of a dotted column in a record (keys may themselves contain dots, so walk greedily). */
export function cellValue(record: unknown, column: string): unknown {
  if (column === 'value' && (record === null || typeof record !== 'object' || Array.isArray(record))) return record;
  let current: unknown = record;
  let rest = column;
  while (rest.length) {
    if (current === null || typeof current !== 'object' || Array.isArray(current)) return undefined;
    const obj = current as Record<string, unknown>;
    if (Object.prototype.hasOwnProperty.call(obj, rest)) return obj[rest];
    const dot = findKeyPrefix(obj, rest);
    if (dot < 0) return undefined;
    current = obj[rest.slice(0, dot)];
    rest = rest.slice(dot + 1);
  }
  return current;
}

function findKeyPrefix(obj: Record<string, unknown>, path: string): number {
  for (let i = path.indexOf('.'); i >= 0; i = path.indexOf('.', i + 1)) {
    if (Object.prototype.hasOwnProperty.call(obj, path.slice(0, i))) return i;
  }
  return -1;
}

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;

/** Makes control and bidi-override characters visible as \uXXXX so text cannot reorder or hide itself. */
export function escapeInvisible(text: string): string {
  return text.replace(INVISIBLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Text for one table cell or tree value, shortened to `max` characters. */
export function formatScalar(value: unknown, max = 200): string {
  if (value === undefined) return '';
  if (value === null) return 'null';
  if (typeof value === 'string') {
    const cut = value.length > max ? `${value.slice(0, max)}…` : value;
    return escapeInvisible(cut);
  }
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return itemCount(value.length);
  if (typeof value === 'object')
    return `{${fmt().plural(Object.keys(value).length, 'value.keys.one', 'value.keys.other')}}`;
  return String(value);
}

/** An array's length as the tree and table show it: `[3 items]`. */
export function itemCount(length: number): string {
  return `[${fmt().plural(length, 'value.items.one', 'value.items.other')}]`;
}

/** A one-line preview of a container, e.g. `{date: "2024-01-01", value: 72}`. */
export function previewContainer(value: unknown, max = 120): string {
  if (Array.isArray(value)) return itemCount(value.length);
  if (value === null || typeof value !== 'object') return formatScalar(value, max);
  let out = '{';
  let first = true;
  for (const k of Object.keys(value)) {
    const v = (value as Record<string, unknown>)[k];
    const shown =
      typeof v === 'string' ? JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v) : formatScalar(v, 40);
    out += `${first ? '' : ', '}${k}: ${shown}`;
    first = false;
    if (out.length > max) return escapeInvisible(`${out.slice(0, max)}…}`);
  }
  return escapeInvisible(`${out}}`);
}
