import * as assert from 'assert';
import * as http from 'http';
import { startSandbox } from '../../../src/sandbox/main';
import type { SandboxHandle } from '../../../src/sandbox/types';
import { ada, call, consent, postJson } from './sandboxClient';

interface RawReply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  error?: string | undefined;
  chunks: number;
}

/** Raw node:http GET that records bytes and socket errors instead of throwing. */
function rawGet(h: SandboxHandle, path: string, token: string, stopAfterBytes?: number): Promise<RawReply> {
  return new Promise((resolve) => {
    let responded = false;
    const req = http.get(
      `${h.baseUrl}${path}`,
      { headers: { Authorization: `Bearer ${token}` }, agent: false },
      (res) => {
        responded = true;
        const chunks: Buffer[] = [];
        let size = 0;
        const reply = (error?: string): void =>
          resolve({
            status: res.statusCode!,
            headers: res.headers,
            body: Buffer.concat(chunks),
            error,
            chunks: chunks.length,
          });
        res.on('data', (c: Buffer) => {
          chunks.push(c);
          size += c.length;
          if (stopAfterBytes !== undefined && size >= stopAfterBytes) {
            req.destroy();
            reply('stopped');
          }
        });
        res.on('end', () => reply());
        res.on('error', (e) => reply(e.message));
        res.on('aborted', () => reply('aborted'));
      },
    );
    req.on(
      'error',
      (e) =>
        !responded &&
        resolve({
          status: 0,
          headers: {},
          body: Buffer.alloc(0),
          error: (e as NodeJS.ErrnoException).code ?? e.message,
          chunks: 0,
        }),
    );
  });
}

