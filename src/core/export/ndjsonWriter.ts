import type { Writable } from 'stream';
import { BackpressureSink } from './sink';

/**
 * Streaming NDJSON export: one record per line, exactly as received (unknown fields kept), one
 * write per page with backpressure. Line breaks inside strings are escaped by JSON, so every line
 * is one record.
 * @see https://github.com/ndjson/ndjson-spec
 */
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
    let text = '';
    for (let i = 0; i < records.length; i++) text += `${JSON.stringify(records[i]) ?? 'null'}\n`;
    this._records += records.length;
    await this._sink.write(text);
  }

  async close(): Promise<{ readonly records: number; readonly bytes: number }> {
    if (!this._closed) {
      this._closed = true;
      await this._sink.end();
    }
    return { records: this._records, bytes: this._sink.bytesWritten };
  }
}
