/**
 * How a window of records travels from the host to the webview: "row lines", each record's compact
 * JSON text on a line of its own. The webview splits the text in one native call and parses a record
 * only when something reads it, so a 9,000-record window costs a split, not 9,000 objects built before
 * the first row is drawn (docs/performance.md, B7). Every record keeps exactly its JSON meaning
 * (strings, unicode, nesting, numbers of any size), because each line is parsed by `JSON.parse`.
 */

const SEPARATOR = '\n';

/** Where the window's records come from (the host's result store). */
export interface RecordTexts {
  readonly count: number;
  /** Compact JSON text of record `row`. */
  getRecordJson(row: number): string;
}

export interface RowLinesWindow {
  readonly offset: number;
  /** Records in `lines`: fewer than asked when the size limit or the end was reached. */
  readonly count: number;
  readonly lines: string;
}

/**
 * A JSON text as one line. A raw line break is legal JSON only as whitespace between tokens (inside a
 * string it must be escaped), so replacing it with a space keeps the value: compact JSON never has one.
 */
function asLine(json: string): string {
  return json.includes(SEPARATOR) ? json.replaceAll(SEPARATOR, ' ') : json;
}

/** Up to `count` records from `offset` as row lines of at most `maxChars` UTF-16 units (always one record at least). */
export function rowLinesWindow(records: RecordTexts, offset: number, count: number, maxChars: number): RowLinesWindow {
  const end = Math.min(records.count, offset + count);
  const lines: string[] = [];
  let chars = 0;
  for (let row = offset; row < end; row++) {
    const line = asLine(records.getRecordJson(row));
    // A single record larger than the limit still goes alone, so paging never stalls on it.
    if (lines.length > 0 && chars + 1 + line.length > maxChars) break;
    chars += (lines.length > 0 ? 1 : 0) + line.length;
    lines.push(line);
  }
  return { offset, count: lines.length, lines: lines.join(SEPARATOR) };
}

/** The lines of a window, one per record, still as JSON text. */
export function splitRowLines(lines: string): string[] {
  return lines === '' ? [] : lines.split(SEPARATOR);
}

/** Every record of a window, parsed (tests and tools that want the values at once). */
export function parseRowLines(lines: string): unknown[] {
  return splitRowLines(lines).map((line) => JSON.parse(line) as unknown);
}
