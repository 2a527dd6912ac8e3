import { Agent, ProxyAgent, type Dispatcher } from 'undici';
import type { Logger } from '../ports';
import { silentLogger } from '../ports';
import { ApiError, cancelledError, redirectTarget } from './errors';
import type { HttpRequest, HttpResponse, HttpTransport } from './httpTypes';
import { describeProxy, resolveProxy, type ProxySettings } from './proxy';
import { takeBodyBuffer } from './bodyBuffers';

/**
 * The one HTTP implementation of the extension, on undici (docs/reliability.md, "Tokens and secrets"
 * and "Responses and paging").
 *
 * - One dispatcher per API origin, keep-alive connections reused.
 * - Connect, headers and body-idle timeouts far below undici's 300 s defaults, plus an overall
 *   deadline: a body trickling one byte at a time defeats an idle timeout but not the deadline.
 * - Every body is read through a byte counter that aborts past the cap, and is consumed or
 *   destroyed on every path, so no connection is left held.
 * - No automatic redirects: a 3xx is an error, so the `Authorization` header never follows one.
 * - Refuses any URL outside its origin, the backstop behind the pagination link checks.
 * - TLS problems are hard `tls` errors; certificate checks are off only when the user set
 *   `http.proxyStrictSSL: false`.
 */

export interface UndiciTransportOptions {
  /** The API origin, e.g. `https://api.onetwentyone.ai`. */
  readonly origin: string;
  /** VS Code proxy settings, or `'env'` for the environment only. Absent: environment only. */
  readonly proxy?: ProxySettings | 'env';
  readonly connectTimeoutMs?: number;
  readonly headersTimeoutMs?: number;
  /** Longest pause between two body chunks. */
  readonly bodyTimeoutMs?: number;
  /** Overall limit for one request, from sending to the last body byte. */
  readonly deadlineMs?: number;
  readonly maxResponseBytes?: number;
  /** Parallel connections to the origin (pagination concurrency). */
  readonly connections?: number;
  readonly logger?: Logger;
  /** Extra trusted CA certificates (PEM), e.g. a corporate root or a test CA. */
  readonly ca?: string | readonly string[];
  /** Environment for proxy variables; defaults to `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** What another thread needs to make the same transport (`HttpTransport.elsewhere`): the options, without the logger. */
export type UndiciTransportSpec = Omit<UndiciTransportOptions, 'logger'>;

const DEFAULT_TRANSPORT_LIMITS = {
  connectTimeoutMs: 10_000,
  headersTimeoutMs: 30_000,
  bodyTimeoutMs: 30_000,
  deadlineMs: 60_000,
  maxResponseBytes: 50 * 1024 * 1024,
  connections: 8,
} as const;

const TLS_ERROR_CODES = new Set([
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_REVOKED',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'CERT_SIGNATURE_FAILURE',
  'ERR_SSL_WRONG_VERSION_NUMBER',
  'EPROTO',
  'ERR_TLS_HANDSHAKE_TIMEOUT',
  'HOSTNAME_MISMATCH',
]);

const TIMEOUT_ERROR_CODES = new Set([
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'ETIMEDOUT',
]);

function errorCode(err: unknown): string | undefined {
  let current: unknown = err;
  for (let depth = 0; depth < 4 && current; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && code !== 'UND_ERR_SOCKET' && code !== 'UND_ERR_ABORTED') return code;
    current = (current as { cause?: unknown }).cause;
  }
  const top = (err as { code?: unknown } | undefined)?.code;
  return typeof top === 'string' ? top : undefined;
}

/** A plain-words sentence about a TLS failure, without host names or certificate contents. */
function describeTlsCode(code: string): string {
  switch (code) {
    case 'CERT_HAS_EXPIRED':
      return 'the server certificate has expired.';
    case 'CERT_NOT_YET_VALID':
      return 'the server certificate is not valid yet.';
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
      return 'the server certificate is self-signed and not trusted (an intercepting proxy?).';
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
    case 'HOSTNAME_MISMATCH':
      return 'the server certificate does not match the host name.';
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'UNABLE_TO_GET_ISSUER_CERT':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
      return 'the server certificate is not signed by a trusted authority.';
    default:
      return `the TLS handshake failed (${code}).`;
  }
}

