import * as http from 'http';
import type { AddressInfo, Socket } from 'net';

/** One request as a test server saw it. The Authorization value is kept so leak tests can assert on it. */
export interface RecordedRequest {
  readonly method: string;
  readonly url: string;
  readonly authorization: string | undefined;
  readonly headers: http.IncomingHttpHeaders;
}

export type TestHandler = (req: http.IncomingMessage, res: http.ServerResponse) => void | Promise<void>;

export interface TestServer {
  readonly origin: string;
  readonly port: number;
  readonly requests: RecordedRequest[];
  /** Replaces the handler for the following requests. */
  handle(handler: TestHandler): void;
  close(): Promise<void>;
}

/**
 * A purpose-built HTTP server on 127.0.0.1 for wire-level tests: it records every request
 * (including any Authorization header) and runs whatever handler the test installs.
 */
export async function startTestServer(
  handler: TestHandler = (_req, res) => {
    res.statusCode = 404;
    res.end();
  },
): Promise<TestServer> {
  let current = handler;
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const server = http.createServer((req, res) => {
    requests.push({
      method: req.method ?? '',
      url: req.url ?? '',
      authorization: req.headers.authorization,
      headers: req.headers,
    });
    Promise.resolve(current(req, res)).catch(() => res.destroy());
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    requests,
    handle(next) {
      current = next;
    },
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
