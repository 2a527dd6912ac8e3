import type { ListHead } from './envelopeScan';
import type { UndiciTransportSpec } from './transport';

/**
 * The transport contract between the API client, the auth layer and the undici implementation
 * (`createUndiciTransport` in transport.ts). Tests may use any implementation that speaks real HTTP.
 */

export interface HttpRequest {
  readonly method: 'GET' | 'POST';
  /** Absolute URL. The transport refuses anything outside its configured origin. */
  readonly url: URL;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly signal?: AbortSignal;
}

export interface HttpResponse {
  readonly status: number;
  /** Lower-cased header names. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  /** The whole body, read within the size cap; empty when the body was `kept` where it was received. */
  readonly body: Buffer;
  /** A 200's list body that stayed in the thread that received it (the page worker). */
  readonly kept?: KeptBody;
}

/**
 * A page's body kept by the page worker, which received it (docs/performance.md, B4): only its first
 * bytes and its list head came to this thread. The worker reads its records when the page is handed
 * to it; anything else brings the whole body here (`take`) or lets it go (`drop`).
 */
export interface KeptBody {
  /** Which worker keeps it (`TransportRunner`), and its number there. */
  readonly keeper: TransportRunner;
  readonly id: number;
  readonly byteLength: number;
  /** The body's first bytes (up to 1 KB), where an envelope's `has_more` is looked for. */
  readonly start: Buffer;
  /** Where `data`'s records start, as `scanListHead` found it there. */
  readonly head: ListHead;
  /** The whole body, moved here: the worker no longer keeps it. */
  take(): Promise<Buffer>;
  /** Lets the worker forget the body (it was not needed). */
  drop(): void;
}

export interface HttpTransport {
  /** The only origin this transport sends requests (and so tokens) to. */
  readonly origin: string;
  send(request: HttpRequest): Promise<HttpResponse>;
  close(): Promise<void>;
  /**
   * The same transport, sending from `runner`'s thread (the page worker) rather than this one, with
   * everything a wrapper adds kept; undefined when it cannot (then this one sends).
   */
  elsewhere?(runner: TransportRunner): HttpTransport | undefined;
}

/** A thread that can send requests with a copy of an undici transport (the page worker). */
export interface TransportRunner {
  /**
   * A transport made from `spec` in the runner's thread. `here` sends whatever the runner cannot
   * (it has not started yet, or could not start).
   */
  transportFor(spec: UndiciTransportSpec, here: HttpTransport): HttpTransport;
}

/**
 * Supplies bearer tokens to the API client. Implemented by the auth layer (OAuth with refresh,
 * or a personal access token).
 */
export interface Credentials {
  /** A currently valid access token (refreshing ahead of expiry when needed). */
  getAccessToken(signal?: AbortSignal): Promise<string>;
  /**
   * Called once after a 401 for `rejectedToken`: refresh (single-flight) and return the new token,
   * or `undefined` when the grant is dead and the user must sign in again.
   */
  handleUnauthorized(rejectedToken: string, signal?: AbortSignal): Promise<string | undefined>;
}
