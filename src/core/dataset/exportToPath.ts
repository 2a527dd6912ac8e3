import * as fs from 'fs';
import { exportResult, type ExportFormat, type ExportOutcome, type ExportProgress } from './exportResult';
import type { ResultStore } from './resultStore';

/**
 * Export of a whole result to a file, as the query panel does it without the VS Code parts: the
 * write stream, its errors raced against the export, and no half file left behind. The panel
 * (`exportToFile`, which adds the progress notification) and the B6 benchmark call this.
 */

export interface ExportToPathOptions {
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: ExportProgress) => void;
}

/**
 * Streams `store` to `target` in `format`. A file that did not complete (cancel: `complete` false;
 * a write error: rejects) is deleted, so no partial export is ever left looking like a whole one.
 */
export async function exportToPath(store: ResultStore, format: ExportFormat, target: string, options: ExportToPathOptions = {}): Promise<ExportOutcome> {
  const stream = fs.createWriteStream(target);
  const failed = new Promise<never>((_, reject) => stream.once('error', reject));
  let outcome: ExportOutcome | undefined;
  try {
    outcome = await Promise.race([failed, exportResult(store, stream, {
      format,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    })]);
    return outcome;
  } finally {
    if (!outcome?.complete) {
      stream.destroy();
      await fs.promises.rm(target, { force: true });
    }
  }
}
