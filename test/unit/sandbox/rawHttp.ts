import * as http from 'http';
import type { SandboxHandle } from '../../../src/sandbox/types';

export interface RawReply {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly text: string;
}

/**
 * One request with exactly the headers given, `Host` included: `fetch` decides `Host` and
 * `Origin` itself, and these tests are about what a browser on another site would send.
 */
export function rawRequest(
  handle: SandboxHandle,
  options: { method?: string; path: string; headers?: Record<string, string>; body?: string },
): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port: handle.port,
        method: options.method ?? 'GET',
        path: options.path,
        headers: { Host: `127.0.0.1:${handle.port}`, ...options.headers, Connection: 'close' },
        setHost: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

export const FORM = { 'Content-Type': 'application/x-www-form-urlencoded' };

/** The ticket of a freshly opened consent form for the demo client. */
export async function openConsent(handle: SandboxHandle, state = 's'): Promise<string> {
  const q = new URLSearchParams({
    response_type: 'code',
    client_id: handle.demoClient.clientId,
    redirect_uri: 'http://127.0.0.1:53123/callback',
    state,
  });
  const page = await rawRequest(handle, { path: `/authorize?${q}` });
  const ticket = /name="ticket" value="([^"]+)"/.exec(page.text)?.[1];
  if (!ticket) throw new Error(`No ticket in the consent page (status ${page.status})`);
  return ticket;
}
