import type { ResultStore } from '../../core/dataset/resultStore';

/**
 * Results kept for comparison: copies of the query panel's results (the panel holds one result at a
 * time), so that two queries run one after the other can be compared. A store is freed once it is
 * neither kept nor shown in an open comparison.
 */

/** One side's records as a comparison holds them; `release` when the comparison closes. */
export interface SharedResult {
  readonly store: ResultStore;
  readonly label: string;
  /** The records came from a CSV file: every value is text. */
  readonly textValues: boolean;
  release(): void;
}

/** The fewest results a user comparing before and after needs, and few enough to hold in memory. */
const MAX_KEPT = 4;

export class KeptResult {
  private users = 0;
  private kept = true;

  constructor(
    readonly id: number,
    readonly store: ResultStore,
    readonly label: string,
    readonly route: string,
    readonly metric: string | undefined,
  ) {}

  acquire(): SharedResult {
    this.users++;
    let released = false;
    return {
      store: this.store,
      label: this.label,
      textValues: false,
      release: () => {
        if (released) return;
        released = true;
        this.users--;
        this.freeIfUnused();
      },
    };
  }

  /** No longer listed; freed once no comparison shows it. */
  drop(): void {
    this.kept = false;
    this.freeIfUnused();
  }

  private freeIfUnused(): void {
    if (!this.kept && this.users === 0) this.store.dispose();
  }
}

export class KeptResults {
  private readonly results: KeptResult[] = [];
  private nextId = 1;

  /** Newest first. */
  list(): readonly KeptResult[] {
    return [...this.results].reverse();
  }

  get(id: number): KeptResult | undefined {
    return this.results.find((r) => r.id === id);
  }

  add(store: ResultStore, label: string, route: string, metric: string | undefined): KeptResult {
    const kept = new KeptResult(this.nextId++, store, label, route, metric);
    this.results.push(kept);
    while (this.results.length > MAX_KEPT) this.results.shift()?.drop();
    return kept;
  }

  /** A result only one comparison holds (a notebook output, a file): freed when it is released. */
  static transient(store: ResultStore, label: string, textValues: boolean): SharedResult {
    return { store, label, textValues, release: () => store.dispose() };
  }

  dispose(): void {
    for (const kept of this.results.splice(0)) kept.drop();
  }
}
