import { redactSecrets } from '../api/errors';
import type { CellOutput } from './cellOutput';

/**
 * A cell's output as the JSON the renderer reads and, with saveOutputs, the file keeps. Anything
 * shaped like a credential is redacted: records are data the API sent, and a hostile record must
 * not put a token-looking value into a file meant for git.
 */
export function cellOutputText(output: CellOutput): string {
  return redactSecrets(JSON.stringify(output));
}
