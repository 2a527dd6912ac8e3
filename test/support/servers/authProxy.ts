import * as http from 'http';
import type { AddressInfo, Socket } from 'net';

/**
 * A forward proxy on 127.0.0.1 that wants credentials it is never given: every CONNECT and every
 * plain request gets `407 Proxy Authentication Required`. Nothing is ever forwarded.
 */
export interface AuthProxy {
  readonly url: string;
  /** `CONNECT host:port` or `GET url` lines, in arrival order. */
  readonly seen: string[];
  close(): Promise<void>;
}

export async function startAuthProxy(): Promise<AuthProxy> {
  const seen: string[] = [];
  const sockets = new Set<Socket>();
  const server = http.createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    res.writeHead(407, { 'proxy-authenticate': 'Basic realm="corp"', 'content-length': 0 });
    res.end();
  });
  server.on('connect', (req: http.IncomingMessage, socket: Socket) => {
    seen.push(`CONNECT ${req.url}`);
    socket.end(
      'HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="corp"\r\nContent-Length: 0\r\n\r\n',
    );
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
