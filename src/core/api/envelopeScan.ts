/**
 * Finds where a list envelope's records start in a response body's bytes, without decoding or
 * parsing it, so a 1 MB page can be parsed about 100 KB at a time (docs/performance.md, B4).
 * Parsing a whole page at once makes one ~1 MB string and ten thousand objects that live across
 * event-loop turns, long enough to be promoted: garbage that only a full collection frees, which is
 * what pushed the five-year import's peak heap over 64 MB.
 *
 * Only the head is scanned here (up to `"data": [`): the records are cut into chunks later
 * (`RecordChunks`), and the few bytes after them are checked when the last chunk is taken. The scan
 * checks only the structure it relies on; every byte of a value is still checked by `JSON.parse`.
 * Anything it is unsure of (no `pagination` before `data`, an escaped key, a `data` that is not an
 * array, a body that does not end in `]}`) makes it return undefined, and the caller parses the
 * body whole, with the usual errors. The API's documented envelopes all put `data` last.
 */

/** JSON's structural bytes, as the scans here and `RecordChunks` compare them. */
export const QUOTE = 0x22;
export const COMMA = 0x2c;
export const CLOSE_BRACE = 0x7d;
export const CLOSE_BRACKET = 0x5d;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_EMPTY_DATA = Buffer.from(']}');

export interface ListHead {
  /** The byte of the `[` that opens `data`. */
  readonly dataOpen: number;
  /** The envelope as sent up to `data`, then `[]}`: what a normal parse reads `pagination` and `limit` from. */
  readonly provisionalEnvelope: Buffer;
}

/** The bytes are not what the scan expects: `scanListHead` returns undefined, `cutRecords` throws it. */
export class NotScannable extends Error {}

/** Takes what an index read gives (undefined past the end, which is not whitespace). */
function isWhitespace(byte: number | undefined): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

export function skipWhitespace(bytes: Uint8Array, at: number): number {
  while (at < bytes.length && isWhitespace(bytes[at])) at++;
  return at;
}

function expect(bytes: Uint8Array, at: number, byte: number): number {
  if (bytes[at] !== byte) throw new NotScannable();
  return at + 1;
}

/** From just past an opening quote to just past its closing quote. */
function skipStringRest(bytes: Uint8Array, at: number): number {
  const length = bytes.length;
  let i = at;
  while (i < length) {
    const byte = bytes[i++];
    if (byte === QUOTE) return i;
    if (byte === BACKSLASH) i++;
  }
  throw new NotScannable();
}

/**
 * From just past an opening `{` or `[` to just past its matching close, by bracket depth (no
 * recursion, so nesting depth costs nothing). A native search per string would cost more than
 * reading the bytes: values hold many short strings.
 */
function skipContainerRest(bytes: Uint8Array, at: number): number {
  const length = bytes.length;
  let depth = 1;
  let i = at;
  while (i < length) {
    const byte = bytes[i++];
    if (byte === QUOTE) {
      i = skipStringRest(bytes, i);
    } else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
      depth++;
    } else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
      if (--depth === 0) return i;
    }
  }
  throw new NotScannable();
}

/** From the first byte of a value to just past it. */
function skipValue(bytes: Uint8Array, at: number): number {
  const first = bytes[at];
  if (first === QUOTE) return skipStringRest(bytes, at + 1);
  if (first === OPEN_BRACE || first === OPEN_BRACKET) return skipContainerRest(bytes, at + 1);
  // A number, true, false or null: JSON.parse checks its spelling later.
  const length = bytes.length;
  let end = at;
  while (end < length) {
    const byte = bytes[end];
    if (byte === COMMA || byte === CLOSE_BRACE || byte === CLOSE_BRACKET || isWhitespace(byte)) break;
    end++;
  }
  if (end === at) throw new NotScannable();
  return end;
}

/** Where the records before a comma (or the closing bracket) end, and where the next one starts. */
export interface RecordsCut {
  /** The comma after the last record of the chunk, or the `]` that closes `data`. */
  readonly end: number;
  /** First byte of the next record; -1 when `data` closed at `end`. */
  readonly next: number;
}

/**
 * Scans records from `start` (the first byte of one) to the first comma between two records at
 * least `minBytes` after `start`, or to the `]` that closes `data`; throws `NotScannable` when the
 * bytes are not a list of values (`[1,]`, `[1,,2]`, `[1 2]`). This is the exact cut of a page whose
 * guessed cuts failed.
 */
export function cutRecords(bytes: Uint8Array, start: number, minBytes: number): RecordsCut {
  let at = start;
  for (;;) {
    at = skipWhitespace(bytes, skipValue(bytes, at));
    if (bytes[at] === CLOSE_BRACKET) return { end: at, next: -1 };
    if (bytes[at] !== COMMA) throw new NotScannable();
    const comma = at;
    at = skipWhitespace(bytes, comma + 1);
    if (comma - start >= minBytes) {
      // A record must follow the cut: `[1,]` and `[1,,2]` fail with this chunk, not the next.
      if (at >= bytes.length || bytes[at] === CLOSE_BRACKET || bytes[at] === COMMA) throw new NotScannable();
      return { end: comma, next: at };
    }
  }
}

/** The body ends with `]`, `}` and whitespace only: `data` is likely the last member (checked at the end). */
function endsWithArrayThenObject(bytes: Uint8Array): boolean {
  let at = bytes.length - 1;
  while (at >= 0 && isWhitespace(bytes[at])) at--;
  if (bytes[at] !== CLOSE_BRACE) return false;
  at--;
  while (at >= 0 && isWhitespace(bytes[at])) at--;
  return bytes[at] === CLOSE_BRACKET;
}

/** The head of `{ "pagination": …, …, "data": [ …records… ] }`, or undefined when the body should be parsed whole. */
export function scanListHead(body: Buffer): ListHead | undefined {
  // A plain Uint8Array view keeps every byte read on one kind of array.
  const bytes = new Uint8Array(body.buffer, body.byteOffset, body.length);
  if (!endsWithArrayThenObject(bytes)) return undefined;
  try {
    let sawPagination = false;
    let at = skipWhitespace(bytes, expect(bytes, skipWhitespace(bytes, 0), OPEN_BRACE));
    for (;;) {
      if (bytes[at] !== QUOTE) return undefined;
      const keyEnd = skipStringRest(bytes, at + 1);
      // `"d\u0061ta"` is `data` to JSON.parse: leave keys with escapes to it.
      if (bytes.subarray(at, keyEnd).includes(BACKSLASH)) return undefined;
      const key = body.toString('latin1', at + 1, keyEnd - 1);
      at = skipWhitespace(bytes, expect(bytes, skipWhitespace(bytes, keyEnd), COLON));
      if (key === 'data') {
        if (!sawPagination || bytes[at] !== OPEN_BRACKET) return undefined;
        return { dataOpen: at, provisionalEnvelope: Buffer.concat([body.subarray(0, at + 1), CLOSE_EMPTY_DATA]) };
      }
      if (key === 'pagination') sawPagination = true;
      at = skipWhitespace(bytes, skipValue(bytes, at));
      at = skipWhitespace(bytes, expect(bytes, at, COMMA));
    }
  } catch (err) {
    if (err instanceof NotScannable) return undefined;
    throw err;
  }
}
