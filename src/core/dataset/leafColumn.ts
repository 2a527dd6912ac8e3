import { AdaptiveNumbers } from './adaptiveNumbers';
import type { LeafChunk } from '../worker/columnChunk';
import { detectTimeLayout, encodeTime, formatTime, type TimeLayout, unitMs } from './timeFormats';

/**
 * One scalar field of the regular record shape, stored as numbers:
 * - `number`: the value itself (narrowest typed array that fits);
 * - `time`: an ISO timestamp as an integer offset from the column's first value, printed back exactly;
 * - `string`: a code into a dictionary of distinct strings;
 * - `boolean`: 0 or 1;
 * - `pending`: only nulls so far (the kind is chosen by the first non-null value).
 * Nulls are flagged in a byte array allocated only once a null appears.
 * Writes are two-phase (`prepare` for every field of a record, then `commit`), so a record that does
 * not fit leaves no trace and goes to the fallback store whole.
 * Reads take a row below `length`; a string column's stored numbers are codes into its dictionary.
 */

export type LeafKind = 'pending' | 'number' | 'time' | 'string' | 'boolean';

export type ScalarValue = number | string | boolean | null;

export class LeafColumn {
  kind: LeafKind = 'pending';
  numbers = new AdaptiveNumbers();
  /** 1 where the value is null; undefined while there is none. */
  nulls: Uint8Array | undefined;
  timeLayout: TimeLayout | undefined;
  /** Epoch ms of stored value 0, and ms per stored unit (time columns). */
  timeBase = 0;
  timeUnit = 1;
  readonly dictionary: string[] = [];
  private readonly dictionaryCodes = new Map<string, number>();
  private dictionaryJson: (string | undefined)[] = [];

  private pendingNull = false;
  private pendingNumber = 0;
  private pendingKind: LeafKind = 'pending';
  private pendingLayout: TimeLayout | undefined;
  private pendingString: string | undefined;
  private demoteOnCommit = false;

  /** `path` holds the keys from the record root, e.g. `['metadata', 'source']`. */
  constructor(readonly path: readonly string[]) {}

  get length(): number {
    return this.numbers.length;
  }

  get dottedPath(): string {
    return this.path.join('.');
  }

  /** Checks that `value` can be stored and remembers its encoding for `commit`. */
  prepare(value: unknown): boolean {
    this.pendingNull = false;
    this.pendingString = undefined;
    this.demoteOnCommit = false;
    this.pendingKind = this.kind;
    if (value === null) {
      this.pendingNull = true;
      return true;
    }
    switch (typeof value) {
      case 'number':
        if (this.kind !== 'number' && this.kind !== 'pending') return false;
        if (!Number.isFinite(value)) return false;
        this.pendingKind = 'number';
        this.pendingNumber = value;
        return true;
      case 'boolean':
        if (this.kind !== 'boolean' && this.kind !== 'pending') return false;
        this.pendingKind = 'boolean';
        this.pendingNumber = value ? 1 : 0;
        return true;
      case 'string':
        return this.prepareString(value);
      default:
        return false;
    }
  }

  commit(): void {
    const row = this.numbers.length;
    if (this.pendingNull) {
      this.markNull(row);
      this.numbers.push(0);
      return;
    }
    if (this.kind === 'pending' && this.pendingKind !== 'pending') {
      this.kind = this.pendingKind;
      if (this.kind === 'time' && this.pendingLayout) {
        this.timeLayout = this.pendingLayout;
        this.timeUnit = unitMs(this.pendingLayout);
        this.timeBase = this.pendingNumber;
      }
    }
    if (this.demoteOnCommit) this.demoteTimeToString();
    if (this.pendingString !== undefined) {
      this.numbers.push(this.intern(this.pendingString));
    } else if (this.kind === 'time') {
      this.numbers.push((this.pendingNumber - this.timeBase) / this.timeUnit);
    } else {
      this.numbers.push(this.pendingNumber);
    }
  }

  /**
   * Appends a page worker's part of a chunk for this column, leaving it as `prepare` and `commit` of
   * each of its values would (see src/core/worker/columnChunk.ts): the kind the chunk settled, a
   * time column turned into strings where the chunk's was, the chunk's strings interned in order.
   */
  appendChunk(chunk: LeafChunk): void {
    const start = this.numbers.length;
    if (this.kind === 'pending' && chunk.kind !== 'pending') {
      this.kind = chunk.kind;
      this.timeLayout = chunk.timeLayout;
      this.timeBase = chunk.timeBase;
      this.timeUnit = chunk.timeUnit;
    } else if (this.kind === 'time' && chunk.kind === 'string') {
      this.demoteTimeToString();
    }
    const { numbers, length, nulls } = chunk;
    if (this.kind === 'string') {
      const codes = chunk.dictionary.map((value) => this.intern(value));
      for (let i = 0; i < length; i++) this.numbers.push(nulls?.[i] === 1 ? 0 : codes[numbers[i]!]!);
    } else {
      this.numbers.pushAll(numbers, length);
    }
    if (nulls) for (let i = 0; i < length; i++) if (nulls[i] === 1) this.markNull(start + i);
  }

