import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { exportResult } from '../../src/core/dataset/exportResult';
import { ResultStore } from '../../src/core/dataset/resultStore';
import { dataText, FIVE_YEAR_PAGES } from '../support/pages';
import { environmentLine, exposeGc, heapSampler, MB, verdict } from '../support/report';

/**
 * B6 end to end through the dataset code: the whole five-year result, held in the ResultStore,
 * exported to NDJSON and CSV files by `exportResult`. Baseline, as in performance-targets.md:
 * JSON.parse of the same bytes + writing the pre-serialised output (made outside the timing with
 * the naive per-record method, which is also the peer the output must equal byte for byte).
 * Targets: throughput ≥ 0.5 × baseline, peak heap ≤ 64 MB during the export.
 */

const PAGES = Number(process.env.B6_PAGES ?? FIVE_YEAR_PAGES);
const HEADER = 'value,unit,start_date,end_date,source';

function peerText(format: 'ndjson' | 'csv', records: readonly Record<string, unknown>[]): string {
  if (format === 'ndjson') return records.map((r) => `${JSON.stringify(r)}\n`).join('');
  // The records carry no text that needs quoting, so the naive join is the RFC 4180 form.
  return records.map((r) => `${r.value},${String(r.unit)},${String(r.start_date)},${String(r.end_date)},${String(r.source)}\r\n`).join('');
}

async function main(): Promise<void> {
  const gc = exposeGc();
  console.log(`B6 (store) export of the whole result: ${environmentLine()}, ${PAGES} pages × 10,000`);
  const store = new ResultStore();
  for (let page = 1; page <= PAGES; page++) {
    const text = dataText(page);
    store.append(JSON.parse(text) as unknown[], text);
  }
  store.seal();
  let missed = false;

  for (const format of ['ndjson', 'csv'] as const) {
    // Baseline and the peer's digest, page by page.
    const baseFile = path.join(os.tmpdir(), `b6s-${process.pid}-base.${format}`);
    const fd = fs.openSync(baseFile, 'w');
    const peerHash = createHash('sha256');
    let baseMs = 0;
    let outputBytes = 0;
    if (format === 'csv') {
      peerHash.update(`${HEADER}\r\n`);
      fs.writeSync(fd, `${HEADER}\r\n`);
    }
    for (let page = 1; page <= PAGES; page++) {
      const text = dataText(page);
      const out = peerText(format, JSON.parse(text) as Record<string, unknown>[]);
      peerHash.update(out);
      const t0 = performance.now();
      JSON.parse(text);
      fs.writeSync(fd, out);
      baseMs += performance.now() - t0;
      outputBytes += out.length;
    }
    const t0 = performance.now();
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    baseMs += performance.now() - t0;
    fs.rmSync(baseFile, { force: true });

    gc();
    const file = path.join(os.tmpdir(), `b6s-${process.pid}.${format}`);
    const heap = heapSampler(5);
    const c0 = performance.now();
    const outcome = await exportResult(store, fs.createWriteStream(file), { format });
    const fd2 = fs.openSync(file, 'r+');
    fs.fsyncSync(fd2);
    fs.closeSync(fd2);
    const candidateMs = performance.now() - c0;
    const peakHeap = heap.stop();
    const digest = createHash('sha256').update(fs.readFileSync(file)).digest('hex');
    fs.rmSync(file, { force: true });
    const identical = digest === peerHash.digest('hex');

    const baseMBs = outputBytes / MB / (baseMs / 1000);
    const candidateMBs = outcome.bytes / MB / (candidateMs / 1000);
    console.log(`  ${format}: ${(outcome.bytes / MB).toFixed(1)} MB in ${(candidateMs / 1000).toFixed(2)} s = ${candidateMBs.toFixed(1)} MB/s; baseline ${baseMBs.toFixed(1)} MB/s; ` +
      `peak heap ${(peakHeap / MB).toFixed(1)} MB; byte-identical to the peer: ${identical ? 'yes' : 'NO'}`);
    const ratio = candidateMBs / baseMBs;
    console.log(verdict('B6 (store)', `${format} throughput vs baseline`, ratio, '>= 0.5', ratio >= 0.5));
    console.log(verdict('B6 (store)', `${format} peak heap vs 64 MB`, peakHeap / (64 * MB), '<= 1.0', peakHeap <= 64 * MB));
    missed ||= ratio < 0.5 || peakHeap > 64 * MB || !identical;
  }
  store.dispose();
  if (missed) process.exitCode = 1;
}

void main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
