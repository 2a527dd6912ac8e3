import { describeApiError, isApiError } from '../../core/api/errors';
import type { Logger } from '../../core/ports';
import {
  REPLY_TYPES,
  webviewToHost,
  type HostToWebview,
  type ReplyOf,
  type RequestPayload,
  type RequestType,
  type WebviewToHost,
} from '../../shared/protocol';
import { FloodGate } from './floodGate';

/** What a request's answer carries; the dispatcher adds its type and the request's `requestId`. */
export type ReplyPayload<K extends RequestType> = Omit<ReplyOf<K>, 'type' | 'requestId'>;

/** The way back to the webview for one request. */
export interface Replier<K extends RequestType> {
  /** Sends the request's answer (a search sends its first hits before its last answer). */
  send(answer: ReplyPayload<K>): void;
  /** The request cannot be answered: `didFail` with the reason the webview shows. */
  fail(message: string): void;
}

export type RequestHandlers = {
  readonly [K in RequestType]: (request: RequestPayload<K>, reply: Replier<K>) => Promise<void> | void;
};

type CommandType = Exclude<WebviewToHost['type'], RequestType>;
export type CommandHandlers = {
  readonly [K in CommandType]: (command: Extract<WebviewToHost, { type: K }>) => Promise<void> | void;
};

export interface DispatcherOptions {
  readonly requests: RequestHandlers;
  readonly commands: CommandHandlers;
  /** Posts to the webview (nothing before it said ready). */
  readonly post: (message: HostToWebview) => void;
  readonly logger: Logger;
  /** The words the webview shows for a request that failed. */
  readonly failureText: (err: unknown) => string;
  /** Sees each message that passed the flood gate, valid or not (test hooks). */
  readonly received?: (raw: unknown) => void;
}

/**
 * Everything the webview posts comes through here: past the flood gate, checked against the
 * protocol, then to its handler. Replies to a request carry the request's `requestId`, and a request
 * whose handler throws gets `didFail`, so the webview never waits for an answer that will not come.
 */
export class MessageDispatcher {
  private readonly _gate = new FloodGate(200, 100);

  constructor(private readonly _options: DispatcherOptions) {}

  /** Messages dropped by the flood gate. */
  get dropped(): number {
    return this._gate.dropped;
  }

  dispatch(raw: unknown): Promise<void> {
    const { logger } = this._options;
    if (!this._gate.take()) {
      if (this._gate.dropped % 100 === 1)
        logger.warn('Query panel: too many messages from the webview; some were dropped.');
      return Promise.resolve();
    }
    this._options.received?.(raw);
    const parsed = webviewToHost.safeParse(raw);
    if (!parsed.success) {
      // Never log the payload: it may hold health data. The shape problem is enough.
      logger.warn(
        `Query panel: ignored a message that is not in the protocol (${parsed.error.issues[0]?.code ?? 'invalid'}).`,
      );
      return Promise.resolve();
    }
    const message = parsed.data;
    const reply = isRequest(message) ? this._replier(message.type, message.requestId) : undefined;
    return this._route(message, reply).catch((err: unknown) => {
      logger.error(`Query panel: ${message.type}: ${describeApiError(err)}${isApiError(err) ? '' : whereThrown(err)}`);
      reply?.fail(this._options.failureText(err));
    });
  }

  private async _route(message: WebviewToHost, reply: Replier<RequestType> | undefined): Promise<void> {
    // The tables' types pair each message with its handler; one cast each, as TypeScript cannot follow that.
    if (isRequest(message) && reply) {
      const { type, requestId: _pairedByReply, ...request } = message;
      const handle = this._options.requests[type] as (
        r: typeof request,
        reply: Replier<RequestType>,
      ) => Promise<void> | void;
      return handle(request, reply);
    }
    const handle = this._options.commands[message.type as CommandType] as (c: WebviewToHost) => Promise<void> | void;
    return handle(message);
  }

  private _replier<K extends RequestType>(type: K, requestId: number | undefined): Replier<K> {
    const paired = requestId === undefined ? {} : { requestId };
    return {
      send: (answer) => {
        // A payload built for another request (a cached answer) must not leak that request's id.
        const { requestId: _other, ...rest } = answer as ReplyPayload<K> & { requestId?: number };
        this._options.post({ ...rest, type: REPLY_TYPES[type], ...paired } as ReplyOf<K>);
      },
      fail: (message) => this._options.post({ type: 'didFail', message: message.slice(0, 2000), ...paired }),
    };
  }
}

function isRequest(message: WebviewToHost): message is Extract<WebviewToHost, { type: RequestType }> {
  return Object.hasOwn(REPLY_TYPES, message.type);
}

/** Only the error's type and first stack frame: messages of unexpected errors may quote data. */
export function whereThrown(err: unknown): string {
  return err instanceof Error ? ` [${err.name}${err.stack?.split('\n')[1]?.trim().replace(/^at /, ' at ') ?? ''}]` : '';
}
