import * as path from 'path';
import { findTestFiles, runMocha } from '../support/runMocha';

/**
 * Loaded by the extension host as `extensionTestsPath` (code-server payload or @vscode/test-electron):
 * mocha over every out/test/integration/**\/*.test.js, ending with the closing line.
 * The foundation suite runs first: it checks that nothing activated the extension before it asks.
 */
export async function run(): Promise<void> {
  const files = findTestFiles(__dirname);
  const runsFirst = (file: string) => (path.basename(file).startsWith('foundation') ? 0 : 1);
  files.sort((a, b) => runsFirst(a) - runsFirst(b) || a.localeCompare(b));
  const failures = await runMocha(files, { timeout: 60_000 });
  if (failures > 0) throw new Error(`${failures} integration test(s) failed`);
}
