/**
 * Streams every page of a run into an export writer, one page at a time, so memory holds at most
 * the page being written (P13, B6). The writer is always closed; the summary says how far it got.
 */

export interface RecordWriter<S> {
  writeRecords(records: readonly unknown[]): Promise<void>;
  close(): Promise<S>;
}

export interface PageLike {
  readonly data: unknown;
}

export async function exportPages<S>(pages: AsyncIterable<PageLike>, writer: RecordWriter<S>): Promise<S> {
  try {
    for await (const page of pages) {
      if (Array.isArray(page.data)) await writer.writeRecords(page.data);
      else if (page.data !== null && page.data !== undefined) await writer.writeRecords([page.data]);
    }
  } catch (err) {
    // Flush what was written; the caller reads the run's outcome to label the file partial.
    await writer.close().catch(() => undefined);
    throw err;
  }
  return writer.close();
}
