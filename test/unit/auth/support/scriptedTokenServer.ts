import * as http from 'http';
import type { AddressInfo } from 'net';

export interface ReceivedRequest {
  readonly method: string;
  readonly path: string;
  readonly contentType: string | undefined;
  readonly body: Record<string, unknown>;
}

/** What the server does with one request: answer, or read it and then drop the connection. */
export type Reply =
  | {
      readonly status: number;
      readonly json?: unknown;
      readonly text?: string;
      readonly contentType?: string;
      readonly delayMs?: number;
    }
  | { readonly dropAfterReading: true };

/**
 * A purpose-built token endpoint on 127.0.0.1 for fault cases the sandbox does not script
 * exactly (a malformed 200, a lost response after processing). Every request is recorded.
 */
export class ScriptedTokenServer {
  readonly received: ReceivedRequest[] = [];
  private _server: http.Server | undefined;
  private _handler: (request: ReceivedRequest) => Reply = () => ({ status: 500, json: { error: 'unscripted' } });

  get origin(): string {
    const address = this._server?.address() as AddressInfo;
    return `http://127.0.0.1:${address.port}`;
  }

  reply(handler: (request: ReceivedRequest) => Reply): void {
    this._handler = handler;
  }

  async start(): Promise<void> {
    this._server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: Record<string, unknown> = {};
        try {
          body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
        } catch {
          body = { unparsed: text };
        }
        const received = {
          method: req.method ?? '',
          path: req.url ?? '',
          contentType: req.headers['content-type'],
          body,
        };
        this.received.push(received);
        const reply = this._handler(received);
        if ('dropAfterReading' in reply) {
          req.socket.destroy();
          return;
        }
        const send = () => {
          const payload = reply.text ?? JSON.stringify(reply.json ?? {});
          res.writeHead(reply.status, {
            'content-type': reply.contentType ?? 'application/json',
            'cache-control': 'no-store',
          });
          res.end(payload);
        };
        if (reply.delayMs) setTimeout(send, reply.delayMs);
        else send();
      });
    });
    this._server.keepAliveTimeout = 1;
    await new Promise<void>((resolve) => this._server!.listen(0, '127.0.0.1', resolve));
  }

  async stop(): Promise<void> {
    const server = this._server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