  isNull(row: number): boolean {
    return this.nulls !== undefined && this.nulls[row] === 1;
  }

  /** The number stored at `row` (a row below `length`: read on every cell shown or exported). */
  private stored(row: number): number {
    return this.numbers.data[row]!;
  }

  /** The value at `row` as it was in the record (timestamps as their original text). */
  valueAt(row: number): ScalarValue {
    if (this.isNull(row) || this.kind === 'pending') return null;
    const n = this.stored(row);
    switch (this.kind) {
      case 'number':
        return n;
      case 'boolean':
        return n === 1;
      case 'string':
        return this.dictionary[n]!;
      case 'time':
        return formatTime(this.timeLayout as TimeLayout, this.timeBase + n * this.timeUnit);
    }
  }

  /** Epoch ms at `row` of a time column. */
  timeAt(row: number): number {
    return this.timeBase + this.stored(row) * this.timeUnit;
  }

  /** The value at `row` as JSON text. */
  jsonAt(row: number): string {
    if (this.isNull(row) || this.kind === 'pending') return 'null';
    const n = this.stored(row);
    switch (this.kind) {
      case 'number':
        return String(n);
      case 'boolean':
        return n === 1 ? 'true' : 'false';
      case 'string':
        return this.stringJson(n);
      case 'time':
        return `"${formatTime(this.timeLayout as TimeLayout, this.timeBase + n * this.timeUnit)}"`;
    }
  }

  /** JSON text of dictionary entry `code`, encoded once. */
  stringJson(code: number): string {
    let json = this.dictionaryJson[code];
    if (json === undefined) {
      json = JSON.stringify(this.dictionary[code]);
      this.dictionaryJson[code] = json;
    }
    return json;
  }

  /** Room for `rows` values in all (see AdaptiveNumbers.reserve). */
  reserve(rows: number): void {
    this.numbers.reserve(rows);
  }

  seal(): void {
    this.numbers.seal();
    if (this.nulls && this.nulls.length > this.length) this.nulls = this.nulls.slice(0, this.length);
  }

  /** Rough bytes retained: typed arrays plus the dictionary's strings. */
  get byteLength(): number {
    let bytes = this.numbers.byteLength + (this.nulls?.byteLength ?? 0);
    for (const s of this.dictionary) bytes += 2 * s.length + 48;
    return bytes;
  }

  private prepareString(value: string): boolean {
    switch (this.kind) {
      case 'pending': {
        const layout = detectTimeLayout(value);
        if (layout) {
          this.pendingKind = 'time';
          this.pendingLayout = layout;
          this.pendingNumber = encodeTime(layout, value) as number;
        } else {
          this.pendingKind = 'string';
          this.pendingString = value;
        }
        return true;
      }
      case 'string':
        this.pendingString = value;
        return true;
      case 'time': {
        const ms = encodeTime(this.timeLayout as TimeLayout, value);
        if (ms !== undefined && Number.isSafeInteger((ms - this.timeBase) / this.timeUnit)) {
          this.pendingNumber = ms;
          return true;
        }
        // Not a timestamp in this column's layout: the column becomes a plain string column.
        this.demoteOnCommit = true;
        this.pendingString = value;
        return true;
      }
      default:
        return false;
    }
  }

  private demoteTimeToString(): void {
    const layout = this.timeLayout as TimeLayout;
    const stored = new AdaptiveNumbers();
    for (let row = 0; row < this.numbers.length; row++) {
      stored.push(this.isNull(row) ? 0 : this.intern(formatTime(layout, this.timeAt(row))));
    }
    this.numbers = stored;
    this.kind = 'string';
    this.timeLayout = undefined;
  }

  private intern(value: string): number {
    let code = this.dictionaryCodes.get(value);
    if (code === undefined) {
      code = this.dictionary.length;
      this.dictionary.push(value);
      this.dictionaryCodes.set(value, code);
    }
    return code;
  }

  private markNull(row: number): void {
    if (!this.nulls || this.nulls.length <= row) {
      const grown = new Uint8Array(Math.max(1024, Math.ceil((row + 1) * 1.5)));
      if (this.nulls) grown.set(this.nulls);
      this.nulls = grown;
    }
    this.nulls[row] = 1;
  }
}
