import { CancelledError, DEFAULT_SLICE_MS, yieldToEventLoop } from '../dataset/cooperative';
import { fieldOf, isRecordObject, readTime, START_FIELDS, TIME_FIELDS } from '../dataset/recordReading';
import type { CompareSide } from './compareSide';

/**
 * Which field pairs the records of two results: `id` when every record of both has one, else the
 * record's start time (read as the chart and hypnogram read it, under any of its names), else the
 * position in the result. Records with the same key pair up in order (the second record at 10:00
 * on one side with the second at 10:00 on the other).
 */
export type KeyKind = 'id' | 'time' | 'index';

/** The keys of one side, one per row. */
export type SideKeys =
  | { readonly kind: 'id'; readonly keys: readonly string[] }
  | { readonly kind: 'time'; readonly keys: Float64Array }
  | { readonly kind: 'index' };

/** The time names in the order a record's start is looked for: span starts first, then point times. */
const KEY_TIME_FIELDS: readonly string[] = [
  ...START_FIELDS,
  ...TIME_FIELDS.filter((f) => !START_FIELDS.includes(f as never)),
];

export interface KeyOptions {
  readonly signal?: AbortSignal | undefined;
  readonly sliceMs?: number | undefined;
}

/** The key both sides have on every record, with each side's keys. */
export async function chooseKeys(
  a: CompareSide,
  b: CompareSide,
  options: KeyOptions = {},
): Promise<{ kind: KeyKind; a: SideKeys; b: SideKeys }> {
  const idA = await readKeys(a, 'id', options);
  const idB = idA && (await readKeys(b, 'id', options));
  if (idA && idB) return { kind: 'id', a: idA, b: idB };
  const timeA = await readKeys(a, 'time', options);
  const timeB = timeA && (await readKeys(b, 'time', options));
  if (timeA && timeB) return { kind: 'time', a: timeA, b: timeB };
  return { kind: 'index', a: { kind: 'index' }, b: { kind: 'index' } };
}

/** Every record's key of `kind`, or undefined when a record has none (or the side is empty). */
export async function readKeys(
  side: CompareSide,
  kind: 'id' | 'time',
  options: KeyOptions = {},
): Promise<SideKeys | undefined> {
  if (side.count === 0) return undefined;
  const pause = pauser(options);
  if (kind === 'id') {
    const keys: string[] = new Array<string>(side.count);
    const leaf = side.leaves.get('id');
    for (let row = 0; row < side.count; row++) {
      const columnar = side.columnarRow(row);
      let key: string | undefined;
      if (columnar >= 0) key = leaf && !leaf.isNull(columnar) ? idText(leaf.valueAt(columnar)) : undefined;
      else key = idOf(side.store.getRecord(row));
      if (key === undefined) return undefined;
      keys[row] = key;
      if ((row & 4095) === 4095) await pause();
    }
    return { kind, keys };
  }
  const keys = new Float64Array(side.count);
  const name = KEY_TIME_FIELDS.find((f) => side.leaves.has(f));
  const leaf = name === undefined ? undefined : side.leaves.get(name);
  for (let row = 0; row < side.count; row++) {
    const columnar = side.columnarRow(row);
    let ms: number | undefined;
    if (columnar >= 0) {
      if (!leaf || leaf.isNull(columnar)) ms = undefined;
      else if (leaf.kind === 'time') ms = leaf.timeAt(columnar);
      else ms = readTime(leaf.valueAt(columnar));
    } else {
      ms = timeOf(side.store.getRecord(row));
    }
    if (ms === undefined) return undefined;
    keys[row] = ms;
    if ((row & 4095) === 4095) await pause();
  }
  return { kind, keys };
}

function idText(value: unknown): string | undefined {
  if (typeof value === 'string') return value === '' ? undefined : value;
  if (typeof value === 'number') return String(value);
  return undefined;
}

function idOf(record: unknown): string | undefined {
  return isRecordObject(record) ? idText(record.id) : undefined;
}

function timeOf(record: unknown): number | undefined {
  if (!isRecordObject(record)) return undefined;
  const found = fieldOf(record, KEY_TIME_FIELDS);
  return found === undefined ? undefined : readTime(found.value);
}

/** The rows of a side in key order (ties in row order). */
export function keyOrder(keys: SideKeys, count: number): Int32Array {
  if (keys.kind === 'index') return identity(count);
  return keys.kind === 'id' ? orderBy(keys.keys, count) : orderBy(keys.keys, count);
}

function identity(count: number): Int32Array {
  const order = new Int32Array(count);
  for (let i = 0; i < count; i++) order[i] = i;
  return order;
}

function orderBy<T extends number | string>(k: ArrayLike<T>, count: number): Int32Array {
  const order = identity(count);
  let ascending = true;
  let strictlyDescending = true;
  for (let i = 1; i < count && (ascending || strictlyDescending); i++) {
    if (k[i - 1]! > k[i]!) ascending = false;
    else strictlyDescending = false;
  }
  // Results usually come in time order, newest first or last: no sort needed then.
  if (ascending) return order;
  if (strictlyDescending) return order.reverse();
  return order.sort((x, y) => (k[x]! < k[y]! ? -1 : k[x]! > k[y]! ? 1 : x - y));
}

/** -1, 0 or 1 as key `x` of side A sorts before, with or after key `y` of side B. */
export function compareKeys(a: SideKeys, x: number, b: SideKeys, y: number): number {
  if (a.kind === 'time' && b.kind === 'time') return order3(a.keys[x]!, b.keys[y]!);
  if (a.kind === 'id' && b.kind === 'id') return order3(a.keys[x]!, b.keys[y]!);
  return order3(x, y);
}

function order3<T extends number | string>(x: T, y: T): number {
  return x < y ? -1 : x > y ? 1 : 0;
}

/** The key of `row` as the diff shows it. */
export function keyText(keys: SideKeys, row: number): string {
  if (keys.kind === 'index') return `#${row + 1}`;
  if (keys.kind === 'id') return keys.keys[row] ?? '';
  return new Date(keys.keys[row]!).toISOString();
}

export function pauser(options: KeyOptions): () => Promise<void> {
  const sliceMs = options.sliceMs ?? DEFAULT_SLICE_MS;
  let sliceStart = performance.now();
  return async () => {
    if (options.signal?.aborted) throw new CancelledError();
    if (performance.now() - sliceStart >= sliceMs) {
      await yieldToEventLoop();
      sliceStart = performance.now();
    }
  };
}
