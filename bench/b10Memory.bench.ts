import { MAX_MESSAGE_CHARS } from '../src/shared/protocol';
import { exposeGc, FIVE_YEAR_PAGES, heartRatePageText, memoryBytes, verdict } from './dataset/heartRatePages';
import { importThroughPanel, startPanelServer } from './dataset/panelPath';

/**
 * B10 memory model: heap + ArrayBuffer bytes per record of the five-year result as the query panel
 * holds it (fetched through `getPage` → `QueryResult` → `fetchAllPages` from the mock API; the
 * QueryResult keeps the first page's raw text for the raw view, and that counts too), against the
 * raw JSON bytes per record of the pages received (baseline), with the array-of-objects peer
 * measured on a tenth of the pages. Also asserts that no string anywhere near 256 MB is built:
 * pages are ≤ 1 MB and the row windows the panel sends ≤ one message.
 */

const MAX_STRING = 256 * 1024 * 1024;

async function main(): Promise<void> {
  const gc = exposeGc();
  const server = await startPanelServer({ totalPages: FIVE_YEAR_PAGES, delayMs: 0, data: 'fiveYears' });
  let longestString = 0;
  // Measured with the client and its connections up, so only the result differs between the two.
  const before = memoryBytes(gc);
  const imported = await importThroughPanel(server.client);
  const after = memoryBytes(gc);
  await server.close();
  const { result, store } = imported;
  const records = store.count;
  const stats = store.stats();
  const jsonBytes = stats.jsonBytes;
  const resultBytesPerRecord = (after - before) / records;
  const jsonPerRecord = jsonBytes / records;

  for (const offset of [0, 1_000_000, records - 5]) {
    const window = result.rows(offset, 20_000);
    longestString = Math.max(longestString, window.lines.length);
    if (window.lines.length > MAX_MESSAGE_CHARS) throw new Error(`Row window of ${window.lines.length} characters`);
  }
  longestString = Math.max(longestString, result.raw().text.length);
  result.dispose();

  // Peer: the parsed pages kept as one array of objects (a tenth of the pages, per record).
  const peerPages = Math.ceil(FIVE_YEAR_PAGES / 10);
  const peerBefore = memoryBytes(gc);
  const merged: unknown[] = [];
  for (let page = 0; page < peerPages; page++) {
    const text = heartRatePageText(page);
    longestString = Math.max(longestString, text.length);
    for (const r of JSON.parse(text) as unknown[]) merged.push(r);
  }
  const peerBytesPerRecord = (memoryBytes(gc) - peerBefore) / merged.length;
  merged.length = 0;

  if (longestString > MAX_STRING) throw new Error(`A string of ${longestString} characters was built`);
  console.log(
    `records ${records.toLocaleString('en-US')}, JSON received ${(jsonBytes / 1e6).toFixed(1)} MB (${jsonPerRecord.toFixed(1)} B/record, page envelopes included), fetched through the panel path in ${(imported.wallMs / 1000).toFixed(2)} s`,
  );
  console.log(
    `result: ${resultBytesPerRecord.toFixed(2)} B/record measured (heap + ArrayBuffers), ${(stats.retainedBytes / records).toFixed(2)} B/record by the store's own count; columnar ${stats.columnarRecords}, fallback ${stats.fallbackRecords}`,
  );
  console.log(
    `peer (array of objects, ${peerPages} pages): ${peerBytesPerRecord.toFixed(1)} B/record = ${(peerBytesPerRecord / jsonPerRecord).toFixed(2)} × JSON; the result is ${(peerBytesPerRecord / resultBytesPerRecord).toFixed(1)} × smaller`,
  );
  console.log(
    `longest string built: ${longestString.toLocaleString('en-US')} characters (limit ${MAX_STRING.toLocaleString('en-US')})`,
  );
  const ratio = resultBytesPerRecord / jsonPerRecord;
  console.log(verdict('B10', 'bytes per record vs JSON bytes', ratio, '<= 0.3', ratio <= 0.3));
  if (ratio > 0.3) process.exitCode = 1;
}

void main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
