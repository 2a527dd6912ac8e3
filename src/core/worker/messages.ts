import type { RouteId } from '../routes';
import type { SchemaWarning } from '../api/validation';
import type { ColumnChunk, ShapeState } from './columnChunk';

/** What the main thread and the page worker (`dist/pageWorker.js`) say to each other. */

/**
 * A page's body for the worker: its first `byteLength` bytes of `buffer` (which may be longer: a
 * reused body buffer, src/core/api/bodyBuffers.ts); its records start after `dataOpen` (the `[` of `data`).
 */
export interface PageBytes {
  readonly buffer: ArrayBuffer;
  readonly byteLength: number;
  readonly dataOpen: number;
  readonly routeId: RouteId;
  readonly routeLabel: string;
  readonly chunkBytes: number;
}

/** Main thread → worker: parse, check and store one page's records (the buffer is transferred). */
export interface PageJob {
  readonly type: 'page';
  readonly id: number;
  readonly page: PageBytes;
  readonly state: ShapeState;
}

/** An error of the worker, rebuilt as an `ApiError` when it has a code. */
export interface WorkerError {
  readonly code: string | undefined;
  readonly message: string;
  readonly route: string | undefined;
}

/** Worker → main thread. `heapUsed` is the worker's heap after the step (for the benchmark's peak). */
export type WorkerReply =
  | { readonly type: 'ready' }
  | { readonly type: 'chunk'; readonly id: number; readonly chunk: ColumnChunk; readonly heapUsed: number }
  | {
      readonly type: 'done';
      readonly id: number;
      readonly warnings: SchemaWarning[];
      readonly heapUsed: number;
      /** The page's buffer, transferred back to be used for a later body. */
      readonly buffer: ArrayBuffer;
    }
  | {
      readonly type: 'failed';
      readonly id: number;
      readonly error: WorkerError;
      readonly heapUsed: number;
      readonly buffer: ArrayBuffer;
    };
