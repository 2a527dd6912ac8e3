import * as http from 'http';
import type { AddressInfo } from 'net';
import { heartRatePageText } from '../dataset/heartRatePages';
import { BENCH_PATH, dataText, envelopeText } from './pages';

/**
 * The benchmarks' mock API, run in a CHILD process so its work does
 * not count against the client under test. Config comes as JSON in argv[2]:
 * `{ totalPages, delayMs, rate429, retryAfter, variants }`. Prints `READY <port>` when listening.
 * `GET /__stats` returns the request log summary; everything else under BENCH_PATH is a page.
 */

interface Config {
  readonly totalPages: number;
  readonly delayMs: number;
  /** Fraction of page requests answered 429 (deterministic by request number). */
  readonly rate429: number;
  readonly retryAfter: number;
  /** Distinct data arrays to rotate through (pages differ without rebuilding each). */
  readonly variants: number;
  /** The client's concurrency: requests it may have committed before it could see a 429. */
  readonly concurrency: number;
  /** `variants`: rotate `variants` arrays; `fiveYears`: page n is the n-th page of the five-year heart rate (made on request). */
  readonly data: 'variants' | 'fiveYears';
  /** Make every page's bytes before listening (see `made`). */
  readonly pregenerate: boolean;
}

const config: Config = {
  totalPages: 263,
  delayMs: 0,
  rate429: 0,
  retryAfter: 1,
  variants: 3,
  concurrency: 1,
  data: 'variants',
  pregenerate: false,
  ...(JSON.parse(process.argv[2] ?? '{}') as Partial<Config>),
};
const datas = config.data === 'variants' ? Array.from({ length: config.variants }, (_, i) => dataText(i + 1)) : [];
const pageData = (page: number): string =>
  // `variants` pages cycle through config.variants (at least one) texts.
  config.data === 'fiveYears' ? heartRatePageText(page - 1) : datas[page % datas.length]!;
const makePage = (page: number): Buffer =>
  Buffer.from(envelopeText(page, config.totalPages, page <= config.totalPages ? pageData(page) : '[]'), 'utf8');
/**
 * `pregenerate`: every page's bytes made before READY (about 5 s and 280 MB for five years), so the
 * mock spends almost no CPU while it is measured: it shares the machine's 2 cores with the client,
 * whose event loop would otherwise wait for a core while the mock makes pages (docs/performance.md, B4).
 */
const made: Buffer[] = [];
if (config.pregenerate) for (let page = 1; page <= config.totalPages; page++) made[page] = makePage(page);
let requests = 0;
let pageRequests = 0;
let rejected = 0;
/** Earliest time each page may be asked again after its 429. */
const notBeforeByPage = new Map<number, number>();
let earlySamePage = 0;
/** Open Retry-After windows: when each 429 was sent and how many requests arrived inside it. */
const windows: Array<{ at: number; arrivals: number }> = [];
const pagesServed: number[] = [];

function hashUnit(n: number): number {
  let x = Math.imul(n ^ 0x9e3779b9, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  return ((x ^ (x >>> 16)) >>> 0) / 4294967296;
}

const server = http.createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  if (url.pathname === '/__stats') {
    // Up to c − 1 requests may already be on their way when a 429 is sent; more inside its window are early.
    const earlyAfterSeen = windows.reduce((sum, w) => sum + Math.max(0, w.arrivals - (config.concurrency - 1)), 0);
    const body = JSON.stringify({
      requests,
      pageRequests,
      rejected,
      earlySamePage,
      earlyAfterSeen,
      pagesServed: pagesServed.length,
      distinctPages: new Set(pagesServed).size,
    });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(body);
    return;
  }
  requests++;
  if (url.pathname !== BENCH_PATH) {
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end('{"error":"not_found"}');
    return;
  }
  const page = Number(url.searchParams.get('page') ?? '1');
  const now = Date.now();
  const notBefore = notBeforeByPage.get(page);
  if (notBefore !== undefined && now < notBefore) earlySamePage++;
  for (const w of windows) if (now > w.at && now < w.at + config.retryAfter * 1000) w.arrivals++;
  // The page's bytes are made as the request arrives and sent `delayMs` after it, so the latency the
  // client sees is the configured one: making and encoding a page takes 20 ms and more, which would
  // otherwise be added to every request and counted against the client (docs/performance.md, B4).
  const pageBody = made[page] ?? makePage(page);
  const reply = (): void => {
    pageRequests++;
    if (config.rate429 > 0 && hashUnit(pageRequests) < config.rate429) {
      rejected++;
      const at = Date.now();
      windows.push({ at, arrivals: 0 });
      notBeforeByPage.set(page, at + config.retryAfter * 1000);
      const body = '{"error":"rate_limit_exceeded","error_description":"slow down"}';
      res.writeHead(429, {
        'content-type': 'application/json',
        'retry-after': String(config.retryAfter),
        'content-length': Buffer.byteLength(body),
      });
      res.end(body);
      return;
    }
    pagesServed.push(page);
    const body = pageBody;
    res.writeHead(200, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': body.byteLength,
    });
    res.end(body);
  };
  const wait = config.delayMs - (Date.now() - now);
  if (wait > 0) setTimeout(reply, wait);
  else reply();
});

server.keepAliveTimeout = 30_000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`READY ${(server.address() as AddressInfo).port}\n`);
});
process.on('disconnect', () => process.exit(0));
process.on('SIGTERM', () => process.exit(0));
