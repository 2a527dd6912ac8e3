import { ResultStore } from '../src/core/dataset/resultStore';
import { exposeGc, FIVE_YEAR_PAGES, heartRatePageText, memoryBytes, verdict } from './dataset/heartRatePages';

/**
 * B10 memory model: heap + ArrayBuffer bytes per record after importing the five-year result
 * (263 pages) into the ResultStore, against the raw JSON bytes per record (baseline), with the
 * array-of-objects peer measured on a tenth of the pages. Also asserts that no string anywhere
 * near 256 MB is built: pages are ≤ 1 MB and row windows ≤ 1 MB.
 */

const MAX_STRING = 256 * 1024 * 1024;

function main(): void {
  const gc = exposeGc();
  let jsonBytes = 0;
  let longestString = 0;

  const before = memoryBytes(gc);
  const store = new ResultStore();
  const t0 = performance.now();
  for (let page = 0; page < FIVE_YEAR_PAGES; page++) {
    const text = heartRatePageText(page);
    longestString = Math.max(longestString, text.length);
    jsonBytes += text.length;
    store.append(JSON.parse(text) as unknown[], text);
  }
  store.seal();
  const importMs = performance.now() - t0;
  const after = memoryBytes(gc);
  const records = store.count;
  const storeBytesPerRecord = (after - before) / records;
  const jsonPerRecord = jsonBytes / records;

  for (const offset of [0, 1_000_000, records - 5]) {
    const window = store.getRows(offset, 20_000);
    longestString = Math.max(longestString, window.json.length);
    if (window.json.length > 1_000_000) throw new Error(`Row window of ${window.json.length} characters`);
  }
  const stats = store.stats();
  store.dispose();

  // Peer: the parsed pages kept as one array of objects (a tenth of the pages, per record).
  const peerPages = Math.ceil(FIVE_YEAR_PAGES / 10);
  const peerBefore = memoryBytes(gc);
  const merged: unknown[] = [];
  for (let page = 0; page < peerPages; page++) {
    for (const r of JSON.parse(heartRatePageText(page)) as unknown[]) merged.push(r);
  }
  const peerBytesPerRecord = (memoryBytes(gc) - peerBefore) / merged.length;
  merged.length = 0;

  if (longestString > MAX_STRING) throw new Error(`A string of ${longestString} characters was built`);
  console.log(`records ${records.toLocaleString('en-US')}, JSON ${(jsonBytes / 1e6).toFixed(1)} MB (${jsonPerRecord.toFixed(1)} B/record), import ${(importMs / 1000).toFixed(2)} s`);
  console.log(`store: ${storeBytesPerRecord.toFixed(2)} B/record measured (heap + ArrayBuffers), ${(stats.retainedBytes / records).toFixed(2)} B/record by its own count; columnar ${stats.columnarRecords}, fallback ${stats.fallbackRecords}`);
  console.log(`peer (array of objects, ${peerPages} pages): ${peerBytesPerRecord.toFixed(1)} B/record = ${(peerBytesPerRecord / jsonPerRecord).toFixed(2)} × JSON; store is ${(peerBytesPerRecord / storeBytesPerRecord).toFixed(1)} × smaller`);
  console.log(`longest string built: ${longestString.toLocaleString('en-US')} characters (limit ${MAX_STRING.toLocaleString('en-US')})`);
  const ratio = storeBytesPerRecord / jsonPerRecord;
  console.log(verdict('B10', 'bytes per record vs JSON bytes', ratio, '<= 0.3', ratio <= 0.3));
  if (ratio > 0.3) process.exitCode = 1;
}

main();
