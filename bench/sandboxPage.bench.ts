import * as http from 'http';
import type { AddressInfo } from 'net';
import { performance } from 'perf_hooks';
import { FIVE_YEAR_HEART_RATE, quantitySeries } from '../src/sandbox/data/quantitySeries';
import { pageOfSeries } from '../src/sandbox/dataRoutes';
import { startSandbox } from '../src/sandbox/main';
import { environmentLine, verdict } from './support/report';

/**
 * Sandbox page generation (docs/performance.md, "Other benchmarks"): generating and serving one 10,000-record page must take no
 * longer than the client's own `JSON.parse` of it. Measured side by side in this process:
 *   generate: building the page's JSON text (five-year heart-rate user, pages spread over 5 years)
 *   serve:    the sandbox's own share of a GET over 127.0.0.1 (auth, validation, quota, generation,
 *             writing): the GET's time minus that of a trivial server sending the same bytes
 *   baseline: `JSON.parse` of the very bytes served.
 * Interleaved runs after warm-up. The verdict uses best-of-N of each series (the machine is shared,
 * and outside load only ever adds time); medians are printed beside it. Exits non-zero on a miss.
 */

const RUNS = 25;
const WARMUP = 5;
const PAGE_SIZE = 10_000;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function fetchText(url: string, token: string): Promise<string> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers: { Authorization: `Bearer ${token}` } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          res.statusCode === 200
            ? resolve(Buffer.concat(chunks).toString('utf8'))
            : reject(new Error(`HTTP ${res.statusCode}`)),
        );
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

/** Serves fixed bytes: the floor of any GET of that size (socket, HTTP parsing, receiving). */
async function staticServer(): Promise<{ url: string; set(body: Buffer): void; close(): Promise<void> }> {
  let body: Buffer = Buffer.alloc(0);
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': body.length });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    set: (b) => {
      body = b;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function main(): Promise<void> {
  const handle = await startSandbox({ dailyLimit: 1_000_000 });
  const floor = await staticServer();
  const user = handle.users.find((u) => u.name === 'Five-year heart rate')!;
  const series = quantitySeries(12345, 'count/min', FIVE_YEAR_HEART_RATE, Date.UTC(2026, 0, 1));
  const generate: number[] = [];
  const endToEnd: number[] = [];
  const floors: number[] = [];
  const parse: number[] = [];
  let bytes = 0;
  try {
    for (let run = 0; run < WARMUP + RUNS; run++) {
      const page = 1 + ((run * 37) % 262);
      let t = performance.now();
      const built = pageOfSeries(series, {
        startMs: undefined,
        endMs: undefined,
        sort: 'desc',
        page,
        pageSize: PAGE_SIZE,
      });
      const generateMs = performance.now() - t;
      if (built.json.length < 100) throw new Error('empty page');

      t = performance.now();
      const text = await fetchText(
        `${handle.baseUrl}/api/v1/quantity/${user.userId}/heartRate?pageSize=${PAGE_SIZE}&page=${page}`,
        user.pat,
      );
      const getMs = performance.now() - t;

      floor.set(Buffer.from(text));
      t = performance.now();
      await fetchText(floor.url, 'unused');
      const floorMs = performance.now() - t;

      t = performance.now();
      const parsed = JSON.parse(text) as { data: unknown[] };
      const parseMs = performance.now() - t;
      if (parsed.data.length !== PAGE_SIZE) throw new Error(`page ${page} has ${parsed.data.length} records`);
      bytes = text.length;
      if (run >= WARMUP) {
        generate.push(generateMs);
        endToEnd.push(getMs);
        floors.push(floorMs);
        parse.push(parseMs);
      }
    }
  } finally {
    await handle.close();
    await floor.close();
  }
  const best = (xs: number[]): number => Math.min(...xs);
  const p = best(parse);
  const g = best(generate);
  const s = Math.max(0, best(endToEnd) - best(floors));
  const ms = (x: number): string => `${x.toFixed(2).padStart(6)} ms`;
  console.log(environmentLine());
  console.log(
    `page: ${PAGE_SIZE} records, ${(bytes / 1e6).toFixed(3)} MB, ${RUNS} interleaved runs        best       median`,
  );
  console.log(`JSON.parse (baseline)                              ${ms(p)}  ${ms(median(parse))}`);
  console.log(
    `generate page text         ratio ${(g / p).toFixed(3).padStart(6)} (median ${(median(generate) / median(parse)).toFixed(3)})  ${ms(g)}  ${ms(median(generate))}`,
  );
  console.log(
    `serve (GET − static floor) ratio ${(s / p).toFixed(3).padStart(6)} (median ${(Math.max(0, median(endToEnd) - median(floors)) / median(parse)).toFixed(3)})  ${ms(s)}`,
  );
  console.log(
    `GET end to end (info)      ratio ${(best(endToEnd) / p).toFixed(3).padStart(6)}                   ${ms(best(endToEnd))}  ${ms(median(endToEnd))}`,
  );
  const pass = g / p <= 1 && s / p <= 1;
  console.log(verdict('Sandbox page', 'generate/JSON.parse (best of N)', g / p, '≤ 1.0', g / p <= 1));
  console.log(verdict('Sandbox page', 'serve/JSON.parse (best of N)', s / p, '≤ 1.0', s / p <= 1));
  process.exitCode = pass ? 0 : 1;
}

void main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
