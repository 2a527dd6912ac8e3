import type { HttpRequest, HttpResponse, HttpTransport } from '../../../../src/core/api/httpTypes';

/**
 * A minimal real-HTTP transport over Node's fetch for the auth tests, so they do not depend
 * on the undici transport's options. Like the product transport it refuses other origins and
 * never follows redirects.
 */
export function createFetchTransport(origin: string): HttpTransport & { readonly sent: HttpRequest[] } {
  const sent: HttpRequest[] = [];
  return {
    origin,
    sent,
    send(request: HttpRequest): Promise<HttpResponse> {
      sent.push(request);
      return sendOverFetch(origin, request);
    },
    close: async () => undefined,
  };
}

/** One request to `origin` over Node's fetch (any other origin is refused), redirects not followed. */
export async function sendOverFetch(origin: string, request: HttpRequest): Promise<HttpResponse> {
  if (request.url.origin !== origin) throw new Error(`refused: ${request.url.origin} is not ${origin}`);
  const response = await fetch(request.url, {
    method: request.method,
    redirect: 'manual',
    ...(request.headers ? { headers: request.headers } : {}),
    ...(request.body !== undefined ? { body: request.body } : {}),
    ...(request.signal ? { signal: request.signal } : {}),
  });
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name.toLowerCase()] = value;
  });
  return { status: response.status, headers, body: Buffer.from(await response.arrayBuffer()) };
}
