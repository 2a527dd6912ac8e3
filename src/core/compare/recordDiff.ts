import { AdaptiveNumbers } from '../dataset/adaptiveNumbers';
import { chooseKeys, compareKeys, keyOrder, type KeyKind, keyText, pauser, type SideKeys } from './compareKey';
import type { CompareSide } from './compareSide';
import { type FieldChange, FieldEquality } from './fieldEquality';

/**
 * The record-level difference of two results (A, the earlier or reference one, and B): which
 * records only B has (added), only A has (removed), and which pairs differ in some field (changed),
 * in key order. Both sides are walked once in key order, merge-style; a difference is kept as three
 * numbers (its kind and the two rows), and its fields are read again only for the rows on screen,
 * so a five-year result of millions of records costs a few typed arrays.
 */

export type DiffKind = 'added' | 'removed' | 'changed';
const KINDS: readonly DiffKind[] = ['added', 'removed', 'changed'];

export interface DiffCounts {
  readonly a: number;
  readonly b: number;
  readonly unchanged: number;
  readonly changed: number;
  readonly added: number;
  readonly removed: number;
}

/** One difference as the diff table shows it. */
export interface DiffRow {
  readonly kind: DiffKind;
  readonly key: string;
  /** Row in A (removed, changed) and in B (added, changed), from 0. */
  readonly rowA: number | undefined;
  readonly rowB: number | undefined;
  /** Changed: the fields that differ. Added or removed: every field of the record, with the other side empty. */
  readonly fields: readonly FieldChange[];
}

export interface DiffOptions {
  readonly signal?: AbortSignal | undefined;
  readonly sliceMs?: number | undefined;
}

export class RecordDiff {
  private constructor(
    private readonly a: CompareSide,
    private readonly b: CompareSide,
    readonly key: KeyKind,
    private readonly keysA: SideKeys,
    private readonly keysB: SideKeys,
    private readonly kinds: AdaptiveNumbers,
    private readonly rowsA: AdaptiveNumbers,
    private readonly rowsB: AdaptiveNumbers,
    readonly counts: DiffCounts,
    /** Fields and the number of changed pairs that differ in each, most first. */
    readonly fieldCounts: readonly { readonly field: string; readonly changed: number }[],
    private readonly equality: FieldEquality,
  ) {}

  /** Compares `a` with `b`; yields to the event loop between slices and stops on `signal`. */
  static async of(a: CompareSide, b: CompareSide, options: DiffOptions = {}): Promise<RecordDiff> {
    const keys = await chooseKeys(a, b, options);
    const orderA = keyOrder(keys.a, a.count);
    const orderB = keyOrder(keys.b, b.count);
    const equality = new FieldEquality(a, b);
    const pause = pauser(options);
    // Typed columns (1 to 4 bytes a number), not arrays: a five-year comparison may differ in millions of records.
    const kinds = new AdaptiveNumbers();
    const rowsA = new AdaptiveNumbers();
    const rowsB = new AdaptiveNumbers();
    const fieldCounts = new Map<string, number>();
    const countField = (field: string): void => void fieldCounts.set(field, (fieldCounts.get(field) ?? 0) + 1);
    let unchanged = 0;
    let changed = 0;
    let added = 0;
    let i = 0;
    let j = 0;
    let steps = 0;
    while (i < orderA.length || j < orderB.length) {
      const rowA = orderA[i];
      const rowB = orderB[j];
      const order = rowA === undefined ? 1 : rowB === undefined ? -1 : compareKeys(keys.a, rowA, keys.b, rowB);
      if (order < 0) {
        kinds.push(1);
        rowsA.push(rowA!);
        rowsB.push(-1);
        i++;
      } else if (order > 0) {
        kinds.push(0);
        added++;
        rowsA.push(-1);
        rowsB.push(rowB!);
        j++;
      } else {
        if (equality.compare(rowA!, rowB!, countField) > 0) {
          kinds.push(2);
          rowsA.push(rowA!);
          rowsB.push(rowB!);
          changed++;
        } else {
          unchanged++;
        }
        i++;
        j++;
      }
      if ((++steps & 4095) === 0) await pause();
    }
    kinds.seal();
    rowsA.seal();
    rowsB.seal();
    const counts: DiffCounts = {
      a: a.count,
      b: b.count,
      unchanged,
      changed,
      added,
      removed: kinds.length - added - changed,
    };
    const byField = [...fieldCounts].map(([field, n]) => ({ field, changed: n }));
    byField.sort((x, y) => y.changed - x.changed || (x.field < y.field ? -1 : 1));
    return new RecordDiff(a, b, keys.kind, keys.a, keys.b, kinds, rowsA, rowsB, counts, byField, equality);
  }

  /** Number of differences (added, removed and changed records). */
  get length(): number {
    return this.kinds.length;
  }

  kindAt(index: number): DiffKind {
    return KINDS[this.kinds.get(index)]!;
  }

  /** Difference `index` (below `length`) with its fields. */
  row(index: number): DiffRow {
    const kind = this.kindAt(index);
    const rowA = this.rowsA.get(index);
    const rowB = this.rowsB.get(index);
    if (kind === 'changed')
      return {
        kind,
        key: keyText(this.keysA, rowA),
        rowA,
        rowB,
        fields: this.equality.changes(rowA, rowB),
      };
    if (kind === 'removed')
      return { kind, key: keyText(this.keysA, rowA), rowA, rowB: undefined, fields: this.oneSided(this.a, rowA, 'a') };
    return { kind, key: keyText(this.keysB, rowB), rowA: undefined, rowB, fields: this.oneSided(this.b, rowB, 'b') };
  }

  /** Differences `from…to-1`. */
  rows(from: number, to: number): DiffRow[] {
    const out: DiffRow[] = [];
    for (let index = Math.max(0, from); index < Math.min(to, this.length); index++) out.push(this.row(index));
    return out;
  }

  private oneSided(side: CompareSide, row: number, which: 'a' | 'b'): FieldChange[] {
    const fields: FieldChange[] = [];
    for (const [field, value] of side.fields(row)) {
      const text = value === null ? 'null' : side.textValues ? String(value) : JSON.stringify(value);
      fields.push(which === 'a' ? { field, a: text, b: '' } : { field, a: '', b: text });
    }
    return fields;
  }
}
