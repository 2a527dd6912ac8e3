import type { Writable } from 'stream';
import { csvCell } from '../export/csvCell';
import { collectColumns, forEachLeaf } from '../export/flatten';
import { BackpressureSink } from '../export/sink';
import { DEFAULT_SLICE_MS, yieldToEventLoop } from './cooperative';
import { LeafColumn } from './leafColumn';
import type { ObjectShape } from './recordShape';
import type { ResultStore } from './resultStore';
import { createRowBytesWriter, type RowBytesWriter } from './rowBytes';
import { formatTime, type TimeLayout } from './timeFormats';

/**
 * Export of a whole result to JSON, NDJSON or CSV, streamed from the store to a `Writable` with
 * backpressure, progress and cancel; the file holds exactly the records fetched, in order.
 * - JSON: one array, a record per line. NDJSON: a record per line.
 * - CSV (RFC 4180): the encoder of `src/core/export` (cells, quoting, formula guard, dotted
 *   columns). The store knows the whole result, so the columns are exact and in one header: the
 *   regular shape's columns, then any column that only irregular records have (found in a first
 *   pass over those records), so no `_extra` column is needed.
 */

export type ExportFormat = 'json' | 'ndjson' | 'csv';

export interface ExportProgress {
  readonly records: number;
  readonly totalRecords: number;
  readonly bytes: number;
}

export interface ExportOptions {
  readonly format: ExportFormat;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: ExportProgress) => void;
  /** CSV only; default true (text starting with = + - @ gets a leading '). */
  readonly escapeFormulas?: boolean;
}

export interface ExportOutcome {
  readonly format: ExportFormat;
  /** False when cancelled: the file is incomplete and the caller should delete it. */
  readonly complete: boolean;
  readonly records: number;
  readonly bytes: number;
  /** CSV header. */
  readonly columns?: readonly string[];
}

/** Rows per write: about 1 MB of text, one backpressure check each. */
const BATCH_ROWS = 8_192;

/** The dotted columns of the whole result, in first-seen order (regular shape first). */
function resultColumns(store: ResultStore): string[] {
  const columns: string[] = [];
  const seen = new Set<string>();
  if (store.columnarRecordCount > 0) {
    const firstColumnar = firstColumnarRow(store);
    collectColumns([store.getRecord(firstColumnar)], columns, seen);
  }
  const fallback = store.fallbackRowIndexes;
  for (let k = 0; k < fallback.length; k++) collectColumns([store.getRecord(fallback.get(k))], columns, seen);
  return columns;
}

function firstColumnarRow(store: ResultStore): number {
  const fallback = store.fallbackRowIndexes;
  let row = 0;
  for (let k = 0; k < fallback.length && fallback.get(k) === row; k++) row++;
  return row;
}

function hasEmptyObject(shape: ObjectShape): boolean {
  if (shape.children.length === 0) return true;
  return shape.children.some((c) => !(c instanceof LeafColumn) && hasEmptyObject(c));
}

/**
 * CSV line makers for columnar rows, straight from the columns (no parse per record): a cell per
 * leaf, encoded by the shared `csvCell`, with each distinct string encoded once. Printed
 * timestamps and numbers are written as they are: `csvCell` leaves them unchanged (a timestamp
 * starts with a digit and has no quote, comma or line break; numbers are never escaped).
 */
function columnarCsvLine(
  store: ResultStore,
  columns: readonly string[],
  escape: boolean,
): ((columnarRow: number) => string) | undefined {
  const shape = store.columns;
  if (!shape || hasEmptyObject(shape.root)) return undefined;
  const index = new Map(columns.map((c, i) => [c, i]));
  const width = columns.length;
  const cells: (((row: number) => string) | undefined)[] = new Array<undefined>(width).fill(undefined);
  for (const leaf of shape.leaves) {
    const position = index.get(leaf.dottedPath);
    if (position === undefined) return undefined;
    cells[position] = leafCsvCell(leaf, escape);
  }
  // One array for every row: `join` makes each line a flat string at once (concatenation would
  // leave ropes of a dozen parts per row for the collector, and the export's peak heap grew by half).
  const texts = new Array<string>(width).fill('');
  return (row) => {
    for (let i = 0; i < width; i++) {
      const cell = cells[i];
      texts[i] = cell === undefined ? '' : cell(row);
    }
    return texts.join(',');
  };
}

function leafCsvCell(leaf: LeafColumn, escape: boolean): (row: number) => string {
  const encoded: string[] = [];
  // The kind and the columns are read at each call: a result still being fetched may have grown
  // them, or turned a column of timestamps into one of strings, since the export started.
  return (row) => {
    if (leaf.isNull(row) || leaf.kind === 'pending') return '';
    // The export asks only for rows the column holds.
    const n = leaf.numbers.data[row]!;
    switch (leaf.kind) {
      case 'string':
        return (encoded[n] ??= csvCell(leaf.dictionary[n]!, escape));
      case 'time':
        return formatTime(leaf.timeLayout as TimeLayout, leaf.timeBase + n * leaf.timeUnit);
      case 'number':
        return String(n);
      case 'boolean':
        return n === 1 ? 'true' : 'false';
    }
  };
}

