/**
 * Finds where a list envelope's records sit in a response body's bytes, without decoding or
 * parsing it, so a 1 MB page can be parsed a few hundred records at a time (performance-targets.md
 * B4, B11). Parsing a whole page at once makes one ~1 MB string and ten thousand objects that live
 * across event-loop turns, long enough to be promoted: garbage that only a full collection frees,
 * which is what pushed the five-year import's peak heap over 64 MB.
 *
 * The scan checks only the structure it relies on (the top-level object, the `data` member, the
 * commas and brackets between records); every byte of a value is still checked by `JSON.parse`,
 * the envelope's in one parse and the records' in chunks. Anything the scan is unsure of (no or
 * several `data` members, an escaped key, a `data` that is not an array, stray bytes) makes it
 * return undefined, and the caller parses the body whole, with the usual errors.
 */

export interface ListLayout {
  /** Record i starts at byte `starts[i]` of the body. */
  readonly starts: readonly number[];
  /** The byte of the `]` that closes `data`. */
  readonly dataClose: number;
  /** The envelope with an empty `data` array (every other member as sent), for a normal parse. */
  readonly envelope: Buffer;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const DATA_KEY = Buffer.from('data');

/** Thrown inside the scan when the body is not what it expects; never escapes `scanListEnvelope`. */
class NotScannable extends Error {}

function isWhitespace(byte: number): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

function skipWhitespace(bytes: Uint8Array, at: number): number {
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
 * From the first byte of a value to just past it. Containers are skipped by bracket depth in one
 * loop: records hold many short strings, and a native search per string costs more than reading
 * the bytes here.
 */
function skipValue(bytes: Uint8Array, at: number): number {
  const length = bytes.length;
  const first = bytes[at];
  if (first === QUOTE) return skipStringRest(bytes, at + 1);
  if (first !== OPEN_BRACE && first !== OPEN_BRACKET) {
    // A number, true, false or null: JSON.parse checks its spelling later.
    let end = at;
    while (end < length) {
      const byte = bytes[end];
      if (byte === COMMA || byte === CLOSE_BRACE || byte === CLOSE_BRACKET || isWhitespace(byte)) break;
      end++;
    }
    if (end === at) throw new NotScannable();
    return end;
  }
  let depth = 1;
  let i = at + 1;
  while (i < length) {
    const byte = bytes[i++];
    if (byte === QUOTE) {
      while (i < length) {
        const inner = bytes[i++];
        if (inner === QUOTE) break;
        if (inner === BACKSLASH) i++;
      }
    } else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
      depth++;
    } else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
      if (--depth === 0) return i;
    }
  }
  throw new NotScannable();
}

/** Whether the key between `keyStart` (its opening quote) and `keyEnd` (past its closing quote) is `data`. */
function isDataKey(bytes: Uint8Array, keyStart: number, keyEnd: number): boolean {
  if (keyEnd - keyStart !== DATA_KEY.length + 2) return false;
  for (let i = 0; i < DATA_KEY.length; i++) if (bytes[keyStart + 1 + i] !== DATA_KEY[i]) return false;
  return true;
}

/**
 * Scans `[ value, value, … ]` from its opening bracket, noting where each value starts; returns the
 * index of its closing bracket. One loop over the bytes with the depth inside the current value:
 * the five-year import scans 263 MB, so this is the hot path (a function call per value or per
 * string costs more than the bytes). A value's own spelling is left to JSON.parse.
 */
function scanRecords(bytes: Uint8Array, open: number, starts: number[]): number {
  const length = bytes.length;
  let i = skipWhitespace(bytes, open + 1);
  if (bytes[i] === CLOSE_BRACKET) return i;
  if (bytes[i] === COMMA) throw new NotScannable();
  starts.push(i);
  let depth = 0;
  while (i < length) {
    const byte = bytes[i++];
    if (byte === QUOTE) {
      while (i < length) {
        const inner = bytes[i++];
        if (inner === QUOTE) break;
        if (inner === BACKSLASH) i++;
      }
    } else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
      depth++;
    } else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
      if (depth === 0) {
        if (byte !== CLOSE_BRACKET) throw new NotScannable();
        return i - 1;
      }
      depth--;
    } else if (byte === COMMA && depth === 0) {
      i = skipWhitespace(bytes, i);
      // `[1,]` and `[1,,2]`: leave the error to a whole parse.
      if (bytes[i] === CLOSE_BRACKET || bytes[i] === COMMA || i >= length) throw new NotScannable();
      starts.push(i);
    }
  }
  throw new NotScannable();
}

/** The layout of `{ …, "data": [ records ], … }`, or undefined when the body should be parsed whole. */
export function scanListEnvelope(body: Buffer): ListLayout | undefined {
  // A plain Uint8Array view keeps every byte read below on one kind of array.
  const bytes = new Uint8Array(body.buffer, body.byteOffset, body.length);
  try {
    const starts: number[] = [];
    let dataOpen = -1;
    let dataClose = -1;
    let at = skipWhitespace(bytes, expect(bytes, skipWhitespace(bytes, 0), OPEN_BRACE));
    if (bytes[at] !== CLOSE_BRACE) {
      for (;;) {
        if (bytes[at] !== QUOTE) throw new NotScannable();
        const keyEnd = skipStringRest(bytes, at + 1);
        // `"d\u0061ta"` is `data` to JSON.parse: leave keys with escapes to it.
        if (bytes.subarray(at, keyEnd).includes(BACKSLASH)) throw new NotScannable();
        const isData = isDataKey(bytes, at, keyEnd);
        at = skipWhitespace(bytes, expect(bytes, skipWhitespace(bytes, keyEnd), COLON));
        if (isData) {
          if (dataOpen !== -1 || bytes[at] !== OPEN_BRACKET) throw new NotScannable();
          dataOpen = at;
          dataClose = scanRecords(bytes, at, starts);
          at = dataClose + 1;
        } else {
          at = skipValue(bytes, at);
        }
        at = skipWhitespace(bytes, at);
        if (bytes[at] === CLOSE_BRACE) break;
        at = skipWhitespace(bytes, expect(bytes, at, COMMA));
      }
    }
    if (skipWhitespace(bytes, at + 1) !== bytes.length || dataOpen === -1) throw new NotScannable();
    const envelope = Buffer.concat([body.subarray(0, dataOpen + 1), body.subarray(dataClose)]);
    return { starts, dataClose, envelope };
  } catch (err) {
    if (err instanceof NotScannable) return undefined;
    throw err;
  }
}
