import type { RouteId } from '../routes';
import type { SchemaWarning } from '../api/validation';
import type { UndiciTransportSpec } from '../api/transport';
import type { ColumnChunk, ShapeState } from './columnChunk';

/** What the main thread and the page worker (`dist/pageWorker.js`) say to each other. */

/**
 * A page's body for the worker: either its first `byteLength` bytes of `buffer` (which may be longer:
 * a reused body buffer, src/core/api/bodyBuffers.ts), or the body the worker itself received and
 * kept (`keptBody`); its records start after `dataOpen` (the `[` of `data`).
 */
export interface PageBytes {
  readonly buffer: ArrayBuffer | undefined;
  readonly keptBody: number | undefined;
  readonly byteLength: number;
  readonly dataOpen: number;
  readonly routeId: RouteId;
  readonly routeLabel: string;
  readonly chunkBytes: number;
}

/** Main thread → worker: parse, check and store one page's records (a buffer is transferred). */
export interface PageJob {
  readonly type: 'page';
  readonly id: number;
  readonly page: PageBytes;
  readonly state: ShapeState;
}

/** Main thread → worker: send this request with a transport made from `spec` (one per spec, reused). */
export interface FetchJob {
  readonly type: 'fetch';
  readonly id: number;
  readonly spec: UndiciTransportSpec;
  readonly method: 'GET' | 'POST';
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
}

/** Main thread → worker: about a fetch or the body it kept: stop it, send the body here, forget the body. */
export interface FetchControl {
  readonly type: 'abort' | 'take' | 'drop';
  readonly id: number;
}

export type WorkerJob = PageJob | FetchJob | FetchControl;

/** An error of the worker, rebuilt as an `ApiError` when it has a code. */
export interface WorkerError {
  readonly code: string | undefined;
  readonly message: string;
  readonly route: string | undefined;
  readonly status?: number | undefined;
  readonly retryAfterMs?: number | undefined;
  readonly resetAt?: number | undefined;
  readonly location?: string | undefined;
  /** The code of the error's cause (`ECONNREFUSED`), which callers tell failures apart by. */
  readonly causeCode?: string | undefined;
}

/** The list head of a body the worker kept (see `KeptBody`). */
export interface KeptHead {
  readonly byteLength: number;
  /** The body's first bytes (up to 1 KB). */
  readonly start: ArrayBuffer;
  readonly dataOpen: number;
  readonly provisionalEnvelope: ArrayBuffer;
}

/** Worker → main thread about a page. `heapUsed` is the worker's heap after the step (for the benchmark's peak). */
export type PageReply =
  | { readonly type: 'chunk'; readonly id: number; readonly chunk: ColumnChunk; readonly heapUsed: number }
  | {
      readonly type: 'done';
      readonly id: number;
      readonly warnings: SchemaWarning[];
      readonly heapUsed: number;
      /** The page's buffer, transferred back to be used for a later body (none for a kept body). */
      readonly buffer: ArrayBuffer | undefined;
    }
  | {
      readonly type: 'failed';
      readonly id: number;
      readonly error: WorkerError;
      readonly heapUsed: number;
      readonly buffer: ArrayBuffer | undefined;
    };

/** Worker → main thread about a fetch or a kept body. */
export type FetchReply =
  | {
      readonly type: 'response';
      readonly id: number;
      readonly status: number;
      readonly headers: Readonly<Record<string, string | undefined>>;
      /** The whole body (transferred), or, for a 200's list body, only its head: the worker keeps it. */
      readonly body: ArrayBuffer | KeptHead;
    }
  | { readonly type: 'fetchFailed'; readonly id: number; readonly error: WorkerError }
  | { readonly type: 'taken'; readonly id: number; readonly body: ArrayBuffer };

export type WorkerReply = { readonly type: 'ready' } | PageReply | FetchReply;
