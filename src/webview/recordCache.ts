/**
 * The webview's window of records: chunks fetched from the host with `getRows`, kept in a small LRU.
 * The host keeps the whole result; this holds only what was recently on screen.
 */

export const CHUNK_SIZE = 250;

export class RecordCache {
  private readonly _chunks = new Map<number, unknown[]>();
  private readonly _inFlight = new Set<number>();

  constructor(readonly resultId: number, readonly recordCount: number, private readonly _maxChunks = 40) {}

  get(index: number): unknown {
    const chunk = this._chunks.get(Math.floor(index / CHUNK_SIZE));
    return chunk ? chunk[index % CHUNK_SIZE] : undefined;
  }

  has(index: number): boolean {
    return this._chunks.has(Math.floor(index / CHUNK_SIZE));
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
        continue;
      }
      if (this._inFlight.has(c)) continue;
      this._inFlight.add(c);
      const offset = c * CHUNK_SIZE;
      out.push({ offset, count: Math.min(CHUNK_SIZE, this.recordCount - offset) });
    }
    return out;
  }

  put(offset: number, records: unknown[]): void {
    for (let i = 0; i < records.length; i += CHUNK_SIZE) {
      const c = Math.floor((offset + i) / CHUNK_SIZE);
      this._inFlight.delete(c);
      this._chunks.delete(c);
      this._chunks.set(c, records.slice(i, i + CHUNK_SIZE));
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
