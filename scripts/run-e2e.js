// Runs the e2e tier: mocha in plain Node over out/test/e2e/**/*.test.js, each file driving the real
// workbench (code-server + headless Chromium, see test/e2e/support/). One child process per VS Code version.
// Builds nothing: `npm run test:e2e` does.
//   VSCODE_VERSIONS=min|newest|all|<version>[,...]   (default: min)
//   TEST_FILE / TEST_GREP (passed to mocha); screenshots go to test-results/e2e-<VS Code version>/
const { spawn } = require('child_process');
const fs = require('fs');
const path = require('path');
const { ensureCodeServer } = require('./codeServer/install');
const { selectVersions } = require('./codeServer/versions');

const REPO = path.resolve(__dirname, '..');
const ENTRY = path.join(REPO, 'out', 'test', 'e2e', 'support', 'run.js');
const CLOSING_LINE = /^(\d+) passed, (\d+) failed/;

let current;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    current?.kill(signal);
    process.exitCode = 130;
  });
}

/** Runs the suites against one version; relays their output, labelling the closing line with the version. */
function runVersion(version) {
  return new Promise((resolve) => {
    const outcome = { label: version.vscode, passed: 0, failed: 0, closingLine: false, problem: undefined };
    console.log(`\n--- e2e on VS Code ${version.vscode} (code-server ${version.codeServer}) ---`);
    const child = spawn(process.execPath, [ENTRY], {
      cwd: REPO,
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, E2E_VSCODE_VERSION: version.codeServer },
    });
    current = child;
    let buffer = '';
    const relay = (line) => {
      const closing = CLOSING_LINE.exec(line.trim());
      if (!closing) return console.log(line);
      outcome.passed += Number(closing[1]);
      outcome.failed += Number(closing[2]);
      outcome.closingLine = true;
      console.log(`${version.vscode}: ${line.trim()}`);
    };
    child.stdout.on('data', (chunk) => {
      const lines = (buffer + chunk.toString()).split('\n');
      buffer = lines.pop();
      lines.forEach(relay);
    });
    child.on('close', (code, signal) => {
      if (buffer) relay(buffer);
      if (signal) outcome.problem = `stopped by ${signal}`;
      else if (!outcome.closingLine) outcome.problem = `exited with code ${code} without a closing line`;
      else if (code !== 0 && outcome.failed === 0) outcome.problem = `exited with code ${code}`;
      resolve(outcome);
    });
  });
}

async function main() {
  if (!fs.existsSync(ENTRY))
    throw new Error(`${path.relative(REPO, ENTRY)} is missing: run \`npm run test:e2e\`, which builds it`);
  const outcomes = [];
  for (const version of selectVersions(process.env.VSCODE_VERSIONS || 'min')) {
    try {
      // Installed up front, so that no test file's setup has to wait minutes for it.
      await ensureCodeServer(version);
      outcomes.push(await runVersion(version));
    } catch (e) {
      outcomes.push({ label: version.vscode, passed: 0, failed: 0, problem: e.message || String(e) });
    }
    if (process.exitCode === 130) break;
  }
  console.log('');
  const passed = outcomes.reduce((n, o) => n + o.passed, 0);
  const failed = outcomes.reduce((n, o) => n + o.failed, 0);
  for (const o of outcomes.filter((x) => x.problem)) console.log(`[e2e] ${o.label}: ${o.problem}`);
  const broken = outcomes.filter((o) => o.problem).length;
  console.log(`${passed} passed, ${failed} failed${broken ? ` (${broken} run${broken > 1 ? 's' : ''} broken)` : ''}`);
  if (failed || broken) process.exitCode = 1;
}

main().catch((e) => {
  console.error(e.message || e);
  process.exitCode = 1;
});
