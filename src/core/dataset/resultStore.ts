import type { ColumnChunk } from '../worker/columnChunk';
import { AdaptiveNumbers } from './adaptiveNumbers';
import { stringifyJson } from './deepJson';
import { FallbackRecords } from './fallbackRecords';
import { RecordShape } from './recordShape';

/**
 * The whole result of one query (up to millions of records) kept compact: records of the regular
 * shape in typed-array columns (≈ 10–15 bytes a heart-rate record instead of ≈ 120 as objects),
 * every other record as JSON text in the fallback store (spilled to disk when a folder is given).
 * No string ever holds the whole result: rows leave as bounded windows of JSON text.
 * See docs/performance.md, B10.
 */

export interface ResultStoreOptions {
  /** The extension's own storage folder for spilled records; omitted: kept in memory. */
  readonly spillDirectory?: string;
}

/** A window of rows as compact JSON text (`[{…},{…}]`), for the webview. */
export interface RowWindow {
  readonly offset: number;
  /** Rows in `json`; fewer than asked when the byte limit or the end was reached. */
  readonly count: number;
  readonly json: string;
}

export interface ResultStoreStats {
  readonly records: number;
  readonly columnarRecords: number;
  readonly fallbackRecords: number;
  /** JSON bytes of the pages appended (when their text was passed to `append`). */
  readonly jsonBytes: number;
  /** Approximate bytes retained in memory by the columns, dictionaries and fallback index. */
  readonly retainedBytes: number;
  readonly spillFile: string | undefined;
}

/** Largest window `getRows` returns: one message to the webview stays ≤ 1 MB (docs/performance.md, B7). */
const MAX_WINDOW_BYTES = 1_000_000;

/** A plan can be wrong: at most this many records are reserved ahead (a column of them is 10 MB at one byte each). */
const MAX_RESERVED_RECORDS = 10_000_000;

export class ResultStore {
  private shape: RecordShape | undefined;
  private columnarCount = 0;
  private readonly fallback: FallbackRecords;
  /** Row indexes (ascending) of the records in the fallback store. */
  private readonly fallbackRows = new AdaptiveNumbers();
  private count_ = 0;
  private jsonBytes = 0;
  private disposed = false;

  constructor(options: ResultStoreOptions = {}) {
    this.fallback = new FallbackRecords(options.spillDirectory);
  }

  get count(): number {
    return this.count_;
  }

  /** The regular shape's columns (for search and aggregation); undefined until a regular record came. */
  get columns(): RecordShape | undefined {
    return this.shape;
  }

  /** Number of records stored column by column (they are rows `0…` of the columns, in row order). */
  get columnarRecordCount(): number {
    return this.columnarCount;
  }

  /** Ascending row indexes of the fallback records; read `.data` below `.length`. */
  get fallbackRowIndexes(): AdaptiveNumbers {
    return this.fallbackRows;
  }

  /**
   * Adds one page's records in order. `pageJson` (the page's raw text or its byte length) only
   * feeds the bytes-per-record statistics.
   */
  append(records: readonly unknown[], pageJson?: string | Buffer | number): void {
    this.appendRange(records, 0, records.length, pageJson);
  }

  /** `append` of `records[from…to-1]`, without copying them out first (fetch-all appends a page in slices). */
  appendRange(records: readonly unknown[], from: number, to: number, pageJson?: string | Buffer | number): void {
    this.assertOpen();
    const fallbackTexts: string[] = [];
    for (let i = from; i < to; i++) {
      const record = records[i];
      if (this.shape === undefined) this.shape = RecordShape.from(record);
      if (this.shape !== undefined && this.shape.prepare(record)) {
        this.shape.commit();
        this.columnarCount++;
      } else {
        // A record nested thousands of levels deep is kept too: its text is all the store needs.
        fallbackTexts.push(stringifyJson(record) ?? 'null');
        this.fallbackRows.push(this.count_);
      }
      this.count_++;
    }
    this.fallback.appendBatch(fallbackTexts);
    if (typeof pageJson === 'number') this.jsonBytes += pageJson;
    else if (typeof pageJson === 'string') this.jsonBytes += Buffer.byteLength(pageJson);
    else if (pageJson) this.jsonBytes += pageJson.length;
  }

  /**
   * Adds records a page worker already stored as columns (src/core/worker/columnChunk.ts), leaving
   * the store as `append` of the same records would; `pageJson` as for `append`.
   */
  appendChunk(chunk: ColumnChunk, pageJson?: number): void {
    this.assertOpen();
    if (this.shape === undefined && chunk.foundedShape !== undefined)
      this.shape = RecordShape.from(JSON.parse(chunk.foundedShape));
    const leaves = this.shape?.leaves ?? [];
    if (leaves.length !== chunk.leaves.length)
      throw new Error('A column chunk does not match the columns of the result.');
    leaves.forEach((leaf, i) => leaf.appendChunk(chunk.leaves[i]!));
    this.columnarCount += chunk.records - chunk.fallbackRows.length;
    for (const row of chunk.fallbackRows) this.fallbackRows.push(this.count_ + row);
    this.fallback.appendBatch(chunk.fallbackTexts);
    this.count_ += chunk.records;
    if (pageJson !== undefined) this.jsonBytes += pageJson;
  }

