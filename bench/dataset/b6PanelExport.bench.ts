import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { exportToPath } from '../../src/core/dataset/exportToPath';
import { environmentLine, exposeGc, heapSampler, MB, verdict } from '../support/report';
import { FIVE_YEAR_PAGES, heartRatePageText } from './heartRatePages';
import { importThroughPanel, startPanelServer } from './panelPath';

/**
 * B6 end to end through the query panel's own code: the five-year result fetched as the panel does
 * (`getPage` → `QueryResult` → `fetchAllPages`, no latency: only the export is timed), then
 * written by `exportToPath` (what the panel's export command runs, minus the progress
 * notification) as NDJSON, CSV and JSON. Baseline (docs/performance.md, B6): JSON.parse of the same
 * bytes + writing the pre-serialised output, page by page; the pre-serialised output is made
 * outside the timing by the naive per-record method, which is also the peer the file must equal
 * byte for byte. Targets: throughput ≥ 0.5 × baseline, peak heap ≤ 64 MB. Best of B6_RUNS.
 */

const PAGES = Number(process.env.B6_PAGES ?? FIVE_YEAR_PAGES);
const RUNS = Number(process.env.B6_RUNS ?? 3);
const HEADER = 'value,unit,start_date,end_date';

type Format = 'ndjson' | 'csv' | 'json';

/** The naive serialisation of one page's records, as that part of the whole file. */
function peerText(format: Format, records: readonly Record<string, unknown>[], first: boolean, last: boolean): string {
  if (format === 'ndjson') return records.map((r) => `${JSON.stringify(r)}\n`).join('');
  // The records carry no text that needs quoting, so the naive join is the RFC 4180 form.
  if (format === 'csv')
    return records
      .map((r) => `${String(r.value)},${String(r.unit)},${String(r.start_date)},${String(r.end_date)}\r\n`)
      .join('');
  return `${first ? '[\n' : ''}${records.map((r) => JSON.stringify(r)).join(',\n')}${last ? '\n]\n' : ',\n'}`;
}

/** The baseline's time over the whole result, and the peer's digest and size. */
function baseline(format: Format, file: string): { ms: number; bytes: number; digest: string } {
  const fd = fs.openSync(file, 'w');
  const hash = createHash('sha256');
  let ms = 0;
  let bytes = 0;
  if (format === 'csv') {
    hash.update(`${HEADER}\r\n`);
    fs.writeSync(fd, `${HEADER}\r\n`);
  }
  for (let page = 0; page < PAGES; page++) {
    const text = heartRatePageText(page);
    const out = peerText(format, JSON.parse(text) as Record<string, unknown>[], page === 0, page === PAGES - 1);
    hash.update(out);
    const t0 = performance.now();
    JSON.parse(text);
    fs.writeSync(fd, out);
    ms += performance.now() - t0;
    bytes += Buffer.byteLength(out);
  }
  const t0 = performance.now();
  fs.fsyncSync(fd);
  fs.closeSync(fd);
  ms += performance.now() - t0;
  fs.rmSync(file, { force: true });
  return { ms, bytes, digest: hash.digest('hex') };
}

async function main(): Promise<void> {
  const gc = exposeGc();
  console.log(
    `B6 (panel path) export of the whole result: ${environmentLine()}, ${PAGES} pages of five-year heart rate, best of ${RUNS}`,
  );
  const server = await startPanelServer({ totalPages: PAGES, delayMs: 0, data: 'fiveYears' });
  const imported = await importThroughPanel(server.client).finally(() => server.close());
  const store = imported.store;
  console.log(
    `  fetched ${store.count.toLocaleString('en-US')} records through the panel path in ${(imported.wallMs / 1000).toFixed(2)} s`,
  );
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'b6-panel-'));
  try {
    for (const format of ['ndjson', 'csv', 'json'] as const) {
      const ratios: number[] = [];
      const heaps: number[] = [];
      let identical = true;
      let line = '';
      for (let run = 0; run < RUNS; run++) {
        const base = baseline(format, path.join(dir, `base.${format}`));
        gc();
        const file = path.join(dir, `export.${format}`);
        const heap = heapSampler(5);
        const c0 = performance.now();
        const outcome = await exportToPath(store, format, file);
        const fd = fs.openSync(file, 'r+');
        fs.fsyncSync(fd);
        fs.closeSync(fd);
        const candidateMs = performance.now() - c0;
        heaps.push(heap.stop());
        identical &&=
          outcome.complete && createHash('sha256').update(fs.readFileSync(file)).digest('hex') === base.digest;
        fs.rmSync(file, { force: true });
        const candidateMBs = outcome.bytes / MB / (candidateMs / 1000);
        const baseMBs = base.bytes / MB / (base.ms / 1000);
        ratios.push(candidateMBs / baseMBs);
        line = `${(outcome.bytes / MB).toFixed(1)} MB; last run ${candidateMBs.toFixed(1)} MB/s vs baseline ${baseMBs.toFixed(1)} MB/s`;
      }
      const best = Math.max(...ratios);
      const heapBest = Math.min(...heaps);
      console.log(
        `  ${format}: ${line}; ratio ${Math.min(...ratios).toFixed(2)}–${best.toFixed(2)}; peak heap ${(heapBest / MB).toFixed(1)}–${(Math.max(...heaps) / MB).toFixed(1)} MB; byte-identical to the peer: ${identical ? 'yes' : 'NO'}`,
      );
      console.log(verdict('B6 (panel)', `${format} throughput vs baseline`, best, '>= 0.5', best >= 0.5));
      console.log(
        verdict('B6 (panel)', `${format} peak heap vs 64 MB`, heapBest / (64 * MB), '<= 1.0', heapBest <= 64 * MB),
      );
      console.log(
        verdict('B6 (panel)', `${format} output identical to the peer (1 = yes)`, identical ? 1 : 0, '= 1', identical),
      );
    }
  } finally {
    imported.result.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

void main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
