import * as fs from 'fs';
import * as path from 'path';
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

/** A target the export refuses, with the reason in words a person can act on. */
export class ExportTargetError extends Error {
  override readonly name = 'ExportTargetError';
}

/**
 * Streams `store` to `target` in `format`, atomically: the records go to a temporary file beside the
 * target, which replaces the target only once it is complete. A cancel (`complete` false) or a write
 * error (rejects) deletes the temporary file and leaves whatever was at `target` untouched. A folder
 * or a symbolic link at `target` is refused (writing through a link would replace the link itself).
 */
export async function exportToPath(
  store: ResultStore,
  format: ExportFormat,
  target: string,
  options: ExportToPathOptions = {},
): Promise<ExportOutcome> {
  await checkTarget(target);
  const temporary = path.join(
    path.dirname(target),
    `.${path.basename(target)}.${process.pid}-${Date.now().toString(36)}.partial`,
  );
  // `wx`: never write into a file that is already there (a leftover or someone else's).
  const stream = fs.createWriteStream(temporary, { flags: 'wx' });
  const failed = new Promise<never>((_, reject) => stream.once('error', reject));
  let outcome: ExportOutcome | undefined;
  let moved = false;
  try {
    outcome = await Promise.race([
      failed,
      exportResult(store, stream, {
        format,
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      }),
    ]);
    if (outcome.complete) {
      await Promise.race([failed, new Promise<void>((resolve) => stream.close(() => resolve()))]);
      await fs.promises.rename(temporary, target);
      moved = true;
    }
    return outcome;
  } finally {
    if (!moved) {
      stream.destroy();
      await fs.promises.rm(temporary, { force: true });
    }
  }
}

async function checkTarget(target: string): Promise<void> {
  if (!path.isAbsolute(target))
    throw new ExportTargetError(`The export needs an absolute path; "${target}" is relative.`);
  const found = await fs.promises.lstat(target).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return undefined;
    throw e;
  });
  if (found?.isDirectory()) throw new ExportTargetError(`${target} is a folder: pick a file name inside it.`);
  if (found?.isSymbolicLink())
    throw new ExportTargetError(
      `${target} is a symbolic link: exporting would replace the link. Pick the file it points to, or another name.`,
    );
  if (found && !found.isFile()) throw new ExportTargetError(`${target} is not a regular file: pick another name.`);
  const folder = await fs.promises.stat(path.dirname(target)).catch(() => undefined);
  if (!folder?.isDirectory()) throw new ExportTargetError(`The folder ${path.dirname(target)} does not exist.`);
}
