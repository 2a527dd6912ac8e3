/**
 * A growable column of numbers that starts in the narrowest typed array that holds its values
 * (Int8 → Int16 → Int32 → Float64) and widens on demand. Typed arrays live outside the JS object heap
 * and cost 1–8 bytes a value instead of a boxed number in an object (docs/performance.md, B10).
 */

export type NumberArray = Int8Array | Int16Array | Int32Array | Float64Array;

const INITIAL_CAPACITY = 1024;
/** 1.5× growth keeps the slack small for a column that is never sealed. */
const GROWTH = 1.5;
/** Spare capacity a sealed column may keep, as a share of its length. */
const SEALED_SLACK = 1 / 16;

function widthFor(value: number): 0 | 1 | 2 | 3 {
  if ((value | 0) !== value || Object.is(value, -0)) return 3;
  if (value >= -128 && value <= 127) return 0;
  if (value >= -32768 && value <= 32767) return 1;
  return 2;
}

function widthOfArray(values: NumberArray): 0 | 1 | 2 | 3 {
  if (values instanceof Int8Array) return 0;
  if (values instanceof Int16Array) return 1;
  return values instanceof Int32Array ? 2 : 3;
}

function allocate(width: 0 | 1 | 2 | 3, capacity: number): NumberArray {
  switch (width) {
    case 0:
      return new Int8Array(capacity);
    case 1:
      return new Int16Array(capacity);
    case 2:
      return new Int32Array(capacity);
    case 3:
      return new Float64Array(capacity);
  }
}

export class AdaptiveNumbers {
  private width: 0 | 1 | 2 | 3 = 0;
  private _data: NumberArray = new Int8Array(INITIAL_CAPACITY);
  private _length = 0;

  get length(): number {
    return this._length;
  }

  /** The backing array; only indexes below `length` are meaningful. Do not keep it across `push`. */
  get data(): NumberArray {
    return this._data;
  }

  /** Bytes held by the backing array (its capacity, not just the used part). */
  get byteLength(): number {
    return this._data.byteLength;
  }

  push(value: number): void {
    const needed = widthFor(value);
    if (needed > this.width) this.reallocate(needed, this._data.length);
    if (this._length === this._data.length) this.reallocate(this.width, Math.ceil(this._data.length * GROWTH) + 16);
    this._data[this._length++] = value;
  }

  /**
   * `push` of `values[0…count-1]` in one copy, leaving the same width and capacity as pushing them
   * one by one (a page worker's column chunk: its array's type is the width its values need).
   */
  pushAll(values: NumberArray, count: number): void {
    if (count <= 0) return;
    const width = widthOfArray(values);
    const needed = this._length + count;
    let capacity = this._data.length;
    while (capacity < needed) capacity = Math.ceil(capacity * GROWTH) + 16;
    if (width > this.width || capacity !== this._data.length)
      this.reallocate(Math.max(width, this.width) as 0 | 1 | 2 | 3, capacity);
    this._data.set(values.subarray(0, count), this._length);
    this._length = needed;
  }

  /** The value at `index`, which must be below `length` (callers check it in their loops). */
  get(index: number): number {
    return this._data[index]!;
  }

  /**
   * Room for `capacity` values without growing: a column filled in steps copies itself each time it
   * grows, and the copies of large columns come all at once (docs/performance.md, B4).
   */
  reserve(capacity: number): void {
    if (capacity > this._data.length) this.reallocate(this.width, capacity);
  }

  /**
   * Drops the spare capacity once no more values will come, unless it is small: the copy that drops
   * it takes the whole column in one step, which a column reserved to its size never needs.
   */
  seal(): void {
    const spare = this._data.length - this._length;
    if (spare > 0 && spare > this._length * SEALED_SLACK) this.reallocate(this.width, this._length);
  }

  private reallocate(width: 0 | 1 | 2 | 3, capacity: number): void {
    const next = allocate(width, Math.max(capacity, 1));
    // Widths only grow, so every stored value fits the new array exactly.
    next.set(this._data.subarray(0, this._length));
    this.width = width;
    this._data = next;
  }
}
