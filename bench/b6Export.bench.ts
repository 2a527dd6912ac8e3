import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { csvCell, CsvWriter, EXTRA_COLUMN } from '../src/core/export/csvWriter';
import { collectColumns, forEachLeaf, type CellValue } from '../src/core/export/flatten';
import { NdjsonWriter } from '../src/core/export/ndjsonWriter';
import { FIVE_YEAR_PAGES, pageText } from './support/pages';
import { environmentLine, exposeGc, heapSampler, MB, verdict } from './support/report';

/**
 * B6 export to disk (performance-targets.md §5.2): 263 pages (10,000 records each) written as
 * NDJSON and as CSV by the streaming writers. Per page the candidate does JSON.parse + write;
 * the baseline does JSON.parse of the same bytes + writing the pre-serialised output; the two are
 * interleaved page by page and page texts are generated outside the timed sections. Peak heap is
 * sampled during a separate candidate-only run. The
 * peer (merge everything, stringify/join, write) runs on PEER_PAGES pages, and its output must be
 * byte-identical to the candidate's on the same pages. Targets: ≥ 0.5 × baseline, ≤ 64 MB heap.
 */

const PAGES = Number(process.env.B6_PAGES ?? FIVE_YEAR_PAGES);
const PEER_PAGES = Number(process.env.B6_PEER_PAGES ?? 26);

type Format = 'ndjson' | 'csv';

function tmpFile(name: string): string {
  return path.join(os.tmpdir(), `b6-${process.pid}-${name}`);
}

