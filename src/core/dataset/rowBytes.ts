import type { LeafColumn } from './leafColumn';
import type { RecordShape } from './recordShape';
import type { TimeLayout } from './timeFormats';

/**
 * JSON text of columnar rows written straight into bytes, for exports: no string per row, no
 * second pass to encode it. Gives exactly the bytes of `RecordShape.json(row)` in UTF-8.
 *
 * `!` marks element reads whose index is in range by construction (loop bounds, a digit 0–9, a
 * dictionary code of the column): this is the export's per-row path (docs/performance.md, B6),
 * where a fallback would cost a compare per byte or value.
 */

const DAY_MS = 86_400_000;
const QUOTE = 0x22;
const DIGITS = Buffer.from('0123456789', 'latin1');
const EMPTY = Buffer.alloc(0);

type LeafWriter = (row: number, out: Buffer, at: number) => number;

/** Copies a short buffer byte by byte: `Buffer.copy` costs more in call overhead than the bytes. */
function put(src: Uint8Array, out: Buffer, at: number): number {
  for (let k = 0; k < src.length; k++) out[at + k] = src[k]!;
  return at + src.length;
}

/** Writes a number's JSON text (ASCII); integers digit by digit, others through String(n). */
function putNumber(n: number, out: Buffer, at: number): number {
  if (Number.isInteger(n) && Math.abs(n) < 1e15 && !Object.is(n, -0)) {
    if (n < 0) {
      out[at++] = 0x2d;
      n = -n;
    }
    let digits = 1;
    for (let p = 10; p <= n; p *= 10) digits++;
    for (let k = digits - 1; k >= 0; k--) {
      out[at + k] = 0x30 + (n % 10);
      n = Math.floor(n / 10);
    }
    return at + digits;
  }
  const text = String(n);
  for (let k = 0; k < text.length; k++) out[at + k] = text.charCodeAt(k);
  return at + text.length;
}

function writeTwo(out: Buffer, at: number, n: number): void {
  out[at] = DIGITS[(n / 10) | 0]!;
  out[at + 1] = DIGITS[n % 10]!;
}

function timeWriter(leaf: LeafColumn): LeafWriter {
  const layout = leaf.timeLayout as TimeLayout;
  const data = leaf.numbers.data;
  const { timeBase, timeUnit } = leaf;
  const offset = layout.kind === 'secondsOffset' ? layout.offsetMs : 0;
  const suffix = Buffer.from(
    layout.kind === 'secondsOffset' ? layout.suffix : layout.kind === 'date' ? '' : 'Z',
    'latin1',
  );
  let cachedDay = NaN;
  const dayPrefix = Buffer.alloc(11);
  return (row, out, at) => {
    const local = timeBase + data[row]! * timeUnit + offset;
    const day = Math.floor(local / DAY_MS);
    if (day !== cachedDay) {
      cachedDay = day;
      dayPrefix.write(new Date(day * DAY_MS).toISOString().slice(0, 11), 0, 'latin1');
    }
    out[at++] = QUOTE;
    if (layout.kind === 'date') {
      for (let k = 0; k < 10; k++) out[at + k] = dayPrefix[k]!;
      at += 10;
    } else {
      at = put(dayPrefix, out, at);
      const inDay = local - day * DAY_MS;
      const millis = inDay % 1000;
      const seconds = (inDay - millis) / 1000;
      writeTwo(out, at, Math.floor(seconds / 3600));
      out[at + 2] = 0x3a;
      writeTwo(out, at + 3, Math.floor(seconds / 60) % 60);
      out[at + 5] = 0x3a;
      writeTwo(out, at + 6, seconds % 60);
      at += 8;
      if (layout.kind === 'millisZ') {
        out[at] = 0x2e;
        out[at + 1] = DIGITS[(millis / 100) | 0]!;
        out[at + 2] = DIGITS[((millis / 10) | 0) % 10]!;
        out[at + 3] = DIGITS[millis % 10]!;
        at += 4;
      }
      at = put(suffix, out, at);
    }
    out[at++] = QUOTE;
    return at;
  };
}

function leafWriter(leaf: LeafColumn): { write: LeafWriter; maxBytes: number } {
  const data = leaf.numbers.data;
  const nulls = leaf.nulls;
  const NULL = Buffer.from('null', 'latin1');
  let write: LeafWriter;
  let maxBytes = 4;
  switch (leaf.kind) {
    case 'pending':
      return { write: (_row, out, at) => put(NULL, out, at), maxBytes };
    case 'number':
      // String(n) is the JSON form of a finite number, and it is ASCII.
      write = (row, out, at) => putNumber(data[row]!, out, at);
      maxBytes = 25;
      break;
    case 'boolean': {
      const TRUE = Buffer.from('true', 'latin1');
      const FALSE = Buffer.from('false', 'latin1');
      write = (row, out, at) => put(data[row] === 1 ? TRUE : FALSE, out, at);
      maxBytes = 5;
      break;
    }
    case 'string': {
      const encoded = leaf.dictionary.map((_, code) => Buffer.from(leaf.stringJson(code), 'utf8'));
      for (const e of encoded) maxBytes = Math.max(maxBytes, e.length);
      write = (row, out, at) => put(encoded[data[row]!]!, out, at);
      break;
    }
    case 'time':
      write = timeWriter(leaf);
      maxBytes = 40;
      break;
  }
  if (!nulls) return { write, maxBytes };
  const inner = write;
  return { write: (row, out, at) => (nulls[row] === 1 ? put(NULL, out, at) : inner(row, out, at)), maxBytes };
}

export interface RowBytesWriter {
  /** Bytes of columnar rows `from…to-1`, each followed by `separator`. */
  rows(from: number, to: number, separator: string): Buffer;
}

export function createRowBytesWriter(shape: RecordShape): RowBytesWriter {
  const { texts, order } = shape.template();
  // The template's texts stand around the leaves: one more text than leaves.
  const [head = EMPTY, ...afterLeaf] = texts.map((t) => Buffer.from(t, 'utf8'));
  const writers = order.map(leafWriter);
  const maxRow =
    head.length + afterLeaf.reduce((n, b) => n + b.length, 0) + writers.reduce((n, w) => n + w.maxBytes, 0);
  return {
    rows(from, to, separator) {
      const sep = Buffer.from(separator, 'latin1');
      const out = Buffer.allocUnsafe((to - from) * (maxRow + sep.length));
      let at = 0;
      for (let row = from; row < to; row++) {
        at = put(head, out, at);
        for (let i = 0; i < writers.length; i++) {
          at = writers[i]!.write(row, out, at);
          at = put(afterLeaf[i]!, out, at);
        }
        at = put(sep, out, at);
      }
      return out.subarray(0, at);
    },
  };
}