function recordCsvLine(record: unknown, index: ReadonlyMap<string, number>, width: number, escape: boolean): string {
  const cells: string[] = new Array<string>(width).fill('');
  forEachLeaf(record, (column, value) => {
    const i = index.get(column);
    if (i !== undefined) cells[i] = csvCell(value, escape);
  });
  return cells.join(',');
}

export async function exportResult(
  store: ResultStore,
  stream: Writable,
  options: ExportOptions,
): Promise<ExportOutcome> {
  const { format } = options;
  const escape = options.escapeFormulas !== false;
  const sink = new BackpressureSink(stream);
  const total = store.count;
  const fallback = store.fallbackRowIndexes;
  let columns: string[] | undefined;
  /** Lines of rows `from…to-1`. */
  let lines: (from: number, to: number) => string[];

  if (format === 'csv') {
    columns = resultColumns(store);
    const index = new Map(columns.map((c, i) => [c, i]));
    const width = columns.length;
    const fromColumns = columnarCsvLine(store, columns, escape);
    let fallbackSeen = 0;
    lines = (from, to) => {
      const out: string[] = [];
      for (let row = from; row < to; row++) {
        if (fallbackSeen < fallback.length && fallback.get(fallbackSeen) === row) {
          fallbackSeen++;
          out.push(recordCsvLine(store.getRecord(row), index, width, escape));
        } else if (fromColumns) {
          out.push(fromColumns(row - fallbackSeen));
        } else {
          out.push(recordCsvLine(store.getRecord(row), index, width, escape));
        }
      }
      return out;
    };
    await sink.write(`${columns.map((c) => csvCell(c, escape)).join(',')}\r\n`);
  } else {
    return exportJson(store, sink, options);
  }

  const separator = '\r\n';
  let written = 0;
  let sliceStart = performance.now();
  for (let from = 0; from < total; from += BATCH_ROWS) {
    if (options.signal?.aborted) {
      await sink.end();
      return { format, complete: false, records: written, bytes: sink.bytesWritten, ...(columns ? { columns } : {}) };
    }
    const to = Math.min(total, from + BATCH_ROWS);
    await sink.write(lines(from, to).join(separator) + separator);
    written = to;
    options.onProgress?.({ records: written, totalRecords: total, bytes: sink.bytesWritten });
    if (performance.now() - sliceStart >= DEFAULT_SLICE_MS) {
      await yieldToEventLoop();
      sliceStart = performance.now();
    }
  }
  await sink.end();
  return { format, complete: true, records: written, bytes: sink.bytesWritten, ...(columns ? { columns } : {}) };
}

/**
 * JSON and NDJSON: columnar rows are written as bytes by `RowBytesWriter`, the fallback rows as
 * their stored text; a record per line either way.
 */
async function exportJson(store: ResultStore, sink: BackpressureSink, options: ExportOptions): Promise<ExportOutcome> {
  const { format } = options;
  const total = store.count;
  const separator = format === 'ndjson' ? '\n' : ',\n';
  const separatorBytes = Buffer.from(separator, 'latin1');
  const shape = store.columns;
  const rowBytes = shape ? createRowBytesWriter(shape) : undefined;
  const fallback = store.fallbackRowIndexes;
  let fallbackSeen = 0;
  if (format === 'json') await sink.write(Buffer.from('[\n', 'latin1'));
  let written = 0;
  let sliceStart = performance.now();
  for (let from = 0; from < total; from += BATCH_ROWS) {
    if (options.signal?.aborted) {
      await sink.end();
      return { format, complete: false, records: written, bytes: sink.bytesWritten };
    }
    const to = Math.min(total, from + BATCH_ROWS);
    const parts: Buffer[] = [];
    let row = from;
    while (row < to) {
      if (fallbackSeen < fallback.length && fallback.get(fallbackSeen) === row) {
        parts.push(Buffer.from(store.getRecordJson(row) + separator, 'utf8'));
        fallbackSeen++;
        row++;
        continue;
      }
      // A run of columnar rows up to the next fallback row (or the batch end).
      const runEnd = fallbackSeen < fallback.length ? Math.min(to, fallback.get(fallbackSeen)) : to;
      parts.push((rowBytes as RowBytesWriter).rows(row - fallbackSeen, runEnd - fallbackSeen, separator));
      row = runEnd;
    }
    let chunk = parts.length === 1 && parts[0] ? parts[0] : Buffer.concat(parts);
    if (format === 'json' && to === total)
      chunk = Buffer.concat([chunk.subarray(0, chunk.length - separatorBytes.length), Buffer.from('\n', 'latin1')]);
    await sink.write(chunk);
    written = to;
    options.onProgress?.({ records: written, totalRecords: total, bytes: sink.bytesWritten });
    if (performance.now() - sliceStart >= DEFAULT_SLICE_MS) {
      await yieldToEventLoop();
      sliceStart = performance.now();
    }
  }
  if (format === 'json') await sink.write(Buffer.from(']\n', 'latin1'));
  await sink.end();
  return { format, complete: true, records: written, bytes: sink.bytesWritten };
}