  /** JSON text of record `row`. */
  getRecordJson(row: number): string {
    this.assertOpen();
    if (!Number.isInteger(row) || row < 0 || row >= this.count_)
      throw new RangeError(`Row ${row} is outside 0…${this.count_ - 1}`);
    const { fallbackIndex, columnarRow } = this.locate(row);
    return fallbackIndex >= 0 ? this.fallback.get(fallbackIndex) : (this.shape as RecordShape).json(columnarRow);
  }

  /**
   * Record `row` as a fresh value. Parsed from its JSON text, so keys such as `__proto__` stay plain
   * own properties (no prototype pollution).
   */
  getRecord(row: number): unknown {
    return JSON.parse(this.getRecordJson(row));
  }

  /** Up to `count` rows from `offset` as one JSON array text of at most `maxBytes` (UTF-16 units). */
  getRows(offset: number, count: number, maxBytes = MAX_WINDOW_BYTES): RowWindow {
    this.assertOpen();
    if (!Number.isInteger(offset) || offset < 0) throw new RangeError(`Invalid row offset ${offset}`);
    if (!Number.isInteger(count) || count < 0) throw new RangeError(`Invalid row count ${count}`);
    const end = Math.min(this.count_, offset + count);
    const parts: string[] = [];
    let bytes = 2;
    for (let row = offset; row < end; row++) {
      const text = this.getRecordJson(row);
      // Always deliver at least one row, so a single huge record cannot stall paging.
      if (parts.length > 0 && bytes + text.length + 1 > maxBytes) break;
      parts.push(text);
      bytes += text.length + 1;
    }
    return { offset, count: parts.length, json: `[${parts.join(',')}]` };
  }

  /** Calls `visit(row, json)` for rows `from…to-1` in order (export, text scans). */
  forEachJson(from: number, to: number, visit: (row: number, json: string) => void): void {
    this.assertOpen();
    const shape = this.shape;
    const fallbackRows = this.fallbackRows.data;
    const fallbackCount = this.fallbackRows.length;
    let { fallbackIndex: nextFallback, columnarRow } = this.locate(from);
    if (nextFallback < 0) nextFallback = lowerBound(fallbackRows, fallbackCount, from);
    for (let row = from; row < to; row++) {
      if (nextFallback < fallbackCount && fallbackRows[nextFallback] === row) {
        visit(row, this.fallback.get(nextFallback));
        nextFallback++;
      } else {
        visit(row, (shape as RecordShape).json(columnarRow));
        columnarRow++;
      }
    }
  }

  /**
   * Room for `records` records in all, when about that many are expected (Fetch All's plan): the
   * columns then never copy themselves to grow while pages come in (docs/performance.md, B4). Only
   * the columns the records so far made are reserved; a result without records reserves nothing.
   */
  reserve(records: number): void {
    this.assertOpen();
    this.shape?.reserve(Math.min(records, MAX_RESERVED_RECORDS));
  }

  /** Drops spare capacity once the result is complete. */
  seal(): void {
    this.shape?.seal();
    this.fallbackRows.seal();
    this.fallback.seal();
  }

  stats(): ResultStoreStats {
    let retained = this.fallbackRows.byteLength + this.fallback.byteLength;
    for (const leaf of this.shape?.leaves ?? []) retained += leaf.byteLength;
    return {
      records: this.count_,
      columnarRecords: this.columnarCount,
      fallbackRecords: this.fallback.count,
      jsonBytes: this.jsonBytes,
      retainedBytes: retained,
      spillFile: this.fallback.spillFile,
    };
  }

  /** Frees the columns and deletes the spill file. Safe to call twice. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.fallback.dispose();
    this.shape = undefined;
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  /** Where row `row` lives: its fallback index (or -1) and otherwise its columnar row. */
  private locate(row: number): { fallbackIndex: number; columnarRow: number } {
    const count = this.fallbackRows.length;
    if (count === 0) return { fallbackIndex: -1, columnarRow: row };
    const data = this.fallbackRows.data;
    const before = lowerBound(data, count, row);
    if (before < count && data[before] === row) return { fallbackIndex: before, columnarRow: row - before };
    return { fallbackIndex: -1, columnarRow: row - before };
  }

  private assertOpen(): void {
    if (this.disposed) throw new Error('This result was closed');
  }
}

/** First index in the ascending `data[0…length-1]` whose value is ≥ `value`. */
export function lowerBound(data: ArrayLike<number>, length: number, value: number): number {
  let lo = 0;
  let hi = length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (data[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
