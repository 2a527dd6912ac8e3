import { stringifyJson } from '../dataset/deepJson';
import { LeafColumn, type LeafKind } from '../dataset/leafColumn';
import { RecordShape, type ObjectShape } from '../dataset/recordShape';
import type { TimeLayout } from '../dataset/timeFormats';

/**
 * Records turned into columns off the main thread (docs/performance.md, B4): the page worker stores
 * each chunk of records in a `RecordShape` of its own, exactly as `ResultStore.append` would, and
 * sends the columns' typed arrays (transferred, not copied); `ResultStore.appendChunk` then only
 * copies numbers into its columns. So that both sides make the same decisions, the worker starts
 * every page from the store's shape and column kinds (`ShapeState`); its string columns' codes are
 * the chunk's own, and the store interns the chunk's few distinct strings in the same order.
 */

/** What decides where a record goes: the shape and each column's kind, time layout and base. */
export interface ShapeState {
  /** The shape as a record with null leaves (JSON); undefined while the store has none. */
  readonly skeleton: string | undefined;
  readonly leaves: readonly LeafState[];
}

export interface LeafState {
  readonly kind: LeafKind;
  readonly timeLayout: TimeLayout | undefined;
  readonly timeBase: number;
  readonly timeUnit: number;
}

/** One column's part of a chunk: its state after the chunk and its stored numbers. */
export interface LeafChunk extends LeafState {
  /** Stored numbers of the chunk's columnar rows (the first `length`); a string column's are codes into `dictionary`. */
  readonly numbers: Int8Array | Int16Array | Int32Array | Float64Array;
  readonly length: number;
  /** 1 where the value is null (undefined when none is). */
  readonly nulls: Uint8Array | undefined;
  /** The chunk's distinct strings of a string column, in the order they first came. */
  readonly dictionary: readonly string[];
}

export interface ColumnChunk {
  readonly records: number;
  /** The shape's skeleton when this chunk founded it (the store had none). */
  readonly foundedShape: string | undefined;
  /** One per leaf of the shape, in its order; empty while there is no shape. */
  readonly leaves: readonly LeafChunk[];
  /** Indexes in the chunk (ascending) of the records kept as JSON text, and their texts. */
  readonly fallbackRows: readonly number[];
  readonly fallbackTexts: readonly string[];
}

function skeletonOf(shape: ObjectShape): string {
  let text = '{';
  shape.children.forEach((child, i) => {
    text += (shape.prefixes[i] ?? '') + (child instanceof LeafColumn ? 'null' : skeletonOf(child));
  });
  return `${text}}`;
}

function leafState(leaf: LeafColumn): LeafState {
  return { kind: leaf.kind, timeLayout: leaf.timeLayout, timeBase: leaf.timeBase, timeUnit: leaf.timeUnit };
}

/** The state a page worker needs to store records as `store` would (its columns; undefined before any). */
export function shapeStateOf(columns: RecordShape | undefined): ShapeState {
  return columns ? { skeleton: skeletonOf(columns.root), leaves: columns.leaves.map(leafState) } : EMPTY_STATE;
}

const EMPTY_STATE: ShapeState = { skeleton: undefined, leaves: [] };

/** Turns chunks of one page's records into `ColumnChunk`s, carrying the column state from chunk to chunk. */
export class ChunkEncoder {
  private skeleton: unknown;
  private leaves: readonly LeafState[];

  constructor(state: ShapeState) {
    this.skeleton = state.skeleton === undefined ? undefined : JSON.parse(state.skeleton);
    this.leaves = state.leaves;
  }

  /** The chunk and the buffers to transfer with it. */
  encode(records: readonly unknown[]): { readonly chunk: ColumnChunk; readonly transfer: ArrayBuffer[] } {
    let shape = this.skeleton === undefined ? undefined : this.freshShape();
    let foundedShape: string | undefined;
    const fallbackRows: number[] = [];
    const fallbackTexts: string[] = [];
    for (let i = 0; i < records.length; i++) {
      const record = records[i];
      if (shape === undefined) {
        shape = RecordShape.from(record);
        if (shape) {
          foundedShape = skeletonOf(shape.root);
          this.skeleton = JSON.parse(foundedShape);
        }
      }
      if (shape !== undefined && shape.prepare(record)) {
        shape.commit();
      } else {
        fallbackRows.push(i);
        fallbackTexts.push(stringifyJson(record) ?? 'null');
      }
    }
    const leaves = shape?.leaves ?? [];
    this.leaves = leaves.map(leafState);
    const transfer: ArrayBuffer[] = [];
    const leafChunks = leaves.map((leaf): LeafChunk => {
      const numbers = leaf.numbers.data;
      transfer.push(numbers.buffer as ArrayBuffer);
      if (leaf.nulls) transfer.push(leaf.nulls.buffer as ArrayBuffer);
      return { ...leafState(leaf), numbers, length: leaf.length, nulls: leaf.nulls, dictionary: leaf.dictionary };
    });
    return {
      chunk: { records: records.length, foundedShape, leaves: leafChunks, fallbackRows, fallbackTexts },
      transfer,
    };
  }

  /** The shape with empty columns in the state the last chunk left them. */
  private freshShape(): RecordShape {
    const shape = RecordShape.from(this.skeleton);
    if (!shape || shape.leaves.length !== this.leaves.length)
      throw new Error('The shape sent to the page worker is not regular.');
    shape.leaves.forEach((leaf, i) => {
      const state = this.leaves[i]!;
      leaf.kind = state.kind;
      leaf.timeLayout = state.timeLayout;
      leaf.timeBase = state.timeBase;
      leaf.timeUnit = state.timeUnit;
    });
    return shape;
  }
}
