import * as http from 'http';
import { readJsonBody } from '../src/core/api/jsonBody';
import { clientFor, startMockApi } from './support/mockApi';
import { BENCH_PATH, BENCH_USER } from './support/pages';
import { environmentLine, timeAsync, verdict } from './support/report';

/**
 * B2 page fetch + decode (docs/performance.md, B2): pages per second of 0.85 MB pages from a
 * mock API in a child process, with 1 and 4 connections.
 * - baseline: `http.get` on a keep-alive agent, bytes concatenated, `JSON.parse` (the unavoidable work);
 * - candidate: the product transport (undici, deadline, size counter) + `readJsonBody`
 *   (content-type check, strict UTF-8, JSON.parse) — "the real client (undici + parse)";
 * - peer: Node's global `fetch` + `res.json()`;
 * - also shown, not judged: the full `client.getPage` including zod validation and rate-limit state.
 * Targets: candidate ≥ 0.9 × baseline and ≥ 1.0 × peer. Best of ROUNDS interleaved trials.
 */

const PAGES = Number(process.env.B2_PAGES ?? 24);
const ROUNDS = Number(process.env.B2_ROUNDS ?? 5);

type Fetcher = (page: number) => Promise<unknown>;

async function pagesPerSecond(fetchPage: Fetcher, connections: number): Promise<number> {
  let next = 1;
  const worker = async (): Promise<void> => {
    while (next <= PAGES) {
      const page = next++;
      const json = (await fetchPage(page)) as { data: unknown[] };
      if (!Array.isArray(json.data) || json.data.length !== 10_000) throw new Error('bad page');
    }
  };
  const ms = await timeAsync(() => Promise.all(Array.from({ length: connections }, worker)));
  return PAGES / (ms / 1000);
}

async function main(): Promise<void> {
  console.log(`B2 page fetch + decode: ${environmentLine()}, ${PAGES} pages × ${ROUNDS} rounds`);
  const api = await startMockApi({ totalPages: 100_000, delayMs: 0 });
  const url = (page: number): string => `${api.origin}${BENCH_PATH}?pageSize=10000&page=${page}`;
  const lines: string[] = [];
  try {
    for (const connections of [1, 4]) {
      const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
      const baseline: Fetcher = (page) =>
        new Promise((resolve, reject) => {
          http
            .get(url(page), { agent }, (res) => {
              const chunks: Buffer[] = [];
              res.on('data', (c: Buffer) => chunks.push(c));
              res.on('end', () => {
                try {
                  resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
                } catch (e) {
                  reject(e);
                }
              });
              res.on('error', reject);
            })
            .on('error', reject);
        });
      const { transport, client } = clientFor(api, connections);
      const candidate: Fetcher = async (page) =>
        readJsonBody(
          await transport.send({ method: 'GET', url: new URL(url(page)), headers: { authorization: 'Bearer bench' } }),
        ).json;
      const full: Fetcher = async (page) => {
        const result = await client.quantity(BENCH_USER, 'heartRate', { pageSize: 10_000, page });
        return { data: result.data };
      };
      const peer: Fetcher = async (page) => (await fetch(url(page))).json();

      const best = { baseline: 0, candidate: 0, full: 0, peer: 0 };
      for (const fetcher of [baseline, candidate, full, peer]) await pagesPerSecond(fetcher, connections); // warm-up
      for (let round = 0; round < ROUNDS; round++) {
        best.baseline = Math.max(best.baseline, await pagesPerSecond(baseline, connections));
        best.candidate = Math.max(best.candidate, await pagesPerSecond(candidate, connections));
        best.full = Math.max(best.full, await pagesPerSecond(full, connections));
        best.peer = Math.max(best.peer, await pagesPerSecond(peer, connections));
      }
      agent.destroy();
      await transport.close();
      console.log(
        `  ${connections} connection(s): baseline ${best.baseline.toFixed(1)} pages/s, candidate ${best.candidate.toFixed(1)}, ` +
          `peer fetch ${best.peer.toFixed(1)}, full getPage with zod ${best.full.toFixed(1)} (${(best.full / best.baseline).toFixed(3)} × baseline, not judged)`,
      );
      const vsBaseline = best.candidate / best.baseline;
      const vsPeer = best.candidate / best.peer;
      lines.push(
        verdict('B2', `fetch+decode vs raw baseline, ${connections} conn`, vsBaseline, '>= 0.9', vsBaseline >= 0.9),
      );
      lines.push(verdict('B2', `fetch+decode vs global fetch, ${connections} conn`, vsPeer, '>= 1.0', vsPeer >= 1.0));
    }
  } finally {
    await api.close();
  }
  for (const line of lines) console.log(line);
}

void main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
