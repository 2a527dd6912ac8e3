/**
 * The webview's window of records: chunks fetched from the host with `getRows`, kept in a small LRU.
 * The host keeps the whole result; this holds only what was recently on screen. Records arrive as
 * row lines (src/shared/rowLines.ts) and each is parsed the first time it is read, then kept: a window
 * of thousands of rows is stored at the cost of a split, and only the rows drawn are ever parsed
 * (docs/performance.md, B7).
 */

export const CHUNK_SIZE = 250;

/**
 * One chunk's rows: `values[k]` once row k was parsed (or stored as a value), else its JSON text in
 * `lines[k]`. JSON never parses to `undefined`, so an undefined value is a row not read yet.
 * `values.length` is how many rows the chunk holds, from its start.
 */
interface Chunk {
  readonly values: unknown[];
  readonly lines: (string | undefined)[];
}

function parsed(line: string | undefined): unknown {
  if (line === undefined) return undefined;
  try {
    return JSON.parse(line) as unknown;
  } catch {
    // Not JSON: the row stays "not here" rather than showing a value the host never sent.
    return undefined;
  }
}

export class RecordCache {
  private readonly _chunks = new Map<number, Chunk>();
  private readonly _inFlight = new Set<number>();

  constructor(
    readonly resultId: number,
    readonly recordCount: number,
    private readonly _maxChunks = 40,
  ) {}

  /**
   * The same result, grown (Fetch All Pages appends): the rows already here stay valid, so the cache
   * carries them and its in-flight marks over instead of asking the host for the window again on each
   * growth notice. A chunk that was the short last one is completed by `takeMissing`.
   */
  grownTo(recordCount: number): RecordCache {
    const grown = new RecordCache(this.resultId, Math.max(recordCount, this.recordCount), this._maxChunks);
    for (const [c, chunk] of this._chunks) grown._chunks.set(c, chunk);
    for (const c of this._inFlight) grown._inFlight.add(c);
    return grown;
  }

  get(index: number): unknown {
    const chunk = this._chunks.get(Math.floor(index / CHUNK_SIZE));
    if (!chunk) return undefined;
    const k = index % CHUNK_SIZE;
    let value = chunk.values[k];
    if (value === undefined && k < chunk.values.length) {
      value = parsed(chunk.lines[k]);
      chunk.values[k] = value;
      chunk.lines[k] = undefined;
    }
    return value;
  }

  has(index: number): boolean {
    return this.get(index) !== undefined;
  }

  private _expected(c: number): number {
    return Math.min(CHUNK_SIZE, this.recordCount - c * CHUNK_SIZE);
  }

  /** Chunks covering [first, end) that are neither cached nor requested; marks them requested. */
  takeMissing(first: number, end: number): { offset: number; count: number }[] {
    const out: { offset: number; count: number }[] = [];
    if (end <= first) return out;
    const last = Math.min(end, this.recordCount) - 1;
    for (let c = Math.floor(first / CHUNK_SIZE); c <= Math.floor(last / CHUNK_SIZE); c++) {
      const chunk = this._chunks.get(c);
      if (chunk) {
        // Touch for LRU order.
        this._chunks.delete(c);
        this._chunks.set(c, chunk);
      }
      // The host may answer with fewer rows than asked (its 1 MB window cap): ask for the rest.
      const have = chunk ? chunk.values.length : 0;
      if (have >= this._expected(c) || this._inFlight.has(c)) continue;
      this._inFlight.add(c);
      const offset = c * CHUNK_SIZE + have;
      out.push({ offset, count: this._expected(c) - have });
    }
    return out;
  }

  /** Stores records that arrived as values for `offset…` (see `_store`). */
  put(offset: number, records: readonly unknown[]): void {
    this._store(offset, records.length, (chunk, at, from, take) => {
      for (let k = 0; k < take; k++) {
        chunk.values[at + k] = records[from + k];
        chunk.lines[at + k] = undefined;
      }
    });
  }

  /** Stores records that arrived as row lines for `offset…`; each is parsed when first read (see `_store`). */
  putLines(offset: number, lines: readonly string[]): void {
    this._store(offset, lines.length, (chunk, at, from, take) => {
      for (let k = 0; k < take; k++) {
        chunk.values[at + k] = undefined;
        chunk.lines[at + k] = lines[from + k];
      }
    });
  }

  /**
   * Stores `count` rows for `offset…` with `fill` (rows `from…from+take-1` of the arrival into the
   * chunk from `at`); clears the in-flight mark of the chunk they were asked for.
   */
  private _store(
    offset: number,
    count: number,
    fill: (chunk: Chunk, at: number, from: number, take: number) => void,
  ): void {
    this._inFlight.delete(Math.floor(offset / CHUNK_SIZE));
    const end = Math.min(offset + count, this.recordCount);
    let index = offset;
    while (index < end) {
      const c = Math.floor(index / CHUNK_SIZE);
      const at = index % CHUNK_SIZE;
      const take = Math.min(CHUNK_SIZE - at, end - index);
      const chunk = this._chunks.get(c);
      if (at === 0 && (!chunk || chunk.values.length <= take)) {
        // The common case: whole chunks arrive aligned, each into a fresh chunk.
        const fresh: Chunk = { values: [], lines: [] };
        fill(fresh, 0, index - offset, take);
        this._chunks.delete(c);
        this._chunks.set(c, fresh);
      } else if (chunk && at <= chunk.values.length) {
        // Chunks fill from their start; rows past a gap are dropped and asked for again later.
        fill(chunk, at, index - offset, take);
      }
      index += take;
    }
    while (this._chunks.size > this._maxChunks) {
      const oldest = this._chunks.keys().next().value as number;
      this._chunks.delete(oldest);
    }
  }

  /** Forget in-flight marks (the host lost the result or the webview reloaded). */
  resetInFlight(): void {
    this._inFlight.clear();
  }

  get cachedChunks(): number {
    return this._chunks.size;
  }
}