const PROXY_AUTH_MESSAGE =
  "The proxy asked for authentication (407): set the proxy's credentials in http.proxy (http://user:password@host:port) or HTTPS_PROXY.";

/** Maps an undici / socket failure to an `ApiError` with a stable code. */
function classifyTransportError(
  err: unknown,
  context: { route?: string; deadlineHit: boolean; cancelled: boolean },
): ApiError {
  if (err instanceof ApiError) return err;
  const route = context.route;
  if (context.cancelled) return cancelledError({ route, cause: err });
  if (context.deadlineHit)
    return new ApiError('timeout', 'The request exceeded its overall deadline.', { route, cause: err });
  const code = errorCode(err) ?? '';
  if (TLS_ERROR_CODES.has(code) || /^ERR_SSL_|^ERR_TLS_/.test(code)) {
    return new ApiError('tls', `Secure connection failed: ${describeTlsCode(code)}`, { route, cause: err });
  }
  if (TIMEOUT_ERROR_CODES.has(code)) {
    const phase =
      code === 'UND_ERR_CONNECT_TIMEOUT'
        ? 'connecting'
        : code === 'UND_ERR_HEADERS_TIMEOUT'
          ? 'waiting for the response headers'
          : code === 'UND_ERR_BODY_TIMEOUT'
            ? 'waiting for more of the body'
            : 'waiting';
    return new ApiError('timeout', `Timed out while ${phase}.`, { route, cause: err });
  }
  if (code === 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH' || code === 'UND_ERR_REQ_CONTENT_LENGTH_MISMATCH') {
    return new ApiError('network', 'The response ended before its declared length.', { route, cause: err });
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return new ApiError('network', 'The API host name could not be resolved.', { route, cause: err });
  if (code === 'ECONNREFUSED') return new ApiError('network', 'The connection was refused.', { route, cause: err });
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'UND_ERR_SOCKET' || code === 'UND_ERR_CLOSED') {
    return new ApiError('network', 'The connection was closed unexpectedly.', { route, cause: err });
  }
  if (code === 'ENETUNREACH' || code === 'EHOSTUNREACH' || code === 'ENETDOWN' || code === 'EHOSTDOWN') {
    return new ApiError('network', 'The network is unreachable.', { route, cause: err });
  }
  const message = (err as Error | undefined)?.message ?? '';
  // undici reports a refused tunnel only in its message: "Proxy response (407) !== 200 when HTTP Tunneling".
  const proxyStatus = /proxy response \((\d{3})\)/i.exec(message);
  if (proxyStatus?.[1] === '407') {
    return new ApiError('network', PROXY_AUTH_MESSAGE, { route, status: 407, cause: err });
  }
  if (code.startsWith('UND_ERR_PRX') || /proxy/i.test(message)) {
    const status = proxyStatus ? ` (HTTP ${proxyStatus[1]})` : '';
    return new ApiError('network', `The proxy refused or failed the connection${status}.`, { route, cause: err });
  }
  return new ApiError('network', 'The request failed before a response arrived.', { route, cause: err });
}

