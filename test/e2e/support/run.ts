import * as path from 'path';
import { findTestFiles, runMocha } from '../../support/runMocha';

/**
 * Entry point of the e2e tier for one VS Code version (E2E_VSCODE_VERSION, set by scripts/run-e2e.js):
 * mocha in plain Node over out/test/e2e/**\/*.test.js, each file driving its own workbench.
 */
async function main(): Promise<void> {
  const files = findTestFiles(path.resolve(__dirname, '..'));
  const failures = await runMocha(files, { timeout: 120_000 });
  process.exitCode = failures ? 1 : 0;
}

void main().then(() => {
  // A browser or server a failed test left open must not keep the run alive.
  setTimeout(() => process.exit(process.exitCode ?? 0), 500).unref();
});
