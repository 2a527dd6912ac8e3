import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { subscribe, unsubscribe } from 'diagnostics_channel';
import { monitorEventLoopDelay, performance } from 'perf_hooks';
import { checkEnvelope } from '../../src/core/api/validation';
import { ResultStore } from '../../src/core/dataset/resultStore';
import { PAGE_WORKER_CHANNEL, type PageWorkerStats } from '../../src/core/worker/pageWorker';
import { mainThreadCpuMs } from '../../test/support/threadCpu';
import { envelopeText, FIVE_YEAR_PAGES } from '../support/pages';
import { FIVE_YEAR_RECORDS, heartRatePageText } from './heartRatePages';
import { environmentLine, exposeGc, heapSampler, MB, timeSync, verdict } from '../support/report';
import { DEFAULT_SETTINGS, importThroughPanel, startPanelServer } from './panelPath';

/**
 * B4 end to end through the query panel's own code (docs/performance.md, B4): the five-year
 * import, 263 pages × 10,000 from the mock API in a child process with 150 ms latency, the first
 * page through `ApiClient.getPage` into a `QueryResult`, the rest through `fetchAllPages` (paginate
 * + fetchAll) into the result's store, at the default concurrency c = 4.
 * Targets: wall ≤ 1.25 × max(263 · latency / c, 263 · (parse + validate per page)), requests ≤
 * 263 + (c − 1), peak heap ≤ 64 MB, event-loop delay p99 ≤ 50 ms and max ≤ 200 ms.
 * The bound's per-page work is the doc's: JSON.parse + validation, what any client must do; the
 * append to the store is the product's own cost and counts against it (printed for reference).
 * Pages are read in the page worker (docs/performance.md, B4): the main thread's CPU time (without
 * the worker's; its event-loop utilisation where the OS does not say) is judged as a share of the
 * wall time against 25 %, its delay p99 against 10 ms, and the worker's peak heap is printed. `B4_PAGE_WORKER=0` reads every page on the main thread, as before.
 * Best of B4_RUNS runs (the machine is shared); every run is printed.
 */

const LATENCY_MS = Number(process.env.B4_LATENCY_MS ?? 150);
const CONCURRENCY = Number(process.env.B4_CONCURRENCY ?? DEFAULT_SETTINGS.concurrency);
const PAGES = Number(process.env.B4_PAGES ?? FIVE_YEAR_PAGES);
const RUNS = Number(process.env.B4_RUNS ?? 3);
const IN_THREAD = process.env.B4_PAGE_WORKER === '0';

interface Run {
  wallMs: number;
  requests: number;
  peakHeap: number;
  p99: number;
  max: number;
  storedBytes: number;
  /** Main thread CPU ÷ wall. */
  mainShare: number;
  /** Main thread event-loop utilisation (busy, or waiting for a core) ÷ wall. */
  mainBusy: number;
  workerPeakHeap: number;
  workerRequests: number;
}

function range(values: number[], digits: number): string {
  return `${Math.min(...values).toFixed(digits)}–${Math.max(...values).toFixed(digits)}`;
}

