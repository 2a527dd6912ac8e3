import type * as http from 'http';
import type { TestHandler } from './testServer';

/** Handlers that reproduce one network or server fault each (docs/reliability.md, "Responses and paging"). */

export const JSON_TYPE = 'application/json; charset=utf-8';

export function sendJson(
  res: http.ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string | number> = {},
): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': JSON_TYPE, 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

export function json(status: number, body: unknown, headers: Record<string, string | number> = {}): TestHandler {
  return (_req, res) => sendJson(res, status, body, headers);
}

/** Accepts the request and never answers. */
export function stallHeaders(): TestHandler {
  return () => undefined;
}

/** Sends headers, then one byte every `intervalMs` forever. */
export function trickleBody(intervalMs: number): TestHandler {
  return (_req, res) => {
    res.writeHead(200, { 'content-type': JSON_TYPE });
    res.write('{');
    const timer = setInterval(() => {
      if (!res.destroyed) res.write(' ');
    }, intervalMs);
    res.on('close', () => clearInterval(timer));
  };
}

/** Sends `bytes` bytes of a body, then resets the TCP connection. */
export function resetAfter(bytes: number): TestHandler {
  return (_req, res) => {
    res.writeHead(200, { 'content-type': JSON_TYPE, 'content-length': bytes * 2 });
    res.write('{"data":['.padEnd(bytes, ' '), () => {
      setTimeout(() => res.socket?.resetAndDestroy(), 20);
    });
  };
}

/** Declares `declared` bytes, sends `sent`, then closes cleanly. */
export function shortContentLength(declared: number, sent: number): TestHandler {
  return (_req, res) => {
    res.writeHead(200, { 'content-type': JSON_TYPE, 'content-length': declared });
    res.write('{"data":['.padEnd(sent, ' '), () => setTimeout(() => res.socket?.end(), 20));
  };
}

/** A chunked body that never ends, 64 KiB at a time, as fast as the client reads. */
export function endlessChunked(): TestHandler {
  return (_req, res) => {
    res.writeHead(200, { 'content-type': JSON_TYPE });
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    const pump = (): void => {
      while (!res.destroyed && res.write(chunk)) {
        /* keep writing until backpressure */
      }
      if (!res.destroyed) res.once('drain', pump);
    };
    res.write('{"data":[');
    pump();
  };
}

/** A captive-portal style HTML page with status 200. */
export function htmlPage(): TestHandler {
  return (_req, res) => {
    const text = '<!doctype html><html><body><form>Log in to the Wi-Fi</form></body></html>';
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  };
}

/** A redirect to `location`. */
export function redirectTo(location: string, status = 302): TestHandler {
  return (_req, res) => {
    res.writeHead(status, { location, 'content-length': 0 });
    res.end();
  };
}

/** A raw body with a JSON content type: truncated JSON, invalid UTF-8, a BOM, NaN. */
export function rawJsonBytes(bytes: Buffer | string, status = 200): TestHandler {
  return (_req, res) => {
    const body = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes;
    res.writeHead(status, { 'content-type': JSON_TYPE, 'content-length': body.length });
    res.end(body);
  };
}

/** Answers the listed handlers in order, repeating the last one. */
export function sequence(...handlers: TestHandler[]): TestHandler {
  let index = 0;
  return (req, res) => {
    const handler = handlers[Math.min(index++, handlers.length - 1)];
    if (!handler) throw new Error('sequence() was given no handler');
    void handler(req, res);
  };
}
