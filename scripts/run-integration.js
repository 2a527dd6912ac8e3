// Runs the integration suites (out/test/integration/index.js, mocha) inside a real extension host.
// With a desktop VS Code (VSCODE_EXECUTABLE_PATH): through @vscode/test-electron. Otherwise in each
// selected code-server version, driven by headless Chromium. Builds nothing: `npm run test:integration` does.
//   VSCODE_VERSIONS=min|newest|all|<version>[,...]   (default: all)
//   INTEGRATION_TIMEOUT_MS (default 900000 per version), TEST_FILE / TEST_GREP (passed to mocha), VERBOSE=1
const fs = require('fs');
const os = require('os');
const path = require('path');
const util = require('util');
const { ensureCodeServer } = require('./codeServer/install');
const { startCodeServer, QUIET_HOST_SETTINGS } = require('./codeServer/server');
const { launchBrowser, enableDevelopmentPayload, workbenchUrl } = require('./codeServer/browser');
const { selectVersions } = require('./codeServer/versions');

const REPO = path.resolve(__dirname, '..');
const TESTS_ENTRY = path.join(REPO, 'out', 'test', 'integration', 'index.js');
const RESULTS = path.join(REPO, 'test-results');
const TIMEOUT_MS = Number(process.env.INTEGRATION_TIMEOUT_MS || 900_000);
const CLOSING_LINE = /^(\d+) passed, (\d+) failed/;
// The workbench's own start-up chatter, relayed with the tests' output; shown with VERBOSE=1.
const WORKBENCH_NOISE = [
  /^Resolv(ing|ed) connection token/,
  /^Creating a socket/,
  /^\[Service Worker\]/,
  /^Ignoring fetching additional builtin extensions/,
  /^Updating additional builtin extensions cache/,
  /^ChatSessionStore:/,
  /^\[(AccountPolicyGate|AgentHost[^\]]*|reconnection-grace-time)\]/,
];

const cleanups = new Set();
async function cleanUp() {
  for (const cleanup of [...cleanups].reverse()) await cleanup().catch(() => {});
  cleanups.clear();
}
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => void cleanUp().then(() => process.exit(130)));
}

/** What one run reported: counts from its closing line (if it printed one) and how it ended. */
function newOutcome(label) {
  return { label, passed: 0, failed: 0, closingLine: false, problem: undefined };
}

/** Relays the extension host's output, labelling its closing line with the version it ran on. */
function relay(outcome, text, print = console.log) {
  for (const line of text.split('\n')) {
    const closing = CLOSING_LINE.exec(line.trim());
    if (closing) {
      outcome.passed += Number(closing[1]);
      outcome.failed += Number(closing[2]);
      outcome.closingLine = true;
      print(`${outcome.label}: ${line.trim()}`);
    } else if (process.env.VERBOSE || !WORKBENCH_NOISE.some((noise) => noise.test(line))) {
      print(line);
    }
  }
}

