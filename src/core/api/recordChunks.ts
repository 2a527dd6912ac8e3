import type { RouteId } from '../routes';
import type { PageBytes } from '../worker/messages';
import {
  CLOSE_BRACE,
  CLOSE_BRACKET,
  COMMA,
  cutRecords,
  NotScannable,
  QUOTE,
  skipWhitespace,
  type ListHead,
} from './envelopeScan';
import { ApiError } from './errors';
import { decodeUtf8, parseJsonText } from './jsonBody';
import { arraySchemaOf, WarningCollector, type SchemaWarning } from './validation';
import { isBodyBuffer } from './bodyBuffers';
import type { KeptBody, TransportRunner } from './httpTypes';

/**
 * A page's records still as bytes, handed out about 100 KB at a time: each chunk is decoded (strict
 * UTF-8), parsed and checked with the route's zod schema when it is taken, so the objects of a
 * 10,000-record page never exist all at once and die young (the peak heap of docs/performance.md,
 * B4). The bytes live outside the JS heap until the last chunk is taken.
 *
 * Where a chunk ends is first guessed: the next `},{` after 100 KB, found by a native search. A
 * guess is proved by `JSON.parse` of `[` + the bytes + `]`: it starts at a record's first byte, so
 * the parser reads exactly what a parse of the whole body would, and it can only succeed when the
 * `}` closes a record of `data`. When a guess fails (a `},{` inside a string or a nested list) or
 * lies far past the target, the rest of the page is cut by scanning its bytes (`cutRecords`), which
 * is exact. The members after the records are checked when the last chunk is taken. A page that
 * failed keeps failing and lets its bytes go.
 *
 * Fetch All hands the bytes to the page worker instead (`handOver`), which takes the chunks with a
 * `RecordChunks` of its own; this object then only keeps the count, end and warnings it is told. A
 * body the worker received and kept (`KeptBody`) never comes here: only the worker can read it.
 */
export class RecordChunks {
  private body: Buffer;
  private bytes: Uint8Array;
  /** First byte of the next record, or of the `]` closing an empty `data`. */
  private position: number;
  private exact = false;
  private finished = false;
  /** Set once a chunk failed: the page keeps failing the same way. */
  private failure: ApiError | undefined;
  private taken = 0;
  private readonly collector = new WarningCollector();
  private readonly dataOpen: number;
  /** Taken by another thread: its warnings, once it finished. */
  private handedOver = false;
  private warningsElsewhere: SchemaWarning[] = [];
  private kept: KeptBody | undefined;

  constructor(
    body: Buffer | KeptBody,
    head: Pick<ListHead, 'dataOpen'>,
    private readonly routeId: RouteId,
    private readonly routeLabel: string,
    private readonly chunkBytes = DEFAULT_CHUNK_BYTES,
  ) {
    if (Buffer.isBuffer(body)) {
      this.body = body;
    } else {
      this.kept = body;
      this.body = EMPTY;
    }
    this.bytes = new Uint8Array(this.body.buffer, this.body.byteOffset, this.body.length);
    this.dataOpen = head.dataOpen;
    this.position = skipWhitespace(this.bytes, head.dataOpen + 1);
  }

  /**
   * The page's bytes for the page worker `to`, to be transferred (the body's own buffer when it has
   * one, else a copy), or the number of the body it kept; undefined once a chunk was taken here, or
   * when another worker keeps the body. The bytes are let go here.
   */
  handOver(to?: TransportRunner): PageBytes | undefined {
    if (this.taken > 0 || this.finished || this.failure || this.handedOver) return undefined;
    const kept = this.kept;
    if (kept) {
      if (kept.keeper !== to) return undefined;
      this.handedOver = true;
      this.kept = undefined;
      return {
        buffer: undefined,
        keptBody: kept.id,
        byteLength: kept.byteLength,
        dataOpen: this.dataOpen,
        routeId: this.routeId,
        routeLabel: this.routeLabel,
        chunkBytes: this.chunkBytes,
      };
    }
    const body = this.body;
    // A buffer of this body alone moves as it is; a part of a shared one (Node's pool) is copied.
    const owned =
      body.byteOffset === 0 &&
      (isBodyBuffer(body.buffer) || (body.byteLength === body.buffer.byteLength && body.buffer instanceof ArrayBuffer));
    const buffer = owned ? body.buffer : new Uint8Array(body).buffer;
    this.handedOver = true;
    this.release();
    return {
      buffer,
      keptBody: undefined,
      byteLength: body.byteLength,
      dataOpen: this.dataOpen,
      routeId: this.routeId,
      routeLabel: this.routeLabel,
      chunkBytes: this.chunkBytes,
    };
  }

  /** Another thread took `count` more records of the bytes handed over. */
  tookElsewhere(count: number): void {
    this.taken += count;
  }

  /** Another thread took the last records, with these warnings. */
  finishedElsewhere(warnings: SchemaWarning[]): void {
    this.finished = true;
    this.warningsElsewhere = warnings;
  }

  /** Another thread found the records unreadable: the page keeps failing with its error. */
  failedElsewhere(error: ApiError): void {
    this.failure = error;
  }

  /** Every record was taken (and the bytes after them checked). */
  get done(): boolean {
    return this.finished;
  }

