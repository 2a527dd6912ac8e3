import * as assert from 'assert';
import * as https from 'https';
import type { AddressInfo } from 'net';
import type { HttpTransport } from '../../../src/core/api/httpTypes';
import { isBodyBuffer } from '../../../src/core/api/bodyBuffers';
import { createUndiciTransport, type UndiciTransportOptions } from '../../../src/core/api/transport';
import {
  endlessChunked,
  htmlPage,
  json,
  redirectTo,
  resetAfter,
  sendJson,
  shortContentLength,
  stallHeaders,
  trickleBody,
} from '../../support/servers/faults';
import { makeSelfSignedCertificate } from '../../support/servers/selfSignedCert';
import { startTestServer, type TestServer } from '../../support/servers/testServer';
import { findTinyproxy, startTinyproxy, type TinyproxyHandle } from '../../support/servers/tinyproxy';
import { localTransport } from '../support/localApi';
import { expectApiError } from './helpers';

suite('undici transport', () => {
  let server: TestServer;
  let foreign: TestServer;
  let transport: HttpTransport;
  const make = (extra: Partial<UndiciTransportOptions> = {}): HttpTransport => {
    transport = localTransport(server.origin, {
      connectTimeoutMs: 1000,
      headersTimeoutMs: 2000,
      bodyTimeoutMs: 2000,
      deadlineMs: 5000,
      maxResponseBytes: 1024 * 1024,
      ...extra,
    });
    return transport;
  };
  const get = (path: string, signal?: AbortSignal) =>
    transport.send({
      method: 'GET',
      url: new URL(path, server.origin),
      headers: { authorization: 'Bearer canary-token-123456' },
      ...(signal ? { signal } : {}),
    });

  setup(async () => {
    server = await startTestServer();
    foreign = await startTestServer(json(200, { stolen: true }));
  });
  teardown(async () => {
    await transport?.close();
    await server.close();
    await foreign.close();
  });

  test('reads a JSON response with lower-cased headers and reuses the connection', async () => {
    const ports: number[] = [];
    server.handle((req, res) => {
      ports.push(req.socket.remotePort ?? -1);
      sendJson(res, 200, { ok: true }, { 'X-RateLimit-Remaining': 5 });
    });
    make();
    const first = await get('/api/v1/profile/x');
    // undici marks the connection idle a tick after the body ends; a new request in that tick opens another.
    await new Promise((resolve) => setTimeout(resolve, 20));
    const second = await get('/api/v1/profile/x');
    assert.strictEqual(first.status, 200);
    assert.strictEqual(first.headers['x-ratelimit-remaining'], '5');
    assert.deepStrictEqual(JSON.parse(first.body.toString('utf8')), { ok: true });
    assert.strictEqual(second.status, 200);
    assert.strictEqual(ports[0], ports[1], 'the second request used the same keep-alive socket');
  });

  test("a POST (the auth layer's token requests) carries its body and is sent exactly once, even on a 503", async () => {
    const bodies: string[] = [];
    server.handle((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => {
        body += c.toString('utf8');
      });
      req.on('end', () => {
        bodies.push(`${req.headers['content-type']} ${req.headers['content-length']} ${body}`);
        sendJson(res, 503, { error: 'temporarily_unavailable' });
      });
    });
    make();
    const res = await transport.send({
      method: 'POST',
      url: new URL('/api/token', server.origin),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'code=abc&client_id=x',
    });
    assert.strictEqual(res.status, 503);
    assert.deepStrictEqual(bodies, ['application/x-www-form-urlencoded 20 code=abc&client_id=x']);
  });

  test('refuses any URL outside its origin and contacts nothing, whatever built the URL', async () => {
    make();
    for (const url of [
      `${foreign.origin}/api/v1/profile/x`,
      `https://127.0.0.1:${server.port}/x`,
      `http://user:pw@127.0.0.1:${server.port}/x`,
    ]) {
      await expectApiError(
        transport.send({ method: 'GET', url: new URL(url), headers: { authorization: 'Bearer canary-token-123456' } }),
        'untrusted_link',
      );
    }
    assert.strictEqual(foreign.requests.length, 0);
    assert.strictEqual(server.requests.length, 0);
  });

  test('a refused connection is a network error', async () => {
    const closed = await startTestServer();
    await closed.close();
    transport = createUndiciTransport({
      origin: closed.origin,
      proxy: { proxyUrl: '' },
      env: {},
      connectTimeoutMs: 1000,
    });
    const err = await expectApiError(transport.send({ method: 'GET', url: new URL('/x', closed.origin) }), 'network');
    assert.match(err.message, /refused/);
  });

  test('an unresolvable host is a network error', async () => {
    transport = createUndiciTransport({
      origin: 'http://no-such-host.invalid',
      proxy: { proxyUrl: '' },
      env: {},
      connectTimeoutMs: 2000,
    });
    await expectApiError(transport.send({ method: 'GET', url: new URL('http://no-such-host.invalid/x') }), 'network');
  });

  test('a server that never sends headers hits the headers timeout', async () => {
    server.handle(stallHeaders());
    make({ headersTimeoutMs: 200 });
    const err = await expectApiError(get('/stall'), 'timeout');
    assert.match(err.message, /headers/);
  });

  test('a trickling body is stopped by the overall deadline', async () => {
    server.handle(trickleBody(20));
    make({ bodyTimeoutMs: 10_000, deadlineMs: 400 });
    const err = await expectApiError(get('/trickle'), 'timeout');
    assert.match(err.message, /deadline/);
  });

  test('a reset after some bytes is a network error, never a partial body', async () => {
    server.handle(resetAfter(5000));
    make();
    await expectApiError(get('/reset'), 'network');
  });

  test('a body shorter than its Content-Length is a network error', async () => {
    server.handle(shortContentLength(10_000, 5000));
    make();
    const err = await expectApiError(get('/short'), 'network');
    assert.match(err.message, /ended|closed/);
  });

  test('an endless chunked body is cut at the size cap', async () => {
    server.handle(endlessChunked());
    make({ maxResponseBytes: 256 * 1024 });
    await expectApiError(get('/endless'), 'too_large');
  });

  test('a body of declared length sent in many pieces arrives whole, in a body buffer (handed to the page worker without a copy)', async () => {
    const bytes = Buffer.from(JSON.stringify({ data: Array.from({ length: 20_000 }, (_, i) => ({ i })) }));
    server.handle((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': bytes.length });
      let at = 0;
      const pump = (): void => {
        // Uneven pieces, so the copies land at offsets that are not multiples of a chunk size.
        const end = Math.min(bytes.length, at + 7_919);
        res.write(bytes.subarray(at, end));
        at = end;
        if (at < bytes.length) setImmediate(pump);
        else res.end();
      };
      pump();
    });
    make();
    const res = await get('/pieces');
    assert.ok(res.body.equals(bytes), 'the body equals what was sent, byte for byte');
    assert.strictEqual(res.body.byteOffset, 0);
    assert.ok(isBodyBuffer(res.body.buffer), 'a buffer of this body alone, which the page worker may take whole');
  });

  test('a chunked body without a declared length arrives whole too', async () => {
    const bytes = Buffer.from(JSON.stringify({ data: Array.from({ length: 5_000 }, (_, i) => ({ i })) }));
    server.handle((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write(bytes.subarray(0, 1000));
      setImmediate(() => res.end(bytes.subarray(1000)));
    });
    make();
    assert.ok((await get('/chunked')).body.equals(bytes));
  });

  test('a declared Content-Length over the cap is refused before reading', async () => {
    server.handle((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': 10 * 1024 * 1024 });
      res.write('{');
    });
    make({ maxResponseBytes: 1024 });
    const err = await expectApiError(get('/huge'), 'too_large');
    assert.match(err.message, /declares/);
  });

  test('an HTML page is returned as is for the JSON layer to refuse (transport does not judge content)', async () => {
    server.handle(htmlPage());
    make();
    const res = await get('/portal');
    assert.strictEqual(res.headers['content-type'], 'text/html; charset=utf-8');
  });

  test('a redirect to another host is an error and the other host is never contacted', async () => {
    server.handle(redirectTo(`${foreign.origin}/steal`));
    make();
    for (const status of [301, 302, 307, 308]) {
      server.handle(redirectTo(`${foreign.origin}/steal`, status));
      const err = await expectApiError(get('/moved'), 'redirect');
      assert.strictEqual(err.status, status);
    }
    assert.strictEqual(foreign.requests.length, 0);
  });

  test("the caller's AbortSignal cancels a request in flight", async () => {
    server.handle(stallHeaders());
    make({ headersTimeoutMs: 10_000 });
    const controller = new AbortController();
    const pending = get('/slow', controller.signal);
    setTimeout(() => controller.abort(), 50);
    await expectApiError(pending, 'cancelled');
    await expectApiError(get('/slow', AbortSignal.abort()), 'cancelled');
  });

  test('errors never carry the token', async () => {
    server.handle(resetAfter(100));
    make();
    const err = await expectApiError(get('/reset'), 'network');
    assert.ok(
      !JSON.stringify({ m: err.message, s: err.stack, c: String((err as Error & { cause?: unknown }).cause) }).includes(
        'canary-token',
      ),
    );
  });

  test('a self-signed certificate is a hard TLS failure; the same server works once its CA is trusted', async function () {
    const certificate = makeSelfSignedCertificate();
    if (!certificate) this.skip();
    const tlsServer = https.createServer({ key: certificate.key, cert: certificate.cert }, (_req, res) =>
      sendJson(res, 200, { ok: true }),
    );
    await new Promise<void>((resolve) => tlsServer.listen(0, '127.0.0.1', resolve));
    const origin = `https://127.0.0.1:${(tlsServer.address() as AddressInfo).port}`;
    try {
      const untrusted = localTransport(origin, { connectTimeoutMs: 2000 });
      const err = await expectApiError(untrusted.send({ method: 'GET', url: new URL('/x', origin) }), 'tls');
      assert.match(err.message, /self-signed/);
      await untrusted.close();
      transport = localTransport(origin, { ca: certificate.cert });
      assert.strictEqual((await transport.send({ method: 'GET', url: new URL('/x', origin) })).status, 200);
    } finally {
      tlsServer.closeAllConnections();
      await new Promise((resolve) => tlsServer.close(resolve));
    }
  });
});