async function runInCodeServer(version) {
  const outcome = newOutcome(version.vscode);
  const installed = await ensureCodeServer(version);
  console.log(`\n--- VS Code ${version.vscode} (code-server ${version.codeServer}, Node ${version.nodeMajor}) ---`);
  const started = Date.now();
  // A benchmark measuring the extension host (B4's) asks for the workbench's background work to be off.
  const settings = process.env.QUIET_HOST === '1' ? QUIET_HOST_SETTINGS : {};
  const codeServer = await startCodeServer({ installed, settings });
  cleanups.add(codeServer.stop);
  const browser = await launchBrowser();
  const closeBrowser = () => browser.close();
  cleanups.add(closeBrowser);
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    // The workbench reports the extension host's output and exit through these (VS Code's web test protocol).
    let exited;
    const exitCode = new Promise((resolve) => {
      exited = resolve;
    });
    await page.exposeFunction('codeAutomationLog', (type, args) =>
      relay(outcome, util.format(...(Array.isArray(args) ? args : [args]))),
    );
    await page.exposeFunction('codeAutomationExit', (code) => exited(code));
    page.on('crash', () => exited('the page crashed'));
    if (process.env.VERBOSE) page.on('console', (message) => console.log(`[browser] ${message.text()}`));
    await enableDevelopmentPayload(page);
    await page.goto(
      workbenchUrl(codeServer, {
        folder: codeServer.workspace,
        extensionDevelopmentPath: REPO,
        extensionTestsPath: TESTS_ENTRY,
      }),
    );
    let timer;
    const result = await Promise.race([
      exitCode,
      new Promise((resolve) => {
        timer = setTimeout(resolve, TIMEOUT_MS, 'timeout');
      }),
    ]);
    clearTimeout(timer);
    if (result === 'timeout') outcome.problem = `timed out after ${TIMEOUT_MS / 1000} s`;
    else if (typeof result === 'string') outcome.problem = result;
    else if (result !== 0 && outcome.failed === 0) outcome.problem = `the extension host exited with code ${result}`;
    if (!outcome.closingLine && !outcome.problem) outcome.problem = 'the tests printed no closing line';
    if (outcome.problem || outcome.failed) await keepEvidence(page, codeServer, version);
  } finally {
    await closeBrowser().catch(() => {});
    cleanups.delete(closeBrowser);
    await codeServer.stop();
    cleanups.delete(codeServer.stop);
  }
  console.log(`[integration] VS Code ${version.vscode} finished in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return outcome;
}

/** Saves what explains a failed run: a screenshot of the workbench and the server's logs. */
async function keepEvidence(page, codeServer, version) {
  const dir = path.join(RESULTS, `integration-${version.vscode}`);
  fs.mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, 'workbench.png') }).catch(() => {});
  fs.cpSync(codeServer.logFile, path.join(dir, 'code-server.log'));
  const logs = path.join(codeServer.userData, 'logs');
  if (fs.existsSync(logs)) fs.cpSync(logs, path.join(dir, 'logs'), { recursive: true });
  console.log(`[integration] screenshot and logs of VS Code ${version.vscode} saved in ${path.relative(REPO, dir)}`);
}

/** A desktop VS Code runs the very same suites through @vscode/test-electron. */
async function runInDesktopVsCode(executable) {
  const outcome = newOutcome('desktop');
  const { runTests } = require('@vscode/test-electron');
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'onetwentyone-desktop-'));
  const workspace = path.join(scratch, 'workspace');
  fs.mkdirSync(workspace);
  // runTests copies VS Code's output to our stdout: read the closing line from there.
  const write = process.stdout.write.bind(process.stdout);
  const print = (line) => write(`${line}\n`);
  let pending = '';
  process.stdout.write = (chunk, ...rest) => {
    const lines = (pending + chunk.toString()).split('\n');
    pending = lines.pop();
    if (lines.length) relay(outcome, lines.join('\n'), print);
    return typeof rest[rest.length - 1] === 'function' ? (rest[rest.length - 1](), true) : true;
  };
  try {
    await runTests({
      vscodeExecutablePath: executable,
      extensionDevelopmentPath: REPO,
      extensionTestsPath: TESTS_ENTRY,
      launchArgs: [
        workspace,
        '--disable-extensions',
        '--user-data-dir',
        path.join(scratch, 'user-data'),
        '--skip-welcome',
        '--skip-release-notes',
      ],
    });
    if (!outcome.closingLine) outcome.problem = 'the tests printed no closing line';
  } catch (e) {
    if (outcome.failed === 0) outcome.problem = e.message || String(e);
  } finally {
    process.stdout.write = write;
    if (pending) relay(outcome, pending, print);
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  return outcome;
}

async function main() {
  if (!fs.existsSync(TESTS_ENTRY))
    throw new Error(
      `${path.relative(REPO, TESTS_ENTRY)} is missing: run \`npm run test:integration\`, which builds it`,
    );
  const outcomes = [];
  if (process.env.VSCODE_EXECUTABLE_PATH) {
    outcomes.push(await runInDesktopVsCode(process.env.VSCODE_EXECUTABLE_PATH));
  } else {
    for (const version of selectVersions(process.env.VSCODE_VERSIONS || 'all')) {
      try {
        outcomes.push(await runInCodeServer(version));
      } catch (e) {
        const outcome = newOutcome(version.vscode);
        outcome.problem = e.message || String(e);
        outcomes.push(outcome);
      }
    }
  }
  console.log('');
  let passed = 0;
  let failed = 0;
  for (const outcome of outcomes) {
    passed += outcome.passed;
    failed += outcome.failed;
    if (outcome.problem) console.log(`[integration] ${outcome.label}: ${outcome.problem}`);
  }
  const broken = outcomes.filter((o) => o.problem).length;
  console.log(`${passed} passed, ${failed} failed${broken ? ` (${broken} run${broken > 1 ? 's' : ''} broken)` : ''}`);
  process.exitCode = failed || broken ? 1 : 0;
}

main()
  .catch((e) => {
    console.error(e.message || e);
    process.exitCode = 1;
  })
  .finally(() => cleanUp());
