import * as fs from 'fs';
import * as path from 'path';
import { randomBytes } from 'crypto';
import { AdaptiveNumbers } from './adaptiveNumbers';

/**
 * Records that do not fit the columnar shape, kept as JSON text: spilled to a file in the
 * extension's own storage folder when one is given (read back by offset), else held in memory.
 * Spill files are named `result-<pid>-<random>.ndjson` so `cleanupStaleSpills` can tell an
 * abandoned file (its process is gone) from one another window still uses.
 */

const SPILL_PREFIX = 'result-';
const SPILL_SUFFIX = '.ndjson';

export class FallbackRecords {
  private readonly texts: string[] = [];
  private readonly offsets = new AdaptiveNumbers();
  private fd: number | undefined;
  private readonly spillPath: string | undefined;
  private fileBytes = 0;
  private count_ = 0;

  constructor(spillDirectory?: string) {
    if (spillDirectory !== undefined) {
      fs.mkdirSync(spillDirectory, { recursive: true });
      this.spillPath = path.join(
        spillDirectory,
        `${SPILL_PREFIX}${process.pid}-${randomBytes(6).toString('hex')}${SPILL_SUFFIX}`,
      );
      this.fd = fs.openSync(this.spillPath, 'wx+', 0o600);
      this.offsets.push(0);
    }
  }

  get count(): number {
    return this.count_;
  }

  get spillFile(): string | undefined {
    return this.spillPath;
  }

  /** Bytes held in memory (not counting the spill file). */
  get byteLength(): number {
    if (this.fd !== undefined) return this.offsets.byteLength;
    let bytes = 0;
    for (const t of this.texts) bytes += 2 * t.length + 32;
    return bytes;
  }

  /** Appends a batch of JSON texts in one write. */
  appendBatch(jsonTexts: readonly string[]): void {
    if (jsonTexts.length === 0) return;
    if (this.fd === undefined) {
      for (const t of jsonTexts) this.texts.push(t);
    } else {
      const buffers = jsonTexts.map((t) => Buffer.from(t + '\n', 'utf8'));
      const batch = Buffer.concat(buffers);
      let written = 0;
      while (written < batch.length) {
        written += fs.writeSync(this.fd, batch, written, batch.length - written, this.fileBytes + written);
      }
      for (const b of buffers) {
        this.fileBytes += b.length;
        this.offsets.push(this.fileBytes);
      }
    }
    this.count_ += jsonTexts.length;
  }

  get(index: number): string {
    if (index < 0 || index >= this.count_) throw new RangeError(`No fallback record ${index}`);
    if (this.fd === undefined) return this.texts[index]!;
    const start = this.offsets.get(index);
    const length = this.offsets.get(index + 1) - start - 1;
    const buffer = Buffer.allocUnsafe(length);
    let read = 0;
    while (read < length) {
      const n = fs.readSync(this.fd, buffer, read, length - read, start + read);
      if (n === 0) throw new Error('The spilled result file was truncated');
      read += n;
    }
    return buffer.toString('utf8');
  }

  seal(): void {
    this.offsets.seal();
  }

  dispose(): void {
    this.texts.length = 0;
    if (this.fd !== undefined) {
      fs.closeSync(this.fd);
      this.fd = undefined;
      if (this.spillPath) fs.rmSync(this.spillPath, { force: true });
    }
  }
}

function processIsAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Deletes spill files left by extension hosts that are gone (a crash, a killed window).
 * Files of live processes (another window) are kept, and so is everything that is not a spill file.
 * @returns the number of files deleted
 */
export function cleanupStaleSpills(directory: string): number {
  let names: string[];
  try {
    names = fs.readdirSync(directory);
  } catch {
    return 0;
  }
  let deleted = 0;
  for (const name of names) {
    const m = /^result-(\d+)-[0-9a-f]+\.ndjson$/.exec(name);
    if (!m || processIsAlive(Number(m[1]))) continue;
    fs.rmSync(path.join(directory, name), { force: true });
    deleted++;
  }
  return deleted;
}
