import { compileColumnarFilters, fuseScans, orderBySelectivity } from './columnarFilter';
import { DEFAULT_SLICE_MS, yieldToEventLoop } from './cooperative';
import { type ParsedQuery, parseQuery } from './queryParser';
import { matchesRecord } from './recordMatcher';
import { lowerBound, type ResultStore } from './resultStore';

/**
 * Search and filter over a whole result: the columns are scanned in chunks with tight loops, the
 * fallback records are parsed and matched one by one, and the event loop gets a turn every few
 * milliseconds. Hits are row indexes in ascending order, for the hit count and jump-to-hit
 * (docs/performance.md, B9). In the row loops, `!` marks reads whose index the loop bounds keep in
 * range: a fallback there would cost a compare per row.
 */

export interface SearchProgress {
  readonly hits: number;
  readonly scannedRows: number;
  readonly totalRows: number;
}

export interface SearchOptions {
  readonly signal?: AbortSignal;
  /** Called after each slice (a few ms of work) with the running totals. */
  readonly onProgress?: (progress: SearchProgress) => void;
  readonly sliceMs?: number;
  /** Called once, as soon as `firstHitsCount` hits (default 1,000) are found or the scan ends. */
  readonly onFirstHits?: (hits: Int32Array) => void;
  readonly firstHitsCount?: number;
}

export interface SearchOutcome {
  /** Ascending row indexes of the matching records. */
  readonly hits: Int32Array;
  /** False when cancelled before the end (the hits cover `scannedRows` rows). */
  readonly complete: boolean;
  readonly scannedRows: number;
  readonly totalRows: number;
}

/**
 * Rows per chunk adapt to the query's cost: tight numeric loops take ~1 ns a row, text over
 * timestamps ~1 µs. Each chunk aims at ~2 ms, so the clock is checked often enough for the
 * slice limit, and the first chunk is small so the first hits come quickly.
 */
const FIRST_CHUNK_ROWS = 1_024;
const MIN_CHUNK_ROWS = 512;
const MAX_CHUNK_ROWS = 65_536;
const CHUNK_TARGET_MS = 2;
const MAX_FALLBACK_PER_CHUNK = 256;

class HitList {
  data = new Int32Array(1024);
  length = 0;

  /** Appends `rows[0…count)` (already row indexes) in one copy. */
  pushAll(rows: Int32Array, count: number): void {
    if (this.length + count > this.data.length) {
      const grown = new Int32Array(Math.max(this.data.length * 2, this.length + count));
      grown.set(this.data.subarray(0, this.length));
      this.data = grown;
    }
    this.data.set(rows.subarray(0, count), this.length);
    this.length += count;
  }

