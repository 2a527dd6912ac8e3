import * as path from 'path';
import { build } from 'esbuild';
import { REPO } from '../../support/repo';

/** The page worker's bundle built from the sources into `dir` (as esbuild.js builds dist/pageWorker.js); returns its path. */
export async function buildPageWorker(dir: string): Promise<string> {
  const script = path.join(dir, 'pageWorker.js');
  await build({
    entryPoints: [path.join(REPO, 'src/core/worker/pageWorkerMain.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    outfile: script,
    logLevel: 'silent',
  });
  return script;
}
