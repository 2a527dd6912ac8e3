import type { Writable } from 'stream';
import { stringifyJson } from '../dataset/deepJson';
import { BackpressureSink } from './sink';

/**
 * Streaming NDJSON export: one record per line, exactly `JSON.stringify(record)` (unknown fields
 * kept), one write per page with backpressure. Line breaks inside strings are escaped by JSON, so
 * every line is one record.
 *
 * Speed (B6): a page is stringified as one array (V8's fast path), encoded once, and the comma of
 * each record boundary `},{` is overwritten with a line feed in the bytes (same length, no second
 * copy). That is exact only when every record is an object and `},{` occurs nowhere else (not
 * inside a string): then it occurs exactly `records − 1` times. The writer checks that count and
 * falls back to one `JSON.stringify` per record otherwise.
 * @see https://github.com/ndjson/ndjson-spec
 */

const BOUNDARY = '},{';
const LINE_FEED = 0x0a;

function isPlainObject(value: unknown): boolean {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function nativeStringify(value: unknown): string | undefined {
  try {
    return JSON.stringify(value);
  } catch (err) {
    if (err instanceof RangeError) return undefined;
    throw err;
  }
}

/** The NDJSON bytes of `records`: `JSON.stringify` of each, one per line. */
export function ndjsonBytes(records: readonly unknown[]): Buffer {
  if (records.length === 0) return Buffer.alloc(0);
  let allObjects = true;
  for (let i = 0; i < records.length && allObjects; i++) allObjects = isPlainObject(records[i]);
  // A record nested too deep for the native stringify takes the per-record path below.
  const pageText = allObjects ? nativeStringify(records) : undefined;
  if (pageText !== undefined) {
    const bytes = Buffer.from(pageText, 'utf8');
    const boundaries: number[] = [];
    for (
      let at = bytes.indexOf(BOUNDARY);
      at !== -1 && boundaries.length < records.length;
      at = bytes.indexOf(BOUNDARY, at + BOUNDARY.length)
    )
      boundaries.push(at);
    if (boundaries.length === records.length - 1) {
      for (const at of boundaries) bytes[at + 1] = LINE_FEED;
      bytes[bytes.length - 1] = LINE_FEED;
      return bytes.subarray(1);
    }
  }
  let out = '';
  for (let i = 0; i < records.length; i++) out += `${stringifyJson(records[i]) ?? 'null'}\n`;
  return Buffer.from(out, 'utf8');
}

/** The same as text (tests and small exports). */
export function ndjsonLines(records: readonly unknown[]): string {
  return ndjsonBytes(records).toString('utf8');
}

export class NdjsonWriter {
  private readonly _sink: BackpressureSink;
  private _records = 0;
  private _closed = false;

  constructor(stream: Writable) {
    this._sink = new BackpressureSink(stream);
  }

  async writeRecords(records: readonly unknown[]): Promise<void> {
    if (this._closed) throw new Error('The NDJSON export is already closed.');
    if (records.length === 0) return;
    this._records += records.length;
    await this._sink.write(ndjsonBytes(records));
  }

  async close(): Promise<{ readonly records: number; readonly bytes: number }> {
    if (!this._closed) {
      this._closed = true;
      await this._sink.end();
    }
    return { records: this._records, bytes: this._sink.bytesWritten };
  }
}
