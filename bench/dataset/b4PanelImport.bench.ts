import { spawn } from 'child_process';
import * as path from 'path';
import { monitorEventLoopDelay, performance } from 'perf_hooks';
import { createApiClient } from '../../src/core/api/apiClient';
import { paginate } from '../../src/core/api/pagination';
import { createUndiciTransport } from '../../src/core/api/transport';
import { checkEnvelope } from '../../src/core/api/validation';
import { fetchAll } from '../../src/core/dataset/fetchAll';
import { ResultStore } from '../../src/core/dataset/resultStore';
import { BENCH_USER, FIVE_YEAR_PAGES, pageText } from '../support/pages';
import { environmentLine, exposeGc, heapSampler, MB, timeSync, verdict } from '../support/report';

/**
 * B4 end to end through the dataset code: the five-year import (263 pages × 10,000 from the API
 * benchmarks' mock API in a child process, 150 ms latency, concurrency c) through `paginate` and
 * `fetchAll` INTO the ResultStore, so parsing, validation and storing all count. Same targets as
 * the client-only B4: wall ≤ 1.25 × max(263 · latency / c, 263 · (parse + validate + append per
 * page)), peak heap ≤ 64 MB, event-loop delay p99 ≤ 50 ms and max ≤ 200 ms.
 */

const LATENCY_MS = Number(process.env.B4_LATENCY_MS ?? 150);
const CONCURRENCY = Number(process.env.B4_CONCURRENCY ?? 4);
const PAGES = Number(process.env.B4_PAGES ?? FIVE_YEAR_PAGES);

/** The API benchmarks' mock server (`out/bench/support/mockApiChild.js`), started the same way they do. */
async function startMockApi(config: Record<string, number>): Promise<{ origin: string; close(): Promise<void> }> {
  const child = spawn(process.execPath, [path.join(__dirname, '..', 'support', 'mockApiChild.js'), JSON.stringify(config)], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  const port = await new Promise<number>((resolve, reject) => {
    let buffered = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const match = /READY (\d+)/.exec(buffered);
      if (match) resolve(Number(match[1]));
    });
    child.once('exit', (code) => reject(new Error(`mock API exited with ${code}`)));
  });
  return {
    origin: `http://127.0.0.1:${port}`,
    async close() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

async function main(): Promise<void> {
  const gc = exposeGc();
  console.log(`B4 (store) five-year import into the ResultStore: ${environmentLine()}, ${PAGES} pages × 10,000, latency ${LATENCY_MS} ms, concurrency ${CONCURRENCY}`);

  // Parse + validate + append of one page, measured in this run (best of 10).
  const sample = pageText(2);
  let perPageMs = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 10; i++) {
    const scratch = new ResultStore();
    perPageMs = Math.min(perPageMs, timeSync(() => {
      const envelope = JSON.parse(sample) as { data: unknown[] };
      checkEnvelope('quantity', true, envelope);
      scratch.append(envelope.data, sample.length);
    }));
    scratch.dispose();
  }
  const boundMs = Math.max(PAGES * LATENCY_MS / CONCURRENCY, PAGES * perPageMs);
  console.log(`  parse + validate + append per page ${perPageMs.toFixed(2)} ms; bound max(${(PAGES * LATENCY_MS / CONCURRENCY / 1000).toFixed(2)} s, ${(PAGES * perPageMs / 1000).toFixed(2)} s) = ${(boundMs / 1000).toFixed(2)} s`);

  const api = await startMockApi({ totalPages: PAGES, delayMs: LATENCY_MS });
  const transport = createUndiciTransport({ origin: api.origin, proxy: { proxyUrl: '' }, env: {}, connections: CONCURRENCY });
  const client = createApiClient({ transport, credentials: { getAccessToken: async () => 'bench', handleUnauthorized: async () => undefined } });
  const store = new ResultStore();
  let missed = false;
  try {
    gc();
    const before = process.memoryUsage();
    const loop = monitorEventLoopDelay({ resolution: 5 });
    const heap = heapSampler(5);
    loop.enable();
    const start = performance.now();
    const outcome = await fetchAll({
      store,
      quotaReserve: 10,
      openPages: ({ fromPage, quotaReserve, signal }) => paginate(client, 'quantity', { userId: BENCH_USER, metric: 'heartRate', query: { pageSize: 10_000, page: fromPage } }, { concurrency: CONCURRENCY, maxPages: 1000, quotaReserve, signal }),
    });
    const wallMs = performance.now() - start;
    loop.disable();
    const peakHeap = heap.stop();
    if (outcome.reason !== 'complete' || store.count !== PAGES * 10_000) throw new Error(`import incomplete: ${outcome.message}`);
    gc();
    const after = process.memoryUsage();
    const p99 = loop.percentile(99) / 1e6;
    const max = loop.max / 1e6;
    console.log(`  wall ${(wallMs / 1000).toFixed(2)} s for ${store.count.toLocaleString('en-US')} records (${outcome.requests} requests); peak heap ${(peakHeap / MB).toFixed(1)} MB ` +
      `(${((peakHeap - before.heapUsed) / MB).toFixed(1)} MB above the start); the stored result: ${((after.heapUsed + after.arrayBuffers - before.heapUsed - before.arrayBuffers) / MB).toFixed(1)} MB (heap + ArrayBuffers); ` +
      `event-loop delay p99 ${p99.toFixed(1)} ms, max ${max.toFixed(1)} ms`);
    const checks: [string, number, string, boolean][] = [
      ['wall vs bound', wallMs / boundMs, '<= 1.25', wallMs / boundMs <= 1.25],
      ['peak heap vs 64 MB', peakHeap / (64 * MB), '<= 1.0', peakHeap <= 64 * MB],
      ['event-loop delay p99 vs 50 ms', p99 / 50, '<= 1.0', p99 <= 50],
      ['event-loop delay max vs 200 ms', max / 200, '<= 1.0', max <= 200],
    ];
    for (const [metric, ratio, target, pass] of checks) {
      console.log(verdict('B4 (store)', metric, ratio, target, pass));
      missed ||= !pass;
    }
  } finally {
    store.dispose();
    await transport.close();
    await api.close();
  }
  if (missed) process.exitCode = 1;
}

void main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
