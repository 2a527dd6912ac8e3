import { monitorEventLoopDelay, performance } from 'perf_hooks';
import { paginate } from '../src/core/api/pagination';
import { checkEnvelope } from '../src/core/api/validation';
import { clientFor, startMockApi } from './support/mockApi';
import { BENCH_USER, FIVE_YEAR_PAGES, pageText } from './support/pages';
import { environmentLine, exposeGc, heapSampler, MB, timeSync, verdict } from './support/report';

/**
 * B4 end-to-end five-year import (docs/performance.md, B4): 263 pages of 10,000 records from a
 * mock API in a child process with 150 ms latency, through the real client and `paginate` at
 * concurrency c, each page's records taken in chunks as fetch all takes them (`recordsInChunks`).
 * Wall time against the bound computed in the same run, max(263 · latency / c, 263 · (parse +
 * validate per page)); requests ≤ 263 + (c − 1); peak heap; event-loop delay p99 and max. `B4_PEER=1` also runs the naive peer (sequential, merge every page
 * into one array, JSON.stringify it) for comparison.
 */

const LATENCY_MS = Number(process.env.B4_LATENCY_MS ?? 150);
const CONCURRENCY = Number(process.env.B4_CONCURRENCY ?? 4);
const PAGES = Number(process.env.B4_PAGES ?? FIVE_YEAR_PAGES);

async function main(): Promise<void> {
  const gc = exposeGc();
  console.log(
    `B4 five-year import: ${environmentLine()}, ${PAGES} pages × 10,000, latency ${LATENCY_MS} ms, concurrency ${CONCURRENCY}`,
  );

  // Parse + validate cost of one page, measured in this run (best of 10).
  const sample = pageText(2);
  let perPageMs = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 10; i++)
    perPageMs = Math.min(
      perPageMs,
      timeSync(() => checkEnvelope('quantity', true, JSON.parse(sample))),
    );
  const boundMs = Math.max((PAGES * LATENCY_MS) / CONCURRENCY, PAGES * perPageMs);
  console.log(
    `  parse + validate per page ${perPageMs.toFixed(2)} ms; bound max(${((PAGES * LATENCY_MS) / CONCURRENCY / 1000).toFixed(2)} s, ${((PAGES * perPageMs) / 1000).toFixed(2)} s) = ${(boundMs / 1000).toFixed(2)} s`,
  );

  const api = await startMockApi({ totalPages: PAGES, delayMs: LATENCY_MS });
  const { transport, client } = clientFor(api, CONCURRENCY);
  try {
    gc();
    const heapBefore = process.memoryUsage().heapUsed;
    const loop = monitorEventLoopDelay({ resolution: 5 });
    const heap = heapSampler(5);
    loop.enable();
    const start = performance.now();
    // Pages in chunks, as fetch all asks for them: each chunk is parsed and checked when taken.
    const run = paginate(
      client,
      'quantity',
      { userId: BENCH_USER, metric: 'heartRate', query: { pageSize: 10_000 } },
      { concurrency: CONCURRENCY, maxPages: 1000, recordsInChunks: true },
    );
    let records = 0;
    for await (const page of run) {
      if (!page.records) throw new Error('a page came parsed whole');
      while (!page.records.done) records += page.records.take().length;
    }
    const wallMs = performance.now() - start;
    loop.disable();
    const peakHeap = heap.stop();
    const outcome = await run.outcome;
    const stats = await api.stats();
    if (outcome.reason !== 'complete' || records !== PAGES * 10_000)
      throw new Error(`import incomplete: ${outcome.message}`);
    const p99 = loop.percentile(99) / 1e6;
    const max = loop.max / 1e6;
    console.log(
      `  wall ${(wallMs / 1000).toFixed(2)} s for ${records.toLocaleString('en-US')} records; requests ${stats.pageRequests} (limit ${PAGES + CONCURRENCY - 1}); ` +
        `peak heap ${(peakHeap / MB).toFixed(1)} MB (${((peakHeap - heapBefore) / MB).toFixed(1)} MB above the start); event-loop delay p99 ${p99.toFixed(1)} ms, max ${max.toFixed(1)} ms`,
    );
    const ratio = wallMs / boundMs;
    console.log(verdict('B4', 'wall vs bound', ratio, '<= 1.25', ratio <= 1.25));
    console.log(
      verdict(
        'B4',
        `requests vs ${PAGES} + (c-1)`,
        stats.pageRequests / (PAGES + CONCURRENCY - 1),
        '<= 1.0',
        stats.pageRequests <= PAGES + CONCURRENCY - 1,
      ),
    );
    console.log(verdict('B4', 'peak heap vs 64 MB', peakHeap / (64 * MB), '<= 1.0', peakHeap <= 64 * MB));
    console.log(verdict('B4', 'event-loop delay p99 vs 50 ms', p99 / 50, '<= 1.0', p99 <= 50));
    console.log(verdict('B4', 'event-loop delay max vs 200 ms', max / 200, '<= 1.0', max <= 200));

    // Live heap: a second, untimed pass without latency that forces a GC every 10 pages, so the
    // number is what the import keeps alive rather than garbage the young generation still holds.
    await transport.close();
    const probeApi = await startMockApi({ totalPages: PAGES, delayMs: 0 });
    const { transport: probeTransport, client: probeClient } = clientFor(probeApi, CONCURRENCY);
    try {
      gc();
      const base = process.memoryUsage().heapUsed;
      let livePeak = base;
      let n = 0;
      for await (const _page of paginate(
        probeClient,
        'quantity',
        { userId: BENCH_USER, metric: 'heartRate', query: { pageSize: 10_000 } },
        { concurrency: CONCURRENCY },
      )) {
        if (++n % 10 === 0) {
          gc();
          livePeak = Math.max(livePeak, process.memoryUsage().heapUsed);
        }
      }
      console.log(
        `  live heap (GC every 10 pages, ${n} pages): peak ${(livePeak / MB).toFixed(1)} MB, ${((livePeak - base) / MB).toFixed(1)} MB above the start`,
      );
    } finally {
      await probeTransport.close();
      await probeApi.close();
    }

    if (process.env.B4_PEER === '1') {
      gc();
      const peerLoop = monitorEventLoopDelay({ resolution: 5 });
      const peerHeap = heapSampler(5);
      peerLoop.enable();
      const peerStart = performance.now();
      const merged: unknown[] = [];
      for (let page = 1; page <= PAGES; page++) {
        const res = await fetch(`${api.origin}/api/v1/quantity/${BENCH_USER}/heartRate?pageSize=10000&page=${page}`);
        const body = (await res.json()) as { data: unknown[] };
        for (const r of body.data) merged.push(r);
      }
      const text = JSON.stringify(merged);
      const peerMs = performance.now() - peerStart;
      peerLoop.disable();
      console.log(
        `  peer (sequential, merged, stringified ${(text.length / MB).toFixed(0)} MB): wall ${(peerMs / 1000).toFixed(2)} s, peak heap ${(peerHeap.stop() / MB).toFixed(0)} MB, event-loop max ${(peerLoop.max / 1e6).toFixed(0)} ms`,
      );
    }
  } finally {
    await transport.close();
    await api.close();
  }
}

void main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
