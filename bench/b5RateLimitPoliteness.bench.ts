import { performance } from 'perf_hooks';
import { paginate } from '../src/core/api/pagination';
import { clientFor, startMockApi } from './support/mockApi';
import { BENCH_PATH, BENCH_USER } from './support/pages';
import { environmentLine, verdict } from './support/report';

/**
 * B5 rate-limit politeness (docs/performance.md, B5): a mock API in a child process answers
 * 10 % of requests (deterministically chosen) with 429 and `Retry-After: 1`. The client imports
 * PAGES pages at concurrency c. Measured at the server: requests for a page before its
 * Retry-After expired, and requests arriving inside any 429's Retry-After window beyond the c − 1
 * that the client may have committed before that 429 reached it. Targets: 0 early requests; extra requests = number
 * of 429s; wall ≤ 1.1 × ideal, ideal = PAGES · latency / c + Σ Retry-After. The peer retries at once.
 */

const PAGES = Number(process.env.B5_PAGES ?? 100);
const LATENCY_MS = Number(process.env.B5_LATENCY_MS ?? 150);
const CONCURRENCY = Number(process.env.B5_CONCURRENCY ?? 4);
const RATE_429 = 0.1;
const RETRY_AFTER_S = 1;

async function main(): Promise<void> {
  console.log(
    `B5 rate-limit politeness: ${environmentLine()}, ${PAGES} pages, latency ${LATENCY_MS} ms, concurrency ${CONCURRENCY}, RATE_429 ${RATE_429}, Retry-After ${RETRY_AFTER_S}`,
  );
  const api = await startMockApi({
    totalPages: PAGES,
    delayMs: LATENCY_MS,
    rate429: RATE_429,
    retryAfter: RETRY_AFTER_S,
    variants: 2,
    concurrency: CONCURRENCY,
  });
  // More retries than the default 3: with 10 % of answers refused, a page may meet several 429s in a row.
  const { transport, client } = clientFor(api, CONCURRENCY, { maxRetries: 8 });
  try {
    const start = performance.now();
    const run = paginate(
      client,
      'quantity',
      { userId: BENCH_USER, metric: 'heartRate', query: { pageSize: 10_000 } },
      { concurrency: CONCURRENCY },
    );
    let pages = 0;
    for await (const _page of run) pages++;
    const wallMs = performance.now() - start;
    const outcome = await run.outcome;
    const stats = await api.stats();
    if (outcome.reason !== 'complete') throw new Error(outcome.message);
    const idealMs = (PAGES * LATENCY_MS) / CONCURRENCY + stats.rejected * RETRY_AFTER_S * 1000;
    const extra = stats.pageRequests - stats.pagesServed;
    console.log(
      `  ${pages} pages in ${(wallMs / 1000).toFixed(2)} s; ${stats.pageRequests} requests, ${stats.rejected} answered 429, ` +
        `${stats.pagesServed - PAGES} past the last page; early: same page ${stats.earlySamePage}, inside a window beyond c − 1 ${stats.earlyAfterSeen}; ideal ${(idealMs / 1000).toFixed(2)} s`,
    );
    const early = stats.earlySamePage + stats.earlyAfterSeen;
    console.log(verdict('B5', 'requests before Retry-After expired (count)', early, '= 0', early === 0));
    console.log(
      verdict(
        'B5',
        'extra requests vs 429s',
        stats.rejected ? extra / stats.rejected : 1,
        '= 1.0',
        extra === stats.rejected,
      ),
    );
    const ratio = wallMs / idealMs;
    console.log(verdict('B5', 'wall vs ideal', ratio, '<= 1.1', ratio <= 1.1));
  } finally {
    await transport.close();
    await api.close();
  }

  // Peer: retries a 429 at once, one page at a time, on a fresh mock (informational).
  const peerApi = await startMockApi({
    totalPages: 30,
    delayMs: LATENCY_MS,
    rate429: RATE_429,
    retryAfter: RETRY_AFTER_S,
    variants: 2,
  });
  try {
    for (let page = 1; page <= 30; page++) {
      for (;;) {
        const res = await fetch(`${peerApi.origin}${BENCH_PATH}?pageSize=10000&page=${page}`);
        await res.arrayBuffer();
        if (res.status !== 429) break;
      }
    }
    const peer = await peerApi.stats();
    console.log(
      `  peer (immediate retry, 30 pages): ${peer.rejected} × 429, ${peer.earlySamePage} requests before Retry-After expired`,
    );
  } finally {
    await peerApi.close();
  }
}

void main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
