/** One response as the webview sees it: its summary, the envelope, and the window of records. */
import type { ResponseSummary } from '../shared/protocol';
import { JsonTreeModel } from './jsonTreeModel';
import { RecordCache } from './recordCache';
import { ColumnSet } from './tableModel';

const COLUMN_SAMPLE = 32;
const COLUMN_STRIDE = 500;

export class ResultSession {
  readonly envelope: Record<string, unknown>;
  readonly cache: RecordCache;
  readonly tree: JsonTreeModel;
  readonly columns: ColumnSet;

  /** `grownFrom`: this result's previous state (it grew); its cached rows and columns carry over. */
  constructor(
    readonly summary: ResponseSummary,
    grownFrom?: ResultSession,
  ) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(summary.envelopeJson);
    } catch {
      parsed = {};
    }
    this.envelope =
      parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)
        ? (parsed as Record<string, unknown>)
        : { value: parsed };
    const count = summary.dataKind === 'array' ? summary.recordCount : summary.dataKind === 'object' ? 1 : 0;
    const carried =
      grownFrom?.summary.resultId === summary.resultId &&
      summary.dataKind === 'array' &&
      grownFrom.summary.dataKind === 'array'
        ? grownFrom
        : undefined;
    this.cache = carried ? carried.cache.grownTo(count) : new RecordCache(summary.resultId, count);
    this.columns = carried ? carried.columns : new ColumnSet();
    if (summary.dataKind === 'array') {
      this.tree = new JsonTreeModel(this.envelope, 'data', { length: count, get: (i) => this.cache.get(i) });
    } else {
      // A profile's `data` is one small object: it comes inside the envelope, and is the table's one row.
      if (summary.dataKind === 'object') this.receiveRows(0, [this.envelope.data]);
      this.tree = new JsonTreeModel(this.envelope);
    }
  }

  /** Records for the table: the object of a profile counts as one record. */
  get recordCount(): number {
    return this.cache.recordCount;
  }

  /** Stores arrived records; returns true when the table gained columns (see `_sampleColumns`). */
  receiveRows(offset: number, rows: readonly unknown[]): boolean {
    this.cache.put(offset, rows);
    return this._sampleColumns(offset, rows.length);
  }

  /** Stores arrived row lines, parsed when first read; returns true when the table gained columns. */
  receiveRowLines(offset: number, lines: readonly string[]): boolean {
    this.cache.putLines(offset, lines);
    return this._sampleColumns(offset, lines.length);
  }

  /**
   * Columns come from a sample of the rows that arrived (the table adds those of each record it
   * draws), so a 10,000-row window costs one pass, not two, and only the sampled rows are parsed now.
   */
  private _sampleColumns(offset: number, count: number): boolean {
    let added = false;
    for (let i = 0; i < count; i += i < COLUMN_SAMPLE ? 1 : COLUMN_STRIDE)
      added = this.columns.addFrom(this.cache.get(offset + i)) || added;
    return added;
  }
}
