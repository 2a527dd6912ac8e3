/**
 * The webview's window of records: chunks fetched from the host with `getRows`, kept in a small LRU.
 * The host keeps the whole result; this holds only what was recently on screen.
 */

export const CHUNK_SIZE = 250;

export class RecordCache {
  private readonly _chunks = new Map<number, unknown[]>();
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
    return chunk ? chunk[index % CHUNK_SIZE] : undefined;
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
      const have = chunk ? chunk.length : 0;
      if (have >= this._expected(c) || this._inFlight.has(c)) continue;
      this._inFlight.add(c);
      const offset = c * CHUNK_SIZE + have;
      out.push({ offset, count: this._expected(c) - have });
    }
    return out;
  }

  /** Stores rows that arrived for `offset…`; clears the in-flight mark of the chunk they were asked for. */
  put(offset: number, records: unknown[]): void {
    this._inFlight.delete(Math.floor(offset / CHUNK_SIZE));
    const end = Math.min(offset + records.length, this.recordCount);
    let index = offset;
    while (index < end) {
      const c = Math.floor(index / CHUNK_SIZE);
      const at = index % CHUNK_SIZE;
      const take = Math.min(CHUNK_SIZE - at, end - index);
      const chunk = this._chunks.get(c);
      if (at === 0 && (!chunk || chunk.length <= take)) {
        // The common case: whole chunks arrive aligned; one slice each.
        this._chunks.delete(c);
        this._chunks.set(c, records.slice(index - offset, index - offset + take));
      } else if (chunk && at <= chunk.length) {
        // Chunks fill from their start; rows past a gap are dropped and asked for again later.
        for (let k = 0; k < take; k++) chunk[at + k] = records[index - offset + k];
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
