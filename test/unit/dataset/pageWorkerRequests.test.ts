import * as assert from 'assert';
import * as fs from 'fs';
import type * as http from 'http';
import * as os from 'os';
import * as path from 'path';
import { ApiError } from '../../../src/core/api/errors';
import { scanListHead } from '../../../src/core/api/envelopeScan';
import type { HttpRequest, HttpTransport } from '../../../src/core/api/httpTypes';
import { RecordChunks } from '../../../src/core/api/recordChunks';
import { ResultStore } from '../../../src/core/dataset/resultStore';
import { openPageWorker, type PageWorker } from '../../../src/core/worker/pageWorker';
import { startTestServer, type TestServer } from '../../support/servers/testServer';
import { localTransport, patClient } from '../support/localApi';
import { buildPageWorker } from '../support/pageWorkerBundle';

/**
 * Fetch All's requests sent from the page worker (docs/performance.md, B4): the worker has a copy of
 * the origin's undici transport; a 200's list body stays in the worker and only its head comes to the
 * main thread; every other answer, and every error, arrives as the main thread's own transport gives
 * it. The worker is built from the sources for this suite; the API is a server on 127.0.0.1.
 */

const USER = '5e1f0c4a-2b7d-4c8e-9a31-6f5d2e8b7a10';
const PATH = `/api/v1/quantity/${USER}/heartRate`;
const TOKEN = 'page-worker-test-token-0123456789';

function heartRate(n: number): Record<string, unknown> {
  const at = new Date(Date.UTC(2024, 0, 1) + n * 60_000).toISOString().slice(0, 19) + 'Z';
  return { value: 60 + (n % 40), unit: 'count/min', start_date: at, end_date: at, source: 'Apple Watch' };
}

/** A list page of `count` records (about 100 bytes each: 1,000 make a body the worker keeps). */
function listPage(count: number): string {
  const data = Array.from({ length: count }, (_, i) => JSON.stringify(heartRate(i))).join(',');
  return `{"pagination":{"current_page":1,"has_more":true,"next_page":null,"prev_page":null},"data":[${data}]}`;
}

function send(res: http.ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers });
  res.end(body);
}

function request(origin: string): HttpRequest {
  return {
    method: 'GET',
    url: new URL(`${origin}${PATH}?page=1`),
    headers: { authorization: `Bearer ${TOKEN}`, accept: 'application/json' },
  };
}

/** Every record a store holds, as JSON. */
function rows(store: ResultStore): string[] {
  const out: string[] = [];
  store.forEachJson(0, store.count, (_row, json) => out.push(json));
  return out;
}

/** The error a promise rejects with, reduced to what callers read. */
async function failure(promise: Promise<unknown>): Promise<Record<string, unknown>> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof ApiError, `an ApiError, not ${String(err)}`);
    return {
      code: err.code,
      message: err.message,
      status: err.status,
      route: err.route,
      location: err.location,
      cause: (err.cause as { code?: unknown } | undefined)?.code,
    };
  }
  return assert.fail('the request succeeded');
}