suite('undici transport through a real proxy (tinyproxy on loopback)', () => {
  const binary = findTinyproxy();
  let server: TestServer;
  let transport: HttpTransport | undefined;
  let proxy: TinyproxyHandle | undefined;

  /** A tinyproxy for this test that allows CONNECT to `ports` only; stopped in teardown. */
  async function proxyAllowing(ports: readonly number[]): Promise<TinyproxyHandle> {
    if (!binary) throw new Error('tinyproxy is not installed');
    proxy = await startTinyproxy(binary, ports);
    return proxy;
  }
  /** The transport of this test, to the test server, with these proxy settings and environment. */
  const connect = (
    settings: NonNullable<UndiciTransportOptions['proxy']>,
    env: Record<string, string>,
  ): HttpTransport => (transport = createUndiciTransport({ origin: server.origin, proxy: settings, env }));

  setup(async function () {
    if (!binary) {
      console.log('    tinyproxy is not installed (/usr/sbin/tinyproxy, /usr/bin/tinyproxy): proxy tests skipped');
      this.skip();
    }
    server = await startTestServer(json(200, { ok: true }));
  });
  teardown(async () => {
    await transport?.close();
    transport = undefined;
    await proxy?.close();
    proxy = undefined;
    await server?.close();
  });

  test('http.proxy from settings: the request tunnels through the proxy (its log shows the CONNECT)', async () => {
    const proxy = await proxyAllowing([server.port]);
    const viaProxy = connect({ proxyUrl: proxy.url, noProxy: [], proxyLoopback: true }, {});
    const res = await viaProxy.send({ method: 'GET', url: new URL('/api/v1/profile/x', server.origin) });
    assert.strictEqual(res.status, 200);
    assert.match(proxy.readLog(), new RegExp(`CONNECT 127\\.0\\.0\\.1:${server.port}`));
  });

  test('by default a loopback origin (the local sandbox) never goes through the proxy', async () => {
    const proxy = await proxyAllowing([server.port]);
    const loopback = connect({ proxyUrl: proxy.url }, { HTTP_PROXY: proxy.url });
    assert.strictEqual((await loopback.send({ method: 'GET', url: new URL('/direct', server.origin) })).status, 200);
    assert.doesNotMatch(proxy.readLog(), /CONNECT 127\.0\.0\.1/);
  });

  test('HTTP_PROXY from the environment is honoured; NO_PROXY bypasses it', async () => {
    const proxy = await proxyAllowing([server.port]);
    // No http.proxy setting: the environment is used (loopback proxying on, as the proxy is local too).
    const viaEnvironment = connect({ proxyLoopback: true }, { HTTP_PROXY: proxy.url });
    assert.strictEqual(
      (await viaEnvironment.send({ method: 'GET', url: new URL('/via-env', server.origin) })).status,
      200,
    );
    const connects = (proxy.readLog().match(/CONNECT 127\.0\.0\.1/g) ?? []).length;
    assert.ok(connects >= 1, 'the proxy saw the tunnel');
    await viaEnvironment.close();
    const bypassing = connect(
      { proxyLoopback: true },
      { HTTP_PROXY: proxy.url, NO_PROXY: `localhost,127.0.0.1:${server.port}` },
    );
    assert.strictEqual((await bypassing.send({ method: 'GET', url: new URL('/direct', server.origin) })).status, 200);
    assert.strictEqual(
      (proxy.readLog().match(/CONNECT 127\.0\.0\.1/g) ?? []).length,
      connects,
      'no new tunnel: NO_PROXY went direct',
    );
  });

  test('a proxy that refuses the CONNECT port is a clear network error, not a silent direct connection', async () => {
    const proxy = await proxyAllowing([443]);
    const refused = connect({ proxyUrl: proxy.url, proxyLoopback: true }, {});
    await expectApiError(refused.send({ method: 'GET', url: new URL('/blocked', server.origin) }), 'network');
    assert.strictEqual(server.requests.length, 0, 'the API server was not reached directly');
  });
});
