import { stringifyJson } from '../dataset/deepJson';
import { forEachLeaf, MAX_FLATTEN_DEPTH, type CellValue } from './flatten';

/**
 * Turns records into CSV rows for a fixed column set. Cells follow RFC 4180; nested objects map to
 * dotted columns (see flatten.ts); a `null` where other records have an object (a workout without
 * distance) leaves that object's columns empty.
 *
 * Speed (docs/performance.md, B6): records of one route share a few shapes (same keys, same nesting). The builder learns
 * up to MAX_SHAPES shapes and fills a row for a matching record with direct property reads; a
 * record matches only if every object in it has exactly the shape's keys, so nothing is dropped.
 * Anything else takes the general path through `forEachLeaf`.
 */

const MAX_SHAPES = 8;
const NEEDS_WORK = /^[=+\-@\t\r]|[",\r\n]/;
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;
const OBJECT_PROTOTYPE_KEYS = new Set(Object.getOwnPropertyNames(Object.prototype));

export function csvCell(value: CellValue, escapeFormulas = true): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  let text = value;
  if (!NEEDS_WORK.test(text)) return text;
  if (escapeFormulas && FORMULA_START.test(text)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

const enum Kind {
  Leaf,
  Object,
  Null,
}

interface ShapeNode {
  readonly keys: string[];
  readonly kinds: Kind[];
  /** Column index of each leaf key (-1 for the others). */
  readonly columns: number[];
  readonly children: Array<ShapeNode | undefined>;
  /** Keys that exist on Object.prototype need an own-property check. */
  readonly ownCheck: boolean[];
}

export class CsvRowBuilder {
  private readonly _index: ReadonlyMap<string, number>;
  /** Dotted names that are parents of known columns (`distance` for `distance.value`). */
  private readonly _parents = new Set<string>();
  private readonly _shapes: ShapeNode[] = [];
  private _shapeAttempts = 0;
  /** Reused for every row; rows are joined into strings before the next one starts. */
  private readonly _cells: string[];
  private _extra: Record<string, CellValue> | undefined;

  constructor(
    columns: readonly string[],
    private readonly _escape: boolean,
    private readonly _collectExtras: boolean,
  ) {
    this._index = new Map(columns.map((c, i) => [c, i]));
    this._cells = new Array<string>(columns.length).fill('');
    for (const column of columns) {
      for (let dot = column.indexOf('.'); dot !== -1; dot = column.indexOf('.', dot + 1))
        this._parents.add(column.slice(0, dot));
    }
  }

  /** Fields of the last row that have no column (only collected when `collectExtras`). */
  get extra(): Readonly<Record<string, CellValue>> | undefined {
    return this._extra;
  }

  /** The CSV line of `record` (without line break); `extra` then holds its fields without a column. */
  row(record: unknown): string {
    const cells = this._cells;
    cells.fill('');
    this._extra = undefined;
    if (isPlainObject(record)) {
      for (const shape of this._shapes) {
        if (this._fill(record, shape, cells)) return cells.join(',');
      }
      if (this._shapes.length < MAX_SHAPES && this._shapeAttempts < 64) {
        this._shapeAttempts++;
        const shape = this._learn(record, '', 1);
        if (shape) {
          this._shapes.push(shape);
          if (this._fill(record, shape, cells)) return cells.join(',');
        }
      }
      cells.fill('');
    }
    return this._general(record, cells);
  }

  private _general(record: unknown, cells: string[]): string {
    let extra: Record<string, CellValue> | undefined;
    forEachLeaf(record, (column, value) => {
      const i = this._index.get(column);
      if (i !== undefined) {
        cells[i] = csvCell(value, this._escape);
      } else if (value === null && this._parents.has(column)) {
        // An absent object: its columns stay empty.
      } else if (this._collectExtras) {
        (extra ??= Object.create(null) as Record<string, CellValue>)[column] = value;
      }
    });
    this._extra = extra;
    return cells.join(',');
  }

  /**
   * The shape of `record` if every leaf has a column; undefined otherwise, and for records nested
   * deeper than `forEachLeaf` splits (which also bounds this recursion and `_fill`'s).
   */
  private _learn(record: Record<string, unknown>, prefix: string, depth: number): ShapeNode | undefined {
    const keys = Object.keys(record);
    if (keys.length === 0 || depth > MAX_FLATTEN_DEPTH) return undefined;
    const node: ShapeNode = {
      keys,
      kinds: [],
      columns: [],
      children: [],
      ownCheck: keys.map((k) => OBJECT_PROTOTYPE_KEYS.has(k)),
    };
    for (const key of keys) {
      const value = record[key];
      const column = prefix ? `${prefix}.${key}` : key;
      if (isPlainObject(value)) {
        const child = this._learn(value, column, depth + 1);
        if (!child) return undefined;
        node.kinds.push(Kind.Object);
        node.columns.push(-1);
        node.children.push(child);
      } else if (value === null && !this._index.has(column) && this._parents.has(column)) {
        node.kinds.push(Kind.Null);
        node.columns.push(-1);
        node.children.push(undefined);
      } else {
        const i = this._index.get(column);
        if (i === undefined) return undefined;
        node.kinds.push(Kind.Leaf);
        node.columns.push(i);
        node.children.push(undefined);
      }
    }
    return node;
  }

  /** Fills `cells` if `obj` has exactly the shape; false (cells possibly touched) otherwise. */
  private _fill(obj: Record<string, unknown>, node: ShapeNode, cells: string[]): boolean {
    let count = 0;
    for (const _key in obj) count++;
    const { keys, kinds, columns, children, ownCheck } = node;
    if (count !== keys.length) return false;
    // The node's arrays run in parallel, one element per key: `!` reads stay within them.
    for (let k = 0; k < keys.length; k++) {
      const key = keys[k]!;
      if (ownCheck[k] && !Object.prototype.hasOwnProperty.call(obj, key)) return false;
      const value = obj[key];
      switch (kinds[k]) {
        case Kind.Leaf:
          if (value === undefined || isPlainObject(value)) return false;
          cells[columns[k]!] = Array.isArray(value)
            ? csvCell(stringifyJson(value) ?? 'null', this._escape)
            : csvCell(value as CellValue, this._escape);
          break;
        case Kind.Object:
          if (!isPlainObject(value) || !this._fill(value, children[k]!, cells)) return false;
          break;
        case Kind.Null:
          if (value !== null) return false;
          break;
      }
    }
    return true;
  }
}