suite('dataset: requests sent from the page worker', function () {
  this.timeout(60_000);
  let tmp: string;
  let script: string;
  let server: TestServer;
  let transport: HttpTransport;
  let worker: PageWorker;

  /** The worker once it is ready (a page handed to it answers only then). */
  async function readyWorker(): Promise<PageWorker> {
    const store = new ResultStore();
    const body = Buffer.from(listPage(1));
    assert.strictEqual(await worker.append(store, recordsOf(body), body.length), true, 'the worker started');
    store.dispose();
    return worker;
  }

  function recordsOf(body: Buffer): RecordChunks {
    return new RecordChunks(body, scanListHead(body)!, 'quantity', '/q');
  }

  suiteSetup(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'page-worker-requests-'));
    script = await buildPageWorker(tmp);
  });
  suiteTeardown(() => fs.rmSync(tmp, { recursive: true, force: true }));
  setup(async () => {
    server = await startTestServer();
    transport = localTransport(server.origin);
    worker = openPageWorker({ script });
  });
  teardown(async () => {
    await worker.close();
    await transport.close();
    await server.close();
  });

  test("a list page's body stays in the worker: its start and head come here, and take() brings its exact bytes", async () => {
    const page = listPage(1_000);
    server.handle((_req, res) => send(res, 200, page));
    const there = transport.elsewhere!(await readyWorker())!;
    const response = await there.send(request(server.origin));
    assert.strictEqual(response.status, 200);
    assert.ok(response.kept, 'the worker kept the body');
    assert.strictEqual(response.body.length, 0, 'no byte of it came here');
    const bytes = Buffer.from(page);
    assert.strictEqual(response.kept.byteLength, bytes.length);
    assert.deepStrictEqual(response.kept.start, bytes.subarray(0, 1024));
    assert.deepStrictEqual(response.kept.head, scanListHead(bytes));
    assert.deepStrictEqual(await response.kept.take(), bytes);
    assert.strictEqual(worker.stats().requests, 1);
    assert.strictEqual(server.requests[0]?.authorization, `Bearer ${TOKEN}`);
  });

  test('a page requested through the worker is read there into the same store as a page read here', async () => {
    server.handle((_req, res) => send(res, 200, listPage(3_000)));
    const client = patClient(transport, TOKEN);
    const params = { userId: USER, metric: 'heartRate', query: { page: 1 } };
    const viaWorker = await client.getPage('quantity', params, {
      sendFrom: await readyWorker(),
      recordsInChunks: true,
    });
    const here = await client.getPage('quantity', params, { recordsInChunks: true });
    assert.ok(viaWorker.records && here.records);
    assert.strictEqual(viaWorker.bytes, here.bytes);
    assert.deepStrictEqual(viaWorker.pagination, here.pagination);
    const offThread = new ResultStore();
    const inThread = new ResultStore();
    assert.strictEqual(await worker.append(offThread, viaWorker.records, viaWorker.bytes), true);
    while (!here.records.done) inThread.append(here.records.take());
    assert.strictEqual(offThread.count, 3_000);
    assert.deepStrictEqual(rows(offThread), rows(inThread));
    assert.strictEqual(worker.stats().requests, 1);
    offThread.dispose();
    inThread.dispose();
  });

  test('a page asked for whole through the worker is brought here and parsed as usual', async () => {
    server.handle((_req, res) => send(res, 200, listPage(1_000)));
    const client = patClient(transport, TOKEN);
    const params = { userId: USER, metric: 'heartRate', query: { page: 1 } };
    const viaWorker = await client.getPage('quantity', params, { sendFrom: await readyWorker() });
    const here = await client.getPage('quantity', params);
    assert.strictEqual(viaWorker.records, undefined);
    assert.deepStrictEqual(viaWorker.data, here.data);
    assert.strictEqual(viaWorker.bytes, here.bytes);
    assert.strictEqual(worker.stats().requests, 1);
  });

  test('an error status, a redirect and a refused connection fail as they fail here, with the same code, message and cause', async () => {
    const client = patClient(transport, TOKEN);
    const params = { userId: USER, metric: 'heartRate', query: { page: 1 } };
    const ready = await readyWorker();
    server.handle((_req, res) => send(res, 403, '{"error":"forbidden","error_description":"no scope"}'));
    assert.deepStrictEqual(
      await failure(client.getPage('quantity', params, { sendFrom: ready })),
      await failure(client.getPage('quantity', params)),
    );
    server.handle((_req, res) => send(res, 302, '{}', { location: 'https://elsewhere.example/login?code=x' }));
    const redirect = await failure(transport.elsewhere!(ready)!.send(request(server.origin)));
    assert.deepStrictEqual(redirect, await failure(transport.send(request(server.origin))));
    assert.strictEqual(redirect.location, 'https://elsewhere.example/login');
    const closed = await startTestServer();
    await closed.close();
    const refusedTransport = localTransport(closed.origin);
    try {
      const refused = await failure(refusedTransport.elsewhere!(ready)!.send(request(closed.origin)));
      assert.deepStrictEqual(refused, await failure(refusedTransport.send(request(closed.origin))));
      assert.strictEqual(refused.cause, 'ECONNREFUSED');
    } finally {
      await refusedTransport.close();
    }
    assert.strictEqual(worker.stats().requests, 3, 'each sent from the worker');
  });

  test('a request outside the origin is refused by the worker as it is here, and nothing is sent', async () => {
    const there = transport.elsewhere!(await readyWorker())!;
    const foreign = { ...request(server.origin), url: new URL(`http://127.0.0.2:${server.port}${PATH}`) };
    assert.deepStrictEqual(await failure(there.send(foreign)), await failure(transport.send(foreign)));
    assert.strictEqual(server.requests.length, 0);
  });

  test('a request cancelled while the worker waits for the answer fails at once as cancelled; the worker goes on', async () => {
    let answer: (() => void) | undefined;
    server.handle((_req, res) => {
      answer = () => send(res, 200, listPage(1_000));
    });
    const there = transport.elsewhere!(await readyWorker())!;
    const controller = new AbortController();
    const pending = there.send({ ...request(server.origin), signal: controller.signal });
    while (!answer) await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort();
    assert.strictEqual((await failure(pending)).code, 'cancelled');
    answer();
    server.handle((_req, res) => send(res, 200, listPage(1_000)));
    const next = await there.send(request(server.origin));
    assert.ok(next.kept);
    assert.strictEqual((await next.kept.take()).length, Buffer.byteLength(listPage(1_000)));
  });

  test('until the worker is ready, requests go from this thread', async () => {
    server.handle((_req, res) => send(res, 200, listPage(1_000)));
    const response = await transport.elsewhere!(worker)!.send(request(server.origin));
    assert.strictEqual(response.kept, undefined);
    assert.strictEqual(response.body.length, Buffer.byteLength(listPage(1_000)));
    assert.strictEqual(worker.stats().requests, 0);
  });
});
