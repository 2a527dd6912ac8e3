import type { CellValue } from '../export/flatten';
import type { LeafColumn } from '../dataset/leafColumn';
import type { TimeLayout } from '../dataset/timeFormats';
import { type CompareSide, displayValue, valueToken } from './compareSide';

/**
 * Which fields of a record of side A differ from its partner on side B. Two records of the sides'
 * regular shapes are compared column against column, reading the stored numbers and dictionary
 * strings (no record is parsed or copied); any other pair is flattened into dotted fields first.
 */

/** One field that differs, as the diff table shows it. */
export interface FieldChange {
  readonly field: string;
  /** The value on each side as text; empty when the record has no such field. */
  readonly a: string;
  readonly b: string;
}

interface LeafPair {
  readonly field: string;
  readonly a: LeafColumn | undefined;
  readonly b: LeafColumn | undefined;
}

export class FieldEquality {
  private readonly pairs: readonly LeafPair[];
  private readonly textOnly: boolean;

  constructor(
    private readonly a: CompareSide,
    private readonly b: CompareSide,
  ) {
    this.textOnly = a.textValues || b.textValues;
    const pairs: LeafPair[] = [];
    for (const [field, leaf] of a.leaves) pairs.push({ field, a: leaf, b: b.leaves.get(field) });
    for (const [field, leaf] of b.leaves) if (!a.leaves.has(field)) pairs.push({ field, a: undefined, b: leaf });
    this.pairs = pairs;
  }

  /** Calls `changed(field)` for each field that differs between row `rowA` of A and `rowB` of B; returns their number. */
  compare(rowA: number, rowB: number, changed: (field: string) => void): number {
    const ca = this.a.columnarRow(rowA);
    const cb = this.b.columnarRow(rowB);
    let count = 0;
    if (ca >= 0 && cb >= 0) {
      for (const pair of this.pairs) {
        if (!this.sameLeaves(pair, ca, cb)) {
          changed(pair.field);
          count++;
        }
      }
      return count;
    }
    const fa = this.a.fields(rowA);
    const fb = this.b.fields(rowB);
    for (const [field, value] of fa) {
      if (valueToken(value, this.textOnly) !== valueToken(fb.get(field), this.textOnly)) {
        changed(field);
        count++;
      }
    }
    for (const [field, value] of fb) {
      if (!fa.has(field) && valueToken(value, this.textOnly) !== valueToken(undefined, this.textOnly)) {
        changed(field);
        count++;
      }
    }
    return count;
  }

  /** The fields that differ with both values, for the rows on screen. */
  changes(rowA: number, rowB: number): FieldChange[] {
    const fa = this.a.fields(rowA);
    const fb = this.b.fields(rowB);
    const changes: FieldChange[] = [];
    const add = (field: string, a: CellValue | undefined, b: CellValue | undefined): void => {
      if (valueToken(a, this.textOnly) !== valueToken(b, this.textOnly))
        changes.push({ field, a: displayValue(a, this.a.textValues), b: displayValue(b, this.b.textValues) });
    };
    for (const [field, value] of fa) add(field, value, fb.get(field));
    for (const [field, value] of fb) if (!fa.has(field)) add(field, undefined, value);
    return changes;
  }

  private sameLeaves(pair: LeafPair, ra: number, rb: number): boolean {
    const { a, b } = pair;
    const nullA = a === undefined || a.kind === 'pending' || a.isNull(ra);
    const nullB = b === undefined || b.kind === 'pending' || b.isNull(rb);
    if (nullA || nullB) {
      if (nullA && nullB) return true;
      // An empty string on a CSV side is a null.
      const other = nullA ? (b as LeafColumn).valueAt(rb) : a.valueAt(ra);
      return valueToken(other, this.textOnly) === valueToken(null, this.textOnly);
    }
    // Both present from here on.
    const la = a;
    const lb = b;
    if (la.kind === lb.kind) {
      const na = la.numbers.data[ra]!;
      const nb = lb.numbers.data[rb]!;
      switch (la.kind) {
        case 'number':
        case 'boolean':
          return na === nb;
        case 'string':
          return la.dictionary[na] === lb.dictionary[nb];
        case 'time':
          if (sameLayout(la.timeLayout, lb.timeLayout)) return la.timeAt(ra) === lb.timeAt(rb);
          break;
      }
    }
    return valueToken(la.valueAt(ra), this.textOnly) === valueToken(lb.valueAt(rb), this.textOnly);
  }
}

/** Two layouts print the same instant as the same text. */
function sameLayout(x: TimeLayout | undefined, y: TimeLayout | undefined): boolean {
  if (x === undefined || y === undefined || x.kind !== y.kind) return false;
  return x.kind !== 'secondsOffset' || (y.kind === 'secondsOffset' && x.suffix === y.suffix);
}
