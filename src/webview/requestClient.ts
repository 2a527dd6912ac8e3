/**
 * Requests to the host as promises: each request gets a fresh `requestId`, and the reply with that id
 * (its result, or `didFail`) settles exactly that request's promise. Nothing is paired by guesswork.
 */
import {
  REPLY_TYPES,
  type HostMessage,
  type ReplyOf,
  type ReplyType,
  type RequestMessage,
  type RequestPayload,
  type RequestType,
  type WebviewToHost,
} from '../shared/protocol';

/** The host could not answer the request; `message` is its sentence for the user. */
export class RequestFailed extends Error {
  override readonly name = 'RequestFailed';
}

/** The webview stopped waiting (its signal aborted): nothing to show, the caller moved on. */
export class RequestAbandoned extends Error {
  override readonly name = 'RequestAbandoned';
  constructor() {
    super('The webview no longer waits for this reply.');
  }
}

export interface RequestOptions<K extends RequestType> {
  /** Aborting stops the wait: the request fails with RequestAbandoned and a late reply is dropped. */
  signal?: AbortSignal;
  /** Replies that come before the last one (a search's first hits). */
  onProgress?: (reply: ReplyOf<K>) => void;
}

/** How `send` hands a request's outcome back: called in the task that brings the reply. */
export interface ReplyHandlers<K extends RequestType> extends RequestOptions<K> {
  onReply(reply: ReplyOf<K>): void;
  onFailure(error: RequestFailed | RequestAbandoned): void;
}

interface Pending {
  kind: RequestType;
  resolve(reply: HostMessage<ReplyType>): void;
  reject(error: RequestFailed | RequestAbandoned): void;
  progress: ((reply: HostMessage<ReplyType>) => void) | undefined;
}

export class RequestClient {
  private _nextId = 1;
  private readonly _pending = new Map<number, Pending>();

  constructor(private readonly _post: (message: WebviewToHost) => void) {}

  /** Sends request `kind`; its reply resolves the promise, and `didFail` for it rejects with RequestFailed. */
  request<K extends RequestType>(
    kind: K,
    payload: RequestPayload<K>,
    options: RequestOptions<K> = {},
  ): Promise<ReplyOf<K>> {
    return new Promise((resolve, reject) =>
      this.send(kind, payload, { ...options, onReply: resolve, onFailure: reject }),
    );
  }

  /**
   * `request` without the promise: the handlers run in the very task that delivers the reply, with no
   * microtask in between. For rows, whose drawing the webview benchmarks time within that task.
   */
  send<K extends RequestType>(kind: K, payload: RequestPayload<K>, handlers: ReplyHandlers<K>): void {
    const { signal, onProgress, onReply, onFailure } = handlers;
    if (signal?.aborted) {
      onFailure(new RequestAbandoned());
      return;
    }
    const requestId = this._nextId++;
    const abandon = (): void => {
      this._pending.delete(requestId);
      onFailure(new RequestAbandoned());
    };
    signal?.addEventListener('abort', abandon, { once: true });
    const settled = (): void => {
      this._pending.delete(requestId);
      signal?.removeEventListener('abort', abandon);
    };
    this._pending.set(requestId, {
      kind,
      // The reply's type was checked against REPLY_TYPES[kind] in receive(): it is ReplyOf<K>.
      resolve: (reply) => {
        settled();
        onReply(reply as ReplyOf<K>);
      },
      reject: (error) => {
        settled();
        onFailure(error);
      },
      progress: onProgress && ((reply) => onProgress(reply as ReplyOf<K>)),
    });
    // The spread of a generic payload is not provably a union member for the compiler; it is one by
    // RequestPayload's definition.
    this._post({ type: kind, requestId, ...payload } as RequestMessage<K>);
  }

  /** A reply from the host; one for no request waiting (abandoned, or not ours) is dropped. */
  receive(reply: HostMessage<ReplyType | 'didFail'>): void {
    const pending = reply.requestId === undefined ? undefined : this._pending.get(reply.requestId);
    if (!pending) return;
    if (reply.type === 'didFail') {
      pending.reject(new RequestFailed(reply.message));
      return;
    }
    if (reply.type !== REPLY_TYPES[pending.kind]) return;
    if (reply.type === 'search/result' && !reply.done) pending.progress?.(reply);
    else pending.resolve(reply);
  }

  /** Requests still waiting for their reply (for tests and leak checks). */
  get waiting(): number {
    return this._pending.size;
  }
}

/**
 * Shows a request's failure with `show`; an abandoned wait shows nothing. Anything else is a bug in
 * the code that handled the reply, and is thrown again rather than shown as if the host had said it.
 */
export function showFailure(error: unknown, show: (message: string) => void): void {
  if (error instanceof RequestFailed) show(error.message);
  else if (!(error instanceof RequestAbandoned)) throw error;
}
