import type { Writable } from 'stream';
import { BackpressureSink } from './sink';

/**
 * Streaming NDJSON export: one record per line, exactly `JSON.stringify(record)` (unknown fields
 * kept), one write per page with backpressure. Line breaks inside strings are escaped by JSON, so
 * every line is one record.
 *
 * Speed (B6): a page is stringified as one array (V8's fast path) and split into lines at the
 * record boundaries `},{`. That is exact only when every record is an object and `},{` occurs
 * nowhere else (not inside a string): then it occurs exactly `records − 1` times. The writer checks
 * that count and falls back to one `JSON.stringify` per record otherwise.
 * @see https://github.com/ndjson/ndjson-spec
 */

const BOUNDARY = '},{';

function isPlainObject(value: unknown): boolean {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function ndjsonLines(records: readonly unknown[]): string {
  if (records.length === 0) return '';
  let allObjects = true;
  for (let i = 0; i < records.length && allObjects; i++) allObjects = isPlainObject(records[i]);
  if (allObjects) {
    const text = JSON.stringify(records);
    let count = 0;
    for (let at = text.indexOf(BOUNDARY); at !== -1 && count < records.length; at = text.indexOf(BOUNDARY, at + BOUNDARY.length)) count++;
    if (count === records.length - 1) return `${text.slice(1, -1).replaceAll(BOUNDARY, '}\n{')}\n`;
  }
  let out = '';
  for (let i = 0; i < records.length; i++) out += `${JSON.stringify(records[i]) ?? 'null'}\n`;
  return out;
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
    await this._sink.write(ndjsonLines(records));
  }

  async close(): Promise<{ readonly records: number; readonly bytes: number }> {
    if (!this._closed) {
      this._closed = true;
      await this._sink.end();
    }
    return { records: this._records, bytes: this._sink.bytesWritten };
  }
}