  push(row: number): void {
    if (this.length === this.data.length) {
      const grown = new Int32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = row;
  }

  result(): Int32Array {
    return this.data.slice(0, this.length);
  }
}

let spareScratch: [Int32Array, Int32Array] | undefined;

function takeScratch(): [Int32Array, Int32Array] {
  const taken = spareScratch ?? [new Int32Array(FIRST_CHUNK_ROWS), new Int32Array(FIRST_CHUNK_ROWS)];
  spareScratch = undefined;
  return taken;
}

function returnScratch(a: Int32Array, b: Int32Array): void {
  if (!spareScratch || spareScratch[0].length < a.length) spareScratch = [a, b];
}

/**
 * Runs `query` over the rows present when the search starts. Throws `QueryError` for a bad query
 * before any work; resolves with `complete: false` when cancelled.
 */
export async function searchResult(
  store: ResultStore,
  query: string | ParsedQuery,
  options: SearchOptions = {},
): Promise<SearchOutcome> {
  const parsed = typeof query === 'string' ? parseQuery(query) : query;
  const totalRows = store.count;
  const shape = store.columns;
  const filters = fuseScans(
    orderBySelectivity(compileColumnarFilters(shape, parsed.clauses), store.columnarRecordCount),
  );
  const fallbackRows = store.fallbackRowIndexes.data;
  const fallbackCount = store.fallbackRowIndexes.length;
  const sliceMs = options.sliceMs ?? DEFAULT_SLICE_MS;
  const hits = new HitList();
  // Scratch space for candidates: reused from the last search (fresh memory costs page faults and
  // GC pressure on every keystroke), else grown with the chunks.
  let [scratchA, scratchB] = takeScratch();
  let chunkRows = FIRST_CHUNK_ROWS;

  /** Merges the columnar hits (mapped back to row indexes) with the fallback hits, in row order. */
  const mergeWithFallback = (
    candidates: Int32Array,
    count: number,
    firstFallback: number,
    endFallback: number,
  ): void => {
    let k = firstFallback;
    for (let c = 0; c < count; c++) {
      const columnarRow = candidates[c]!;
      while (k < endFallback && fallbackRows[k]! <= columnarRow + k) {
        const fallbackRow = fallbackRows[k]!;
        if (matchesRecord(store.getRecord(fallbackRow), parsed.clauses)) hits.push(fallbackRow);
        k++;
      }
      hits.push(columnarRow + k);
    }
    for (; k < endFallback; k++) {
      const fallbackRow = fallbackRows[k]!;
      if (matchesRecord(store.getRecord(fallbackRow), parsed.clauses)) hits.push(fallbackRow);
    }
  };

  const firstHitsCount = options.firstHitsCount ?? 1000;
  let firstHitsSent = false;
  let row = 0;
  let sliceStart = performance.now();
  try {
    while (row < totalRows) {
      if (options.signal?.aborted) return { hits: hits.result(), complete: false, scannedRows: row, totalRows };
      const chunkStart = performance.now();
      let end = Math.min(totalRows, row + chunkRows);
      const firstFallback = lowerBound(fallbackRows, fallbackCount, row);
      // Fallback records are parsed one by one: few of them per chunk, so a chunk stays short.
      if (firstFallback + MAX_FALLBACK_PER_CHUNK < fallbackCount)
        end = Math.min(end, fallbackRows[firstFallback + MAX_FALLBACK_PER_CHUNK]!);
      const endFallback = lowerBound(fallbackRows, fallbackCount, end);
      const columnarFrom = row - firstFallback;
      const columnarTo = end - endFallback;
      if (columnarTo - columnarFrom > scratchA.length) {
        scratchA = new Int32Array(Math.min(MAX_CHUNK_ROWS, Math.max(scratchA.length * 4, columnarTo - columnarFrom)));
        scratchB = new Int32Array(scratchA.length);
      }

      // Columnar rows: every filter narrows the candidates of the previous one.
      let candidates: Int32Array | null = null;
      let count = 0;
      let out = scratchA;
      for (const filter of filters) {
        count = filter(columnarFrom, columnarTo, candidates, count, out);
        candidates = out;
        out = out === scratchA ? scratchB : scratchA;
        if (count === 0) break;
      }
      if (filters.length === 0) count = 0;

      if (firstFallback === endFallback && firstFallback === 0) {
        // No irregular record so far: columnar rows are row indexes.
        hits.pushAll(candidates as Int32Array, count);
      } else {
        mergeWithFallback(candidates as Int32Array, count, firstFallback, endFallback);
      }

      const chunkMs = performance.now() - chunkStart;
      const scanned = end - row;
      chunkRows = Math.max(
        MIN_CHUNK_ROWS,
        Math.min(MAX_CHUNK_ROWS, chunkMs > 0 ? Math.floor((scanned * CHUNK_TARGET_MS) / chunkMs) : chunkRows * 2),
      );
      row = end;
      if (!firstHitsSent && hits.length >= firstHitsCount) {
        firstHitsSent = true;
        options.onFirstHits?.(hits.data.slice(0, firstHitsCount));
      }
      if (performance.now() - sliceStart >= sliceMs) {
        options.onProgress?.({ hits: hits.length, scannedRows: row, totalRows });
        await yieldToEventLoop();
        sliceStart = performance.now();
      }
    }
  } finally {
    returnScratch(scratchA, scratchB);
  }
  if (!firstHitsSent) options.onFirstHits?.(hits.result());
  options.onProgress?.({ hits: hits.length, scannedRows: totalRows, totalRows });
  return { hits: hits.result(), complete: true, scannedRows: totalRows, totalRows };
}
