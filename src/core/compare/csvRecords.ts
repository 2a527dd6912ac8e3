/**
 * Reads CSV (RFC 4180) as the export writes it, chunk by chunk: quoted cells may hold commas,
 * quotes and line breaks, lines end in CRLF or LF. The first line names the columns; each later line
 * becomes a flat record `{ column: text }` (an empty cell is null). The export's guard against
 * spreadsheet formulas (a `'` before text starting with = + - @, tab or CR) is taken off again.
 */

const FORMULA_GUARDED = /^'[=+\-@\t\r]/;

export class CsvRecords {
  private columns: string[] | undefined;
  private cells: string[] = [];
  private cell = '';
  private quoted = false;
  /** In a quoted cell, the last character was a quote (the end of the cell or the first of a pair). */
  private quoteSeen = false;
  private lineHasContent = false;

  /** Feeds the next chunk of text; returns the records it completed. */
  push(text: string): Record<string, string | null>[] {
    const records: Record<string, string | null>[] = [];
    let start = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (this.quoted) {
        if (this.quoteSeen) {
          this.quoteSeen = false;
          if (c === 34) {
            this.cell += '"';
            start = i + 1;
            continue;
          }
          this.quoted = false;
          // Falls through: the character after a closing quote is read as outside quotes.
        } else if (c === 34) {
          this.cell += text.slice(start, i);
          this.quoteSeen = true;
          start = i + 1;
          continue;
        } else {
          continue;
        }
      }
      if (c === 34 && this.cell === '' && start === i) {
        this.quoted = true;
        this.lineHasContent = true;
        start = i + 1;
      } else if (c === 44) {
        this.cells.push(this.cell + text.slice(start, i));
        this.cell = '';
        this.lineHasContent = true;
        start = i + 1;
      } else if (c === 10 || c === 13) {
        const last = this.cell + text.slice(start, i);
        this.cell = '';
        start = i + 1;
        if (c === 13 && text.charCodeAt(i + 1) === 10) {
          i++;
          start = i + 1;
        }
        if (this.lineHasContent || last !== '') this.endLine(last, records);
      } else {
        this.lineHasContent = true;
      }
    }
    this.cell += text.slice(start);
    return records;
  }

  /** The last line when the text does not end with a line break. */
  end(): Record<string, string | null>[] {
    const records: Record<string, string | null>[] = [];
    if (this.lineHasContent || this.cell !== '') this.endLine(this.cell, records);
    this.cell = '';
    return records;
  }

  private endLine(lastCell: string, records: Record<string, string | null>[]): void {
    this.cells.push(lastCell);
    const cells = this.cells;
    this.cells = [];
    this.lineHasContent = false;
    this.quoted = false;
    this.quoteSeen = false;
    if (this.columns === undefined) {
      this.columns = cells;
      return;
    }
    // fromEntries makes every column an own property, `__proto__` too.
    records.push(
      Object.fromEntries(
        this.columns.map((column, i) => {
          const text = cells[i] ?? '';
          return [column, text === '' ? null : FORMULA_GUARDED.test(text) ? text.slice(1) : text];
        }),
      ),
    );
  }
}
