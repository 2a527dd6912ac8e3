import type { HttpRequest, HttpResponse, HttpTransport } from '../../../../src/core/api/httpTypes';

/**
 * A minimal real-HTTP transport over Node's fetch for the auth unit tests, so they do not depend
 * on the undici transport's options. Like the product transport it refuses other origins and
 * never follows redirects.
 */
export function createFetchTransport(origin: string): HttpTransport & { readonly sent: HttpRequest[] } {
  const sent: HttpRequest[] = [];
  return {
    origin,
    sent,
    async send(request: HttpRequest): Promise<HttpResponse> {
      if (request.url.origin !== origin) throw new Error(`refused: ${request.url.origin} is not ${origin}`);
      sent.push(request);
      const response = await fetch(request.url, {
        method: request.method,
        headers: request.headers,
        body: request.body,
        signal: request.signal,
        redirect: 'manual',
      });
      const headers: Record<string, string> = {};
      response.headers.forEach((value, name) => {
        headers[name.toLowerCase()] = value;
      });
      return { status: response.status, headers, body: Buffer.from(await response.arrayBuffer()) };
    },
    close: async () => undefined,
  };
}