function headerRecord(raw: Record<string, string | string[] | undefined>): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = Object.create(null) as Record<string, string | undefined>;
  for (const [name, value] of Object.entries(raw)) {
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/** The body as one buffer: a single chunk (most small responses) is used as it is, not copied. */
function joinChunks(chunks: readonly Buffer[], totalBytes: number): Buffer {
  const [first] = chunks;
  return chunks.length === 1 && first !== undefined ? first : Buffer.concat(chunks, totalBytes);
}

function buildDispatcher(
  options: UndiciTransportOptions,
  limits: Required<
    Pick<UndiciTransportOptions, 'connectTimeoutMs' | 'headersTimeoutMs' | 'bodyTimeoutMs' | 'connections'>
  >,
  logger: Logger,
): Dispatcher {
  const decision = resolveProxy(options.origin, options.proxy, options.env ?? process.env);
  const ca = options.ca === undefined ? undefined : typeof options.ca === 'string' ? [options.ca] : [...options.ca];
  const tls = {
    rejectUnauthorized: decision.strictSSL,
    ...(ca ? { ca } : {}),
  };
  const common = {
    connections: limits.connections,
    headersTimeout: limits.headersTimeoutMs,
    bodyTimeout: limits.bodyTimeoutMs,
    keepAliveTimeout: 10_000,
  };
  if (!decision.strictSSL) logger.warn('http.proxyStrictSSL is off: server certificates are not verified.');
  logger.debug(`HTTP transport for ${options.origin}: ${describeProxy(decision)}`);
  if (decision.kind === 'direct') {
    return new Agent({ ...common, connect: { timeout: limits.connectTimeoutMs, ...tls } });
  }
  return new ProxyAgent({
    ...common,
    uri: decision.proxyUrl,
    connect: { timeout: limits.connectTimeoutMs },
    requestTls: { timeout: limits.connectTimeoutMs, ...tls },
    proxyTls: { timeout: limits.connectTimeoutMs, ...tls },
  });
}

/** Creates the transport for one API origin. Only that origin is ever contacted. */
export function createUndiciTransport(options: UndiciTransportOptions): HttpTransport {
  const origin = new URL(options.origin).origin;
  if (origin === 'null') throw new Error('The transport needs an http(s) origin.');
  const logger = options.logger ?? silentLogger;
  const limits = {
    connectTimeoutMs: options.connectTimeoutMs ?? DEFAULT_TRANSPORT_LIMITS.connectTimeoutMs,
    headersTimeoutMs: options.headersTimeoutMs ?? DEFAULT_TRANSPORT_LIMITS.headersTimeoutMs,
    bodyTimeoutMs: options.bodyTimeoutMs ?? DEFAULT_TRANSPORT_LIMITS.bodyTimeoutMs,
    connections: options.connections ?? DEFAULT_TRANSPORT_LIMITS.connections,
  };
  const deadlineMs = options.deadlineMs ?? DEFAULT_TRANSPORT_LIMITS.deadlineMs;
  const maxResponseBytes = options.maxResponseBytes ?? DEFAULT_TRANSPORT_LIMITS.maxResponseBytes;
  const dispatcher = buildDispatcher({ ...options, origin }, limits, logger);
  let closed = false;

  function send(request: HttpRequest): Promise<HttpResponse> {
    const route = request.url.pathname;
    if (closed) return Promise.reject(new ApiError('cancelled', 'The HTTP transport was closed.', { route }));
    if (request.url.origin !== origin || request.url.username || request.url.password) {
      // The backstop: whatever built this URL, the token does not leave the origin.
      return Promise.reject(new ApiError('untrusted_link', 'Refused to send a request outside the API origin.'));
    }
    if (request.signal?.aborted) return Promise.reject(cancelledError({ route }));

    // undici's raw handler API: no stream objects per response, so decoding a page costs what
    // the bytes cost (docs/performance.md, B2). Every exit path below settles once and aborts the exchange if unfinished.
    return new Promise<HttpResponse>((resolve, reject) => {
      let controller: Dispatcher.DispatchController | undefined;
      let pendingAbort: Error | undefined;
      let settled = false;
      let deadlineHit = false;
      let cancelled = false;
      let status = 0;
      let headers: Record<string, string | undefined> = {};
      const chunks: Buffer[] = [];
      let received = 0;
      /**
       * The body's own buffer when its length was declared (see bodyBuffers.ts): each chunk is copied
       * in as it comes, so the end of a 1 MB page is not one more allocation and copy of it all in
       * one task, and the page worker can be handed the buffer as it is (docs/performance.md, B4).
       */
      let declaredBody: Buffer | undefined;

      const cleanup = (): void => {
        clearTimeout(timer);
        request.signal?.removeEventListener('abort', onCallerAbort);
      };
      const fail = (err: unknown): void => {
        if (settled) return;
        settled = true;
        cleanup();
        chunks.length = 0;
        declaredBody = undefined;
        reject(classifyTransportError(err, { route, deadlineHit, cancelled }));
      };
      /** Stops the exchange (the connection is closed, not reused) and rejects with `err`. */
      const abortWith = (err: Error): void => {
        if (controller && !controller.aborted) controller.abort(err);
        else if (!controller) pendingAbort = err;
        fail(err);
      };
      const onCallerAbort = (): void => {
        cancelled = true;
        abortWith(cancelledError({ route }));
      };
      request.signal?.addEventListener('abort', onCallerAbort, { once: true });
      const timer = setTimeout(() => {
        deadlineHit = true;
        abortWith(new ApiError('timeout', 'The request exceeded its overall deadline.', { route }));
      }, deadlineMs);

      const handler: Dispatcher.DispatchHandler = {
        onRequestStart(ctrl) {
          controller = ctrl;
          if (pendingAbort) ctrl.abort(pendingAbort);
        },
        onResponseStart(_ctrl, statusCode, rawHeaders) {
          if (statusCode < 200) return;
          status = statusCode;
          headers = headerRecord(rawHeaders);
          if (status >= 300 && status < 400) {
            // Never follow: the Location target is only named in the message, never requested, so
            // the token cannot move with it.
            const location = redirectTarget(headers.location, request.url);
            abortWith(
              new ApiError(
                'redirect',
                `The API answered HTTP ${status} (redirect${location ? ` to ${location}` : ''}); redirects are not followed.`,
                { status, route, ...(location !== undefined ? { location } : {}) },
              ),
            );
            return;
          }
          if (status === 407) {
            // Only a proxy sends 407 (a proxy forwarding plain HTTP rather than tunnelling).
            abortWith(new ApiError('network', PROXY_AUTH_MESSAGE, { status, route }));
            return;
          }
          const declared = Number(headers['content-length']);
          if (Number.isInteger(declared) && declared > 0 && declared <= maxResponseBytes)
            declaredBody = takeBodyBuffer(declared);
          if (Number.isFinite(declared) && declared > maxResponseBytes) {
            abortWith(
              new ApiError(
                'too_large',
                `The response declares ${declared} bytes, over the ${maxResponseBytes}-byte limit.`,
                { status, route },
              ),
            );
          }
        },
        onResponseData(_ctrl, chunk) {
          if (settled) return;
          received += chunk.length;
          if (received > maxResponseBytes) {
            abortWith(
              new ApiError('too_large', `The response exceeded the ${maxResponseBytes}-byte limit.`, { status, route }),
            );
            return;
          }
          if (declaredBody && received <= declaredBody.length) {
            chunk.copy(declaredBody, received - chunk.length);
            return;
          }
          if (declaredBody) {
            // More than declared: the bytes so far become the first chunk.
            chunks.push(declaredBody.subarray(0, received - chunk.length));
            declaredBody = undefined;
          }
          chunks.push(chunk);
        },
        onResponseEnd() {
          if (settled) return;
          settled = true;
          cleanup();
          const body = declaredBody ? declaredBody.subarray(0, received) : joinChunks(chunks, received);
          resolve({ status, headers, body });
        },
        onResponseError(_ctrl, error) {
          fail(error);
        },
      };

      try {
        dispatcher.dispatch(
          {
            origin,
            path: `${request.url.pathname}${request.url.search}`,
            method: request.method,
            headers: request.headers ? { ...request.headers } : {},
            body: request.body ?? null,
            headersTimeout: limits.headersTimeoutMs,
            bodyTimeout: limits.bodyTimeoutMs,
          },
          handler,
        );
      } catch (err) {
        fail(err);
      }
    });
  }

  const { logger: _logger, ...spec } = options;
  const transport: HttpTransport = {
    origin,
    send,
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      await dispatcher.close().catch(() => dispatcher.destroy());
    },
    elsewhere: (runner) => runner.transportFor(spec, transport),
  };
  return transport;
}