  /** Records taken so far: the page's count once `done`. */
  get count(): number {
    return this.taken;
  }

  /**
   * The next records (none once done), parsed and checked. Throws `invalid_response` when their
   * bytes are not valid UTF-8 or JSON, or the bytes after the last record change the envelope;
   * schema drift becomes warnings, as for a page parsed whole.
   */
  take(): unknown[] {
    if (this.failure) throw this.failure;
    if (this.finished) return [];
    if (this.handedOver) throw new Error('These records were handed to another thread.');
    if (this.kept) {
      this.failure = new ApiError('invalid_response', 'The page worker that received this page stopped.', {
        route: this.routeLabel,
      });
      this.release();
      throw this.failure;
    }
    try {
      return this.takeNext();
    } catch (err) {
      this.failure =
        err instanceof ApiError
          ? err
          : new ApiError('invalid_response', 'The records could not be read.', { route: this.routeLabel, cause: err });
      this.release();
      throw this.failure;
    }
  }

  /** Schema drift in the records taken so far (paths index the whole page: `data[4711].value`). */
  warnings(): SchemaWarning[] {
    return this.handedOver ? this.warningsElsewhere : this.collector.list();
  }

  private takeNext(): unknown[] {
    const start = this.position;
    if (this.bytes[start] === CLOSE_BRACKET) {
      this.finish(start);
      return [];
    }
    if (!this.exact) {
      const cut = this.body.indexOf(SEPARATOR, start + this.chunkBytes);
      // A guess far past the target would parse most of the page at once: cut exactly instead.
      const guessed =
        cut === -1 || cut - start > this.chunkBytes + Math.max(1024, this.chunkBytes / 4)
          ? undefined
          : this.tryParse(start, cut + 1);
      if (guessed) {
        this.position = cut + 2;
        return this.check(guessed);
      }
      this.exact = true;
    }
    let cut;
    try {
      cut = cutRecords(this.bytes, start, this.chunkBytes);
    } catch (err) {
      if (err instanceof NotScannable) throw this.malformed();
      throw err;
    }
    const records = this.parse(start, cut.end);
    if (cut.next === -1) this.finish(cut.end);
    else this.position = cut.next;
    return this.check(records);
  }

  private tryParse(from: number, to: number): unknown[] | undefined {
    try {
      return this.parse(from, to);
    } catch {
      return undefined;
    }
  }

  private parse(from: number, to: number): unknown[] {
    const context = { route: this.routeLabel };
    const text = decodeUtf8(this.body.subarray(from, to), context);
    const records = parseJsonText(`[${text}]`, context);
    if (!Array.isArray(records)) throw this.malformed();
    return records;
  }

  private check(records: unknown[]): unknown[] {
    const checked = arraySchemaOf(this.routeId).safeParse(records);
    if (!checked.success) this.collector.add('data', records, checked.error.issues, this.taken);
    this.taken += records.length;
    return records;
  }

  /** `data` closed at `close`: the bytes after it are checked, then the page's bytes are let go. */
  private finish(close: number): void {
    this.checkMembersAfter(this.body.subarray(close + 1));
    this.finished = true;
    this.release();
  }

  /**
   * What follows the records must leave the envelope as the head said: usually it is just `}`.
   * Members after `data` are parsed on their own (`{` + them); a `data`, `pagination` or `limit`
   * among them would win in a whole parse, so it is an error rather than a silent difference.
   */
  private checkMembersAfter(tail: Buffer): void {
    const context = { route: this.routeLabel };
    let at = skipWhitespace(tail, 0);
    if (tail[at] === CLOSE_BRACE) {
      if (skipWhitespace(tail, at + 1) !== tail.length) throw this.malformed();
      return;
    }
    if (tail[at] !== COMMA) throw this.malformed();
    at = skipWhitespace(tail, at + 1);
    // `],}` is not JSON, though `{}` would parse.
    if (tail[at] !== QUOTE) throw this.malformed();
    const members = parseJsonText(decodeUtf8(Buffer.concat([OPEN_BRACE_BYTE, tail.subarray(at)]), context), context);
    if (typeof members !== 'object' || members === null || Array.isArray(members)) throw this.malformed();
    if (['data', 'pagination', 'limit'].some((key) => Object.prototype.hasOwnProperty.call(members, key))) {
      throw new ApiError(
        'invalid_response',
        'The members after the records repeat data, pagination or limit.',
        context,
      );
    }
  }

  /** The bytes are no longer needed, whoever still holds this object. */
  private release(): void {
    this.kept?.drop();
    this.kept = undefined;
    this.body = EMPTY;
    this.bytes = EMPTY;
  }

  private malformed(): ApiError {
    return new ApiError(
      'invalid_response',
      `Not valid JSON: the records after record ${this.taken} are malformed or truncated.`,
      { route: this.routeLabel },
    );
  }
}

/** About 1,000 heart-rate records: under V8's large-object size (128 KB), so each chunk's text dies young. */
const DEFAULT_CHUNK_BYTES = 100_000;

const OPEN_BRACE_BYTE = Buffer.from('{');
const SEPARATOR = Buffer.from('},{');
const EMPTY = Buffer.alloc(0);
