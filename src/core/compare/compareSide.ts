import { forEachLeaf, type CellValue } from '../export/flatten';
import type { LeafColumn } from '../dataset/leafColumn';
import type { ResultStore } from '../dataset/resultStore';

/**
 * One side of a comparison: a result's records in a ResultStore, read field by field. Records of
 * the store's regular shape are read straight from its columns (no parse); the others are parsed
 * and flattened into the same dotted field names the CSV export writes (`metadata.source`), so a
 * result, its JSON export and its CSV export have the same fields.
 */
export class CompareSide {
  /** Columnar row of each row, or -1 for a record in the fallback store; undefined: every row is columnar. */
  private readonly columnarRows: Int32Array | undefined;
  /** The regular shape's leaves by dotted name. */
  readonly leaves: ReadonlyMap<string, LeafColumn>;

  /**
   * `textValues`: the records came from a CSV file, where every value is text; values of this side
   * are then compared as the CSV export would write them (`72` and `"72"` are the same).
   */
  constructor(
    readonly store: ResultStore,
    readonly textValues = false,
  ) {
    const fallback = store.fallbackRowIndexes;
    if (fallback.length > 0) {
      const rows = new Int32Array(store.count);
      let next = 0;
      let columnar = 0;
      for (let row = 0; row < store.count; row++) {
        if (next < fallback.length && fallback.get(next) === row) {
          rows[row] = -1;
          next++;
        } else {
          rows[row] = columnar++;
        }
      }
      this.columnarRows = rows;
    }
    const leaves = new Map<string, LeafColumn>();
    for (const leaf of store.columns?.leaves ?? []) leaves.set(leaf.dottedPath, leaf);
    this.leaves = leaves;
  }

  get count(): number {
    return this.store.count;
  }

  /** The columnar row of `row`, or -1 when the record is in the fallback store. */
  columnarRow(row: number): number {
    return this.columnarRows === undefined ? row : this.columnarRows[row]!;
  }

  /** Every field of record `row` by dotted name (arrays and deep objects as JSON text). */
  fields(row: number): Map<string, CellValue> {
    const fields = new Map<string, CellValue>();
    const columnar = this.columnarRow(row);
    if (columnar >= 0) {
      for (const [name, leaf] of this.leaves) fields.set(name, leaf.valueAt(columnar));
    } else {
      forEachLeaf(this.store.getRecord(row), (column, value) => fields.set(column, value));
    }
    return fields;
  }
}

/**
 * What a value is compared as: its type and text, or only its text when either side came from a
 * CSV file. A missing field and `null` are the same (an export cannot tell them apart).
 */
export function valueToken(value: CellValue | undefined, textOnly: boolean): string {
  if (value === null || value === undefined) return textOnly ? '' : 'null';
  if (textOnly) return String(value);
  return `${typeof value}:${String(value)}`;
}

/** A value as the diff shows it: JSON text for typed sides, the text itself for CSV ones. */
export function displayValue(value: CellValue | undefined, textOnly: boolean): string {
  if (value === undefined) return '';
  if (textOnly) return value === null ? '' : String(value);
  return JSON.stringify(value);
}
