import { LeafColumn } from './leafColumn';

/**
 * The regular shape of a result's records: the same keys in the same order, scalars at the leaves,
 * nested objects allowed (stored as dotted columns). Records of this shape are stored column by
 * column; any other record goes to the fallback store as JSON text.
 */

export interface ObjectShape {
  readonly keys: readonly string[];
  /** JSON text written before each value: `{"key":` for the first, `,"key":` after. */
  readonly prefixes: readonly string[];
  readonly children: readonly (ObjectShape | LeafColumn)[];
}

const MAX_DEPTH = 4;
const MAX_LEAVES = 64;

export class RecordShape {
  readonly leaves: LeafColumn[] = [];
  readonly root: ObjectShape;

  /** The record's JSON as fixed text around each leaf: `texts[0] leaf0 texts[1] leaf1 … texts[n]`. */
  private readonly texts: string[];
  private readonly order: LeafColumn[];

  private constructor(record: Record<string, unknown>) {
    this.root = this.build(record, []);
    const texts: string[] = [];
    const order: LeafColumn[] = [];
    let text = '';
    const walk = (shape: ObjectShape): void => {
      text += '{';
      shape.children.forEach((child, i) => {
        text += shape.prefixes[i] ?? '';
        if (child instanceof LeafColumn) {
          texts.push(text);
          order.push(child);
          text = '';
        } else {
          walk(child);
        }
      });
      text += '}';
    };
    walk(this.root);
    texts.push(text);
    this.texts = texts;
    this.order = order;
  }

  /** A shape built from `record`, or undefined when the record is not regular enough to be one. */
  static from(record: unknown): RecordShape | undefined {
    if (!isPlainObject(record) || !isRegular(record, 1, { leaves: 0 })) return undefined;
    return new RecordShape(record);
  }

  /** True (and every leaf holds the record's value, ready to commit) if `record` has this shape. */
  prepare(record: unknown): boolean {
    return prepareObject(record, this.root);
  }

  commit(): void {
    for (const leaf of this.leaves) leaf.commit();
  }

  /** The fixed JSON text around the leaves, in order (see `json`). */
  template(): { readonly texts: readonly string[]; readonly order: readonly LeafColumn[] } {
    return { texts: this.texts, order: this.order };
  }

  json(row: number): string {
    const { texts, order } = this;
    // texts has one more element than order: the loop reads within both.
    let text = texts[0]!;
    for (let i = 0; i < order.length; i++) text += order[i]!.jsonAt(row) + texts[i + 1]!;
    return text;
  }

  reserve(rows: number): void {
    for (const leaf of this.leaves) leaf.reserve(rows);
  }

  seal(): void {
    for (const leaf of this.leaves) leaf.seal();
  }

  leafByPath(path: readonly string[]): LeafColumn | undefined {
    return this.leaves.find((l) => l.path.length === path.length && l.path.every((key, i) => key === path[i]));
  }

  private build(record: Record<string, unknown>, path: string[]): ObjectShape {
    const keys: string[] = [];
    const children: (ObjectShape | LeafColumn)[] = [];
    for (const key in record) {
      const value = record[key];
      keys.push(key);
      if (isPlainObject(value)) {
        children.push(this.build(value, [...path, key]));
      } else {
        const leaf = new LeafColumn([...path, key]);
        this.leaves.push(leaf);
        children.push(leaf);
      }
    }
    const prefixes = keys.map((k, i) => `${i === 0 ? '' : ','}${JSON.stringify(k)}:`);
    return { keys, prefixes, children };
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isRegular(record: Record<string, unknown>, depth: number, counter: { leaves: number }): boolean {
  if (depth > MAX_DEPTH) return false;
  for (const key in record) {
    const value = record[key];
    if (Array.isArray(value)) return false;
    if (isPlainObject(value)) {
      if (!isRegular(value, depth + 1, counter)) return false;
    } else if (++counter.leaves > MAX_LEAVES) {
      return false;
    }
  }
  return true;
}

function prepareObject(value: unknown, shape: ObjectShape): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const record = value as Record<string, unknown>;
  const { keys, children } = shape;
  let i = 0;
  for (const key in record) {
    // children and keys have the same length: no child, no key at i.
    const child = children[i];
    if (child === undefined || keys[i] !== key) return false;
    const ok = child instanceof LeafColumn ? child.prepare(record[key]) : prepareObject(record[key], child);
    if (!ok) return false;
    i++;
  }
  return i === keys.length;
}