async function main(): Promise<void> {
  const gc = exposeGc();
  console.log(
    `B4 (panel path) five-year import: ${environmentLine()}, ${PAGES} pages × 10,000, latency ${LATENCY_MS} ms, concurrency ${CONCURRENCY}, best of ${RUNS}, pages read ${IN_THREAD ? 'on the main thread' : 'in the page worker'}`,
  );

  // Per-page work of the bound, measured in this run (best of 10).
  const sample = envelopeText(2, PAGES, heartRatePageText(1));
  let parseValidateMs = Number.POSITIVE_INFINITY;
  let appendMs = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 10; i++) {
    let data: unknown[] = [];
    parseValidateMs = Math.min(
      parseValidateMs,
      timeSync(() => {
        data = checkEnvelope('quantity', true, JSON.parse(sample)).data as unknown[];
      }),
    );
    const scratch = new ResultStore();
    appendMs = Math.min(
      appendMs,
      timeSync(() => scratch.append(data, sample.length)),
    );
    scratch.dispose();
  }
  const boundMs = Math.max((PAGES * LATENCY_MS) / CONCURRENCY, PAGES * parseValidateMs);
  console.log(
    `  per page: parse + validate ${parseValidateMs.toFixed(2)} ms (append to the store ${appendMs.toFixed(2)} ms, not in the bound); ` +
      `bound max(${((PAGES * LATENCY_MS) / CONCURRENCY / 1000).toFixed(2)} s, ${((PAGES * parseValidateMs) / 1000).toFixed(2)} s) = ${(boundMs / 1000).toFixed(2)} s`,
  );

  const server = await startPanelServer(
    { totalPages: PAGES, delayMs: LATENCY_MS, data: 'fiveYears', pregenerate: true },
    CONCURRENCY,
  );
  const spill = fs.mkdtempSync(path.join(os.tmpdir(), 'b4-spill-'));
  const runs: Run[] = [];
  try {
    for (let r = 0; r < RUNS; r++) {
      gc();
      const before = process.memoryUsage();
      const requestsBefore = (await server.api.stats()).pageRequests;
      const loop = monitorEventLoopDelay({ resolution: 5 });
      const heap = heapSampler(5);
      let workerStats: PageWorkerStats | undefined;
      const onWorkerClosed = (stats: unknown): void => {
        workerStats = stats as PageWorkerStats;
      };
      subscribe(PAGE_WORKER_CHANNEL, onWorkerClosed);
      loop.enable();
      const busyAtStart = performance.eventLoopUtilization();
      const cpuAtStart = mainThreadCpuMs();
      const imported = await importThroughPanel(
        server.client,
        { ...DEFAULT_SETTINGS, concurrency: CONCURRENCY },
        spill,
        ...(IN_THREAD ? [false as const] : []),
      );
      const busy = performance.eventLoopUtilization(busyAtStart);
      const cpuAtEnd = mainThreadCpuMs();
      loop.disable();
      unsubscribe(PAGE_WORKER_CHANNEL, onWorkerClosed);
      if (!IN_THREAD && !workerStats?.pages)
        throw new Error('the page worker read no page (is dist/pageWorker.js built?)');
      const peakHeap = heap.stop();
      // The mock counts a request when it answers, `LATENCY_MS` after it arrived: a look-ahead request
      // the run cancelled at its end is still counted, and must be counted in this run, not the next.
      await new Promise((resolve) => setTimeout(resolve, LATENCY_MS + 100));
      const requests = (await server.api.stats()).pageRequests - requestsBefore;
      if (imported.store.count !== Math.min(PAGES * 10_000, FIVE_YEAR_RECORDS))
        throw new Error(`import incomplete: ${imported.store.count} records`);
      gc();
      const after = process.memoryUsage();
      const run: Run = {
        wallMs: imported.wallMs,
        requests,
        peakHeap,
        p99: loop.percentile(99) / 1e6,
        max: loop.max / 1e6,
        storedBytes: after.heapUsed + after.arrayBuffers - before.heapUsed - before.arrayBuffers,
        mainShare:
          cpuAtStart !== undefined && cpuAtEnd !== undefined
            ? (cpuAtEnd - cpuAtStart) / imported.wallMs
            : busy.active / imported.wallMs,
        mainBusy: busy.active / imported.wallMs,
        workerPeakHeap: workerStats?.peakHeapBytes ?? 0,
        workerRequests: workerStats?.requests ?? 0,
      };
      runs.push(run);
      imported.result.dispose();
      console.log(
        `  run ${r + 1}: wall ${(run.wallMs / 1000).toFixed(2)} s (${(run.wallMs / boundMs).toFixed(3)} × bound), ${run.requests} requests, ` +
          `peak heap ${(run.peakHeap / MB).toFixed(1)} MB (${((run.peakHeap - before.heapUsed) / MB).toFixed(1)} MB above the start), ` +
          `the result after GC ${(run.storedBytes / MB).toFixed(1)} MB (heap + ArrayBuffers), event-loop delay p99 ${run.p99.toFixed(1)} ms, max ${run.max.toFixed(1)} ms, ` +
          `main thread CPU ${(run.mainShare * 100).toFixed(1)} % of the wall (event loop busy ${(run.mainBusy * 100).toFixed(1)} %), worker peak heap ${(run.workerPeakHeap / MB).toFixed(1)} MB, ${run.workerRequests} requests sent by the worker`,
      );
    }
  } finally {
    await server.close();
    fs.rmSync(spill, { recursive: true, force: true });
  }
  const best = (pick: (run: Run) => number): number => Math.min(...runs.map(pick));
  console.log(
    `  ranges over ${RUNS} runs: wall ${range(
      runs.map((x) => x.wallMs / boundMs),
      3,
    )} × bound, peak heap ${range(
      runs.map((x) => x.peakHeap / MB),
      1,
    )} MB, p99 ${range(
      runs.map((x) => x.p99),
      1,
    )} ms, max ${range(
      runs.map((x) => x.max),
      1,
    )} ms`,
  );
  const limit = PAGES + CONCURRENCY - 1;
  console.log(
    verdict(
      'B4 (panel)',
      'wall vs bound',
      best((x) => x.wallMs) / boundMs,
      '<= 1.25',
      best((x) => x.wallMs) / boundMs <= 1.25,
    ),
  );
  console.log(
    verdict(
      'B4 (panel)',
      `requests vs ${PAGES} + (c-1)`,
      Math.max(...runs.map((x) => x.requests)) / limit,
      '<= 1.0',
      runs.every((x) => x.requests <= limit),
    ),
  );
  console.log(
    verdict(
      'B4 (panel)',
      'peak heap vs 64 MB',
      best((x) => x.peakHeap) / (64 * MB),
      '<= 1.0',
      best((x) => x.peakHeap) <= 64 * MB,
    ),
  );
  console.log(
    verdict('B4 (panel)', 'event-loop delay p99 vs 50 ms', best((x) => x.p99) / 50, '<= 1.0', best((x) => x.p99) <= 50),
  );
  console.log(
    verdict('B4 (panel)', 'event-loop delay p99 vs 10 ms', best((x) => x.p99) / 10, '<= 1.0', best((x) => x.p99) <= 10),
  );
  console.log(
    verdict(
      'B4 (panel)',
      'main-thread CPU share of the wall vs 25 %',
      best((x) => x.mainShare) / 0.25,
      '<= 1.0',
      best((x) => x.mainShare) <= 0.25,
    ),
  );
  console.log(
    verdict(
      'B4 (panel)',
      'event-loop delay max vs 200 ms',
      best((x) => x.max) / 200,
      '<= 1.0',
      best((x) => x.max) <= 200,
    ),
  );
}

void main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
