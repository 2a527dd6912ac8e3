import type { Writable } from 'stream';
import { csvCell, CsvRowBuilder } from './csvRows';
import { collectColumns } from './flatten';
import { BackpressureSink } from './sink';

/**
 * Streaming CSV export (RFC 4180): pages of records go in, rows go out to a `Writable` with
 * backpressure, and nothing but the current batch is held in memory.
 *
 * Columns. A streamed CSV must write its header before it has seen every record, so:
 * - with `columns` given, exactly those columns are written;
 * - otherwise the columns are the dotted names found in the FIRST batch (a first page of up to
 *   10,000 records of one route covers its shape), followed by a last column `_extra` that holds,
 *   as a JSON object, any field that first appears in a later batch. Nothing is dropped, the
 *   column set is stable from the first row, and the file is written in one pass.
 *
 * Cells: objects are flattened to dotted columns, arrays are JSON text, `null`/missing are empty.
 * Text that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR at the start) gets a
 * leading `'` unless `escapeFormulas` is false (OWASP "CSV injection"); numbers are never touched.
 * @see https://www.rfc-editor.org/rfc/rfc4180
 */

export interface CsvWriterOptions {
  readonly columns?: readonly string[];
  /** Default true. */
  readonly escapeFormulas?: boolean;
}

export interface ExportSummary {
  readonly records: number;
  readonly bytes: number;
  readonly columns: readonly string[];
  /** Fields that appeared after the header was written (kept in `_extra`). */
  readonly lateColumns: readonly string[];
}

export const EXTRA_COLUMN = '_extra';

export { csvCell };

export class CsvWriter {
  private readonly _sink: BackpressureSink;
  private readonly _escape: boolean;
  private _columns: string[] | undefined;
  private _rows: CsvRowBuilder | undefined;
  private _inferred = false;
  private readonly _late = new Set<string>();
  private _records = 0;
  private _closed = false;
  private _headerWritten = false;

  constructor(stream: Writable, options: CsvWriterOptions = {}) {
    this._sink = new BackpressureSink(stream);
    this._escape = options.escapeFormulas !== false;
    if (options.columns) this._setColumns([...options.columns], false);
  }

  private _setColumns(columns: string[], inferred: boolean): void {
    this._columns = columns;
    this._inferred = inferred;
    this._rows = new CsvRowBuilder(columns, this._escape, inferred);
  }

  /** Writes one batch (a page) of records; resolves when the stream accepted it. */
  async writeRecords(records: readonly unknown[]): Promise<void> {
    if (this._closed) throw new Error('The CSV export is already closed.');
    let header = '';
    if (!this._columns) this._setColumns(collectColumns(records), true);
    if (!this._headerWritten) {
      this._headerWritten = true;
      header = this._headerLine();
    }
    const rows = this._rows!;
    const lines: string[] = new Array(records.length);
    for (let r = 0; r < records.length; r++) {
      let line = rows.row(records[r]);
      if (this._inferred) {
        const extra = rows.extra;
        if (extra) for (const column of Object.keys(extra)) this._late.add(column);
        line += extra ? `,${csvCell(JSON.stringify(extra), false)}` : ',';
      }
      lines[r] = line;
    }
    this._records += records.length;
    await this._sink.write(header + (lines.length ? `${lines.join('\r\n')}\r\n` : ''));
  }

  private _headerLine(): string {
    const names = this._inferred ? [...this._columns!, EXTRA_COLUMN] : this._columns!;
    return `${names.map((c) => csvCell(c, this._escape)).join(',')}\r\n`;
  }

  /** Flushes and ends the stream. An export with no records still gets its header (if columns were given). */
  async close(): Promise<ExportSummary> {
    if (!this._closed) {
      this._closed = true;
      if (this._columns && !this._headerWritten) {
        this._headerWritten = true;
        await this._sink.write(this._headerLine());
      }
      await this._sink.end();
    }
    return {
      records: this._records,
      bytes: this._sink.bytesWritten,
      columns: this._columns ?? [],
      lateColumns: [...this._late],
    };
  }
}
