import type { SandboxClock } from './types';

/**
 * A Map that never holds more than `capacity` entries and drops entries whose time is up.
 *
 * Every store that a request can add to goes through this, because the sandbox listens on a port
 * that any local process (or web page) can reach: an unbounded map is a memory leak an attacker
 * can drive. Entries of one map share one lifetime, so insertion order is also expiry order, and
 * pruning on insert only looks at the oldest entries: constant work per insert, even at capacity.
 */
export class BoundedMap<K, V> {
  private readonly _entries = new Map<K, { value: V; dropAt: number }>();

  /**
   * @param dropAt epoch ms after which an entry is no longer worth keeping (`Infinity`: only
   * capacity removes it). Should not decrease with insertion order; where it does (a clock set
   * back), pruning may stop early, and the capacity still holds.
   */
  constructor(
    readonly capacity: number,
    private readonly _clock: SandboxClock,
    private readonly _dropAt: (value: V) => number,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new Error(`capacity must be a positive integer, got ${capacity}`);
  }

  get size(): number {
    return this._entries.size;
  }

  get(key: K): V | undefined {
    const entry = this._entries.get(key);
    if (!entry) return undefined;
    if (this._clock.now() >= entry.dropAt) {
      this._entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  set(key: K, value: V): void {
    this._entries.delete(key);
    this.prune();
    while (this._entries.size >= this.capacity) this._dropOldest();
    this._entries.set(key, { value, dropAt: this._dropAt(value) });
  }

  delete(key: K): void {
    this._entries.delete(key);
  }

  /** Drops expired entries from the oldest end; stops at the first one still alive. */
  prune(): void {
    const now = this._clock.now();
    for (const [key, entry] of this._entries) {
      if (now < entry.dropAt) return;
      this._entries.delete(key);
    }
  }

  private _dropOldest(): void {
    const oldest = this._entries.keys().next();
    if (!oldest.done) this._entries.delete(oldest.value);
  }
}
