import { DAY_MS } from './clock';

/**
 * Appends JSON text as UTF-8 bytes into one growing buffer. A 10,000-record page built from
 * template strings and `join` costs more than the client's `JSON.parse` of it; writing the bytes
 * directly costs a fraction, and the socket wants bytes anyway.
 */
export class ByteWriter {
  private _buf: Buffer;
  private _pos = 0;

  constructor(capacity = 64 * 1024) {
    this._buf = Buffer.allocUnsafe(capacity);
  }

  get length(): number {
    return this._pos;
  }

  private _ensure(extra: number): void {
    if (this._pos + extra <= this._buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this._buf.length * 2, this._pos + extra));
    this._buf.copy(next, 0, 0, this._pos);
    this._buf = next;
  }

  /** Pre-encoded bytes (constant fragments, units). */
  bytes(b: Uint8Array): void {
    this._ensure(b.length);
    if (b.length < 24) {
      for (let i = 0; i < b.length; i++) this._buf[this._pos + i] = b[i]!;
    } else {
      this._buf.set(b, this._pos);
    }
    this._pos += b.length;
  }

  /** Any string, UTF-8 encoded. */
  text(s: string): void {
    this._ensure(s.length * 3);
    this._pos += this._buf.write(s, this._pos, 'utf8');
  }

  byte(c: number): void {
    this._ensure(1);
    this._buf[this._pos++] = c;
  }

  /** A JSON number: integers digit by digit, others through `String`. */
  number(n: number): void {
    if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) {
      this.text(String(n));
      return;
    }
    this._ensure(10);
    const buf = this._buf;
    if (n < 10) {
      buf[this._pos++] = 48 + n;
      return;
    }
    let digits = 1;
    for (let x = n; x >= 10; x = (x / 10) >>> 0) digits++;
    let at = this._pos + digits;
    this._pos = at;
    for (let x = n; digits > 0; digits--) {
      const q = (x / 10) >>> 0;
      buf[--at] = 48 + x - q * 10;
      x = q;
    }
  }

  /** `"YYYY-MM-DDTHH:MM:SSZ"` (quotes included) for a whole-second UTC time. */
  isoSeconds(ms: number): void {
    const day = Math.floor(ms / DAY_MS);
    const prefix = dayPrefix(day);
    this._ensure(22);
    const buf = this._buf;
    let p = this._pos;
    buf[p++] = 34;
    for (let i = 0; i < 11; i++) buf[p++] = prefix[i]!;
    const second = Math.floor((ms - day * DAY_MS) / 1000);
    const h = (second / 3600) >>> 0;
    const m = ((second - h * 3600) / 60) >>> 0;
    const s = second - h * 3600 - m * 60;
    buf[p++] = 48 + ((h / 10) >>> 0);
    buf[p++] = 48 + (h % 10);
    buf[p++] = 58;
    buf[p++] = 48 + ((m / 10) >>> 0);
    buf[p++] = 48 + (m % 10);
    buf[p++] = 58;
    buf[p++] = 48 + ((s / 10) >>> 0);
    buf[p++] = 48 + (s % 10);
    buf[p++] = 90;
    buf[p++] = 34;
    this._pos = p;
  }

  /**
   * Raw access for tight loops: guarantees `extra` free bytes and returns the buffer and the write
   * position; hand the new position back with `commit`.
   */
  reserve(extra: number): { buf: Buffer; pos: number } {
    this._ensure(extra);
    return { buf: this._buf, pos: this._pos };
  }

  commit(pos: number): void {
    this._pos = pos;
  }

  /** The bytes written so far (a view, not a copy). */
  result(): Buffer {
    return this._buf.subarray(0, this._pos);
  }
}

let cachedDay = Number.NaN;
let cachedPrefix: Uint8Array = new Uint8Array(11);

/** `YYYY-MM-DDT` of a UTC day number, as bytes (cached: consecutive records share their day). */
export function dayPrefix(day: number): Uint8Array {
  if (day !== cachedDay) {
    cachedDay = day;
    cachedPrefix = Buffer.from(new Date(day * DAY_MS).toISOString().slice(0, 11), 'latin1');
  }
  return cachedPrefix;
}

export const ascii = (s: string): Buffer => Buffer.from(s, 'utf8');