suite('sandbox: fault injection', () => {
  let h: SandboxHandle;
  let path: string;
  suiteSetup(async () => {
    h = await startSandbox();
    path = `/api/v1/quantity/${ada(h).userId}/stepCount?pageSize=50`;
  });
  teardown(() => h.setFaults(undefined));
  suiteTeardown(() => h.close());
  const get = (p = path) => rawGet(h, p, ada(h).pat);

  test('off unless asked: a normal response', async () => {
    const r = await get();
    assert.strictEqual(r.status, 200);
    JSON.parse(r.body.toString());
  });

  test('latency delays the response', async () => {
    h.setFaults({ latencyMs: 300 });
    const t0 = Date.now();
    assert.strictEqual((await get()).status, 200);
    assert.ok(Date.now() - t0 >= 290);
  });

  test('reset mid-body: some bytes, then the connection dies before Content-Length is reached', async () => {
    h.setFaults({ resetAfterBytes: 100 });
    const r = await get();
    assert.strictEqual(r.status, 200);
    assert.ok(Number(r.headers['content-length']) > 100);
    assert.ok(r.body.length <= 100);
    assert.ok(r.error, 'the client sees an error');
  });

  test('truncated JSON: framing is consistent, JSON is not', async () => {
    h.setFaults({ truncatedJson: true });
    const r = await get();
    assert.strictEqual(r.error, undefined);
    assert.strictEqual(Number(r.headers['content-length']), r.body.length);
    assert.throws(() => JSON.parse(r.body.toString()));
  });

  test('malformed JSON', async () => {
    h.setFaults({ malformedJson: true });
    const r = await get();
    assert.ok(r.body.toString().includes('NaN'));
    assert.throws(() => JSON.parse(r.body.toString()));
  });

  test('wrong content type: HTML captive portal, or JSON labelled text/plain', async () => {
    h.setFaults({ wrongContentType: 'html' });
    const html = await get();
    assert.strictEqual(html.headers['content-type'], 'text/html; charset=utf-8');
    assert.ok(html.body.toString().startsWith('<!DOCTYPE html>'));
    h.setFaults({ wrongContentType: 'text' });
    const text = await get();
    assert.strictEqual(text.headers['content-type'], 'text/plain; charset=utf-8');
    JSON.parse(text.body.toString());
  });

  test('5xx burst: N errors, then OK', async () => {
    h.setFaults({ serverErrors: { count: 2, status: 502 } });
    assert.deepStrictEqual([(await get()).status, (await get()).status, (await get()).status], [502, 502, 200]);
  });

  test('slow trickle: the body arrives in many small chunks over time', async () => {
    h.setFaults({ trickle: { chunkBytes: 200, intervalMs: 20 } });
    const t0 = Date.now();
    const r = await get(`/api/v1/quantity/${ada(h).userId}/stepCount?pageSize=10`);
    assert.ok(r.chunks >= 4, `chunks: ${r.chunks}`);
    assert.ok(Date.now() - t0 >= 60);
    JSON.parse(r.body.toString());
  });

  test('huge body: streamed (no Content-Length), valid JSON, at least the asked size', async () => {
    h.setFaults({ hugeBodyBytes: 5_000_000 });
    const r = await get();
    assert.strictEqual(r.headers['content-length'], undefined);
    assert.ok(r.body.length >= 5_000_000);
    assert.ok(JSON.parse(r.body.toString()).data.length > 40_000);
  });

  test('huge body: the server stops generating when the client goes away', async () => {
    h.setFaults({ hugeBodyBytes: 10_000_000_000 });
    const r = await rawGet(h, path, ada(h).pat, 1_000_000);
    assert.strictEqual(r.error, 'stopped');
    h.setFaults(undefined);
    assert.strictEqual((await get()).status, 200, 'the server is still healthy');
  });

  test('next_page faults: foreign host, loop to page 1, self, has_more without a link', async () => {
    const page2 = `${path}&page=2`;
    const next = async (): Promise<{ has_more: boolean; next_page: string | null }> => {
      const { has_more, next_page } = JSON.parse((await get(page2)).body.toString()).pagination;
      return { has_more, next_page };
    };
    h.setFaults({ nextPage: 'foreign', foreignOrigin: 'http://127.0.0.1:1' });
    assert.match((await next()).next_page!, /^http:\/\/127\.0\.0\.1:1\/api\/v1\/quantity\/.*page=3/);
    h.setFaults({ nextPage: 'loop' });
    assert.match((await next()).next_page!, /[?&]page=1&/);
    h.setFaults({ nextPage: 'self' });
    assert.match((await next()).next_page!, /[?&]page=2&/);
    h.setFaults({ nextPage: 'missing' });
    assert.deepStrictEqual(await next(), { has_more: true, next_page: null });
  });

  test('429 with a given Retry-After, N times, raw value kept', async () => {
    h.setFaults({ rateLimited: { retryAfter: 'Wed, 21 Oct 2015 07:28:00 GMT', count: 1 } });
    const r = await get();
    assert.strictEqual(r.status, 429);
    assert.strictEqual(r.headers['retry-after'], 'Wed, 21 Oct 2015 07:28:00 GMT');
    assert.strictEqual((await get()).status, 200);
  });

  test('faults target data routes by default; target "token" hits token routes after processing (lost response)', async () => {
    h.setFaults({ serverErrors: { count: 5 } });
    const { location } = await consent(h);
    const code = location!.searchParams.get('code')!;
    const body = {
      code,
      client_id: h.demoClient.clientId,
      client_secret: h.demoClient.clientSecret,
      redirect_uri: 'http://127.0.0.1:53123/callback',
    };
    h.setFaults({ target: 'token', resetAfterBytes: 5 });
    await assert.rejects(postJson(h, '/api/token', body));
    h.setFaults(undefined);
    const again = await postJson(h, '/api/token', body);
    assert.strictEqual(again.json().error, 'invalid_grant', 'the lost exchange did consume the code');
  });

  test('every injected 5xx and 429 is in the request log', async () => {
    h.setFaults({ serverErrors: { count: 1, status: 500 } });
    await get();
    assert.strictEqual(h.requestLog.at(-1)!.status, 500);
    await call(h, '/nowhere');
    assert.strictEqual(h.requestLog.at(-1)!.status, 404);
  });
});
