import type { RouteId } from '../routes';
import type { ListLayout } from './envelopeScan';
import { ApiError } from './errors';
import { decodeUtf8, parseJsonText } from './jsonBody';
import { arraySchemaOf, WarningCollector, type SchemaWarning } from './validation';

/**
 * A page's records still as bytes, handed out a chunk at a time: each chunk is decoded (strict
 * UTF-8), parsed and checked with the route's zod schema when it is taken, so the objects of a
 * 10,000-record page never exist all at once and die young (B4's peak heap). The bytes live outside
 * the JS heap until the last chunk is taken.
 */
export class RecordChunks {
  private next = 0;
  private readonly collector = new WarningCollector();

  constructor(
    private readonly body: Buffer,
    private readonly layout: ListLayout,
    private readonly routeId: RouteId,
    private readonly routeLabel: string,
  ) {}

  /** Records on the page. */
  get count(): number {
    return this.layout.starts.length;
  }

  /** Records not taken yet. */
  get remaining(): number {
    return this.count - this.next;
  }

  /**
   * The next `max` records (fewer at the end, none when all were taken), parsed and checked.
   * Throws `invalid_response` when their bytes are not valid UTF-8 or JSON; schema drift becomes
   * warnings, as for a page parsed whole.
   */
  take(max: number): unknown[] {
    const from = this.next;
    const to = Math.min(this.count, from + Math.max(1, Math.floor(max)));
    if (from >= to) return [];
    this.next = to;
    const context = { route: this.routeLabel };
    const text = decodeUtf8(this.body.subarray(this.layout.starts[from], this.endOfRecordBefore(to)), context);
    const records = parseJsonText(`[${text}]`, context);
    if (!Array.isArray(records) || records.length !== to - from) {
      // The scan saw `to - from` values; a different count means it misread the bytes.
      throw new ApiError('invalid_response', `Not valid JSON: records ${from}–${to - 1} could not be read.`, context);
    }
    const checked = arraySchemaOf(this.routeId).safeParse(records);
    if (!checked.success) this.collector.add('data', records, checked.error.issues, from);
    return records;
  }

  /** Where the records before record `index` end: at the comma before it, or at the closing `]`. */
  private endOfRecordBefore(index: number): number {
    if (index >= this.count) return this.layout.dataClose;
    let at = this.layout.starts[index] - 1;
    // Whitespace, then the comma the scan found between the two records.
    while (this.body[at] !== 0x2c) at--;
    return at;
  }

  /** Schema drift in the records taken so far (paths index the whole page: `data[4711].value`). */
  warnings(): SchemaWarning[] {
    return this.collector.list();
  }
}
