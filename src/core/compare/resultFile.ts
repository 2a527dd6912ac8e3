import * as fs from 'fs';
import * as path from 'path';
import { ResultStore } from '../dataset/resultStore';
import { pauser } from './compareKey';
import { CsvRecords } from './csvRecords';

/**
 * Reads a result saved by the query panel's export (src/core/dataset/exportResult.ts) back into a
 * ResultStore, streamed: JSON (an array, a record per line), NDJSON (a record per line) or CSV.
 * A JSON file in another layout (pretty-printed, or a whole response with its `data` list) is read
 * whole when it is small enough to be one string.
 */

export type ResultFileFormat = 'json' | 'ndjson' | 'csv';

export interface LoadedResultFile {
  readonly format: ResultFileFormat;
  readonly store: ResultStore;
  /** CSV: every value is text. */
  readonly textValues: boolean;
}

export type ResultFileErrorCode = 'notRecords' | 'badLine' | 'tooLarge';

export class ResultFileError extends Error {
  override readonly name = 'ResultFileError';
  constructor(
    readonly code: ResultFileErrorCode,
    message: string,
    /** The 1-based line that could not be read (badLine). */
    readonly line?: number,
  ) {
    super(message);
  }
}

/** The largest JSON file read whole when it is not one record per line. */
const MAX_WHOLE_JSON_BYTES = 256 * 1024 * 1024;
const BATCH = 2048;

export function formatOfPath(file: string): ResultFileFormat {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.csv') return 'csv';
  if (ext === '.ndjson' || ext === '.jsonl') return 'ndjson';
  return 'json';
}

export async function loadResultFile(
  file: string,
  options: { signal?: AbortSignal | undefined; spillDirectory?: string | undefined } = {},
): Promise<LoadedResultFile> {
  const format = formatOfPath(file);
  const store = new ResultStore(options.spillDirectory ? { spillDirectory: options.spillDirectory } : {});
  try {
    if (format === 'csv') await readCsv(file, store, options.signal);
    else if (!(await readLines(file, format, store, options.signal))) {
      store.dispose();
      return { format, store: await readWholeJson(file, options.spillDirectory), textValues: false };
    }
    store.seal();
    return { format, store, textValues: format === 'csv' };
  } catch (error) {
    store.dispose();
    throw error;
  }
}

async function readCsv(file: string, store: ResultStore, signal: AbortSignal | undefined): Promise<void> {
  const csv = new CsvRecords();
  const pause = pauser({ signal });
  for await (const chunk of fs.createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
    const records = csv.push(chunk as string);
    for (let from = 0; from < records.length; from += BATCH) {
      store.appendRange(records, from, Math.min(records.length, from + BATCH));
      await pause();
    }
  }
  const rest = csv.end();
  store.append(rest);
}

/**
 * A record per line (the export's layouts). False when a JSON file turns out not to be in that
 * layout, so that it is read whole instead.
 */
async function readLines(
  file: string,
  format: 'json' | 'ndjson',
  store: ResultStore,
  signal: AbortSignal | undefined,
): Promise<boolean> {
  const pause = pauser({ signal });
  let partial = '';
  let lineNumber = 0;
  let batch: unknown[] = [];
  let opened = format === 'ndjson';
  let closed = false;
  const line = (text: string): boolean => {
    lineNumber++;
    let t = text.trim();
    if (t === '') return true;
    if (format === 'json') {
      if (!opened) {
        opened = t === '[';
        return opened;
      }
      if (closed) return false;
      if (t === ']') {
        closed = true;
        return true;
      }
      if (t.endsWith(',')) t = t.slice(0, -1);
    }
    let record: unknown;
    try {
      record = JSON.parse(t);
    } catch {
      if (format === 'json') return false;
      throw new ResultFileError('badLine', `Line ${lineNumber} is not JSON.`, lineNumber);
    }
    batch.push(record);
    return true;
  };
  for await (const chunk of fs.createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
    const lines = (partial + (chunk as string)).split('\n');
    partial = lines.pop() ?? '';
    for (const text of lines) if (!line(text)) return false;
    if (batch.length > 0) {
      store.append(batch);
      batch = [];
    }
    await pause();
  }
  if (!line(partial)) return false;
  store.append(batch);
  return format === 'ndjson' || (opened && closed);
}

async function readWholeJson(file: string, spillDirectory: string | undefined): Promise<ResultStore> {
  const { size } = await fs.promises.stat(file);
  if (size > MAX_WHOLE_JSON_BYTES)
    throw new ResultFileError('tooLarge', 'The file is too large to read unless it holds one record per line.');
  let value: unknown;
  try {
    value = JSON.parse(await fs.promises.readFile(file, 'utf8'));
  } catch {
    throw new ResultFileError('notRecords', 'The file is not JSON.');
  }
  const records = Array.isArray(value)
    ? value
    : typeof value === 'object' && value !== null && Array.isArray((value as { data?: unknown }).data)
      ? (value as { data: unknown[] }).data
      : undefined;
  if (records === undefined) throw new ResultFileError('notRecords', 'The file holds no list of records.');
  const store = new ResultStore(spillDirectory ? { spillDirectory } : {});
  store.append(records);
  store.seal();
  return store;
}
