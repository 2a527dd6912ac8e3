import { findTestFiles, runMocha } from '../support/runMocha';

/** Entry point of the unit tier: mocha in plain Node over out/test/unit/**\/*.test.js. */
async function main(): Promise<void> {
  const failures = await runMocha(findTestFiles(__dirname), { timeout: 20_000 });
  process.exitCode = failures ? 1 : 0;
}

void main().then(() => {
  // Open handles (keep-alive sockets of a failed test) must not keep the process alive.
  setTimeout(() => process.exit(process.exitCode ?? 0), 100).unref();
});