function sha(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

function writerFor(format: Format, file: string): NdjsonWriter | CsvWriter {
  const stream = fs.createWriteStream(file);
  return format === 'ndjson' ? new NdjsonWriter(stream) : new CsvWriter(stream);
}

/**
 * The candidate alone, for its peak heap (and the identity check on few pages). With `gc`, a GC
 * runs every 10 pages and `liveHeap` is the largest heap left after one: what the export keeps
 * alive, as opposed to garbage not yet collected.
 */
async function candidate(format: Format, pages: number, file: string, gc?: () => void): Promise<{ peakHeap: number; liveHeap: number }> {
  const writer = writerFor(format, file);
  const heap = heapSampler(5);
  let liveHeap = 0;
  for (let page = 1; page <= pages; page++) {
    await writer.writeRecords((JSON.parse(pageText(page, pages)) as { data: unknown[] }).data);
    if (gc && page % 10 === 0) {
      gc();
      liveHeap = Math.max(liveHeap, process.memoryUsage().heapUsed);
    }
  }
  await writer.close();
  return { peakHeap: heap.stop(), liveHeap };
}

/** The peer's serialisation of all records at once (also the baseline's "pre-serialised output"). */
function serialiseAll(format: Format, records: readonly unknown[], columns?: string[]): string {
  if (format === 'ndjson') return records.map((r) => JSON.stringify(r)).join('\n') + (records.length ? '\n' : '');
  const cols = columns ?? collectColumns(records);
  const index = new Map(cols.map((c, i) => [c, i]));
  const parents = new Set(cols.flatMap((c) => c.split('.').slice(0, -1).map((_, i, parts) => parts.slice(0, i + 1).join('.'))));
  const lines = [[...cols, EXTRA_COLUMN].map((c) => csvCell(c)).join(',')];
  for (const record of records) {
    const cells: string[] = new Array(cols.length).fill('');
    const extra: Record<string, CellValue> = {};
    let hasExtra = false;
    forEachLeaf(record, (column, value) => {
      const i = index.get(column);
      if (i !== undefined) cells[i] = csvCell(value);
      else if (!(value === null && parents.has(column))) { extra[column] = value; hasExtra = true; }
    });
    lines.push(`${cells.join(',')},${hasExtra ? csvCell(JSON.stringify(extra), false) : ''}`);
  }
  return `${lines.join('\r\n')}\r\n`;
}

/**
 * Candidate and baseline interleaved page by page, so a busy machine slows both alike.
 * Only parse + write are timed; generating the page text and the baseline's output is not.
 */
async function interleaved(format: Format, pages: number, candidateFile: string, baselineFile: string): Promise<{ candidateMs: number; baselineMs: number; inputBytes: number }> {
  const writer = writerFor(format, candidateFile);
  const handle = await fs.promises.open(baselineFile, 'w');
  let candidateMs = 0;
  let baselineMs = 0;
  let inputBytes = 0;
  let columns: string[] | undefined;
  try {
    for (let page = 1; page <= pages; page++) {
      const text = pageText(page, pages);
      inputBytes += text.length;
      const preRecords = (JSON.parse(text) as { data: unknown[] }).data;
      columns ??= collectColumns(preRecords);
      let output = serialiseAll(format, preRecords, columns);
      if (format === 'csv' && page > 1) output = output.slice(output.indexOf('\r\n') + 2);

      let start = performance.now();
      await writer.writeRecords((JSON.parse(text) as { data: unknown[] }).data);
      candidateMs += performance.now() - start;

      start = performance.now();
      JSON.parse(text);
      await handle.write(output);
      baselineMs += performance.now() - start;
    }
  } finally {
    let start = performance.now();
    await writer.close();
    candidateMs += performance.now() - start;
    start = performance.now();
    await handle.close();
    baselineMs += performance.now() - start;
  }
  return { candidateMs, baselineMs, inputBytes };
}

async function peer(format: Format, pages: number, file: string): Promise<{ ms: number; peakHeap: number }> {
  const heap = heapSampler(5);
  const start = performance.now();
  const merged: unknown[] = [];
  for (let page = 1; page <= pages; page++) {
    for (const r of (JSON.parse(pageText(page, pages)) as { data: unknown[] }).data) merged.push(r);
  }
  await fs.promises.writeFile(file, serialiseAll(format, merged));
  return { ms: performance.now() - start, peakHeap: heap.stop() };
}

async function main(): Promise<void> {
  const gc = exposeGc();
  console.log(`B6 export: ${environmentLine()}, ${PAGES} pages × 10,000 records; peer and identity check on ${PEER_PAGES} pages`);
  const lines: string[] = [];
  for (const format of ['ndjson', 'csv'] as const) {
    const out = tmpFile(`candidate.${format}`);
    const base = tmpFile(`baseline.${format}`);
    const peerOut = tmpFile(`peer.${format}`);
    const small = tmpFile(`candidate-small.${format}`);
    try {
      gc();
      const timed = await interleaved(format, PAGES, out, base);
      if (sha(out) !== sha(base)) throw new Error(`${format}: candidate output differs from the baseline's pre-serialised output`);
      gc();
      const cand = await candidate(format, PAGES, out);
      gc();
      const live = await candidate(format, PAGES, out, gc);
      gc();
      const peerRun = await peer(format, PEER_PAGES, peerOut);
      await candidate(format, PEER_PAGES, small);
      const identical = sha(small) === sha(peerOut);
      const mb = timed.inputBytes / MB;
      console.log(`  ${format}: candidate ${(mb / (timed.candidateMs / 1000)).toFixed(1)} MB/s (${(timed.candidateMs / 1000).toFixed(2)} s, output ${(fs.statSync(out).size / MB).toFixed(0)} MB), ` +
        `baseline ${(mb / (timed.baselineMs / 1000)).toFixed(1)} MB/s; peak heap ${(cand.peakHeap / MB).toFixed(1)} MB (live after GC ${(live.liveHeap / MB).toFixed(1)} MB); ` +
        `peer on ${PEER_PAGES} pages: ${(peerRun.ms / 1000).toFixed(2)} s, peak heap ${(peerRun.peakHeap / MB).toFixed(0)} MB, output ${identical ? 'byte-identical' : 'DIFFERENT'}`);
      const ratio = timed.baselineMs / timed.candidateMs;
      lines.push(verdict('B6', `${format} throughput vs baseline`, ratio, '>= 0.5', ratio >= 0.5));
      lines.push(verdict('B6', `${format} peak heap vs 64 MB`, cand.peakHeap / (64 * MB), '<= 1.0', cand.peakHeap <= 64 * MB));
      lines.push(verdict('B6', `${format} output identical to peer (1 = yes)`, identical ? 1 : 0, '= 1', identical));
    } finally {
      for (const f of [out, base, peerOut, small]) fs.rmSync(f, { force: true });
    }
  }
  for (const line of lines) console.log(line);
}

void main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
