import type { Writable } from 'stream';

/**
 * Writes text or bytes to a Node `Writable` honouring backpressure: when `write` returns false the
 * writer waits for `drain`, so memory stays bounded whatever the disk speed. Errors of the stream
 * reject the pending write instead of being lost.
 */
export class BackpressureSink {
  private _error: Error | undefined;
  private _bytes = 0;

  constructor(private readonly _stream: Writable) {
    _stream.on('error', (err: Error) => {
      this._error ??= err;
    });
  }

  get bytesWritten(): number {
    return this._bytes;
  }

  async write(chunk: string | Buffer): Promise<void> {
    if (this._error) throw this._error;
    if (chunk.length === 0) return;
    this._bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
    if (this._stream.write(chunk)) return;
    await new Promise<void>((resolve, reject) => {
      const cleanup = (): void => {
        this._stream.off('drain', onDrain);
        this._stream.off('error', onError);
        this._stream.off('close', onClose);
      };
      const onDrain = (): void => {
        cleanup();
        resolve();
      };
      const onError = (err: Error): void => {
        cleanup();
        reject(err);
      };
      const onClose = (): void => {
        cleanup();
        reject(this._error ?? new Error('The output stream closed before the export finished.'));
      };
      this._stream.once('drain', onDrain);
      this._stream.once('error', onError);
      this._stream.once('close', onClose);
    });
  }

  /** Ends the stream and waits until everything is flushed. */
  async end(): Promise<void> {
    if (this._error) throw this._error;
    await new Promise<void>((resolve, reject) => {
      this._stream.once('error', reject);
      this._stream.end(() => resolve());
    });
  }
}
